package io.vigil.protocols.observe;

import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.dns.DnsNames;

/**
 * The part of a DNS message a device model needs: the name asked for (with the shape features
 * tunnelling and generated-name detection use), the answer code and the addresses returned.
 * Copied out of the parser's flyweight so the observation can cross threads.
 */
public final class DnsOp {
    /** Answer addresses kept per observation. */
    public static final int MAX_ADDRESSES = 4;

    public int id;
    public boolean isResponse;
    public int opcode;
    public int rcode;
    public final byte[] qname = new byte[255];
    public int qnameLength;
    public int qnameLabels;
    public int qnameLongestLabel;
    public int qtype;
    public int answerCount;
    public final long[] addressHi = new long[MAX_ADDRESSES];
    public final long[] addressLo = new long[MAX_ADDRESSES];
    public int addressCount;
    public boolean malformed;

    public void copyFrom(DnsMessage m) {
        id = m.id;
        isResponse = m.qr;
        opcode = m.opcode;
        rcode = m.rcode;
        qnameLength = m.hasQuestion ? m.qnameLength : 0;
        System.arraycopy(m.qname, 0, qname, 0, qnameLength);
        qnameLabels = m.qnameLabels;
        qnameLongestLabel = m.qnameLongestLabel;
        qtype = m.hasQuestion ? m.qtype : -1;
        answerCount = m.answersParsed;
        addressCount = 0;
        for (int i = 0; i < m.answerCount && addressCount < MAX_ADDRESSES; i++) {
            int type = m.answerType[i];
            if (type == DnsNames.A || type == DnsNames.AAAA) {
                addressHi[addressCount] = m.answerAddrHi[i];
                addressLo[addressCount] = m.answerAddrLo[i];
                addressCount++;
            }
        }
        malformed = m.malformed;
    }

    public void copyFrom(DnsOp o) {
        id = o.id;
        isResponse = o.isResponse;
        opcode = o.opcode;
        rcode = o.rcode;
        qnameLength = o.qnameLength;
        System.arraycopy(o.qname, 0, qname, 0, qnameLength);
        qnameLabels = o.qnameLabels;
        qnameLongestLabel = o.qnameLongestLabel;
        qtype = o.qtype;
        answerCount = o.answerCount;
        addressCount = o.addressCount;
        System.arraycopy(o.addressHi, 0, addressHi, 0, addressCount);
        System.arraycopy(o.addressLo, 0, addressLo, 0, addressCount);
        malformed = o.malformed;
    }

    /** The queried name as text (allocates: for output and tests, not per packet). */
    public String qnameString() {
        return new String(qname, 0, qnameLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
