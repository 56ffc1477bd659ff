package io.vigil.protocols.snmp;

/**
 * SNMP decoder for UDP 161/162: the BER message wrapper of v1, v2c and v3 (with the USM security parameters) and the
 * PDU header and varbind names. The BER walk follows the fixed SNMP schema rather than recursing into arbitrary
 * constructed values, so nesting depth is bounded by construction; every length (short or long form, at most four
 * length octets) is checked against its enclosing value before use. Stateless, allocation-free and never throws:
 * hostile input only sets {@link SnmpMessage#malformed}.
 */
public final class SnmpParser {
    public static final int AGENT_PORT = 161;
    public static final int TRAP_PORT = 162;

    public static final String BAD_BOUNDS = "offset/length outside the buffer";
    public static final String NOT_SEQUENCE = "does not start with a BER SEQUENCE";
    public static final String BAD_VERSION = "version is not 0, 1 or 3";
    public static final String BAD_TLV = "BER tag/length malformed or runs past its enclosing value";
    public static final String UNEXPECTED_TAG = "BER tag does not match the SNMP schema";
    public static final String BAD_INTEGER = "INTEGER empty or longer than 8 octets";
    public static final String UNKNOWN_PDU = "unknown PDU type";
    public static final String TRAILING = "octets after the SNMP message";

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    private static final int IP_ADDRESS = 0x40;
    private static final int TIMETICKS = 0x43;

    // Result of the last tlv()/integer() call. Instance state, so one parser per thread.
    private int tag;
    private int vOff;
    private int vLen;
    private long num;
    private String reason;

    /**
     * Decodes one UDP payload. Returns true when it is SNMP (a SEQUENCE starting with INTEGER version 0, 1 or 3);
     * problems past that point leave it true and set {@link SnmpMessage#malformed}, keeping what was decoded before.
     * Returns false, with the reason, when it is not SNMP.
     */
    public boolean parse(byte[] buf, int off, int len, SnmpMessage out) {
        out.reset(buf, off, len);
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return fail(out, BAD_BOUNDS);
        }
        int end = off + len;
        if (!tlv(buf, off, end) || tag != SEQUENCE) {
            return fail(out, reason != null ? reason : NOT_SEQUENCE);
        }
        int msgEnd = vOff + vLen;
        int p = vOff;
        if (!integer(buf, p, msgEnd) || num != 0 && num != 1 && num != 3) {
            return fail(out, reason != null ? reason : BAD_VERSION);
        }
        out.version = (int) num;
        p = vOff + vLen;
        boolean ok = out.version == SnmpMessage.V3 ? v3(buf, p, msgEnd, out) : community(buf, p, msgEnd, out);
        if (!ok) {
            malformed(out, reason != null ? reason : BAD_TLV);
        } else if (msgEnd != end) {
            malformed(out, TRAILING);
        }
        return true;
    }

    /** SEQUENCE whose BER length matches the datagram exactly, then INTEGER 0, 1 or 3. */
    public static boolean looksLikeSnmp(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 5 || off > buf.length - len || (buf[off] & 0xFF) != SEQUENCE) {
            return false;
        }
        int l = buf[off + 1] & 0xFF;
        int p = off + 2;
        if (l > 0x80) {
            int n = l & 0x7F;
            if (n > 4 || len < 2 + n + 3) {
                return false;
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | buf[p + i] & 0xFF;
            }
            p += n;
            if (v != len - (p - off)) {
                return false;
            }
        } else if (l == 0x80 || l != len - 2) {
            return false;
        }
        int ver = buf[p + 2] & 0xFF;
        return (buf[p] & 0xFF) == INTEGER && (buf[p + 1] & 0xFF) == 1 && (ver == 0 || ver == 1 || ver == 3);
    }

    public static boolean isSnmpPort(int srcPort, int dstPort) {
        return srcPort == AGENT_PORT || srcPort == TRAP_PORT || dstPort == AGENT_PORT || dstPort == TRAP_PORT;
    }

    // ---------------------------------------------------------------------------------------------- v1/v2c

    private boolean community(byte[] b, int p, int end, SnmpMessage out) {
        if (!expect(b, p, end, OCTET_STRING)) {
            return false;
        }
        out.communityOffset = vOff;
        out.communityLength = vLen;
        out.communityIsDefault = equalsAscii(b, vOff, vLen, "public") || equalsAscii(b, vOff, vLen, "private");
        return pdu(b, vOff + vLen, end, out);
    }

    // ---------------------------------------------------------------------------------------------- v3

    private boolean v3(byte[] b, int p, int end, SnmpMessage out) {
        // msgGlobalData: msgID, msgMaxSize, msgFlags, msgSecurityModel.
        if (!expect(b, p, end, SEQUENCE)) {
            return false;
        }
        int gEnd = vOff + vLen;
        int next = gEnd;
        int q = vOff;
        if (!integer(b, q, gEnd)) {
            return false;
        }
        out.msgId = num;
        q = vOff + vLen;
        if (!integer(b, q, gEnd)) {
            return false;
        }
        out.msgMaxSize = num;
        q = vOff + vLen;
        if (!expect(b, q, gEnd, OCTET_STRING)) {
            return false;
        }
        if (vLen >= 1) {
            out.msgFlags = b[vOff] & 0xFF;
            out.auth = (out.msgFlags & 1) != 0;
            out.priv = (out.msgFlags & 2) != 0;
            out.reportable = (out.msgFlags & 4) != 0;
        }
        q = vOff + vLen;
        if (!integer(b, q, gEnd)) {
            return false;
        }
        out.securityModel = (int) num;
        // msgSecurityParameters: an OCTET STRING wrapping the USM SEQUENCE (RFC 3414 2.4).
        if (!expect(b, next, end, OCTET_STRING)) {
            return false;
        }
        int spEnd = vOff + vLen;
        int after = spEnd;
        if (out.securityModel == 3 && vLen > 0 && !usm(b, vOff, spEnd, out)) {
            return false;
        }
        // ScopedPduData: plaintext SEQUENCE or, with priv, an encrypted OCTET STRING we do not open.
        if (!tlv(b, after, end)) {
            return false;
        }
        if (tag == OCTET_STRING) {
            out.encrypted = true;
            return true;
        }
        if (tag != SEQUENCE) {
            return unexpected();
        }
        int sEnd = vOff + vLen;
        if (!expect(b, vOff, sEnd, OCTET_STRING)) {
            return false;
        }
        out.contextEngineIdOffset = vOff;
        out.contextEngineIdLength = vLen;
        if (!expect(b, vOff + vLen, sEnd, OCTET_STRING)) {
            return false;
        }
        out.contextNameOffset = vOff;
        out.contextNameLength = vLen;
        return pdu(b, vOff + vLen, sEnd, out);
    }

    private boolean usm(byte[] b, int p, int end, SnmpMessage out) {
        if (!expect(b, p, end, SEQUENCE)) {
            return false;
        }
        int uEnd = vOff + vLen;
        if (!expect(b, vOff, uEnd, OCTET_STRING)) {
            return false;
        }
        out.engineIdOffset = vOff;
        out.engineIdLength = vLen;
        if (!integer(b, vOff + vLen, uEnd)) {
            return false;
        }
        // Both are INTEGER (0..2^31-1), yet agents send 02 01 dd for 221: read as unsigned, as Wireshark shows them.
        out.engineBoots = num & mask(vLen);
        if (!integer(b, vOff + vLen, uEnd)) {
            return false;
        }
        out.engineTime = num & mask(vLen);
        if (!expect(b, vOff + vLen, uEnd, OCTET_STRING)) {
            return false;
        }
        out.userNameOffset = vOff;
        out.userNameLength = vLen;
        // Authentication and privacy parameters follow; they are opaque to a passive sensor.
        return true;
    }

    // ---------------------------------------------------------------------------------------------- PDU

    private boolean pdu(byte[] b, int p, int end, SnmpMessage out) {
        if (!tlv(b, p, end)) {
            return false;
        }
        if (tag < SnmpMessage.GET || tag > SnmpMessage.REPORT) {
            reason = UNKNOWN_PDU;
            return false;
        }
        out.pduType = tag;
        int pEnd = vOff + vLen;
        int q = vOff;
        if (tag == SnmpMessage.TRAP_V1) {
            if (!expect(b, q, pEnd, OID)) {
                return false;
            }
            out.enterpriseOffset = vOff;
            out.enterpriseLength = vLen;
            if (!expect(b, vOff + vLen, pEnd, IP_ADDRESS)) {
                return false;
            }
            if (vLen == 4) {
                out.agentAddress = (b[vOff] & 0xFF) << 24 | (b[vOff + 1] & 0xFF) << 16 | (b[vOff + 2] & 0xFF) << 8
                        | b[vOff + 3] & 0xFF;
            }
            if (!integer(b, vOff + vLen, pEnd)) {
                return false;
            }
            out.genericTrap = num;
            if (!integer(b, vOff + vLen, pEnd)) {
                return false;
            }
            out.specificTrap = num;
            if (!tlv(b, vOff + vLen, pEnd)) {
                return false;
            }
            if (tag != TIMETICKS || !unsigned(b, vOff, vLen)) {
                return unexpected();
            }
            out.timestamp = num;
        } else {
            if (!integer(b, q, pEnd)) {
                return false;
            }
            out.requestId = num;
            if (!integer(b, vOff + vLen, pEnd)) {
                return false;
            }
            out.errorStatus = num;
            if (!integer(b, vOff + vLen, pEnd)) {
                return false;
            }
            out.errorIndex = num;
        }
        if (!expect(b, vOff + vLen, pEnd, SEQUENCE)) {
            return false;
        }
        return varbinds(b, vOff, vOff + vLen, out);
    }

    /** Each iteration consumes at least one two-octet TLV header, so the loop is bounded by the list's length. */
    private boolean varbinds(byte[] b, int p, int end, SnmpMessage out) {
        while (p < end) {
            if (!expect(b, p, end, SEQUENCE)) {
                return false;
            }
            int vbEnd = vOff + vLen;
            p = vbEnd;
            if (!expect(b, vOff, vbEnd, OID)) {
                return false;
            }
            int i = out.varbindCount;
            int oOff = vOff;
            int oLen = vLen;
            if (!tlv(b, vOff + vLen, vbEnd)) {
                return false;
            }
            if (i < SnmpMessage.MAX_OIDS) {
                out.oidOffset[i] = oOff;
                out.oidLength[i] = oLen;
                out.valueTag[i] = tag;
            }
            out.varbindCount = i + 1;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- BER

    /**
     * Reads one TLV header at p, bounded by end, into tag/vOff/vLen. Single-octet tags only (SNMP uses no others);
     * definite lengths only (indefinite form is not allowed in SNMP); long form up to four octets.
     */
    private boolean tlv(byte[] b, int p, int end) {
        reason = null;
        if (end - p < 2) {
            return bad();
        }
        int t = b[p] & 0xFF;
        if ((t & 0x1F) == 0x1F) {
            return bad();
        }
        int l = b[p + 1] & 0xFF;
        p += 2;
        long len;
        if (l < 0x80) {
            len = l;
        } else {
            int n = l & 0x7F;
            if (n == 0 || n > 4 || end - p < n) {
                return bad();
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = len << 8 | b[p + i] & 0xFF;
            }
            p += n;
        }
        if (len > end - p) {
            return bad();
        }
        tag = t;
        vOff = p;
        vLen = (int) len;
        return true;
    }

    private boolean expect(byte[] b, int p, int end, int wanted) {
        if (!tlv(b, p, end)) {
            return false;
        }
        return tag == wanted || unexpected();
    }

    /** INTEGER at p into num (signed, two's complement, at most 8 octets). */
    private boolean integer(byte[] b, int p, int end) {
        if (!expect(b, p, end, INTEGER)) {
            return false;
        }
        if (vLen < 1 || vLen > 8) {
            reason = BAD_INTEGER;
            return false;
        }
        long v = b[vOff]; // sign-extends
        for (int i = 1; i < vLen; i++) {
            v = v << 8 | b[vOff + i] & 0xFF;
        }
        num = v;
        return true;
    }

    /** Unsigned application types (TimeTicks, Counter): up to 5 octets, the first possibly a 0 sign octet. */
    private boolean unsigned(byte[] b, int p, int len) {
        if (len < 1 || len > 5) {
            reason = BAD_INTEGER;
            return false;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = v << 8 | b[p + i] & 0xFF;
        }
        num = v;
        return true;
    }

    private static long mask(int octets) {
        return octets >= 8 ? -1L : (1L << (8 * octets)) - 1;
    }

    private boolean bad() {
        reason = BAD_TLV;
        return false;
    }

    private boolean unexpected() {
        reason = UNEXPECTED_TAG;
        return false;
    }

    private static boolean equalsAscii(byte[] b, int off, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean fail(SnmpMessage out, String why) {
        out.malformed = true;
        out.malformedReason = why;
        return false;
    }

    private static void malformed(SnmpMessage out, String why) {
        if (!out.malformed) {
            out.malformed = true;
            out.malformedReason = why;
        }
    }

    // ---------------------------------------------------------------------------------------------- OIDs

    /**
     * Decodes the contents of a BER OID into arcs (the first octet group yields two, per X.690 8.19.4). Returns the
     * number of arcs written, at most arcs.length, or -1 when the encoding is empty, truncated mid-arc or has an arc
     * over 2^63. Allocation-free; arcs above 2^32 are kept as longs.
     */
    public static int oidArcs(byte[] b, int off, int len, long[] arcs) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len || arcs.length < 2) {
            return -1;
        }
        int n = 0;
        long v = 0;
        int groupBytes = 0;
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            if (++groupBytes > 9) {
                return -1;
            }
            v = v << 7 | c & 0x7F;
            if ((c & 0x80) != 0) {
                continue;
            }
            if (n == 0) {
                long first = v < 40 ? 0 : v < 80 ? 1 : 2;
                arcs[n++] = first;
                arcs[n++] = v - 40 * first;
            } else {
                if (n == arcs.length) {
                    return n;
                }
                arcs[n++] = v;
            }
            v = 0;
            groupBytes = 0;
        }
        return groupBytes == 0 ? n : -1;
    }

    /** Dotted-decimal rendering of a BER OID's contents, for output code; "" when undecodable. Allocates. */
    public static String oidToString(byte[] b, int off, int len) {
        long[] arcs = new long[128];
        int n = oidArcs(b, off, len, arcs);
        if (n < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(n * 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(arcs[i]);
        }
        return sb.toString();
    }
}
