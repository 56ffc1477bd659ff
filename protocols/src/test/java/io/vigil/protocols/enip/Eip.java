package io.vigil.protocols.enip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built EtherNet/IP messages for tests, byte by byte as the specification lays them out. */
final class Eip {
    private Eip() {
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** 24-byte header (options 0) and data. */
    static byte[] encap(int command, long session, long status, byte[] context, byte[] data) {
        return concat(le16(command), le16(data.length), le32(session), le32(status), context, le32(0), data);
    }

    static byte[] ctx(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    static byte[] registerSession(long session) {
        return encap(EnipMessage.REGISTER_SESSION, session, 0, ctx(0), concat(le16(1), le16(0)));
    }

    /** SendRRData: interface handle 0, timeout 10, null address item, unconnected data item. */
    static byte[] rr(long session, long context, byte[] cip) {
        return encap(EnipMessage.SEND_RR_DATA, session, 0, ctx(context),
            concat(le32(0), le16(10), le16(2), le16(0), le16(0), le16(0xB2), le16(cip.length), cip));
    }

    /** SendUnitData: connected address item and connected data item with its sequence count. */
    static byte[] unit(long session, long connectionId, int sequence, byte[] cip) {
        return encap(EnipMessage.SEND_UNIT_DATA, session, 0, ctx(0),
            concat(le32(0), le16(0), le16(2), le16(0xA1), le16(4), le32(connectionId), le16(0xB1),
                le16(cip.length + 2), le16(sequence), cip));
    }

    static byte[] path(byte[]... segments) {
        byte[] p = concat(segments);
        return concat(bytes(p.length / 2), p);
    }

    static byte[] cls(int c) {
        return c > 0xFF ? concat(bytes(0x21, 0), le16(c)) : bytes(0x20, c);
    }

    static byte[] inst(long i) {
        if (i > 0xFFFF) {
            return concat(bytes(0x26, 0), le32(i));
        }
        return i > 0xFF ? concat(bytes(0x25, 0), le16((int) i)) : bytes(0x24, (int) i);
    }

    static byte[] attr(int a) {
        return bytes(0x30, a);
    }

    static byte[] member(int m) {
        return bytes(0x28, m);
    }

    static byte[] sym(String name) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] s = concat(bytes(0x91, n.length), n);
        return s.length % 2 == 0 ? s : concat(s, bytes(0));
    }

    static byte[] request(int service, byte[] path, byte[] data) {
        return concat(bytes(service), path, data);
    }

    static byte[] response(int service, int status, byte[] data) {
        return concat(bytes(service | 0x80, 0, status, 0), data);
    }

    static byte[] responseExt(int service, int status, int ext, byte[] data) {
        return concat(bytes(service | 0x80, 0, status, 1), le16(ext), data);
    }

    /** Unconnected Send to the Connection Manager; route path: backplane slot {@code slot}. */
    static byte[] unconnectedSend(byte[] embedded, int slot) {
        byte[] pad = embedded.length % 2 == 0 ? new byte[0] : bytes(0);
        return request(EnipMessage.UNCONNECTED_SEND, path(cls(6), inst(1)),
            concat(bytes(0x07, 0xF9), le16(embedded.length), embedded, pad, bytes(1, 0, 0x01, slot)));
    }

    static byte[] msp(byte[]... services) {
        int count = services.length;
        int off = 2 + 2 * count;
        ByteArrayOutputStream offsets = new ByteArrayOutputStream();
        for (byte[] s : services) {
            offsets.writeBytes(le16(off));
            off += s.length;
        }
        return request(EnipMessage.MULTIPLE_SERVICE_PACKET, path(cls(2), inst(1)),
            concat(le16(count), offsets.toByteArray(), concat(services)));
    }

    static byte[] mspResponse(byte[]... services) {
        int count = services.length;
        int off = 2 + 2 * count;
        ByteArrayOutputStream offsets = new ByteArrayOutputStream();
        for (byte[] s : services) {
            offsets.writeBytes(le16(off));
            off += s.length;
        }
        return response(EnipMessage.MULTIPLE_SERVICE_PACKET, 0, concat(le16(count), offsets.toByteArray(),
            concat(services)));
    }

    static byte[] forwardOpen(long ot, long to, int serial, long otRpi, long toRpi, byte[] connPath) {
        return request(EnipMessage.FORWARD_OPEN, path(cls(6), inst(1)),
            concat(bytes(0x07, 0xF9), le32(ot), le32(to), le16(serial), le16(0x4D), le32(0x32952BF3L),
                bytes(3, 0, 0, 0), le32(otRpi), le16(0x43F4), le32(toRpi), le16(0x43F4), bytes(0xA3), connPath));
    }

    static byte[] forwardOpenResponse(long ot, long to, int serial, long otApi, long toApi) {
        return response(EnipMessage.FORWARD_OPEN, 0, concat(le32(ot), le32(to), le16(serial), le16(0x4D),
            le32(0x32952BF3L), le32(otApi), le32(toApi), bytes(0, 0)));
    }

    static byte[] forwardClose(int serial, byte[] connPath) {
        // connection path size and a reserved byte precede the path here (unlike Forward Open)
        return request(EnipMessage.FORWARD_CLOSE, path(cls(6), inst(1)),
            concat(bytes(0x07, 0xF9), le16(serial), le16(0x4D), le32(0x32952BF3L), bytes(connPath[0], 0),
                java.util.Arrays.copyOfRange(connPath, 1, connPath.length)));
    }

    static byte[] listIdentityResponse(String name) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] item = concat(le16(1), bytes(0, 2, 0xAF, 0x12, 10, 1, 1, 164), new byte[8], le16(1), le16(12),
            le16(58), bytes(4, 3), le16(0x30), le32(0x00524D8EL), bytes(n.length), n, bytes(3));
        return encap(EnipMessage.LIST_IDENTITY, 0, 0, ctx(0xC1DEBED1L),
            concat(le16(1), le16(0x0C), le16(item.length), item));
    }

    static byte[] io(long connectionId, long sequence, byte[] data) {
        return concat(le16(2), le16(0x8002), le16(8), le32(connectionId), le32(sequence), le16(0xB1),
            le16(data.length), data);
    }
}
