package io.vigil.protocols.opcua;

/**
 * A bounded list of NodeIds decoded from one message, as parallel arrays filled in place. Numeric
 * forms (two-byte, four-byte, numeric) carry namespace + id; string, GUID and opaque forms carry
 * namespace + the offset/length of their bytes in {@link OpcUaMessage#buf}, decoded only by output
 * code. {@link #total} is the count on the wire, which may exceed {@link #CAPACITY}.
 */
public final class OpcUaNodeIds {
    public static final int CAPACITY = 32;

    /** Encoding forms, the low six bits of the NodeId encoding byte. */
    public static final int TWO_BYTE = 0;
    public static final int FOUR_BYTE = 1;
    public static final int NUMERIC = 2;
    public static final int STRING = 3;
    public static final int GUID = 4;
    public static final int OPAQUE = 5;

    public final int[] encoding = new int[CAPACITY];
    public final int[] namespace = new int[CAPACITY];
    /** Numeric identifier (UInt32), -1 for string/GUID/opaque identifiers. */
    public final long[] numeric = new long[CAPACITY];
    /** Identifier bytes of string/GUID/opaque forms in {@link OpcUaMessage#buf}, -1 otherwise. */
    public final int[] offset = new int[CAPACITY];
    public final int[] length = new int[CAPACITY];
    /** Read/Write: attribute id (13 = Value); Call: unused; -1 when absent. */
    public final int[] attributeId = new int[CAPACITY];
    /** Entries stored, at most CAPACITY. */
    public int count;
    /** Entries on the wire (array length), -1 when the array is absent. */
    public int total = -1;

    public void clear() {
        count = 0;
        total = -1;
    }

    boolean isNumeric(int i) {
        return encoding[i] <= NUMERIC;
    }

    void copyFrom(OpcUaNodeIds o) {
        int n = o.count;
        System.arraycopy(o.encoding, 0, encoding, 0, n);
        System.arraycopy(o.namespace, 0, namespace, 0, n);
        System.arraycopy(o.numeric, 0, numeric, 0, n);
        System.arraycopy(o.offset, 0, offset, 0, n);
        System.arraycopy(o.length, 0, length, 0, n);
        System.arraycopy(o.attributeId, 0, attributeId, 0, n);
        count = n;
        total = o.total;
    }

    /** "ns=2;s=Temperature" style text, for output code and tests only (allocates). */
    public String toString(byte[] buf, int i) {
        if (i < 0 || i >= count) {
            return "";
        }
        String ns = namespace[i] == 0 ? "" : "ns=" + namespace[i] + ";";
        switch (encoding[i]) {
            case STRING:
                return ns + "s=" + new String(buf, offset[i], length[i], java.nio.charset.StandardCharsets.UTF_8);
            case GUID:
                return ns + "g=" + hex(buf, offset[i], length[i]);
            case OPAQUE:
                return ns + "b=" + hex(buf, offset[i], length[i]);
            default:
                return ns + "i=" + numeric[i];
        }
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit((b[off + i] >> 4) & 0xF, 16)).append(Character.forDigit(b[off + i] & 0xF, 16));
        }
        return sb.toString();
    }
}
