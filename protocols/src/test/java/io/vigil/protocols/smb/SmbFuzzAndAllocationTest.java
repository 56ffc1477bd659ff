package io.vigil.protocols.smb;

import static io.vigil.protocols.smb.Smb.concat;
import static io.vigil.protocols.smb.Smb.nbss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated streams (seeds: hand-built messages of every kind, plus the SMB payloads of the corpus captures
 * when ../shared/pcaps is present): the parser never throws, never consumes more than offered, always finishes, and
 * counts what is malformed. Then the steady state allocates nothing.
 */
class SmbFuzzAndAllocationTest {
    private static final int CASES = 150_000;
    private static final int MESSAGES = 100_000;

    static byte[] clientStream() {
        byte[] fid = Smb.fileId(3);
        return concat(new byte[] {(byte) 0x81, 0, 0, 4, 1, 2, 3, 4},
            nbss(Smb.negotiateRequest(new int[] {0x0202, 0x0210, 0x0300, 0x0302, 0x0311}, Smb.preauth(1),
                Smb.encryption(2, 1), Smb.compressionCaps(1, 2), Smb.signing(2))),
            nbss(Smb.sessionSetupRequest(1, Smb.spnego(Smb.ntlmAuth("CORP", "alice", "WS01", true)))),
            nbss(Smb.treeConnectRequest(2, "\\\\srv\\share")), nbss(Smb.createRequest(3, 1, "dir\\file.txt")),
            nbss(Smb.readRequest(4, 1, fid, 4096, 0)), nbss(Smb.writeRequest(5, 1, fid, new byte[64], 4096)),
            nbss(Smb.ioctlRequest(6, 1, 0x0011C017L, fid)), nbss(Smb.closeRequest(7, 1, fid)),
            nbss(Smb.transform(0x1234, 100, new byte[100])),
            nbss(Smb.compressed(0xFFFFFFFFL, 1, 16, new byte[16], new byte[32])),
            nbss(Smb.smb1NegotiateRequest("NT LM 0.12", "SMB 2.002")),
            nbss(Smb.smb1SessionSetupAndTreeConnect(Smb.ntlmAuth("D", "u", "w", false), "\\\\h\\IPC$")),
            new byte[] {(byte) 0x85, 0, 0, 0});
    }

    static byte[] serverStream() {
        return concat(new byte[] {(byte) 0x82, 0, 0, 0}, nbss(Smb.negotiateResponse(0x0311, Smb.preauth(1),
            Smb.encryption(2))), nbss(Smb.treeConnectResponse(2, 1, 1)), nbss(Smb.createResponse(3, 1,
            Smb.fileId(3))), nbss(Smb.response(8, 4, 1, 0, new Smb.W().u16(17).u8(80).u8(0).u32(10).u32(0).u32(0)
            .zeros(10).get())), nbss(Smb.response(6, 7, 1, 0xC0000034L, new Smb.W().u16(9).u8(0).u8(0).u32(0)
            .u8(0).get())));
    }

    /** SMB payloads of the corpus captures: every TCP segment's payload on 445/139, concatenated per capture. */
    static List<byte[]> corpusSeeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        Path dir = Path.of("../../shared/pcaps");
        for (String f : new String[] {"it/zeek_smb3.pcap", "it/zeek_smb311.pcap", "attacks/zeek_smb_SMBGhost.pcap",
            "other_ot/iti_iec61850_MMS_and_GOOSE.pcap"}) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                out.add(smbPayloads(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    /** Classic pcap, Ethernet/IPv4/TCP only: enough for these captures. */
    private static byte[] smbPayloads(byte[] pcap) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int p = 24;
        while (p + 16 <= pcap.length) {
            int incl = le32(pcap, p + 8);
            int f = p + 16;
            p = f + incl;
            if (p > pcap.length || incl < 54 || pcap[f + 12] != 8 || pcap[f + 13] != 0 || pcap[f + 23] != 6) {
                continue;
            }
            int ihl = (pcap[f + 14] & 0x0F) * 4;
            int tcp = f + 14 + ihl;
            int sport = (pcap[tcp] & 0xFF) << 8 | (pcap[tcp + 1] & 0xFF);
            int dport = (pcap[tcp + 2] & 0xFF) << 8 | (pcap[tcp + 3] & 0xFF);
            int thl = ((pcap[tcp + 12] & 0xFF) >> 4) * 4;
            int ipLen = (pcap[f + 16] & 0xFF) << 8 | (pcap[f + 17] & 0xFF);
            int payload = tcp + thl;
            int end = Math.min(p, f + 14 + ipLen);
            if ((sport == 445 || dport == 445 || sport == 139 || dport == 139) && payload < end) {
                out.write(pcap, payload, end - payload);
            }
        }
        return out.toByteArray();
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    @Test
    void seededFuzzNeverThrowsAndNeverOverConsumes() throws IOException {
        SplittableRandom r = new SplittableRandom(20240612);
        List<byte[]> seeds = new ArrayList<>(List.of(clientStream(), serverStream()));
        seeds.addAll(corpusSeeds());
        SmbParser parser = new SmbParser(2048);
        SmbMessage msg = new SmbMessage();
        long[] delivered = {0};
        SmbMessageSink sink = m -> {
            delivered[0]++;
            m.toString();
            m.commandName();
            m.dialectsText(new byte[64]);
        };
        long started = System.nanoTime();
        SmbFlowState st = new SmbFlowState();
        for (int i = 0; i < CASES; i++) {
            // One connection state across cases, as a long flow would have it: its maps fill with fuzzed names; a
            // fresh state every 64 cases, and the per-direction framing state reset
            // like after a gap in half the cases (the other half starts wherever the previous case left it).
            if (i % 64 == 0) {
                st = new SmbFlowState();
            }
            if (r.nextBoolean()) {
                st.onGap(true);
                st.onGap(false);
            }
            byte[] b;
            int kind = r.nextInt(4);
            if (kind == 0) {
                b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                if (b.length > 8 && r.nextBoolean()) { // random but framed, so the decoders see it
                    b[0] = 0;
                    b[4] = (byte) (0xFC + r.nextInt(4));
                    b[5] = 'S';
                    b[6] = 'M';
                    b[7] = 'B';
                }
            } else {
                byte[] seed = seeds.get(r.nextInt(seeds.size()));
                int from = seed.length > 600 ? r.nextInt(seed.length - 600) : 0;
                b = Arrays.copyOfRange(seed, from, Math.min(seed.length, from + 100 + r.nextInt(1500)));
                int flips = 1 + r.nextInt(kind == 3 ? 40 : 6);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    int at = r.nextInt(b.length);
                    switch (r.nextInt(3)) {
                        case 0: b[at] = (byte) r.nextInt(256); break;
                        case 1: b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x00); break;
                        default: b[at] ^= (byte) (1 << r.nextInt(8)); break;
                    }
                }
            }
            int off = b.length == 0 ? 0 : r.nextInt(Math.min(b.length, 4) + 1);
            int len = b.length - off;
            boolean fromClient = r.nextBoolean();
            int used = parser.parse(b, off, len, fromClient, msg, st, sink);
            assertTrue(used >= 0 && used <= Math.max(len, 0), "case " + i + ": consumed " + used + " of " + len);
            if (used < len) {
                int again = parser.parse(b, off + used, len - used, fromClient, msg, st, sink);
                assertTrue(again >= 0 && again <= len - used);
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("SMB fuzz: %d cases, %d messages, %d malformed, %d skipped bytes, %d ms%n", CASES,
            parser.messages(), parser.malformedMessages(), parser.skippedBytes(), ms);
        assertTrue(delivered[0] > CASES / 2, "delivered " + delivered[0]);
        assertTrue(parser.malformedMessages() > 1000, "malformed counted: " + parser.malformedMessages());
        assertTrue(ms < 30_000, "took " + ms + " ms");
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] requests = clientStream();
        byte[] responses = serverStream();
        SmbParser parser = new SmbParser();
        SmbFlowState state = new SmbFlowState();
        SmbMessage msg = new SmbMessage();
        long[] sum = {0};
        SmbMessageSink sink = m -> sum[0] += m.command + m.user.length + m.file.length + m.share.length;
        run(parser, state, msg, sink, requests, responses);
        run(parser, state, msg, sink, requests, responses);
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, state, msg, sink, requests, responses);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= MESSAGES);
        assertTrue(parser.encryptedMessages() > 0 && parser.compressedMessages() > 0 && parser.controlMessages() > 0);
        assertTrue(sum[0] != 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + n + " messages");
    }

    private static long run(SmbParser parser, SmbFlowState state, SmbMessage msg, SmbMessageSink sink,
                            byte[] requests, byte[] responses) {
        long start = parser.messages();
        while (parser.messages() - start < MESSAGES) {
            assertEquals(requests.length, parser.parse(requests, 0, requests.length, true, msg, state, sink));
            assertEquals(responses.length, parser.parse(responses, 0, responses.length, false, msg, state, sink));
        }
        return parser.messages() - start;
    }
}
