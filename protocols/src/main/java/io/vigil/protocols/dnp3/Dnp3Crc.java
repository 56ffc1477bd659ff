package io.vigil.protocols.dnp3;

/**
 * The DNP3 link-layer CRC (IEEE 1815 §9.2.4.1.2; CRC-16/DNP: polynomial 0x3D65, reflected, initial
 * value 0, result complemented), which protects the 8 header octets and every block of up to 16
 * user-data octets. Stored on the wire low octet first.
 */
public final class Dnp3Crc {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA6BC : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Dnp3Crc() {
    }

    /** CRC of {@code b[off, off+len)}, as the 16-bit value the wire carries (little-endian) after the data. */
    public static int compute(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off, end = off + len; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ b[i]) & 0xFF];
        }
        return ~crc & 0xFFFF;
    }

    /** True when the two octets after {@code b[off, off+len)} hold its CRC. */
    public static boolean check(byte[] b, int off, int len) {
        int stored = (b[off + len] & 0xFF) | (b[off + len + 1] & 0xFF) << 8;
        return compute(b, off, len) == stored;
    }
}
