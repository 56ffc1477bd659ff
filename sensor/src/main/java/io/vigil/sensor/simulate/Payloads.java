package io.vigil.sensor.simulate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Well-formed application payloads for the protocols the data centre speaks, encoded as the real stacks encode them
 * (field layouts checked against tshark 4.0 and our decoders). The generator runs offline, so clarity wins over
 * allocation here.
 */
final class Payloads {
    private Payloads() {
    }

    // ---- Modbus/TCP: MBAP header (transaction, protocol 0, length, unit) then the PDU

    static byte[] modbus(int transaction, int unit, byte[] pdu) {
        return new Bytes().u16(transaction).u16(0).u16(pdu.length + 1).u8(unit).bytes(pdu).toArray();
    }

    static byte[] readHoldingRequest(int start, int quantity) {
        return new Bytes().u8(3).u16(start).u16(quantity).toArray();
    }

    static byte[] readHoldingResponse(int[] values) {
        Bytes b = new Bytes().u8(3).u8(values.length * 2);
        for (int v : values) {
            b.u16(v);
        }
        return b.toArray();
    }

    /** FC6 request and its echo response are the same bytes. */
    static byte[] writeSingle(int register, int value) {
        return new Bytes().u8(6).u16(register).u16(value).toArray();
    }

    static byte[] writeMultipleRequest(int start, int[] values) {
        Bytes b = new Bytes().u8(16).u16(start).u16(values.length).u8(values.length * 2);
        for (int v : values) {
            b.u16(v);
        }
        return b.toArray();
    }

    static byte[] writeMultipleResponse(int start, int quantity) {
        return new Bytes().u8(16).u16(start).u16(quantity).toArray();
    }

    /** FC43/14 Read Device Identification, basic objects. */
    static byte[] readDeviceIdRequest() {
        return new Bytes().u8(0x2B).u8(0x0E).u8(1).u8(0).toArray();
    }

    static byte[] readDeviceIdResponse(String vendor, String product, String revision) {
        Bytes b = new Bytes().u8(0x2B).u8(0x0E).u8(1).u8(0x01).u8(0).u8(0).u8(3);
        String[] values = {vendor, product, revision};
        for (int i = 0; i < 3; i++) {
            byte[] v = values[i].getBytes(StandardCharsets.US_ASCII);
            b.u8(i).u8(v.length).bytes(v);
        }
        return b.toArray();
    }

    /** FC8 Diagnostics, sub-function 0 (return query data): the response echoes the request. */
    static byte[] diagnosticsEcho(int data) {
        return new Bytes().u8(8).u16(0).u16(data).toArray();
    }

    // ---- BACnet/IP: BVLC, NPDU, APDU (encodings as recorded from bacpypes in pcaps/realstack/bacnet-loopback.pcap)

    static final int OBJECT_ANALOG_INPUT = 0;
    static final int OBJECT_ANALOG_VALUE = 2;
    static final int OBJECT_DEVICE = 8;
    static final int PROPERTY_PRESENT_VALUE = 85;

    private static byte[] bvlc(int function, byte[] npduApdu) {
        return new Bytes().u8(0x81).u8(function).u16(npduApdu.length + 4).bytes(npduApdu).toArray();
    }

    private static long objectId(int type, int instance) {
        return ((long) type << 22) | instance;
    }

    static byte[] whoIs() {
        return bvlc(0x0B, Bytes.hex("01001008"));
    }

    static byte[] iAm(int deviceInstance, int vendorId) {
        return bvlc(0x0B, new Bytes().u8(1).u8(0).u8(0x10).u8(0x00)
            .u8(0xC4).u32(objectId(OBJECT_DEVICE, deviceInstance))
            .u8(0x22).u16(1476).u8(0x91).u8(3).u8(0x21).u8(vendorId).toArray());
    }

    static byte[] readProperty(int invokeId, int type, int instance, int property) {
        return bvlc(0x0A, new Bytes().u8(1).u8(4).u8(0x00).u8(0x05).u8(invokeId).u8(0x0C)
            .u8(0x0C).u32(objectId(type, instance)).u8(0x19).u8(property).toArray());
    }

    static byte[] readPropertyAckReal(int invokeId, int type, int instance, int property, float value) {
        return bvlc(0x0A, new Bytes().u8(1).u8(0).u8(0x30).u8(invokeId).u8(0x0C)
            .u8(0x0C).u32(objectId(type, instance)).u8(0x19).u8(property)
            .u8(0x3E).u8(0x44).u32(Float.floatToIntBits(value) & 0xFFFF_FFFFL).u8(0x3F).toArray());
    }

    static byte[] writePropertyReal(int invokeId, int type, int instance, float value, int priority) {
        return bvlc(0x0A, new Bytes().u8(1).u8(4).u8(0x00).u8(0x05).u8(invokeId).u8(0x0F)
            .u8(0x0C).u32(objectId(type, instance)).u8(0x19).u8(PROPERTY_PRESENT_VALUE)
            .u8(0x3E).u8(0x44).u32(Float.floatToIntBits(value) & 0xFFFF_FFFFL).u8(0x3F)
            .u8(0x49).u8(priority).toArray());
    }

    static byte[] simpleAck(int invokeId, int service) {
        return bvlc(0x0A, new Bytes().u8(1).u8(0).u8(0x20).u8(invokeId).u8(service).toArray());
    }

    /** DeviceCommunicationControl (service 17): disable for {@code minutes}, with a password. */
    static byte[] deviceCommunicationControl(int invokeId, int minutes, String password) {
        byte[] pw = password.getBytes(StandardCharsets.US_ASCII);
        return bvlc(0x0A, new Bytes().u8(1).u8(4).u8(0x00).u8(0x05).u8(invokeId).u8(17)
            .u8(0x09).u8(minutes).u8(0x19).u8(1).u8(0x2D).u8(pw.length + 1).u8(0).bytes(pw).toArray());
    }

    // ---- DNS

    static final int TYPE_A = 1;
    static final int TYPE_TXT = 16;

    static byte[] dnsQuery(int id, String name, int type) {
        Bytes b = new Bytes().u16(id).u16(0x0100).u16(1).u16(0).u16(0).u16(0);
        question(b, name, type);
        return b.toArray();
    }

    /** A response with A records (none and rcode 3 for NXDOMAIN when {@code addresses} is empty). */
    static byte[] dnsAnswer(int id, String name, List<Integer> addresses, int ttl) {
        boolean nx = addresses.isEmpty();
        Bytes b = new Bytes().u16(id).u16(nx ? 0x8183 : 0x8180).u16(1).u16(addresses.size()).u16(0).u16(0);
        question(b, name, TYPE_A);
        for (int a : addresses) {
            b.u16(0xC00C).u16(TYPE_A).u16(1).u32(ttl).u16(4).u32(a & 0xFFFF_FFFFL);
        }
        return b.toArray();
    }

    static byte[] dnsTxtAnswer(int id, String name, String text, int ttl) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        Bytes b = new Bytes().u16(id).u16(0x8180).u16(1).u16(1).u16(0).u16(0);
        question(b, name, TYPE_TXT);
        b.u16(0xC00C).u16(TYPE_TXT).u16(1).u32(ttl).u16(t.length + 1).u8(t.length).bytes(t);
        return b.toArray();
    }

    private static void question(Bytes b, String name, int type) {
        for (String label : name.split("\\.")) {
            b.u8(label.length()).ascii(label);
        }
        b.u8(0).u16(type).u16(1);
    }

    // ---- TLS 1.3 (as a current browser sends it) and TLS records

    private static final int[] BROWSER_SUITES = {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9,
        0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035};
    private static final int[] LIBRARY_SUITES = {0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0xC02B, 0xC02F};

    /** ClientHello with SNI; {@code library} gives a leaner fingerprint, as a script or implant would send. */
    static byte[] clientHello(SplittableRandom r, String sni, boolean library) {
        Bytes ext = new Bytes();
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ext.u16(0x0000).u16(name.length + 5).u16(name.length + 3).u8(0).u16(name.length).bytes(name);
        ext.u16(0x0017).u16(0);
        ext.u16(0xFF01).u16(1).u8(0);
        ext.u16(0x000A).u16(8).u16(6).u16(0x001D).u16(0x0017).u16(0x0018);
        ext.u16(0x000B).u16(2).u8(1).u8(0);
        if (!library) {
            ext.u16(0x0023).u16(0);
            ext.u16(0x0010).u16(14).u16(12).u8(2).ascii("h2").u8(8).ascii("http/1.1");
            ext.u16(0x0005).u16(5).u8(1).u16(0).u16(0);
        }
        ext.u16(0x000D).u16(18).u16(16).u16(0x0403).u16(0x0804).u16(0x0401).u16(0x0503).u16(0x0805).u16(0x0501)
            .u16(0x0806).u16(0x0601);
        ext.u16(0x0033).u16(38).u16(36).u16(0x001D).u16(32).random(r, 32);
        ext.u16(0x002B).u16(5).u8(4).u16(0x0304).u16(0x0303);
        ext.u16(0x002D).u16(2).u8(1).u8(1);
        int[] suites = library ? LIBRARY_SUITES : BROWSER_SUITES;
        Bytes body = new Bytes().u16(0x0303).random(r, 32).u8(32).random(r, 32).u16(suites.length * 2);
        for (int s : suites) {
            body.u16(s);
        }
        byte[] e = ext.toArray();
        body.u8(1).u8(0).u16(e.length).bytes(e);
        return handshakeRecord(0x0301, 1, body.toArray());
    }

    /** ServerHello (TLS 1.3, AES-128-GCM, x25519) followed by ChangeCipherSpec and the encrypted handshake. */
    static byte[] serverFlight(SplittableRandom r, int encryptedHandshake) {
        Bytes ext = new Bytes();
        ext.u16(0x002B).u16(2).u16(0x0304);
        ext.u16(0x0033).u16(36).u16(0x001D).u16(32).random(r, 32);
        byte[] e = ext.toArray();
        Bytes body = new Bytes().u16(0x0303).random(r, 32).u8(32).random(r, 32).u16(0x1301).u8(0).u16(e.length)
            .bytes(e);
        return new Bytes().bytes(handshakeRecord(0x0303, 2, body.toArray())).bytes(changeCipherSpec())
            .bytes(applicationData(r, encryptedHandshake)).toArray();
    }

    /** The client's ChangeCipherSpec and encrypted Finished. */
    static byte[] clientFinished(SplittableRandom r) {
        return new Bytes().bytes(changeCipherSpec()).bytes(applicationData(r, 53)).toArray();
    }

    static byte[] changeCipherSpec() {
        return Bytes.hex("140303000101");
    }

    /** Application data records of at most 16 KiB of ciphertext each, {@code n} bytes of ciphertext in total. */
    static byte[] applicationData(SplittableRandom r, int n) {
        Bytes b = new Bytes();
        int left = n;
        while (left > 0) {
            int len = Math.min(left, 16_384);
            b.u8(23).u16(0x0303).u16(len).random(r, len);
            left -= len;
        }
        return b.toArray();
    }

    private static byte[] handshakeRecord(int recordVersion, int type, byte[] body) {
        return new Bytes().u8(22).u16(recordVersion).u16(body.length + 4).u8(type).u24(body.length).bytes(body)
            .toArray();
    }

    // ---- HTTP/1.1

    static byte[] httpGet(String host, String path, String userAgent) {
        return Bytes.text("GET ", path, " HTTP/1.1\r\nHost: ", host, "\r\nUser-Agent: ", userAgent,
            "\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, deflate\r\nConnection: close\r\n\r\n");
    }

    static byte[] httpOk(SplittableRandom r, int bodyLength) {
        StringBuilder body = new StringBuilder("<html><head><title>Intranet</title></head><body>");
        while (body.length() < bodyLength - 14) {
            body.append("<p>Shift report ").append(r.nextInt(10_000)).append("</p>");
        }
        body.append("</body></html>");
        return Bytes.text("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html; charset=utf-8\r\n",
            "Content-Length: ", Integer.toString(body.length()), "\r\nConnection: close\r\n\r\n", body.toString());
    }

    // ---- SSH

    static byte[] sshBanner(String software) {
        return Bytes.text("SSH-2.0-", software, "\r\n");
    }

    static byte[] sshKexInit(SplittableRandom r, boolean server) {
        Bytes p = new Bytes().u8(20).random(r, 16);
        String[] lists = {
            "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256"
                + (server ? ",kex-strict-s-v00@openssh.com" : ",ext-info-c,kex-strict-c-v00@openssh.com"),
            "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256",
            "chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com",
            "chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com",
            "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
            "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
            "none,zlib@openssh.com", "none,zlib@openssh.com", "", ""};
        for (String l : lists) {
            p.u32(l.length()).ascii(l);
        }
        p.u8(0).u32(0);
        return sshPacket(r, p.toArray());
    }

    static byte[] sshEcdhInit(SplittableRandom r) {
        return sshPacket(r, new Bytes().u8(30).u32(32).random(r, 32).toArray());
    }

    static byte[] sshEcdhReply(SplittableRandom r, byte[] hostKey) {
        Bytes key = new Bytes().u32(11).ascii("ssh-ed25519").u32(32).bytes(hostKey);
        Bytes sig = new Bytes().u32(11).ascii("ssh-ed25519").u32(64).random(r, 64);
        byte[] k = key.toArray();
        byte[] s = sig.toArray();
        return sshPacket(r, new Bytes().u8(31).u32(k.length).bytes(k).u32(32).random(r, 32).u32(s.length).bytes(s)
            .toArray());
    }

    static byte[] sshNewKeys(SplittableRandom r) {
        return sshPacket(r, new byte[] {21});
    }

    private static byte[] sshPacket(SplittableRandom r, byte[] payload) {
        int padding = 8 - ((payload.length + 5) % 8);
        if (padding < 4) {
            padding += 8;
        }
        return new Bytes().u32(payload.length + padding + 1).u8(padding).bytes(payload).random(r, padding).toArray();
    }

    // ---- SNMPv2c (BER)

    static byte[] snmpGet(int requestId, String community, List<int[]> oids) {
        return snmp(0xA0, requestId, community, oids, null);
    }

    /** GetResponse; {@code values} are INTEGER values except for sysUpTime, encoded as TimeTicks. */
    static byte[] snmpResponse(int requestId, String community, List<int[]> oids, long[] values) {
        return snmp(0xA2, requestId, community, oids, values);
    }

    private static byte[] snmp(int pduType, int requestId, String community, List<int[]> oids, long[] values) {
        Bytes bindings = new Bytes();
        for (int i = 0; i < oids.size(); i++) {
            int[] oid = oids.get(i);
            byte[] o = tlv(0x06, oid(oid));
            byte[] v;
            if (values == null) {
                v = new byte[] {0x05, 0x00};
            } else {
                boolean ticks = oid.length == 9 && oid[7] == 3 && oid[6] == 1;
                v = tlv(ticks ? 0x43 : 0x02, integer(values[i]));
            }
            bindings.bytes(tlv(0x30, new Bytes().bytes(o).bytes(v).toArray()));
        }
        byte[] pdu = tlv(pduType, new Bytes().bytes(tlv(0x02, integer(requestId))).bytes(tlv(0x02, integer(0)))
            .bytes(tlv(0x02, integer(0))).bytes(tlv(0x30, bindings.toArray())).toArray());
        return tlv(0x30, new Bytes().bytes(tlv(0x02, integer(1))).bytes(tlv(0x04, Bytes.text(community)))
            .bytes(pdu).toArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        Bytes b = new Bytes().u8(tag);
        if (value.length < 128) {
            b.u8(value.length);
        } else if (value.length < 256) {
            b.u8(0x81).u8(value.length);
        } else {
            b.u8(0x82).u16(value.length);
        }
        return b.bytes(value).toArray();
    }

    /** Minimal two's-complement BER INTEGER content. */
    private static byte[] integer(long v) {
        int n = 1;
        while (n < 8 && (v >> (8 * n - 1)) != 0 && (v >> (8 * n - 1)) != -1) {
            n++;
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[n - 1 - i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] oid(int[] arcs) {
        Bytes b = new Bytes().u8(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int a = arcs[i];
            if (a >= 128 * 128) {
                b.u8(0x80 | (a >>> 14));
            }
            if (a >= 128) {
                b.u8(0x80 | ((a >>> 7) & 0x7F));
            }
            b.u8(a & 0x7F);
        }
        return b.toArray();
    }

    // ---- NTP v4

    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private static long ntpTime(long micros) {
        long seconds = micros / 1_000_000 + NTP_EPOCH_OFFSET;
        long fraction = ((micros % 1_000_000) << 32) / 1_000_000;
        return (seconds << 32) | fraction;
    }

    static byte[] ntpRequest(long micros) {
        return new Bytes().u8(0x23).u8(0).u8(6).u8(0xE9).u32(0).u32(0).u32(0)
            .u32(0).u32(0).u32(0).u32(0).u32(0).u32(0)
            .u32(ntpTime(micros) >>> 32).u32(ntpTime(micros)).toArray();
    }

    static byte[] ntpResponse(byte[] request, long receivedMicros, long sentMicros, int referenceIp) {
        Bytes b = new Bytes().u8(0x24).u8(2).u8(6).u8(0xE9).u32(0x0000_0A3D).u32(0x0000_1F40).u32(referenceIp & 0xFFFF_FFFFL);
        long ref = ntpTime(receivedMicros - 17_000_000);
        b.u32(ref >>> 32).u32(ref);
        for (int i = 40; i < 48; i++) {
            b.u8(request[i]);
        }
        long rx = ntpTime(receivedMicros);
        long tx = ntpTime(sentMicros);
        return b.u32(rx >>> 32).u32(rx).u32(tx >>> 32).u32(tx).toArray();
    }

    // ---- DHCP

    static final int DHCP_DISCOVER = 1;
    static final int DHCP_OFFER = 2;
    static final int DHCP_REQUEST = 3;
    static final int DHCP_ACK = 5;

    /** A client message; {@code clientIp} is 0 except when renewing, {@code requestedIp} 0 to omit option 50. */
    static byte[] dhcpClient(int type, int xid, long mac, int clientIp, int requestedIp, int serverId, String hostname) {
        Bytes b = bootp(1, xid, clientIp == 0, clientIp, 0, 0, mac);
        b.u8(53).u8(1).u8(type);
        b.u8(61).u8(7).u8(1).bytes(macBytes(mac));
        if (requestedIp != 0) {
            b.u8(50).u8(4).u32(requestedIp & 0xFFFF_FFFFL);
        }
        if (serverId != 0) {
            b.u8(54).u8(4).u32(serverId & 0xFFFF_FFFFL);
        }
        byte[] h = Bytes.text(hostname);
        b.u8(12).u8(h.length).bytes(h);
        b.u8(55).u8(6).u8(1).u8(3).u8(6).u8(15).u8(51).u8(58);
        b.u8(255);
        return pad(b);
    }

    static byte[] dhcpServer(int type, int xid, long mac, int clientIp, int yourIp, int serverId, int relay,
                             int router, int dns) {
        Bytes b = bootp(2, xid, clientIp == 0, clientIp, yourIp, relay, mac);
        b.u8(53).u8(1).u8(type);
        b.u8(54).u8(4).u32(serverId & 0xFFFF_FFFFL);
        b.u8(51).u8(4).u32(7_200);
        b.u8(58).u8(4).u32(3_600);
        b.u8(1).u8(4).u32(0xFFFF_FF00L);
        b.u8(3).u8(4).u32(router & 0xFFFF_FFFFL);
        b.u8(6).u8(4).u32(dns & 0xFFFF_FFFFL);
        b.u8(15).u8(12).ascii("corp.example");
        b.u8(255);
        return pad(b);
    }

    private static Bytes bootp(int op, int xid, boolean broadcast, int ciaddr, int yiaddr, int giaddr, long mac) {
        Bytes b = new Bytes().u8(op).u8(1).u8(6).u8(giaddr != 0 && op == 2 ? 1 : 0).u32(xid & 0xFFFF_FFFFL).u16(0)
            .u16(broadcast ? 0x8000 : 0).u32(ciaddr & 0xFFFF_FFFFL).u32(yiaddr & 0xFFFF_FFFFL).u32(0)
            .u32(giaddr & 0xFFFF_FFFFL).bytes(macBytes(mac)).zeros(10).zeros(64).zeros(128);
        return b.u32(0x6382_5363L);
    }

    private static byte[] pad(Bytes b) {
        while (b.size() < 300) {
            b.u8(0);
        }
        return b.toArray();
    }

    static byte[] macBytes(long mac) {
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return m;
    }

    // ---- Telnet

    static byte[] telnetServerOptions() {
        return Bytes.hex("fffd18fffb01fffb03");
    }

    static byte[] telnetClientOptions() {
        return Bytes.hex("fffb18fffd01fffd03");
    }

    // ---- RTSP keep-alive (camera control channel)

    static byte[] rtspOptions(int cseq, String url) {
        return Bytes.text("OPTIONS ", url, " RTSP/1.0\r\nCSeq: ", Integer.toString(cseq),
            "\r\nUser-Agent: NVR-Recorder/5.4\r\n\r\n");
    }

    static byte[] rtspOptionsReply(int cseq) {
        return Bytes.text("RTSP/1.0 200 OK\r\nCSeq: ", Integer.toString(cseq),
            "\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER\r\n\r\n");
    }
}
