package io.vigil.protocols.iec104;

import java.io.ByteArrayOutputStream;

/** Hand-built IEC 104 APDUs for the tests. */
final class Apdus {
    private Apdus() {
    }

    static byte[] hex(String s) {
        s = s.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static byte[] u(int control) {
        return new byte[] {0x68, 4, (byte) control, 0, 0, 0};
    }

    static byte[] s(int rx) {
        return new byte[] {0x68, 4, 1, 0, (byte) (rx << 1), (byte) (rx >>> 7)};
    }

    /** An I-format APDU: tx/rx sequence numbers, then the ASDU bytes. */
    static byte[] i(int tx, int rx, byte[] asdu) {
        byte[] b = new byte[6 + asdu.length];
        b[0] = 0x68;
        b[1] = (byte) (4 + asdu.length);
        b[2] = (byte) (tx << 1);
        b[3] = (byte) (tx >>> 7);
        b[4] = (byte) (rx << 1);
        b[5] = (byte) (rx >>> 7);
        System.arraycopy(asdu, 0, b, 6, asdu.length);
        return b;
    }

    /** ASDU header: type, VSQ, COT (+P/N, T bits in cot), originator, common address. */
    static byte[] asdu(int type, int vsq, int cot, int oa, int ca, byte[] objects) {
        byte[] b = new byte[6 + objects.length];
        b[0] = (byte) type;
        b[1] = (byte) vsq;
        b[2] = (byte) cot;
        b[3] = (byte) oa;
        b[4] = (byte) ca;
        b[5] = (byte) (ca >>> 8);
        System.arraycopy(objects, 0, b, 6, objects.length);
        return b;
    }

    static byte[] ioa(int ioa) {
        return new byte[] {(byte) ioa, (byte) (ioa >>> 8), (byte) (ioa >>> 16)};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] floatLe(float f) {
        int v = Float.floatToIntBits(f);
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** CP56Time2a for 2024-03-05 06:07:08.009. */
    static byte[] cp56() {
        int ms = 8009;
        return new byte[] {(byte) ms, (byte) (ms >>> 8), 7, 6, 5, 3, 24};
    }
}
