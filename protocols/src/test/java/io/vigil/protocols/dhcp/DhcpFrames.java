package io.vigil.protocols.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test messages: a BOOTP header with an Ethernet chaddr, the magic cookie and the given options, then END. */
final class DhcpFrames {
    static final long MAC = 0x90b11c994929L;

    private DhcpFrames() {
    }

    static byte[] message(int op, long mac, int ciaddr, int yiaddr, byte[]... options) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] h = new byte[DhcpParser.HEADER];
        h[0] = (byte) op;
        h[1] = 1;
        h[2] = 6;
        put32(h, 4, 0x000007c0);
        put32(h, 12, ciaddr);
        put32(h, 16, yiaddr);
        for (int i = 0; i < 6; i++) {
            h[28 + i] = (byte) (mac >>> (8 * (5 - i)));
        }
        o.writeBytes(h);
        o.writeBytes(new byte[] {0x63, (byte) 0x82, 0x53, 0x63});
        for (byte[] opt : options) {
            o.writeBytes(opt);
        }
        o.write(0xFF);
        return o.toByteArray();
    }

    static byte[] opt(int code, int... value) {
        byte[] b = new byte[2 + value.length];
        b[0] = (byte) code;
        b[1] = (byte) value.length;
        for (int i = 0; i < value.length; i++) {
            b[2 + i] = (byte) value[i];
        }
        return b;
    }

    static byte[] opt(int code, String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[2 + v.length];
        b[0] = (byte) code;
        b[1] = (byte) v.length;
        System.arraycopy(v, 0, b, 2, v.length);
        return b;
    }

    static byte[] ip(int code, int ip) {
        return opt(code, ip >>> 24 & 0xFF, ip >>> 16 & 0xFF, ip >>> 8 & 0xFF, ip & 0xFF);
    }

    static void put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static byte[] discover() {
        return message(1, MAC, 0, 0, opt(53, 1), ip(50, 0xc0a8d3c2), opt(12, "btest.is.cool"),
                opt(55, 1, 3, 6, 15, 28, 51), opt(61, 1, 0x90, 0xb1, 0x1c, 0x99, 0x49, 0x29), opt(60, "MSFT 5.0"));
    }

    static byte[] request() {
        return message(1, MAC, 0, 0, opt(53, 3), ip(54, 0x80020698), ip(50, 0xc0a8d3c2), new byte[] {0, 0},
                opt(12, "btest.is.cool"));
    }

    static byte[] ack() {
        return message(2, MAC, 0, 0x80020698, opt(53, 5), ip(54, 0x80020698), opt(51, 0, 0, 0x03, 0x84),
                ip(1, 0xffffff00), opt(15, "cmu.edu"));
    }

    static byte[][] samples() {
        return new byte[][] {discover(), request(), ack()};
    }
}
