package io.vigil.protocols.snmp;

import io.vigil.protocols.testsupport.Tshark;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test messages: captured ones (zeek_snmp*.pcap) and a small BER builder for the rest. */
final class SnmpFrames {
    /** v1 get-request, community public, 1.3.6.1.2.1.1.2.0 (zeek_snmpv1_get.pcap frame 1). */
    static final String V1_GET = "302602010004067075626c6963a019020126020100020100300e300c06082b060102010102000500";
    /** v2c get-next-request, community "[R0_C@cti!]", OID 0.1 (zeek_snmpv2_get_next.pcap frame 1). */
    static final String V2_GETNEXT = "3027020101040b5b52305f4340637469215da11502042b133f85020100020100300730050601"
            + "010500";
    /** v3 get-next-request, USM user "username", auth, no priv (zeek_snmpv3_get_next.pcap frame 3). */
    static final String V3_GETNEXT = "307902010330100204207b2f72020240000401040201030431302f040d80001f8880a9498e5e"
            + "3a2c30430201dd0201dd0408757365726e616d65040c0000000000000000000000000400302f040d80001f8880a9498e5e3a2c"
            + "30430400a11c0204207b2f72020100020100300e300c06082b060102010106000500";

    private SnmpFrames() {
    }

    static byte[] bytes(String hex) {
        return Tshark.hex(hex);
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            v.writeBytes(p);
        }
        int n = v.size();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(tag);
        if (n < 128) {
            o.write(n);
        } else if (n < 256) {
            o.write(0x81);
            o.write(n);
        } else {
            o.write(0x82);
            o.write(n >> 8);
            o.write(n & 0xFF);
        }
        o.writeBytes(v.toByteArray());
        return o.toByteArray();
    }

    static byte[] integer(long v) {
        int n = 1;
        while (n < 8 && (v >> (8 * n - 1)) != 0 && (v >> (8 * n - 1)) != -1) {
            n++;
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >> (8 * (n - 1 - i)));
        }
        return tlv(0x02, b);
    }

    static byte[] octets(String s) {
        return tlv(0x04, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] raw(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (byte) b[i];
        }
        return r;
    }

    /** OID from dotted arcs (first two folded, base-128 for the rest). */
    static byte[] oid(long... arcs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        base128(o, arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            base128(o, arcs[i]);
        }
        return tlv(0x06, o.toByteArray());
    }

    private static void base128(ByteArrayOutputStream o, long v) {
        int groups = 1;
        while (groups < 10 && (v >>> (7 * groups)) != 0) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            o.write((int) (v >>> (7 * g) & 0x7F) | (g > 0 ? 0x80 : 0));
        }
    }

    static byte[] varbind(byte[] oid, byte[] value) {
        return tlv(0x30, oid, value);
    }

    static final byte[] NULL = raw(0x05, 0x00);

    /** v2c response with three varbinds. */
    static byte[] v2Response() {
        return tlv(0x30, integer(1), octets("private"), tlv(0xA2, integer(0x2b133f85L), integer(0), integer(0),
                tlv(0x30,
                        varbind(oid(1, 3, 6, 1, 2, 1, 1, 1, 0), octets("Linux router 5.10")),
                        varbind(oid(1, 3, 6, 1, 2, 1, 1, 3, 0), tlv(0x43, raw(0x04, 0x92, 0x6f, 0xa4))),
                        varbind(oid(1, 3, 6, 1, 4, 1, 2636, 3, 1, 2, 0), tlv(0x80)))));
    }

    /** v1 linkDown trap from agent 192.168.0.1, enterprise 1.3.6.1.4.1.9. */
    static byte[] v1Trap() {
        return tlv(0x30, integer(0), octets("public"), tlv(0xA4, oid(1, 3, 6, 1, 4, 1, 9),
                tlv(0x40, raw(192, 168, 0, 1)), integer(2), integer(0), tlv(0x43, raw(0x01, 0x00)),
                tlv(0x30, varbind(oid(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2), integer(2)))));
    }

    /** v3 with USM user "alice", auth+priv+reportable, encrypted scoped PDU. */
    static byte[] v3Priv() {
        byte[] usm = tlv(0x30, tlv(0x04, raw(0x80, 0x00, 0x1f, 0x88, 0x80, 1, 2, 3, 4)), integer(12), integer(3456),
                octets("alice"), tlv(0x04, new byte[12]), tlv(0x04, raw(0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef)));
        return tlv(0x30, integer(3), tlv(0x30, integer(4242), integer(65507), tlv(0x04, raw(0x07)), integer(3)),
                tlv(0x04, usm), tlv(0x04, raw(0x9f, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99)));
    }

    static byte[][] samples() {
        return new byte[][] {bytes(V1_GET), bytes(V2_GETNEXT), bytes(V3_GETNEXT), v2Response(), v1Trap(), v3Priv()};
    }
}
