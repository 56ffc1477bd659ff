package io.vigil.protocols.s7comm;

import java.io.ByteArrayOutputStream;

/** Hand-built TPKT / COTP / S7comm / S7comm-plus bytes for tests and fuzz seeds. */
final class S7Frames {
    private S7Frames() {
    }

    static byte[] hex(String s) {
        s = s.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** TPKT around a COTP TPDU. */
    static byte[] tpkt(byte[] cotp) {
        byte[] b = new byte[4 + cotp.length];
        b[0] = 3;
        b[2] = (byte) (b.length >>> 8);
        b[3] = (byte) b.length;
        System.arraycopy(cotp, 0, b, 4, cotp.length);
        return b;
    }

    /** COTP DT (class 0) with EOT set or not, in a TPKT. */
    static byte[] dt(boolean eot, byte[] data) {
        return tpkt(concat(new byte[] {2, (byte) 0xF0, (byte) (eot ? 0x80 : 0x00)}, data));
    }

    static byte[] dt(byte[] data) {
        return dt(true, data);
    }

    /** CR (or CC with type 0xD0) with TPDU size 1024, calling and called TSAPs. */
    static byte[] connect(int type, byte[] srcTsap, byte[] dstTsap) {
        byte[] params = concat(new byte[] {(byte) 0xC0, 1, 0x0A}, new byte[] {(byte) 0xC1, (byte) srcTsap.length},
            srcTsap, new byte[] {(byte) 0xC2, (byte) dstTsap.length}, dstTsap);
        byte[] head = {(byte) (6 + params.length), (byte) type, 0, 0, 0, 7, 0};
        return tpkt(concat(head, params));
    }

    static byte[] cr() {
        return connect(0xE0, hex("0100"), hex("0102"));
    }

    /** S7comm header + parameter + data; error class/code for ROSCTR 2 and 3. */
    static byte[] s7(int rosctr, int pduRef, byte[] param, byte[] data, int errorClass, int errorCode) {
        boolean ack = rosctr == 2 || rosctr == 3;
        byte[] h = new byte[ack ? 12 : 10];
        h[0] = 0x32;
        h[1] = (byte) rosctr;
        h[4] = (byte) (pduRef >>> 8);
        h[5] = (byte) pduRef;
        h[6] = (byte) (param.length >>> 8);
        h[7] = (byte) param.length;
        h[8] = (byte) (data.length >>> 8);
        h[9] = (byte) data.length;
        if (ack) {
            h[10] = (byte) errorClass;
            h[11] = (byte) errorCode;
        }
        return concat(h, param, data);
    }

    static byte[] job(int pduRef, byte[] param, byte[] data) {
        return dt(s7(1, pduRef, param, data, 0, 0));
    }

    static byte[] ackData(int pduRef, byte[] param, byte[] data) {
        return dt(s7(3, pduRef, param, data, 0, 0));
    }

    static byte[] setup() {
        return job(0x0200, hex("f0 00 0001 0001 01e0"), new byte[0]);
    }

    /** S7ANY item: transport size, length, DB, area, byte address, bit. */
    static byte[] item(int ts, int length, int db, int area, int byteAddr, int bit) {
        int a = byteAddr << 3 | bit;
        return new byte[] {0x12, 0x0A, 0x10, (byte) ts, (byte) (length >>> 8), (byte) length, (byte) (db >>> 8),
            (byte) db, (byte) area, (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    static byte[] readVar(int pduRef, byte[]... items) {
        return job(pduRef, concat(new byte[] {0x04, (byte) items.length}, concat(items)), new byte[0]);
    }

    /** Userdata: method 0x11/0x12, type 4/8/0, group, subfunction, sequence; 8-byte parameter form for responses. */
    static byte[] userdata(int type, int group, int sub, int seq, byte[] data) {
        byte[] param = type == 8
            ? new byte[] {0, 1, 0x12, 8, 0x12, (byte) (type << 4 | group), (byte) sub, (byte) seq, 0, 0, 0, 0}
            : new byte[] {0, 1, 0x12, 4, 0x11, (byte) (type << 4 | group), (byte) sub, (byte) seq};
        return dt(s7(7, 0x0300, param, data, 0, 0));
    }

    static byte[] udData(int returnCode, int ts, byte[] body) {
        return concat(new byte[] {(byte) returnCode, (byte) ts, (byte) (body.length >>> 8), (byte) body.length}, body);
    }

    /** S7comm-plus: header, V3 digest if version 3, opcode header, body, trailer. */
    static byte[] plus(int version, int opcode, int function, int seq, boolean trailer) {
        byte[] op = {(byte) opcode, 0, 0, (byte) (function >>> 8), (byte) function, 0, 0, (byte) (seq >>> 8),
            (byte) seq, 0, 0, 0x01, 0x20, 0x34};
        byte[] digest = version == 3 ? concat(new byte[] {0x20}, new byte[32]) : new byte[0];
        byte[] data = concat(digest, op);
        byte[] head = {0x72, (byte) version, (byte) (data.length >>> 8), (byte) data.length};
        byte[] tail = trailer ? new byte[] {0x72, (byte) version, 0, 0} : new byte[0];
        return dt(concat(head, data, tail));
    }
}
