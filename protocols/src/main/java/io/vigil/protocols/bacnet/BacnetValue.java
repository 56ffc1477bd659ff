package io.vigil.protocols.bacnet;

/**
 * One decoded property value, pre-allocated inside {@link BacnetPdu}. Numbers are kept as primitives, strings and
 * octet/bit strings only as offsets into the datagram; {@link #string} decodes lazily for output code.
 */
public final class BacnetValue {
    public static final int NONE = -1;
    /** A context-tagged or constructed value (not one of the 13 application types): see offset/length. */
    public static final int CONSTRUCTED = -2;

    public static final int NULL = 0;
    public static final int BOOLEAN = 1;
    public static final int UNSIGNED = 2;
    public static final int SIGNED = 3;
    public static final int REAL = 4;
    public static final int DOUBLE = 5;
    public static final int OCTET_STRING = 6;
    public static final int CHARACTER_STRING = 7;
    public static final int BIT_STRING = 8;
    public static final int ENUMERATED = 9;
    public static final int DATE = 10;
    public static final int TIME = 11;
    public static final int OBJECT_IDENTIFIER = 12;

    /** Application tag number of the value, NONE or CONSTRUCTED. */
    public int type = NONE;
    /**
     * Integer view: BOOLEAN 0/1, UNSIGNED/ENUMERATED (unsigned), SIGNED, the raw 32 bits of DATE
     * (year-1900, month, day, weekday), TIME (hour, minute, second, hundredths) and OBJECT_IDENTIFIER.
     */
    public long bits;
    /** REAL and DOUBLE. */
    public double real;
    /** Content offset in the datagram (strings: after the character-set octet; bit strings: after unused-bits). */
    public int offset;
    public int length;
    /** CHARACTER_STRING character set (0 UTF-8, 4 UCS-2, 5 ISO 8859-1, ...). */
    public int charset;
    /** BIT_STRING unused bits in the last octet. */
    public int unusedBits;

    void reset() {
        type = NONE;
        bits = 0;
        real = 0;
        offset = 0;
        length = 0;
        charset = 0;
        unusedBits = 0;
    }

    public boolean present() {
        return type != NONE;
    }

    public int objectType() {
        return (int) (bits >>> 22) & 0x3FF;
    }

    public int instance() {
        return (int) bits & 0x3FFFFF;
    }

    /** Output-side decoding of a CHARACTER_STRING (allocates; never called on the parse path). */
    public String string(byte[] buf) {
        return BacnetNames.decodeString(buf, offset, length, charset);
    }

    /** Output-side rendering of any value (allocates). */
    public String render(byte[] buf) {
        switch (type) {
            case NONE: return "";
            case NULL: return "null";
            case BOOLEAN: return bits != 0 ? "true" : "false";
            case UNSIGNED: return Long.toUnsignedString(bits);
            case SIGNED: return Long.toString(bits);
            case ENUMERATED: return Long.toUnsignedString(bits);
            case REAL: case DOUBLE: return Double.toString(real);
            case CHARACTER_STRING: return string(buf);
            case DATE: return String.format("%d-%02d-%02d", 1900 + (bits >>> 24 & 0xFF), bits >>> 16 & 0xFF,
                    bits >>> 8 & 0xFF);
            case TIME: return String.format("%02d:%02d:%02d.%02d", bits >>> 24 & 0xFF, bits >>> 16 & 0xFF,
                    bits >>> 8 & 0xFF, bits & 0xFF);
            case OBJECT_IDENTIFIER: return BacnetNames.objectTypeName(objectType()) + "," + instance();
            default: {
                StringBuilder sb = new StringBuilder(length * 2);
                for (int i = 0; i < length; i++) {
                    sb.append(String.format("%02x", buf[offset + i] & 0xFF));
                }
                return sb.toString();
            }
        }
    }
}
