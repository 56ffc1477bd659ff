package io.vigil.protocols.smb;

import static io.vigil.protocols.smb.Smb.concat;
import static io.vigil.protocols.smb.Smb.nbss;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmbParserTest {
    /** What a test keeps of one delivered message (the flyweight is reused). */
    record Seen(int version, int command, boolean response, long status, long messageId, long treeId, long sessionId,
                String tree, String filename, String share, String file, String user, String domain,
                String workstation, long length, long offset, long ctl, boolean encrypted, boolean compressed,
                int compoundIndex, boolean malformed, String reason, SmbMessage copy) {
        static Seen of(SmbMessage m) {
            return new Seen(m.version, m.command, m.isResponse, m.status, m.messageId, m.treeId, m.sessionId,
                m.tree.toString(), m.filename.toString(), m.share.toString(), m.file.toString(), m.user.toString(),
                m.domain.toString(), m.workstation.toString(), m.length, m.offset, m.ctlCode, m.encrypted,
                m.compressed, m.compoundIndex, m.malformed, m.malformedReason, null);
        }
    }

    private final SmbParser parser = new SmbParser(4096);
    private final SmbMessage msg = new SmbMessage();
    private final List<Seen> seen = new ArrayList<>();
    private final List<String> extra = new ArrayList<>();

    private List<Seen> parse(SmbFlowState st, boolean fromClient, byte[] stream) {
        seen.clear();
        int used = parser.parse(stream, 0, stream.length, fromClient, msg, st, m -> {
            seen.add(Seen.of(m));
            extra.add(m.dialectCount + ":" + Arrays.toString(Arrays.copyOf(m.dialects, Math.min(m.dialectCount, 16)))
                + " h" + Arrays.toString(Arrays.copyOf(m.hashAlgorithms, m.hashAlgorithmCount))
                + " c" + Arrays.toString(Arrays.copyOf(m.ciphers, m.cipherCount))
                + " z" + Arrays.toString(Arrays.copyOf(m.compressionAlgorithms, m.compressionAlgorithmCount))
                + " s" + Arrays.toString(Arrays.copyOf(m.signingAlgorithms, m.signingAlgorithmCount))
                + " d" + m.dialect + " n" + m.dialectNameCount + " i" + m.dialectIndex);
        });
        assertEquals(stream.length, used, "whole messages are consumed");
        return new ArrayList<>(seen);
    }

    @Test
    void negotiateDialectsAndContextsThenSmb3() {
        SmbFlowState st = new SmbFlowState();
        List<Seen> req = parse(st, true, nbss(Smb.negotiateRequest(new int[] {0x0202, 0x0210, 0x0300, 0x0302, 0x0311},
            Smb.preauth(1), Smb.encryption(2, 1), Smb.compressionCaps(1, 2, 3), Smb.signing(2, 1, 0))));
        assertEquals(1, req.size());
        Seen n = req.get(0);
        assertEquals(SmbMessage.SMB2, n.version(), "no dialect chosen yet: the SMB2 header");
        assertEquals(SmbMessage.NEGOTIATE, n.command());
        assertFalse(n.response());
        assertEquals(-1, n.status(), "requests carry no status");
        assertEquals("5:[514, 528, 768, 770, 785] h[1] c[2, 1] z[1, 2, 3] s[2, 1, 0] d-1 n0 i-1", extra.get(0));
        assertFalse(n.malformed(), n.reason());

        List<Seen> resp = parse(st, false, nbss(Smb.negotiateResponse(0x0311, Smb.preauth(1), Smb.encryption(2))));
        assertEquals(SmbMessage.SMB3, resp.get(0).version());
        assertEquals(0, resp.get(0).status());
        assertTrue(extra.get(1).endsWith("h[1] c[2] z[] s[] d785 n0 i-1"), extra.get(1));
        assertEquals(0x0311, st.dialect());
        Seen later = parse(st, true, nbss(Smb.treeConnectRequest(5, "\\\\srv\\data"))).get(0);
        assertEquals(SmbMessage.SMB3, later.version(), "the flow negotiated 3.1.1");
    }

    @Test
    void smb2WildcardDialectIsNotTheChoice() {
        SmbFlowState st = new SmbFlowState();
        parse(st, false, nbss(Smb.negotiateResponse(0x02FF)));
        assertEquals(0, st.dialect());
        parse(st, false, nbss(Smb.negotiateResponse(0x0210)));
        assertEquals(0x0210, st.dialect());
        assertEquals(SmbMessage.SMB2, parse(st, true, nbss(Smb.request(13, 9, 0, new byte[] {4, 0, 0, 0})))
            .get(0).version());
    }

    @Test
    void ntlmsspUserInUnicodeAndOem() {
        SmbFlowState st = new SmbFlowState();
        Seen u = parse(st, true, nbss(Smb.sessionSetupRequest(2, Smb.spnego(Smb.ntlmAuth("CORP", "alice", "WS01",
            true))))).get(0);
        assertEquals("alice", u.user());
        assertEquals("CORP", u.domain());
        assertEquals("WS01", u.workstation());
        Seen o = parse(st, true, nbss(Smb.sessionSetupRequest(3, Smb.ntlmAuth("", "bob", "PLC-HMI", false)))).get(0);
        assertEquals("bob", o.user());
        assertEquals("", o.domain(), "present but empty");
        assertEquals("PLC-HMI", o.workstation());
        Seen nonAscii = parse(st, true, nbss(Smb.sessionSetupRequest(4, Smb.ntlmAuth("D", "j\u00f6rg\u4e2d", "W",
            true)))).get(0);
        assertEquals("j?rg?", nonAscii.user(), "ASCII-safe");
        byte[] hostile = Smb.ntlmAuth("CORP", "alice", "WS01", true);
        hostile[40] = (byte) 0xF0; // user offset far outside the buffer
        Seen bad = parse(st, true, nbss(Smb.sessionSetupRequest(5, hostile))).get(0);
        assertTrue(bad.malformed());
        assertEquals(SmbParser.R_NTLMSSP, bad.reason());
        assertNull(bad.user());
        assertEquals("CORP", bad.domain());
    }

    @Test
    void treeAndFileNamesFollowTheirIds() {
        SmbFlowState st = new SmbFlowState();
        byte[] fid = Smb.fileId(7);
        byte[] client = concat(nbss(Smb.treeConnectRequest(10, "\\\\PLC\\C$")),
            nbss(Smb.createRequest(12, 5, "Recipes\\batch.csv")), nbss(Smb.readRequest(13, 5, fid, 65536, 1 << 20)),
            nbss(Smb.writeRequest(14, 5, fid, new byte[] {1, 2, 3}, 42)),
            nbss(Smb.ioctlRequest(15, 5, 0x0011C017L, fid)), nbss(Smb.closeRequest(16, 5, fid)),
            nbss(Smb.readRequest(17, 5, fid, 10, 0)));
        byte[] server = concat(nbss(Smb.treeConnectResponse(10, 5, 1)), nbss(Smb.createResponse(12, 5, fid)));
        // requests and responses interleave as on the wire
        byte[] c1 = Smb.nbss(Smb.treeConnectRequest(10, "\\\\PLC\\C$"));
        Seen tc = parse(st, true, c1).get(0);
        assertEquals("\\\\PLC\\C$", tc.tree());
        assertNull(tc.share(), "tree id not known yet");
        Seen tcr = parse(st, false, Arrays.copyOfRange(server, 0, nbss(Smb.treeConnectResponse(10, 5, 1)).length))
            .get(0);
        assertEquals(5, tcr.treeId());
        assertEquals("\\\\PLC\\C$", tcr.share(), "the response names its tree");
        List<Seen> rest = parse(st, true, Arrays.copyOfRange(client, c1.length, client.length));
        Seen create = rest.get(0);
        assertEquals("Recipes\\batch.csv", create.filename());
        assertEquals("\\\\PLC\\C$", create.share());
        Seen cr = parse(st, false, Arrays.copyOfRange(server, nbss(Smb.treeConnectResponse(10, 5, 1)).length,
            server.length)).get(0);
        assertEquals("Recipes\\batch.csv", cr.file());
        // the requests after the CREATE were parsed before its response: no file name for them
        assertNull(rest.get(1).file());
        assertEquals(65536, rest.get(1).length());
        assertEquals(1 << 20, rest.get(1).offset());
        assertEquals(3, rest.get(2).length());
        assertEquals(42, rest.get(2).offset());
        assertEquals(0x0011C017L, rest.get(3).ctl());
        // now the file id is known
        List<Seen> again = parse(st, true, concat(nbss(Smb.readRequest(20, 5, fid, 10, 0)),
            nbss(Smb.closeRequest(21, 5, fid)), nbss(Smb.readRequest(22, 5, fid, 10, 0))));
        assertEquals("Recipes\\batch.csv", again.get(0).file());
        assertEquals("Recipes\\batch.csv", again.get(1).file(), "CLOSE still names it");
        assertNull(again.get(2).file(), "forgotten after CLOSE");
    }

    @Test
    void compoundElementsAreEachReported() {
        byte[] create = Smb.createRequest(30, 1, "a.txt");
        byte[] createPadded = Arrays.copyOf(create, (create.length + 7) & ~7);
        byte[] query = Smb.header(16, false, 31, 1, 0x1122334455667788L, 0, SmbMessage.FLAG_RELATED, 0)
            .bytes(new Smb.W().u16(41).u8(1).u8(5).u32(4096).u16(0).u16(0).u32(0).u32(0).u32(0)
                .bytes(Smb.fileId(-1)).get()).get();
        byte[] queryPadded = Arrays.copyOf(query, (query.length + 7) & ~7);
        byte[] close = Smb.header(6, false, 32, 1, 0x1122334455667788L, 0, SmbMessage.FLAG_RELATED, 0)
            .bytes(new Smb.W().u16(24).u16(0).u32(0).bytes(Smb.fileId(-1)).get()).get();
        setNext(createPadded, createPadded.length);
        setNext(queryPadded, queryPadded.length);
        List<Seen> s = parse(new SmbFlowState(), true, nbss(concat(createPadded, queryPadded, close)));
        assertEquals(3, s.size());
        assertEquals(List.of(5, 16, 6), s.stream().map(Seen::command).toList());
        assertEquals(List.of(0, 1, 2), s.stream().map(Seen::compoundIndex).toList());
        assertEquals(List.of(30L, 31L, 32L), s.stream().map(Seen::messageId).toList());
        assertEquals("a.txt", s.get(0).filename());
        assertTrue(s.stream().noneMatch(Seen::malformed));

        byte[] hostile = createPadded.clone();
        setNext(hostile, 100_000);
        Seen h = parse(new SmbFlowState(), true, nbss(hostile)).get(0);
        assertTrue(h.malformed());
        assertEquals(SmbParser.R_NEXT_COMMAND, h.reason());
        byte[] loop = createPadded.clone();
        setNext(loop, 8); // backwards into its own header: below the 64-byte minimum
        assertEquals(SmbParser.R_NEXT_COMMAND, parse(new SmbFlowState(), true, nbss(loop)).get(0).reason());
    }

    private static void setNext(byte[] b, int next) {
        b[20] = (byte) next;
        b[21] = (byte) (next >> 8);
        b[22] = (byte) (next >> 16);
        b[23] = (byte) (next >> 24);
    }

    @Test
    void transformIsEncryptedAndNothingIsGuessed() {
        byte[] fake = Smb.request(5, 99, 1, new byte[40]); // "ciphertext" that happens to look like SMB2
        Seen t = parse(new SmbFlowState(), true, nbss(Smb.transform(0x48009400003DL, 146, fake))).get(0);
        assertTrue(t.encrypted());
        assertEquals(SmbMessage.SMB3, t.version());
        assertEquals(-1, t.command());
        assertEquals(-1, t.messageId());
        assertEquals(0x48009400003DL, t.sessionId());
        assertFalse(t.malformed());
        Seen cut = parse(new SmbFlowState(), true, nbss(Arrays.copyOf(Smb.transform(1, 2, new byte[0]), 52)))
            .get(0);
        assertFalse(cut.malformed(), "a bare 52-byte transform header is complete");
    }

    @Test
    void compressionTransformAndTheSmbGhostArithmetic() {
        SmbMessage[] last = new SmbMessage[1];
        byte[] inner = Smb.writeRequest(40, 3, Smb.fileId(1), new byte[0], 0);
        byte[] ok = Smb.compressed(inner.length + 4096, 1, inner.length, inner, new byte[200]);
        Seen c = parse(new SmbFlowState(), true, nbss(ok)).get(0);
        assertTrue(c.compressed());
        assertEquals(SmbMessage.WRITE, c.command(), "the uncompressed prefix holds the SMB2 header");
        assertEquals(40, c.messageId());
        assertFalse(c.malformed());
        parser.parse(nbss(ok), 0, nbss(ok).length, true, msg, new SmbFlowState(), m -> last[0] = m);
        assertEquals(inner.length + 4096, last[0].originalCompressedSegmentSize);
        assertEquals(inner.length, last[0].compressionOffset);
        assertEquals(1, last[0].compressionAlgorithm);
        assertFalse(last[0].compressionOverflow);

        // CVE-2020-0796: OriginalCompressedSegmentSize 0xFFFFFFFF + Offset wraps in 32 bits
        byte[] ghost = Smb.compressed(0xFFFFFFFFL, 1, 0x10, new byte[16], new byte[64]);
        parser.parse(nbss(ghost), 0, nbss(ghost).length, true, msg, new SmbFlowState(), m -> last[0] = m);
        assertTrue(last[0].compressed);
        assertTrue(last[0].compressionOverflow);
        assertEquals(-1, last[0].command);
        assertEquals(0xFFFFFFFFL, last[0].originalCompressedSegmentSize);
        assertFalse(last[0].malformed);

        byte[] beyond = Smb.compressed(100, 1, 5000, new byte[0], new byte[64]);
        parser.parse(nbss(beyond), 0, nbss(beyond).length, true, msg, new SmbFlowState(), m -> last[0] = m);
        assertTrue(last[0].compressionOverflow);
        assertTrue(last[0].malformed);
        assertEquals(SmbParser.R_COMPRESSION_OFFSET, last[0].malformedReason);
    }

    @Test
    void smb1NegotiateAndAndXChain() {
        SmbMessage[] last = new SmbMessage[1];
        List<String> dialects = new ArrayList<>();
        byte[] neg = nbss(Smb.smb1NegotiateRequest("PC NETWORK PROGRAM 1.0", "NT LM 0.12", "SMB 2.002", "SMB 2.???"));
        parser.parse(neg, 0, neg.length, true, msg, new SmbFlowState(), m -> {
            for (int i = 0; i < m.dialectNameCount; i++) {
                dialects.add(m.dialectName(i));
            }
            last[0] = m;
        });
        assertEquals(List.of("PC NETWORK PROGRAM 1.0", "NT LM 0.12", "SMB 2.002", "SMB 2.???"), dialects);
        assertEquals(SmbMessage.SMB1, msg.version);
        assertEquals(SmbMessage.SMB1_NEGOTIATE, msg.command);
        assertEquals(0, msg.status, "NT status flag set");
        byte[] detail = new byte[255];
        int n = msg.dialectsText(detail);
        assertEquals("PC NETWORK PROGRAM 1.0,NT LM 0.12,SMB 2.002,SMB 2.???", new String(detail, 0, n));

        Seen s = parse(new SmbFlowState(), true, nbss(Smb.smb1SessionSetupAndTreeConnect(
            Smb.spnego(Smb.ntlmAuth("DEMO", "MicroSCADA", "DEMO", true)), "\\\\SAS1\\IPC$"))).get(0);
        assertEquals(SmbMessage.SMB1_SESSION_SETUP_ANDX, s.command());
        assertEquals("MicroSCADA", s.user());
        assertEquals("\\\\SAS1\\IPC$", s.tree(), "from the chained TREE_CONNECT_ANDX");
        assertFalse(s.malformed(), s.reason());
        assertEquals(2, msg.andxCount);
        assertEquals(0x75, msg.andx[0]);
        assertEquals(0xFF, msg.andx[1]);

        byte[] dos = nbss(Smb.smb1Header(0x2B, true, 0x0001, 0x00020001L, 0, 0, 3).u8(0).u16(0).get());
        parser.parse(dos, 0, dos.length, false, msg, new SmbFlowState(), m -> { });
        assertEquals(-1, msg.status);
        assertEquals(0x00020001L, msg.dosError);

        byte[] loop = Smb.smb1SessionSetupAndTreeConnect(new byte[0], "x");
        loop[33 + 2] = 32; // AndXOffset pointing back at the header
        loop[33 + 3] = 0;
        Seen l = parse(new SmbFlowState(), true, nbss(loop)).get(0);
        assertEquals(SmbParser.R_ANDX, l.reason());
    }

    @Test
    void framingSeveralPerSegmentSplitsControlAndGarbage() {
        byte[] a = nbss(Smb.treeConnectRequest(1, "\\\\a\\b"));
        byte[] b = nbss(Smb.request(13, 2, 0, new byte[] {4, 0, 0, 0}));
        byte[] sessionRequest = concat(new byte[] {(byte) 0x81, 0, 0, 4}, new byte[] {1, 2, 3, 4});
        byte[] keepAlive = {(byte) 0x85, 0, 0, 0};
        byte[] stream = concat(sessionRequest, a, keepAlive, b);
        assertEquals(2, parse(new SmbFlowState(), true, stream).size());
        assertEquals(2, parser.controlMessages());

        // one message across segments, cut at every position
        for (int cut = 1; cut < stream.length; cut++) {
            SmbFlowState st = new SmbFlowState();
            List<Long> ids = new ArrayList<>();
            int used = parser.parse(stream, 0, cut, true, msg, st, m -> ids.add(m.messageId));
            assertTrue(used >= 0 && used <= cut);
            byte[] rest = Arrays.copyOfRange(stream, used, stream.length);
            int used2 = parser.parse(rest, 0, rest.length, true, msg, st, m -> ids.add(m.messageId));
            assertEquals(rest.length, used2, "cut " + cut);
            assertEquals(List.of(1L, 2L), ids, "cut " + cut);
        }

        long skipped = parser.skippedBytes();
        byte[] junk = concat(new byte[] {'G', 'E', 'T', ' ', '/', 0, 0, 0, 9, 9}, a);
        List<Seen> s = parse(new SmbFlowState(), true, junk);
        assertEquals(1, s.size(), "resynchronised on the next SMB header");
        assertEquals(10, parser.skippedBytes() - skipped);
        assertEquals(1, parser.resyncs());
    }

    @Test
    void gapMakesItHuntForTheNextHeader() {
        SmbFlowState st = new SmbFlowState();
        byte[] a = nbss(Smb.treeConnectRequest(1, "\\\\a\\b"));
        st.onGap(true);
        byte[] tail = concat(Arrays.copyOfRange(a, 20, a.length), a);
        assertEquals(1, parse(st, true, tail).size());
        // a keep-alive-looking byte run while hunting is not taken as framing
        st.onGap(true);
        assertEquals(1, parse(st, true, concat(new byte[] {(byte) 0x85, 0, 0, 0}, a)).size());
    }

    @Test
    void oversizedMessageDecodedFromItsPrefixThenSkipped() {
        byte[] data = new byte[20_000];
        byte[] w = nbss(Smb.writeRequest(7, 1, Smb.fileId(2), data, 1234));
        byte[] next = nbss(Smb.request(13, 8, 0, new byte[] {4, 0, 0, 0}));
        byte[] stream = concat(w, next);
        SmbFlowState st = new SmbFlowState();
        List<String> got = new ArrayList<>();
        int pos = 0;
        // 1500-byte segments; the caller keeps what is not consumed, as the reassembler does
        byte[] held = new byte[0];
        while (pos < stream.length) {
            int n = Math.min(1500, stream.length - pos);
            byte[] buf = concat(held, Arrays.copyOfRange(stream, pos, pos + n));
            pos += n;
            int used = parser.parse(buf, 0, buf.length, true, msg, st,
                m -> got.add(m.command + "/" + m.length + "/" + m.offset + "/" + m.truncated));
            assertTrue(buf.length - used <= 4096 + 1500, "never asks to hold more than its limit");
            held = Arrays.copyOfRange(buf, used, buf.length);
        }
        assertEquals(List.of("9/20000/1234/true", "13/-1/-1/false"), got);
    }

    @Test
    void hostileLengthsNeverThrow() {
        byte[] neg = Smb.negotiateRequest(new int[] {0x0311}, Smb.preauth(1));
        neg[64 + 2] = (byte) 0xFF; // dialect count 0xFF..
        neg[64 + 3] = (byte) 0xFF;
        Seen n = parse(new SmbFlowState(), true, nbss(neg)).get(0);
        assertTrue(n.malformed());
        byte[] ctx = Smb.negotiateRequest(new int[] {0x0311}, Smb.preauth(1));
        ctx[64 + 28] = (byte) 0xF0; // context offset past the end
        ctx[64 + 29] = (byte) 0xFF;
        assertEquals(SmbParser.R_CONTEXT, parse(new SmbFlowState(), true, nbss(ctx)).get(0).reason());
        byte[] tc = Smb.treeConnectRequest(1, "\\\\a\\b");
        tc[64 + 6] = (byte) 0xFF; // path length past the end
        assertEquals(SmbParser.R_FIELD, parse(new SmbFlowState(), true, nbss(tc)).get(0).reason());
        byte[] shortHeader = nbss(Arrays.copyOf(Smb.request(0, 0, 0, new byte[0]), 64));
        assertEquals(SmbParser.R_BODY, parse(new SmbFlowState(), true, shortHeader).get(0).reason());
        byte[] smb1 = nbss(Arrays.copyOf(Smb.smb1NegotiateRequest("NT LM 0.12"), 33));
        assertEquals(SmbParser.R_SMB1_WORDS, parse(new SmbFlowState(), true, smb1).get(0).reason());
    }

    @Test
    void contentDetection() {
        byte[] a = nbss(Smb.request(13, 2, 0, new byte[] {4, 0, 0, 0}));
        assertTrue(SmbParser.looksLikeSmb(a, 0, a.length, false));
        assertTrue(SmbParser.looksLikeSmb(nbss(Smb.smb1NegotiateRequest("NT LM 0.12")), 0, 40, false));
        byte[] sessionRequest = {(byte) 0x81, 0, 0, 68, 0x20, 0x43, 0x4B, 0x41};
        assertTrue(SmbParser.looksLikeSmb(sessionRequest, 0, 8, true), "NetBIOS session request on 139");
        assertFalse(SmbParser.looksLikeSmb(sessionRequest, 0, 8, false));
        assertFalse(SmbParser.looksLikeSmb("GET / HTTP/1.1\r\n".getBytes(), 0, 16, true));
        byte[] tiny = {0, 0, 0, 10, (byte) 0xFE, 'S', 'M', 'B'};
        assertFalse(SmbParser.looksLikeSmb(tiny, 0, 8, false), "shorter than an SMB2 header");
        assertFalse(SmbParser.looksLikeSmb(null, 0, 8, false));
    }
}
