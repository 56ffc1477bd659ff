package io.vigil.protocols.nbns;

/**
 * NetBIOS Name Service decoder (RFC 1001/1002) for UDP 137. The wire format is DNS's, but the
 * names are first-level encoded (each byte as two letters 'A'..'P') and compression pointers
 * appear only as back references to the question name. Stateless, one instance per thread, no
 * allocation; hostile input only sets {@link NbnsMessage#malformed}.
 */
public final class NbnsParser {
    public static final int PORT = 137;
    static final int HEADER = 12;
    private static final int ENCODED_NAME = 32;
    private static final int TYPE_NB = 0x20;

    public static final String BAD_BOUNDS = "offset/length outside the buffer";
    public static final String TOO_SHORT = "shorter than the 12-octet header";
    public static final String BAD_NAME = "name is not a 32-letter first-level encoding";
    public static final String TRUNCATED = "record runs past the end of the datagram";

    public static boolean isNbnsPort(int srcPort, int dstPort) {
        return srcPort == PORT || dstPort == PORT;
    }

    /** Decodes one datagram; false (with the reason) when it is not NBNS at all. */
    public boolean parse(byte[] b, int off, int len, NbnsMessage out) {
        out.reset();
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            return fail(out, BAD_BOUNDS);
        }
        if (len < HEADER) {
            return fail(out, TOO_SHORT);
        }
        int end = off + len;
        out.transactionId = u16(b, off);
        int flags = u16(b, off + 2);
        out.response = (flags & 0x8000) != 0;
        out.opcode = flags >> 11 & 0xF;
        out.broadcast = (flags & 0x0010) != 0;
        out.rcode = flags & 0xF;
        out.questionCount = u16(b, off + 4);
        out.answerCount = u16(b, off + 6);
        out.authorityCount = u16(b, off + 8);
        out.additionalCount = u16(b, off + 10);
        int p = off + HEADER;
        if (out.questionCount > 0) {
            p = name(b, p, end, out);
            if (p < 0) {
                return true;
            }
            if (end - p < 4) {
                return malformed(out, TRUNCATED);
            }
            out.type = u16(b, p);
            p += 4;
        }
        if (out.answerCount + out.authorityCount + out.additionalCount > 0 && p < end) {
            record(b, p, end, out);
        }
        return true;
    }

    /** The first resource record: its name (or a pointer to the question's), type, and NB address. */
    private static void record(byte[] b, int p, int end, NbnsMessage out) {
        if ((b[p] & 0xC0) == 0xC0) {
            p += 2;
        } else {
            p = name(b, p, end, out);
            if (p < 0) {
                return;
            }
        }
        if (end - p < 10) {
            malformed(out, TRUNCATED);
            return;
        }
        int type = u16(b, p);
        if (out.type < 0) {
            out.type = type;
        }
        int rdLength = u16(b, p + 8);
        p += 10;
        if (end - p < rdLength) {
            malformed(out, TRUNCATED);
            return;
        }
        if (type == TYPE_NB && rdLength >= 6) {
            out.address = i32(b, p + 2); // NB_FLAGS (2), then the address
            out.hasAddress = true;
        }
    }

    /** Decodes the encoded name at {@code p} into {@code out}; returns the offset after it, or -1 when malformed. */
    private static int name(byte[] b, int p, int end, NbnsMessage out) {
        if (end - p < 1 + ENCODED_NAME + 1 || (b[p] & 0xFF) != ENCODED_NAME) {
            malformed(out, BAD_NAME);
            return -1;
        }
        int n = 0;
        for (int i = 0; i < 16; i++) {
            int hi = (b[p + 1 + 2 * i] & 0xFF) - 'A';
            int lo = (b[p + 2 + 2 * i] & 0xFF) - 'A';
            if (hi < 0 || hi > 15 || lo < 0 || lo > 15) {
                malformed(out, BAD_NAME);
                out.nameLength = 0;
                return -1;
            }
            int c = hi << 4 | lo;
            if (i < NbnsMessage.NAME_LENGTH) {
                out.name[i] = (byte) (c >= 0x20 && c < 0x7F ? c : '?');
                if (c != ' ') {
                    n = i + 1;
                }
            } else {
                out.suffix = c;
            }
        }
        out.nameLength = n;
        p += 1 + ENCODED_NAME;
        // Scope labels (rare) until the root label.
        while (p < end && b[p] != 0) {
            if ((b[p] & 0xC0) == 0xC0) {
                return p + 2 <= end ? p + 2 : -1;
            }
            p += 1 + (b[p] & 0xFF);
        }
        if (p >= end) {
            malformed(out, TRUNCATED);
            return -1;
        }
        return p + 1;
    }

    private static boolean fail(NbnsMessage out, String reason) {
        out.malformed = true;
        out.malformedReason = reason;
        return false;
    }

    private static boolean malformed(NbnsMessage out, String reason) {
        out.malformed = true;
        out.malformedReason = reason;
        return true;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF;
    }

    private static int i32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
    }
}
