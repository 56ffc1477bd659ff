package io.vigil.protocols.dnp3;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Builds DNP3 link frames (with their CRCs) and transport-segmented fragments for tests. */
final class Dnp3Frames {
    /** DIR | PRM | unconfirmed user data: a master's request frame. */
    static final int MASTER_DATA = 0xC4;
    /** PRM | unconfirmed user data: an outstation's frame. */
    static final int OUTSTATION_DATA = 0x44;

    private Dnp3Frames() {
    }

    /** One link frame: header, header CRC, user data in blocks of 16 with their CRCs. */
    static byte[] frame(int control, int dst, int src, byte[] user) {
        if (user.length > Dnp3Parser.MAX_USER_DATA) {
            throw new IllegalArgumentException("user data " + user.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = {0x05, 0x64, (byte) (5 + user.length), (byte) control, (byte) dst, (byte) (dst >> 8), (byte) src,
            (byte) (src >> 8)};
        out.write(h, 0, 8);
        crc(out, h, 0, 8);
        for (int p = 0; p < user.length; p += 16) {
            int n = Math.min(16, user.length - p);
            out.write(user, p, n);
            crc(out, user, p, n);
        }
        return out.toByteArray();
    }

    static byte[] linkOnly(int control, int dst, int src) {
        return frame(control, dst, src, new byte[0]);
    }

    /** A one-segment fragment (FIR, FIN) in one frame. */
    static byte[] single(boolean fromMaster, int dst, int src, int transportSeq, byte[] apdu) {
        return concat(segments(fromMaster, dst, src, transportSeq, 249, apdu).toArray(new byte[0][]));
    }

    /** The fragment cut into transport segments of at most {@code maxPayload} octets, one frame each. */
    static List<byte[]> segments(boolean fromMaster, int dst, int src, int firstSeq, int maxPayload, byte[] apdu) {
        List<byte[]> frames = new ArrayList<>();
        int seq = firstSeq;
        int p = 0;
        do {
            int n = Math.min(maxPayload, apdu.length - p);
            byte[] user = new byte[1 + n];
            boolean fir = p == 0;
            boolean fin = p + n == apdu.length;
            user[0] = (byte) ((fin ? 0x80 : 0) | (fir ? 0x40 : 0) | (seq & 0x3F));
            System.arraycopy(apdu, p, user, 1, n);
            frames.add(frame(fromMaster ? MASTER_DATA : OUTSTATION_DATA, dst, src, user));
            p += n;
            seq++;
        } while (p < apdu.length);
        return frames;
    }

    /** A transport segment with explicit header bits. */
    static byte[] segment(boolean fromMaster, int dst, int src, boolean fir, boolean fin, int seq, byte[] payload) {
        byte[] user = new byte[1 + payload.length];
        user[0] = (byte) ((fin ? 0x80 : 0) | (fir ? 0x40 : 0) | (seq & 0x3F));
        System.arraycopy(payload, 0, user, 1, payload.length);
        return frame(fromMaster ? MASTER_DATA : OUTSTATION_DATA, dst, src, user);
    }

    private static void crc(ByteArrayOutputStream out, byte[] b, int off, int len) {
        int crc = Dnp3Crc.compute(b, off, len);
        out.write(crc & 0xFF);
        out.write(crc >>> 8);
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
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** A fragment of {@code n} octets: header, then filler the decoder walks as one octet-string object. */
    static byte[] bigResponse(int n) {
        byte[] apdu = new byte[n];
        apdu[0] = (byte) 0xC0;
        apdu[1] = (byte) 0x81;
        for (int i = 4; i < n; i++) {
            apdu[i] = (byte) i;
        }
        return apdu;
    }

    /** Sample application fragments, one per interesting shape. */
    static List<byte[]> sampleFragments() {
        List<byte[]> l = new ArrayList<>();
        l.add(hex("c1 01 3c02 06 3c03 06 3c04 06 3c01 06"));                   // class 1,2,3,0 poll
        l.add(hex("c1 81 8000 0102 00 00 02 01 01 81"));                         // g1v2 0..2, restart IIN
        l.add(hex("c3 03 0c01 28 0100 0500 03 01 64000000 64000000 00"));        // select CROB index 5
        l.add(hex("c4 05 2902 17 01 03 e803 00"));                               // direct operate g41v2
        l.add(hex("c5 02 3201 07 01 1027000000 00"));                            // write time
        l.add(hex("c6 02 5001 00 07 07 00"));                                    // clear restart IIN
        l.add(hex("c7 0d"));                                                     // cold restart
        l.add(hex("c8 81 0000 00fc 00 fc fc 01 05 68656c6c6f 1e01 00 00 00 01 02000000")); // g0 then g30v1
        l.add(hex("c9 81 0000 5301 00 00 00 01020304"));                         // g83: size unknown
        l.add(hex("f0 82 8000"));                                                // unsolicited, empty
        l.add(hex("ca 01 1e00 07 02 0100 17 02 05 09"));                         // read with count, index list
        l.add(hex("cb 17"));                                                     // delay measure
        return l;
    }
}
