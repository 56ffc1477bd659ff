package io.vigil.protocols.dns;

import io.vigil.protocols.IpAddresses;

/**
 * DNS message decoder (RFC 1035 with EDNS0, RFC 6891), also for mDNS (RFC 6762, UDP 5353) and LLMNR (RFC 4795, UDP
 * 5355), which share the wire format. Stateless: one instance may serve every flow of a worker. Decoding allocates
 * nothing, and hostile input only ever sets {@link DnsMessage#malformed}: every read is bounded by the message, names
 * are walked by {@link DnsName} with loop-proof pointer rules, and a record count can never drive more work than the
 * bytes present, since every record consumes at least 11 of them.
 */
public final class DnsParser {
    public static final int DNS_PORT = 53;
    public static final int MDNS_PORT = 5353;
    public static final int LLMNR_PORT = 5355;

    public static final String BAD_BOUNDS = "offset/length outside the buffer";
    public static final String TOO_SHORT = "shorter than a DNS header";
    public static final String COUNTS = "section counts exceed what the message can hold";
    public static final String LABEL_TOO_LONG = "label longer than 63 octets or of a reserved type";
    public static final String NAME_TOO_LONG = "name longer than 255 octets";
    public static final String POINTER_LOOP = "compression pointer loop";
    public static final String POINTER_FORWARD = "compression pointer points forward";
    public static final String NAME_TRUNCATED = "name runs past the message";
    public static final String QUESTION_TRUNCATED = "question truncated";
    public static final String RR_TRUNCATED = "resource record truncated";
    public static final String RDATA_LENGTH = "RDATA length wrong for the type";
    public static final String BAD_RDATA = "RDATA contents do not fit its length";

    static final int HEADER = 12;
    /** Root name + type + class. */
    private static final int MIN_QUESTION = 5;
    /** Root name + type + class + TTL + RDLENGTH. */
    private static final int MIN_RR = 11;

    /**
     * Decodes one UDP payload. Returns false, with {@link DnsMessage#malformed} set, only when not even the header is
     * there: on a DNS port anything longer is decoded, problems and all. Use {@link #looksLikeDns} to decide whether
     * a payload on another port is DNS at all.
     */
    public boolean parse(byte[] buf, int off, int len, DnsMessage out) {
        out.reset(buf, off, len);
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return fail(out, BAD_BOUNDS);
        }
        if (len < HEADER) {
            return fail(out, TOO_SHORT);
        }
        decode(buf, off, off + len, out);
        return true;
    }

    /**
     * DNS over TCP (RFC 1035 4.2.2): decodes every complete length-prefixed message in {@code buf[off, off+len)} and
     * hands each to {@code sink}, even one shorter than a header (then {@link DnsMessage#malformed}). Returns the
     * bytes consumed; an incomplete trailing message, prefix included, is left for the next call.
     */
    public int parseStream(byte[] buf, int off, int len, DnsMessage out, DnsMessageSink sink) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        int end = off + len;
        int p = off;
        while (end - p >= 2) {
            int n = u16(buf, p);
            if (n > end - p - 2) {
                break;
            }
            parse(buf, p + 2, n, out);
            sink.onMessage(out);
            p += 2 + n;
        }
        return p - off;
    }

    /**
     * Content detection for UDP on a port that is not a DNS port: a known opcode, 1-4 questions (or none in a
     * response carrying answers, as mDNS announcements do), counts the length can hold, and a first name that walks.
     */
    public static boolean looksLikeDns(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < HEADER || off > buf.length - len) {
            return false;
        }
        int flags = u16(buf, off + 2);
        boolean qr = (flags & 0x8000) != 0;
        int opcode = flags >>> 11 & 0xF;
        if (opcode > 5 || opcode == 3) {
            return false;
        }
        int qd = u16(buf, off + 4);
        int an = u16(buf, off + 6);
        int ns = u16(buf, off + 8);
        int ar = u16(buf, off + 10);
        if (qd > 4 || (qd == 0 && (!qr || an == 0))) {
            return false;
        }
        if (!qr && (flags & 0xF) != 0) {
            return false; // a query carries no RCODE
        }
        if ((long) qd * MIN_QUESTION + (long) (an + ns + ar) * MIN_RR > len - HEADER) {
            return false;
        }
        long r = DnsName.walk(buf, off, off + len, off + HEADER, null);
        return r >= 0 && DnsName.next(r) + (qd > 0 ? 4 : 10) <= off + len;
    }

    // ---------------------------------------------------------------------------------------------------- decode

    private static void decode(byte[] b, int start, int end, DnsMessage m) {
        m.id = u16(b, start);
        int f = u16(b, start + 2);
        m.qr = (f & 0x8000) != 0;
        m.opcode = f >>> 11 & 0xF;
        m.aa = (f & 0x0400) != 0;
        m.tc = (f & 0x0200) != 0;
        m.rd = (f & 0x0100) != 0;
        m.ra = (f & 0x0080) != 0;
        m.z = (f & 0x0040) != 0;
        m.ad = (f & 0x0020) != 0;
        m.cd = (f & 0x0010) != 0;
        m.rcode = f & 0xF;
        m.qdCount = u16(b, start + 4);
        m.anCount = u16(b, start + 6);
        m.nsCount = u16(b, start + 8);
        m.arCount = u16(b, start + 10);
        int records = m.anCount + m.nsCount + m.arCount;
        if ((long) m.qdCount * MIN_QUESTION + (long) records * MIN_RR > end - start - HEADER) {
            // Said first, since it explains the truncation the loops below will then run into.
            malformed(m, COUNTS);
        }
        int p = start + HEADER;
        for (int i = 0; i < m.qdCount; i++) {
            long r = DnsName.walk(b, start, end, p, i == 0 ? m.qname : null);
            if (r < 0) {
                nameError(m, (int) r);
                return;
            }
            int q = DnsName.next(r);
            if (end - q < 4) {
                malformed(m, QUESTION_TRUNCATED);
                return;
            }
            if (i == 0) {
                m.hasQuestion = true;
                m.qnameOffset = p;
                m.qnameLength = DnsName.textLength(r);
                m.qnameLabels = DnsName.labels(r);
                m.qnameLongestLabel = DnsName.longestLabel(r);
                m.qtype = u16(b, q);
                int c = u16(b, q + 2);
                m.qclass = c & 0x7FFF;
                m.unicastResponse = (c & 0x8000) != 0;
            }
            m.questionsParsed++;
            p = q + 4;
        }
        for (int i = 0; i < records; i++) {
            p = record(b, start, end, p, i < m.anCount, m);
            if (p < 0) {
                return;
            }
        }
        m.trailingBytes = end - p;
    }

    /** Returns the position after the record, or -1 after flagging the message. */
    private static int record(byte[] b, int start, int end, int p, boolean answer, DnsMessage m) {
        long r = DnsName.walk(b, start, end, p, null);
        if (r < 0) {
            nameError(m, (int) r);
            return -1;
        }
        int q = DnsName.next(r);
        if (end - q < 10) {
            malformed(m, RR_TRUNCATED);
            return -1;
        }
        int type = u16(b, q);
        int cls = u16(b, q + 2);
        long ttl = u32(b, q + 4);
        int rdlen = u16(b, q + 8);
        int rdata = q + 10;
        if (rdlen > end - rdata) {
            malformed(m, RR_TRUNCATED);
            return -1;
        }
        if (type == DnsNames.OPT) {
            // OPT's owner is the root and its class/TTL fields are reused (RFC 6891 6.1.2).
            m.edns = true;
            m.ednsUdpSize = cls;
            m.ednsExtendedRcode = (int) (ttl >>> 24);
            m.ednsVersion = (int) (ttl >>> 16) & 0xFF;
            m.ednsDo = (ttl & 0x8000) != 0;
        }
        if (!answer) {
            m.otherRecordsParsed++;
            return rdata + rdlen;
        }
        int i = m.answerCount;
        m.answersParsed++;
        if (i >= DnsMessage.ANSWER_CAPACITY) {
            rdata(b, start, type, rdata, rdlen, m, -1);
            return rdata + rdlen;
        }
        m.answerCount++;
        m.answerType[i] = type;
        m.answerClass[i] = cls & 0x7FFF;
        m.answerCacheFlush[i] = (cls & 0x8000) != 0;
        m.answerTtl[i] = ttl;
        m.answerNameOffset[i] = p;
        m.answerRdataOffset[i] = rdata;
        m.answerRdataLength[i] = rdlen;
        m.answerAddrHi[i] = 0;
        m.answerAddrLo[i] = 0;
        m.answerTargetOffset[i] = -1;
        m.answerTxtLength[i] = -1;
        rdata(b, start, type, rdata, rdlen, m, i);
        return rdata + rdlen;
    }

    /**
     * Reads what the flyweight keeps of an answer's RDATA into slot {@code i} (-1: check only). A bad RDATA flags the
     * message but does not stop it: RDLENGTH still says where the next record starts.
     */
    private static void rdata(byte[] b, int start, int type, int p, int n, DnsMessage m, int i) {
        int rdEnd = p + n;
        switch (type) {
            case DnsNames.A:
                if (n != 4) {
                    malformed(m, RDATA_LENGTH);
                } else if (i >= 0) {
                    m.answerAddrHi[i] = 0;
                    m.answerAddrLo[i] = IpAddresses.v4MappedLo((int) u32(b, p));
                }
                return;
            case DnsNames.AAAA:
                if (n != 16) {
                    malformed(m, RDATA_LENGTH);
                } else if (i >= 0) {
                    m.answerAddrHi[i] = u64(b, p);
                    m.answerAddrLo[i] = u64(b, p + 8);
                }
                return;
            case DnsNames.CNAME:
            case DnsNames.NS:
            case DnsNames.PTR:
            case DnsNames.DNAME:
                target(b, start, rdEnd, p, m, i);
                return;
            case DnsNames.MX:
                if (n < 3) {
                    malformed(m, RDATA_LENGTH);
                } else {
                    target(b, start, rdEnd, p + 2, m, i);
                }
                return;
            case DnsNames.SRV:
                if (n < 7) {
                    malformed(m, RDATA_LENGTH);
                } else {
                    target(b, start, rdEnd, p + 6, m, i);
                }
                return;
            case DnsNames.TXT: {
                int total = 0;
                int q = p;
                while (q < rdEnd) {
                    int s = b[q] & 0xFF;
                    if (s > rdEnd - q - 1) {
                        malformed(m, BAD_RDATA);
                        return;
                    }
                    total += s;
                    q += 1 + s;
                }
                if (i >= 0) {
                    m.answerTxtLength[i] = total;
                }
                return;
            }
            default:
        }
    }

    /**
     * A name inside RDATA: its own labels must end within the RDATA, though its pointers may reach anywhere earlier
     * in the message.
     */
    private static void target(byte[] b, int start, int rdEnd, int p, DnsMessage m, int i) {
        long r = DnsName.walk(b, start, rdEnd, p, null);
        if (r < 0) {
            nameError(m, (int) r);
            return;
        }
        if (i >= 0) {
            m.answerTargetOffset[i] = p;
        }
    }

    private static void nameError(DnsMessage m, int code) {
        switch (code) {
            case DnsName.LABEL: malformed(m, LABEL_TOO_LONG); break;
            case DnsName.TOO_LONG: malformed(m, NAME_TOO_LONG); break;
            case DnsName.LOOP: malformed(m, POINTER_LOOP); break;
            case DnsName.FORWARD: malformed(m, POINTER_FORWARD); break;
            default: malformed(m, NAME_TRUNCATED);
        }
    }

    private static boolean fail(DnsMessage m, String why) {
        m.malformed = true;
        m.malformedReason = why;
        return false;
    }

    /** Keeps the first reason: later ones are usually its consequences. */
    private static void malformed(DnsMessage m, String why) {
        if (!m.malformed) {
            m.malformed = true;
            m.malformedReason = why;
        }
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF;
    }

    private static long u32(byte[] b, int p) {
        return ((long) u16(b, p) << 16 | u16(b, p + 2)) & 0xFFFF_FFFFL;
    }

    private static long u64(byte[] b, int p) {
        return u32(b, p) << 32 | u32(b, p + 4);
    }
}
