package io.vigil.protocols.dns;

import io.vigil.protocols.IpAddresses;
import java.nio.charset.StandardCharsets;

/**
 * One DNS, mDNS or LLMNR message decoded in place: a mutable flyweight that {@link DnsParser} overwrites for every
 * message. Everything is a primitive or a pre-allocated array; names stay offsets into {@link #buffer}, except the
 * first question's, which is decoded into {@link #qname} because nearly every consumer wants it. Strings only come
 * from the output-side helpers at the bottom. Absent values are -1 unless stated otherwise.
 *
 * <p>LLMNR (RFC 4795) reuses the header layout with other flag meanings: there {@link #aa} is the C (conflict) bit and
 * {@link #rd} the T (tentative) bit.
 */
public final class DnsMessage {
    /** Answer-section records kept per message; {@link #answersParsed} counts them all. */
    public static final int ANSWER_CAPACITY = 16;
    /** Longest dotted name: 255 wire octets minus the first length octet and the root. */
    public static final int MAX_NAME = 255;

    /** The message the offsets below point into (not copied), where it starts and its length. */
    public byte[] buffer;
    public int offset;
    public int length;

    public boolean malformed;
    /** Why, as a constant string of {@link DnsParser}; null when well-formed. The first problem wins. */
    public String malformedReason;

    // ------------------------------------------------------------ header (RFC 1035 4.1.1, RFC 2535/4035 AD, CD)
    public int id;
    public boolean qr;
    public int opcode;
    public boolean aa;
    public boolean tc;
    public boolean rd;
    public boolean ra;
    /** The reserved Z bit, which should be 0. */
    public boolean z;
    public boolean ad;
    public boolean cd;
    /** Header RCODE (4 bits); with EDNS0 see {@link #extendedRcode()}. */
    public int rcode;
    public int qdCount;
    public int anCount;
    public int nsCount;
    public int arCount;

    // ------------------------------------------------------------ first question
    public boolean hasQuestion;
    /** Offset of the first question's name in {@link #buffer}. */
    public int qnameOffset;
    /** Dotted, lower-cased, decompressed; root is length 0. Bytes are as on the wire (no escaping). */
    public final byte[] qname = new byte[MAX_NAME];
    public int qnameLength;
    public int qnameLabels;
    public int qnameLongestLabel;
    public int qtype;
    /** Class without the top bit, which mDNS (RFC 6762 5.4) uses as {@link #unicastResponse}. */
    public int qclass;
    /** Top bit of the first question's class: mDNS "QU" (unicast response wanted). */
    public boolean unicastResponse;
    /** Questions whose name and fields were read completely. */
    public int questionsParsed;

    // ------------------------------------------------------------ answer section
    /** Records stored below: min(answers parsed, capacity). */
    public int answerCount;
    /** Answer-section records read completely (may exceed {@link #ANSWER_CAPACITY}). */
    public int answersParsed;
    /** Authority and additional records read completely. */
    public int otherRecordsParsed;
    public final int[] answerType = new int[ANSWER_CAPACITY];
    /** Class without the top bit, which mDNS uses as {@link #answerCacheFlush}. */
    public final int[] answerClass = new int[ANSWER_CAPACITY];
    public final boolean[] answerCacheFlush = new boolean[ANSWER_CAPACITY];
    /** TTL, seconds, unsigned. */
    public final long[] answerTtl = new long[ANSWER_CAPACITY];
    public final int[] answerNameOffset = new int[ANSWER_CAPACITY];
    public final int[] answerRdataOffset = new int[ANSWER_CAPACITY];
    public final int[] answerRdataLength = new int[ANSWER_CAPACITY];
    /** A and AAAA: the address as two longs, IPv4 IPv4-mapped (see {@link IpAddresses}); 0 otherwise. */
    public final long[] answerAddrHi = new long[ANSWER_CAPACITY];
    public final long[] answerAddrLo = new long[ANSWER_CAPACITY];
    /** CNAME, NS, PTR, DNAME, MX, SRV: offset of the target name in {@link #buffer}, else -1. */
    public final int[] answerTargetOffset = new int[ANSWER_CAPACITY];
    /** TXT: total length of the character-strings (without their length octets), else -1. */
    public final int[] answerTxtLength = new int[ANSWER_CAPACITY];

    // ------------------------------------------------------------ EDNS0 (RFC 6891)
    public boolean edns;
    /** Requestor's UDP payload size (the OPT record's class). */
    public int ednsUdpSize;
    public int ednsVersion;
    /** DNSSEC OK bit. */
    public boolean ednsDo;
    /** Upper 8 bits of the extended RCODE. */
    public int ednsExtendedRcode;

    /** Bytes after the last record the counts announce (padding, or data hidden behind the message). */
    public int trailingBytes;

    void reset(byte[] buf, int off, int len) {
        buffer = buf;
        offset = off;
        length = len;
        malformed = false;
        malformedReason = null;
        id = opcode = rcode = -1;
        qr = aa = tc = rd = ra = z = ad = cd = false;
        qdCount = anCount = nsCount = arCount = -1;
        hasQuestion = false;
        qnameOffset = -1;
        qnameLength = qnameLabels = qnameLongestLabel = 0;
        qtype = qclass = -1;
        unicastResponse = false;
        questionsParsed = 0;
        answerCount = answersParsed = otherRecordsParsed = 0;
        edns = false;
        ednsUdpSize = ednsVersion = ednsExtendedRcode = -1;
        ednsDo = false;
        trailingBytes = 0;
    }

    /** Full RCODE: the header's 4 bits, extended by the OPT record's 8 when present. */
    public int extendedRcode() {
        return edns ? ednsExtendedRcode << 4 | rcode : rcode;
    }

    /** True when {@code b} equals the first question's name (already lower case, dotted, no trailing dot). */
    public boolean qnameEquals(byte[] b) {
        if (b.length != qnameLength) {
            return false;
        }
        for (int i = 0; i < qnameLength; i++) {
            if (qname[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------ output side: these allocate

    /** The first question's name, or null without one; "" for the root. */
    public String qnameString() {
        return hasQuestion ? new String(qname, 0, qnameLength, StandardCharsets.ISO_8859_1) : null;
    }

    /** The name at {@code nameOffset} in {@link #buffer} (e.g. {@link #answerTargetOffset}), decompressed, or null. */
    public String nameAt(int nameOffset) {
        if (nameOffset < offset || nameOffset >= offset + length) {
            return null;
        }
        byte[] text = new byte[MAX_NAME];
        long r = DnsName.walk(buffer, offset, offset + length, nameOffset, text);
        return r < 0 ? null : new String(text, 0, DnsName.textLength(r), StandardCharsets.ISO_8859_1);
    }

    /** Answer {@code i}'s address as text, or null when it is not an A/AAAA record. */
    public String answerAddress(int i) {
        int t = answerType[i];
        return t == DnsNames.A || t == DnsNames.AAAA ? IpAddresses.toString(answerAddrHi[i], answerAddrLo[i]) : null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DNS id=").append(id).append(qr ? " response" : " query")
                .append(" opcode=").append(opcode).append(" rcode=").append(DnsNames.rcodeName(rcode));
        if (hasQuestion) {
            sb.append(' ').append(qnameString()).append(' ').append(DnsNames.typeName(qtype));
        }
        for (int i = 0; i < answerCount; i++) {
            sb.append(i == 0 ? " answers=" : ",").append(DnsNames.typeName(answerType[i]));
            String a = answerAddress(i);
            if (a != null) {
                sb.append(':').append(a);
            } else if (answerTargetOffset[i] >= 0) {
                sb.append(':').append(nameAt(answerTargetOffset[i]));
            }
        }
        if (malformed) {
            sb.append(" malformed: ").append(malformedReason);
        }
        return sb.toString();
    }
}
