package io.vigil.protocols.bacnet;

/**
 * Reads one BACnet tag header (ASHRAE 135 clause 20.2.1) into primitive fields. One instance is reused for every tag
 * of every PDU, so reading a tag allocates nothing; {@link #read} answers false instead of throwing when the header or
 * its content would run past {@code limit}.
 */
public final class BacnetTagReader {
    public static final int APPLICATION = 0;
    public static final int CONTEXT = 1;
    public static final int OPENING = 2;
    public static final int CLOSING = 3;

    /** APPLICATION, CONTEXT, OPENING or CLOSING. */
    public int kind;
    /** Tag number, the extended tag number when the header's tag field is 15. */
    public int tagNumber;
    /** The 3-bit length/value/type field as sent: for an application BOOLEAN it is the value itself. */
    public int lvt;
    /** First content octet. */
    public int valueOffset;
    /** Content octets (0 for BOOLEAN, opening and closing tags). */
    public int length;
    /** Offset just past the content: where the next tag starts. */
    public int next;

    /** Reads the tag at {@code pos}; false when it is truncated or uses a reserved encoding. */
    public boolean read(byte[] buf, int pos, int limit) {
        if (pos < 0 || pos >= limit) {
            return false;
        }
        int h = buf[pos] & 0xFF;
        int p = pos + 1;
        int tag = h >>> 4;
        boolean context = (h & 0x08) != 0;
        int v = h & 0x07;
        if (tag == 15) {
            if (p >= limit) {
                return false;
            }
            tag = buf[p++] & 0xFF;
            if (tag == 255) {
                return false; // reserved by the standard
            }
        }
        tagNumber = tag;
        lvt = v;
        if (context && v >= 6) {
            kind = v == 6 ? OPENING : CLOSING;
            valueOffset = p;
            length = 0;
            next = p;
            return true;
        }
        kind = context ? CONTEXT : APPLICATION;
        if (!context && tag == 1) {
            // Application BOOLEAN carries its value in the LVT field and has no content octets.
            valueOffset = p;
            length = 0;
            next = p;
            return true;
        }
        int len = v;
        if (v == 5) {
            if (p >= limit) {
                return false;
            }
            len = buf[p++] & 0xFF;
            if (len == 254) {
                if (p + 2 > limit) {
                    return false;
                }
                len = (buf[p] & 0xFF) << 8 | buf[p + 1] & 0xFF;
                p += 2;
            } else if (len == 255) {
                if (p + 4 > limit) {
                    return false;
                }
                long l = (buf[p] & 0xFFL) << 24 | (buf[p + 1] & 0xFF) << 16 | (buf[p + 2] & 0xFF) << 8
                        | buf[p + 3] & 0xFF;
                p += 4;
                if (l > limit - p) {
                    return false;
                }
                len = (int) l;
            }
        }
        if (len > limit - p) {
            return false;
        }
        valueOffset = p;
        length = len;
        next = p + len;
        return true;
    }

    /** Big-endian unsigned of up to 8 octets (an 8-octet value may come out negative: the raw bits). */
    public static long unsigned(byte[] buf, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = v << 8 | buf[off + i] & 0xFF;
        }
        return v;
    }

    /** Big-endian two's-complement of 1 to 8 octets. */
    public static long signed(byte[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        long v = buf[off]; // sign-extends
        for (int i = 1; i < len; i++) {
            v = v << 8 | buf[off + i] & 0xFF;
        }
        return v;
    }
}
