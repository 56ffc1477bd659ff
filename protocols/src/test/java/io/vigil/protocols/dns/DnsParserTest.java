package io.vigil.protocols.dns;

import static io.vigil.protocols.dns.DnsFrames.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.IpAddresses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsParserTest {
    private final DnsParser parser = new DnsParser();
    private final DnsMessage m = new DnsMessage();

    private DnsMessage parse(byte[] b) {
        assertTrue(parser.parse(b, 0, b.length, m));
        return m;
    }

    private DnsMessage parseClean(byte[] b) {
        parse(b);
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(0, m.trailingBytes);
        return m;
    }

    @Test
    void queryA() {
        byte[] b = DnsFrames.queryA();
        parseClean(b);
        assertEquals(0x1234, m.id);
        assertFalse(m.qr);
        assertEquals(0, m.opcode);
        assertTrue(m.rd);
        assertFalse(m.aa || m.tc || m.ra || m.ad || m.cd || m.z);
        assertEquals(0, m.rcode);
        assertEquals(1, m.qdCount);
        assertEquals(0, m.anCount + m.nsCount + m.arCount);
        assertTrue(m.hasQuestion);
        assertEquals("www.example.com", m.qnameString());
        assertTrue(m.qnameEquals("www.example.com".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(3, m.qnameLabels);
        assertEquals(7, m.qnameLongestLabel);
        assertEquals(12, m.qnameOffset);
        assertEquals(DnsNames.A, m.qtype);
        assertEquals(1, m.qclass);
        assertFalse(m.unicastResponse);
        assertFalse(m.edns);
        assertTrue(DnsParser.looksLikeDns(b, 0, b.length));
        assertEquals("DNS id=4660 query opcode=0 rcode=NOERROR www.example.com A", m.toString());
    }

    @Test
    void cnameChainWithCompression() {
        parseClean(DnsFrames.cnameChain());
        assertTrue(m.qr && m.rd && m.ra);
        assertEquals(4, m.anCount);
        assertEquals(4, m.answerCount);
        assertEquals(4, m.answersParsed);
        assertEquals(DnsNames.CNAME, m.answerType[0]);
        assertEquals(300, m.answerTtl[0]);
        assertEquals("www.example.com", m.nameAt(m.answerNameOffset[0]));
        assertEquals("web.example.com", m.nameAt(m.answerTargetOffset[0]));
        assertEquals("web.example.com", m.nameAt(m.answerNameOffset[1]));
        assertEquals("cdn.example.net", m.nameAt(m.answerTargetOffset[1]));
        for (int i = 2; i < 4; i++) {
            assertEquals(DnsNames.A, m.answerType[i]);
            assertEquals(1, m.answerClass[i]);
            assertEquals(20, m.answerTtl[i]);
            assertEquals(-1, m.answerTargetOffset[i]);
            assertEquals("cdn.example.net", m.nameAt(m.answerNameOffset[i]));
            assertTrue(IpAddresses.isV4Mapped(m.answerAddrHi[i], m.answerAddrLo[i]));
        }
        assertEquals("192.0.2.1", m.answerAddress(2));
        assertEquals("192.0.2.2", m.answerAddress(3));
        assertNull(m.answerAddress(0));
        assertEquals("DNS id=48879 response opcode=0 rcode=NOERROR www.example.com A answers=CNAME:web.example.com,"
                + "CNAME:cdn.example.net,A:192.0.2.1,A:192.0.2.2", m.toString());
    }

    @Test
    void aaaa() {
        parseClean(DnsFrames.aaaa());
        assertEquals(DnsNames.AAAA, m.qtype);
        assertEquals(1, m.answerCount);
        assertEquals(0xFFFF_FFFFL, m.answerTtl[0]);
        assertEquals(0x2001_0db8_0000_0000L, m.answerAddrHi[0]);
        assertEquals(1L, m.answerAddrLo[0]);
        assertEquals("2001:db8::1", m.answerAddress(0));
    }

    @Test
    void ptr() {
        parseClean(DnsFrames.ptrResponse());
        assertTrue(m.aa);
        assertEquals("1.1.168.192.in-addr.arpa", m.qnameString());
        assertEquals(6, m.qnameLabels);
        assertEquals(DnsNames.PTR, m.answerType[0]);
        assertEquals("host.lan", m.nameAt(m.answerTargetOffset[0]));
    }

    @Test
    void txt() {
        parseClean(DnsFrames.txt());
        assertEquals(DnsNames.TXT, m.answerType[0]);
        assertEquals(7, m.answerTxtLength[0]);
        assertEquals(9, m.answerRdataLength[0]);
    }

    @Test
    void mx() {
        parseClean(DnsFrames.mx());
        assertEquals(DnsNames.MX, m.answerType[0]);
        assertEquals("mail.example.org", m.nameAt(m.answerTargetOffset[0]));
    }

    @Test
    void nxdomainWithSoaInAuthority() {
        parseClean(DnsFrames.nxdomain());
        assertEquals(DnsNames.NXDOMAIN, m.rcode);
        assertEquals("NXDOMAIN", DnsNames.rcodeName(m.rcode));
        assertEquals(0, m.answerCount);
        assertEquals(1, m.otherRecordsParsed);
    }

    @Test
    void edns0Opt() {
        parseClean(DnsFrames.edns());
        assertTrue(m.ad);
        assertTrue(m.edns);
        assertEquals(4096, m.ednsUdpSize);
        assertEquals(0, m.ednsVersion);
        assertTrue(m.ednsDo);
        assertEquals(1, m.ednsExtendedRcode);
        assertEquals(16, m.extendedRcode());
        assertEquals("DNSKEY", DnsNames.typeName(m.qtype));
    }

    @Test
    void mdnsQueryWithUnicastResponseBit() {
        byte[] b = DnsFrames.mdnsQuery();
        parseClean(b);
        assertEquals(0, m.id);
        assertEquals(2, m.questionsParsed);
        assertEquals("_ipp._tcp.local", m.qnameString());
        assertEquals(1, m.qclass);
        assertTrue(m.unicastResponse);
        assertTrue(DnsParser.looksLikeDns(b, 0, b.length));
    }

    @Test
    void mdnsAnnouncementWithoutQuestions() {
        byte[] b = DnsFrames.mdnsAnnouncement();
        parseClean(b);
        assertFalse(m.hasQuestion);
        assertNull(m.qnameString());
        assertEquals(2, m.answerCount);
        assertTrue(m.answerCacheFlush[0] && m.answerCacheFlush[1]);
        assertEquals(1, m.answerClass[0]);
        assertEquals("printer.local", m.nameAt(m.answerNameOffset[1]));
        assertEquals("10.0.0.7", m.answerAddress(0));
        assertEquals("fe80::9", m.answerAddress(1));
        assertTrue(DnsParser.looksLikeDns(b, 0, b.length));
    }

    @Test
    void llmnr() {
        parseClean(DnsFrames.llmnr());
        assertEquals("wpad", m.qnameString());
        assertEquals(1, m.qnameLabels);
    }

    @Test
    void rootQueryAndMessageInsideALargerBuffer() {
        byte[] q = header(1, 0, 1, 0, 0, 0).question("", 2, 1).bytes();
        byte[] big = new byte[q.length + 20];
        System.arraycopy(q, 0, big, 9, q.length);
        assertTrue(parser.parse(big, 9, q.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals("", m.qnameString());
        assertEquals(0, m.qnameLabels);
        assertEquals(DnsNames.NS, m.qtype);
        assertEquals(0, m.trailingBytes); // nothing past len is read or counted
    }

    @Test
    void moreAnswersThanCapacityAreCountedNotStored() {
        int n = DnsMessage.ANSWER_CAPACITY + 4;
        DnsFrames f = header(2, 0x8180, 1, n, 0, 0).question("many.example", 1, 1);
        for (int i = 0; i < n; i++) {
            f.ptr(12).rr(1, 1, i, 4).u8(10, 0, 0, i);
        }
        parseClean(f.bytes());
        assertEquals(DnsMessage.ANSWER_CAPACITY, m.answerCount);
        assertEquals(n, m.answersParsed);
        assertEquals("10.0.0.15", m.answerAddress(15));
    }

    @Test
    void shortOrOutOfBoundsIsNotDns() {
        byte[] b = DnsFrames.queryA();
        assertFalse(parser.parse(b, 0, 11, m));
        assertEquals(DnsParser.TOO_SHORT, m.malformedReason);
        assertFalse(parser.parse(b, 5, b.length, m));
        assertEquals(DnsParser.BAD_BOUNDS, m.malformedReason);
        assertFalse(parser.parse(null, 0, 0, m));
        assertFalse(parser.parse(b, -1, 3, m));
        assertFalse(DnsParser.looksLikeDns(b, 0, 11));
        assertFalse(DnsParser.looksLikeDns(null, 0, 12));
    }

    @Test
    void looksLikeDnsRejectsOtherProtocols() {
        // NTP client request, a BACnet Who-Is, a QUIC-ish blob, 12 zero bytes, opcode 3.
        byte[] ntp = new byte[48];
        ntp[0] = 0x23;
        assertFalse(DnsParser.looksLikeDns(ntp, 0, ntp.length));
        byte[] whoIs = {(byte) 0x81, 0x0b, 0x00, 0x0c, 0x01, 0x20, (byte) 0xff, (byte) 0xff, 0x00, (byte) 0xff, 0x10,
            0x08};
        assertFalse(DnsParser.looksLikeDns(whoIs, 0, whoIs.length));
        assertFalse(DnsParser.looksLikeDns(new byte[12], 0, 12));
        byte[] op3 = header(1, 0x1800, 1, 0, 0, 0).question("a", 1, 1).bytes();
        assertFalse(DnsParser.looksLikeDns(op3, 0, op3.length));
        for (byte[] s : DnsFrames.samples()) {
            assertTrue(DnsParser.looksLikeDns(s, 0, s.length));
        }
    }

    // ---------------------------------------------------------------------------------------------------- hostile

    private void assertMalformed(byte[] b, String reason) {
        parse(b);
        assertTrue(m.malformed);
        assertEquals(reason, m.malformedReason);
        assertFalse(DnsParser.looksLikeDns(b, 0, b.length) && m.questionsParsed == 0);
    }

    @Test
    void compressionLoop() {
        // The question's name is "a" then a pointer back to its own start.
        assertMalformed(header(1, 0, 1, 0, 0, 0).labels("a").ptr(12).u16(1).u16(1).bytes(), DnsParser.POINTER_LOOP);
        // Two names pointing into each other: the second jump lands in the segment already being read.
        DnsFrames f = header(1, 0x8000, 1, 1, 0, 0).question("x.example", 1, 1);
        int owner = f.pos();
        f.labels("b").ptr(owner).rr(1, 1, 0, 4).u8(1, 2, 3, 4);
        assertMalformed(f.bytes(), DnsParser.POINTER_LOOP);
        // A pointer chain longer than the hop limit, each hop strictly backwards, is still refused.
        DnsFrames g = header(1, 0x8000, 1, 0, 0, 0).name("z");
        int prev = 12;
        for (int i = 0; i < DnsName.MAX_HOPS + 2; i++) {
            int here = g.pos();
            g.ptr(prev);
            prev = here;
        }
        byte[] chain = g.bytes();
        long r = DnsName.walk(chain, 0, chain.length, prev, null);
        assertEquals(DnsName.LOOP, r);
    }

    @Test
    void selfAndForwardPointers() {
        assertMalformed(header(1, 0, 1, 0, 0, 0).ptr(12).u16(1).u16(1).bytes(), DnsParser.POINTER_FORWARD);
        assertMalformed(header(1, 0, 1, 0, 0, 0).ptr(20).u16(1).u16(1).name("later").bytes(),
                DnsParser.POINTER_FORWARD);
        // Pointer offsets beyond the message are forward too.
        assertMalformed(header(1, 0, 1, 0, 0, 0).ptr(0x3FFF).u16(1).u16(1).bytes(), DnsParser.POINTER_FORWARD);
    }

    @Test
    void labelLength64AndReservedLabelTypes() {
        String l64 = "a".repeat(64);
        assertMalformed(header(1, 0, 1, 0, 0, 0).question(l64, 1, 1).bytes(), DnsParser.LABEL_TOO_LONG);
        assertMalformed(header(1, 0, 1, 0, 0, 0).u8(0x80, 0).u16(1).u16(1).bytes(), DnsParser.LABEL_TOO_LONG);
        // 63 is fine.
        parseClean(header(1, 0, 1, 0, 0, 0).question("a".repeat(63), 1, 1).bytes());
        assertEquals(63, m.qnameLongestLabel);
    }

    @Test
    void nameLongerThan255() {
        String l63 = "b".repeat(63);
        // 4 x 64 + 1 = 257 octets.
        assertMalformed(header(1, 0, 1, 0, 0, 0).question(String.join(".", l63, l63, l63, l63), 1, 1).bytes(),
                DnsParser.NAME_TOO_LONG);
        // 3 x 64 + 62 + 1 = 255: the longest legal name, 253 characters dotted.
        String longest = String.join(".", l63, l63, l63, "c".repeat(61));
        parseClean(header(1, 0, 1, 0, 0, 0).question(longest, 1, 1).bytes());
        assertEquals(253, m.qnameLength);
        assertEquals(longest, m.qnameString());
        // Compression cannot be used to build an over-long name.
        DnsFrames f = header(1, 0x8000, 1, 1, 0, 0).question(String.join(".", l63, l63, l63), 1, 1);
        f.labels("d".repeat(63)).ptr(12).rr(1, 1, 0, 4).u8(1, 2, 3, 4);
        assertMalformed(f.bytes(), DnsParser.NAME_TOO_LONG);
    }

    @Test
    void countsBeyondTheMessage() {
        byte[] b = header(1, 0x8180, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF).question("a.b", 1, 1).bytes();
        assertMalformed(b, DnsParser.COUNTS);
        assertEquals(1, m.questionsParsed);
        assertEquals(0xFFFF, m.qdCount);
        assertFalse(DnsParser.looksLikeDns(b, 0, b.length));
    }

    @Test
    void badRdata() {
        assertMalformed(header(1, 0x8180, 1, 1, 0, 0).question("a", 1, 1).ptr(12).rr(1, 1, 0, 3).u8(1, 2, 3).bytes(),
                DnsParser.RDATA_LENGTH);
        assertMalformed(header(1, 0x8180, 1, 1, 0, 0).question("a", 16, 1).ptr(12).rr(16, 1, 0, 3).u8(5, 2, 3)
                .bytes(), DnsParser.BAD_RDATA);
        // A CNAME whose target runs past its RDLENGTH.
        assertMalformed(header(1, 0x8180, 1, 1, 0, 0).question("a", 5, 1).ptr(12).rr(5, 1, 0, 2).u8(3, 'x', 'y', 'z',
                0).bytes(), DnsParser.NAME_TRUNCATED);
    }

    @Test
    void everyTruncationOfEverySample() {
        for (byte[] s : DnsFrames.samples()) {
            for (int n = 0; n < s.length; n++) {
                boolean dns = parser.parse(s, 0, n, m);
                assertEquals(n >= 12, dns);
                assertTrue(m.malformed, "prefix " + n + " of " + m);
            }
            parseClean(s);
        }
    }

    // ---------------------------------------------------------------------------------------------------- TCP

    private static byte[] framed(byte[]... msgs) {
        int n = 0;
        for (byte[] b : msgs) {
            n += 2 + b.length;
        }
        byte[] out = new byte[n];
        int p = 0;
        for (byte[] b : msgs) {
            out[p] = (byte) (b.length >>> 8);
            out[p + 1] = (byte) b.length;
            System.arraycopy(b, 0, out, p + 2, b.length);
            p += 2 + b.length;
        }
        return out;
    }

    @Test
    void tcpTwoMessagesInOneBuffer() {
        byte[] s = framed(DnsFrames.queryA(), DnsFrames.cnameChain());
        List<String> seen = new ArrayList<>();
        assertEquals(s.length, parser.parseStream(s, 0, s.length, m, x -> seen.add(x.toString())));
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).startsWith("DNS id=4660 query"));
        assertTrue(seen.get(1).contains("A:192.0.2.2"));
        // An incomplete third message stays unconsumed.
        byte[] t = framed(DnsFrames.queryA(), DnsFrames.txt(), DnsFrames.mx());
        seen.clear();
        assertEquals(framed(DnsFrames.queryA(), DnsFrames.txt()).length,
                parser.parseStream(t, 0, t.length - 1, m, x -> seen.add(x.toString())));
        assertEquals(2, seen.size());
    }

    @Test
    void tcpSplitAtEveryPosition() {
        byte[] s = framed(DnsFrames.queryA(), DnsFrames.cnameChain(), DnsFrames.edns());
        List<String> whole = new ArrayList<>();
        parser.parseStream(s, 0, s.length, m, x -> whole.add(x.toString()));
        for (int split = 0; split <= s.length; split++) {
            List<String> seen = new ArrayList<>();
            DnsMessageSink sink = x -> seen.add(x.toString());
            // The caller keeps what was not consumed and offers it again with the next segment.
            int used = parser.parseStream(s, 0, split, m, sink);
            byte[] rest = new byte[s.length - used];
            System.arraycopy(s, used, rest, 0, rest.length);
            assertEquals(rest.length, parser.parseStream(rest, 0, rest.length, m, sink));
            assertEquals(whole, seen, "split at " + split);
        }
    }

    @Test
    void tcpShortAndEmptyMessagesAreDeliveredMalformed() {
        byte[] s = {0, 0, 0, 3, 1, 2, 3};
        List<String> reasons = new ArrayList<>();
        assertEquals(7, parser.parseStream(s, 0, s.length, m, x -> reasons.add(x.malformedReason)));
        assertEquals(List.of(DnsParser.TOO_SHORT, DnsParser.TOO_SHORT), reasons);
        assertEquals(0, parser.parseStream(s, 0, 1, m, x -> reasons.add("x")));
        assertEquals(0, parser.parseStream(null, 0, 1, m, x -> reasons.add("x")));
    }

    @Test
    void names() {
        assertEquals("HTTPS", DnsNames.typeName(65));
        assertEquals("ANY", DnsNames.typeName(255));
        assertEquals("SRV", DnsNames.typeName(33));
        assertEquals("TYPE999", DnsNames.typeName(999));
        assertEquals("REFUSED", DnsNames.rcodeName(5));
        assertEquals("NOTIMP", DnsNames.rcodeName(4));
        assertEquals("RCODE15", DnsNames.rcodeName(15));
        assertEquals("UPDATE", DnsNames.opcodeName(5));
        assertEquals("OPCODE3", DnsNames.opcodeName(3));
        assertArrayEquals(new byte[] {1, 2}, DnsFrames.hex("0102"));
    }
}
