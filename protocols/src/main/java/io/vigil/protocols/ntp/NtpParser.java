package io.vigil.protocols.ntp;

/**
 * NTP decoder for UDP 123: the 48-octet time-transfer header (modes 1-5), the mode 6 control header and the mode 7
 * private (ntpdc) header. Stateless and allocation-free; hostile input only ever sets {@link NtpMessage#malformed}.
 */
public final class NtpParser {
    public static final int PORT = 123;

    public static final String BAD_BOUNDS = "offset/length outside the buffer";
    public static final String EMPTY = "empty datagram";
    public static final String BAD_VERSION = "version is 0 or above 4";
    public static final String TOO_SHORT = "shorter than the header its mode requires";
    public static final String CONTROL_COUNT = "mode 6 count runs past the datagram";
    public static final String PRIVATE_ITEMS = "mode 7 items run past the datagram";

    static final int HEADER = 48;
    private static final int CONTROL_HEADER = 12;
    private static final int PRIVATE_HEADER = 8;

    /**
     * Decodes one UDP payload. Returns false when it cannot be NTP (empty, version 0 or above 4); a header shorter
     * than its mode needs leaves it true with {@link NtpMessage#malformed} set and only the first octet decoded.
     */
    public boolean parse(byte[] buf, int off, int len, NtpMessage out) {
        out.reset(buf, off, len);
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return fail(out, BAD_BOUNDS);
        }
        if (len < 1) {
            return fail(out, EMPTY);
        }
        int b0 = buf[off] & 0xFF;
        out.leap = b0 >>> 6;
        out.version = b0 >>> 3 & 7;
        out.mode = b0 & 7;
        if (out.version == 0 || out.version > 4) {
            return fail(out, BAD_VERSION);
        }
        switch (out.mode) {
            case NtpMessage.MODE_CONTROL:
                out.controlOrPrivate = true;
                control(buf, off, len, out);
                return true;
            case NtpMessage.MODE_PRIVATE:
                out.controlOrPrivate = true;
                privateMode(buf, off, len, out);
                return true;
            default:
                time(buf, off, len, out);
                return true;
        }
    }

    /**
     * A plausible first octet (version 1-4) and a length its mode allows: at least 48 for modes 1-5, 12 for 6 and 8
     * for 7. Cheap enough for port-less detection but weak; use with the port.
     */
    public static boolean looksLikeNtp(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
            return false;
        }
        int b0 = buf[off] & 0xFF;
        int v = b0 >>> 3 & 7;
        int m = b0 & 7;
        if (v == 0 || v > 4) {
            return false;
        }
        return m == NtpMessage.MODE_CONTROL ? len >= CONTROL_HEADER
                : m == NtpMessage.MODE_PRIVATE ? len >= PRIVATE_HEADER : m != 0 && len >= HEADER;
    }

    public static boolean isNtpPort(int srcPort, int dstPort) {
        return srcPort == PORT || dstPort == PORT;
    }

    private static void time(byte[] b, int off, int len, NtpMessage out) {
        if (len < HEADER) {
            malformed(out, TOO_SHORT);
            return;
        }
        out.stratum = b[off + 1] & 0xFF;
        out.poll = b[off + 2];
        out.precision = b[off + 3];
        out.rootDelay = i32(b, off + 4) & 0xFFFFFFFFL;
        out.rootDispersion = i32(b, off + 8) & 0xFFFFFFFFL;
        out.referenceId = i32(b, off + 12);
        out.referenceTimestamp = i64(b, off + 16);
        out.originTimestamp = i64(b, off + 24);
        out.receiveTimestamp = i64(b, off + 32);
        out.transmitTimestamp = i64(b, off + 40);
        out.trailerLength = len - HEADER;
    }

    private static void control(byte[] b, int off, int len, NtpMessage out) {
        if (len < CONTROL_HEADER) {
            malformed(out, TOO_SHORT);
            return;
        }
        int b1 = b[off + 1] & 0xFF;
        out.response = (b1 & 0x80) != 0;
        out.error = (b1 & 0x40) != 0;
        out.more = (b1 & 0x20) != 0;
        out.opcode = b1 & 0x1F;
        out.sequence = u16(b, off + 2);
        out.status = u16(b, off + 4);
        out.associationId = u16(b, off + 6);
        out.count = u16(b, off + 10);
        if (out.count > len - CONTROL_HEADER) {
            malformed(out, CONTROL_COUNT);
        }
    }

    private static void privateMode(byte[] b, int off, int len, NtpMessage out) {
        if (len < PRIVATE_HEADER) {
            malformed(out, TOO_SHORT);
            return;
        }
        int b0 = b[off] & 0xFF;
        out.response = (b0 & 0x80) != 0;
        out.more = (b0 & 0x40) != 0;
        out.sequence = b[off + 1] & 0x7F;
        out.implementation = b[off + 2] & 0xFF;
        out.requestCode = b[off + 3] & 0xFF;
        out.error = (b[off + 4] & 0xF0) != 0;
        out.itemCount = u16(b, off + 4) & 0x0FFF;
        out.itemSize = u16(b, off + 6) & 0x0FFF;
        // A response carries the items; a request's item area may be padding, so only responses are checked.
        if (out.response && (long) out.itemCount * out.itemSize > len - PRIVATE_HEADER) {
            malformed(out, PRIVATE_ITEMS);
        }
    }

    private static boolean fail(NtpMessage out, String why) {
        out.malformed = true;
        out.malformedReason = why;
        return false;
    }

    private static void malformed(NtpMessage out, String why) {
        if (!out.malformed) {
            out.malformed = true;
            out.malformedReason = why;
        }
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF;
    }

    private static int i32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
    }

    private static long i64(byte[] b, int p) {
        return (long) i32(b, p) << 32 | i32(b, p + 4) & 0xFFFFFFFFL;
    }
}
