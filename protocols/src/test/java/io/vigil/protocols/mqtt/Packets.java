package io.vigil.protocols.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built MQTT control packets for the tests. */
final class Packets {
    private Packets() {
    }

    /** Fixed header (type, flags, varint remaining length) + body. */
    static byte[] packet(int type, int flags, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((type << 4) | flags);
        int n = body.length;
        do {
            int c = n & 0x7F;
            n >>>= 7;
            out.write(n > 0 ? c | 0x80 : c);
        } while (n > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return cat(new byte[] {(byte) (b.length >>> 8), (byte) b.length}, b);
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** CONNECT: level 3 uses MQIsdp; level 5 adds (empty or given) properties. */
    static byte[] connect(int level, String clientId, String user, String password, String willTopic) {
        int flags = 0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0) | (willTopic != null ? 0x04 : 0);
        byte[] props = level == 5 ? bytes(5, 0x11, 0, 0, 0, 60) : new byte[0]; // session expiry 60
        byte[] body = cat(str(level == 3 ? "MQIsdp" : "MQTT"), bytes(level, flags), u16(60), props, str(clientId));
        if (willTopic != null) {
            body = cat(body, level == 5 ? bytes(0) : new byte[0], str(willTopic), str("bye"));
        }
        if (user != null) {
            body = cat(body, str(user));
        }
        if (password != null) {
            body = cat(body, str(password));
        }
        return packet(1, 0, body);
    }

    static byte[] publish(int qos, boolean retain, String topic, int packetId, byte[] props, byte[] payload) {
        byte[] body = cat(str(topic), qos > 0 ? u16(packetId) : new byte[0], props, payload);
        return packet(3, (qos << 1) | (retain ? 1 : 0), body);
    }

    static byte[] subscribe(int packetId, byte[] props, String... topicsAndQos) {
        byte[] body = cat(u16(packetId), props);
        for (int i = 0; i < topicsAndQos.length; i += 2) {
            body = cat(body, str(topicsAndQos[i]), bytes(Integer.parseInt(topicsAndQos[i + 1])));
        }
        return packet(8, 2, body);
    }
}
