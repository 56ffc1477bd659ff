package io.vigil.protocols.dns;

/**
 * Walks one domain name in wire form (RFC 1035 4.1.4), following compression pointers. Static and allocation-free so
 * that the parser, the content heuristic and output code share the one implementation of the tricky part.
 *
 * <p>A pointer must point before the start of the segment being read (the name's start, or the previous pointer's
 * target). Targets then strictly decrease, so no hostile message can make the walk loop; the hop limit is a second
 * bound. A pointer at or past itself is reported as "forward", one into the segment being read as a loop.
 *
 * <p>The result is packed into a long so that callers need no scratch object: negative is an error code
 * ({@link #LABEL}...{@link #TRUNCATED}); otherwise bits 0-31 hold the position after the name in the original
 * sequence, bits 32-39 the dotted text length, 40-47 the label count and 48-55 the longest label.
 */
final class DnsName {
    static final int MAX_HOPS = 32;
    /** Wire length limit, length octets and the root's zero included. */
    static final int MAX_WIRE = 255;

    static final int LABEL = -1;
    static final int TOO_LONG = -2;
    static final int LOOP = -3;
    static final int FORWARD = -4;
    static final int TRUNCATED = -5;

    private DnsName() {
    }

    /**
     * @param start the message's first byte: pointer offsets are relative to it
     * @param end one past the message's last byte; nothing at or past it is read
     * @param dst when not null, receives the dotted, lower-cased text (at most 253 bytes; 255 is enough)
     */
    static long walk(byte[] b, int start, int end, int pos, byte[] dst) {
        int p = pos;
        int segment = pos;
        int next = -1;
        int hops = 0;
        int wire = 1; // the terminating zero
        int text = 0;
        int labels = 0;
        int longest = 0;
        while (true) {
            if (p >= end || p < start) {
                return TRUNCATED;
            }
            int c = b[p] & 0xFF;
            if (c == 0) {
                if (next < 0) {
                    next = p + 1;
                }
                break;
            }
            int kind = c & 0xC0;
            if (kind == 0xC0) {
                if (p + 1 >= end) {
                    return TRUNCATED;
                }
                int target = start + ((c & 0x3F) << 8 | b[p + 1] & 0xFF);
                if (target >= p) {
                    return FORWARD;
                }
                if (target >= segment || ++hops > MAX_HOPS) {
                    return LOOP;
                }
                if (next < 0) {
                    next = p + 2;
                }
                p = target;
                segment = target;
                continue;
            }
            if (kind != 0) {
                return LABEL; // 64..191: longer than 63, or the obsolete extended/binary label types
            }
            if (c > end - p - 1) {
                return TRUNCATED;
            }
            wire += c + 1;
            if (wire > MAX_WIRE) {
                return TOO_LONG;
            }
            if (dst != null) {
                if (labels > 0) {
                    dst[text] = '.';
                }
                int d = labels > 0 ? text + 1 : text;
                for (int i = 1; i <= c; i++) {
                    byte x = b[p + i];
                    dst[d++] = x >= 'A' && x <= 'Z' ? (byte) (x + 32) : x;
                }
            }
            text += labels > 0 ? c + 1 : c;
            labels++;
            if (c > longest) {
                longest = c;
            }
            p += c + 1;
        }
        return (next & 0xFFFF_FFFFL) | (long) text << 32 | (long) labels << 40 | (long) longest << 48;
    }

    static int next(long r) {
        return (int) r;
    }

    static int textLength(long r) {
        return (int) (r >>> 32) & 0xFF;
    }

    static int labels(long r) {
        return (int) (r >>> 40) & 0xFF;
    }

    static int longestLabel(long r) {
        return (int) (r >>> 48) & 0xFF;
    }
}
