package io.vigil.protocols.s7comm;

import static io.vigil.protocols.s7comm.S7Frames.ackData;
import static io.vigil.protocols.s7comm.S7Frames.concat;
import static io.vigil.protocols.s7comm.S7Frames.cr;
import static io.vigil.protocols.s7comm.S7Frames.dt;
import static io.vigil.protocols.s7comm.S7Frames.hex;
import static io.vigil.protocols.s7comm.S7Frames.item;
import static io.vigil.protocols.s7comm.S7Frames.job;
import static io.vigil.protocols.s7comm.S7Frames.plus;
import static io.vigil.protocols.s7comm.S7Frames.readVar;
import static io.vigil.protocols.s7comm.S7Frames.setup;
import static io.vigil.protocols.s7comm.S7Frames.udData;
import static io.vigil.protocols.s7comm.S7Frames.userdata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.decode.PacketDecoder;
import io.vigil.protocols.observe.IcsOp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: random bytes and mutations (byte changes, 0xFF/0x7F, bit flips, truncation) of hand-built streams
 * and of the TCP payloads of the shared corpus (classic pcap files of ../shared/pcaps/s7comm, when present), each
 * parsed with fresh per-flow state and re-offered from where the parser stopped, as the app layer does. The parser
 * must never throw or over-consume, must deliver messages and count malformed ones; and in steady state it must not
 * allocate.
 */
class S7FuzzAndAllocationTest {
    private static final int CASES = 150_000;
    private static final int MESSAGES = 100_000;

    static byte[] clientStream() {
        return concat(cr(), setup(), readVar(1, item(0x04, 2, 1, 0x84, 10, 0), item(0x01, 1, 0, 0x83, 5, 3)),
            job(2, concat(hex("05 01"), item(0x04, 1, 1, 0x84, 0, 0)), hex("00 04 0010 1234")),
            job(3, hex("28 000000000000fd 000a 01 00 3041303030303150 05 5f494e5345"), new byte[0]),
            job(4, hex("1a 00 0100 00000000 09 5f3041303030303150 0d 31303030353030303030343030"), new byte[0]),
            userdata(4, 4, 1, 0, udData(0xFF, 0x09, hex("0011 0000"))),
            userdata(4, 3, 3, 0, udData(0xFF, 0x09, hex("3041 3030303031 41"))),
            dt(false, hex("32 01 0000 0005 000e 0000 04 01 12 0a")), dt(true, hex("10 02 0004 0001 84 000050")),
            plus(1, 0x31, 0x04CA, 1, true), plus(3, 0x31, 0x04F2, 2, true), plus(2, 0x31, 0x0586, 3, false),
            dt(hex("72020004 0a0b0c0d 72020000")));
    }

    static byte[] serverStream() {
        return concat(S7Frames.connect(0xD0, hex("0100"), hex("0102")),
            ackData(0x200, hex("f0 00 0001 0001 01e0"), new byte[0]),
            ackData(1, hex("04 02"), hex("ff 04 0010 1234 0a 00 0000")), ackData(2, hex("05 01"), hex("ff")),
            ackData(3, hex("28"), new byte[0]), userdata(8, 4, 1, 1, udData(0xFF, 0x09, hex("0011 0000 001c 0001"))),
            userdata(0, 4, 3, 0, udData(0xFF, 0x09, new byte[20])), plus(3, 0x33, 0, 0, true),
            plus(2, 0x32, 0x054C, 4, true), hex("0300 0007 02 f0 00"));
    }

    @Test
    void seededFuzzNeverThrowsAndCountsMalformed() throws IOException {
        List<byte[]> seeds = new ArrayList<>(List.of(clientStream(), serverStream(), setup(), cr()));
        int corpusSeeds = corpusPayloads(seeds);
        SplittableRandom r = new SplittableRandom(20241125);
        S7Parser parser = new S7Parser();
        S7Message msg = new S7Message();
        IcsOp op = new IcsOp();
        long[] delivered = {0};
        S7MessageSink sink = m -> {
            delivered[0]++;
            S7IcsOps.fill(op, m);
            m.toString();
            m.blockString();
            m.srcTsapString();
        };
        for (int i = 0; i < CASES; i++) {
            S7FlowState st = new S7FlowState();
            byte[] b;
            int kind = r.nextInt(5);
            if (kind == 0) {
                b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                if (b.length > 4 && r.nextBoolean()) {
                    b[0] = 3; // random bytes behind a TPKT header reach the COTP/S7 decoders
                    b[1] = 0;
                }
            } else {
                b = seeds.get(r.nextInt(seeds.size())).clone();
                int flips = 1 + r.nextInt(kind == 4 ? 40 : 6);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    int at = r.nextInt(b.length);
                    switch (r.nextInt(3)) {
                        case 0: b[at] = (byte) r.nextInt(256); break;
                        case 1: b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x7F); break;
                        default: b[at] ^= (byte) (1 << r.nextInt(8)); break;
                    }
                }
                if (r.nextInt(4) == 0) {
                    b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                }
            }
            // now and then start inside the bytes, as after a gap
            int off = b.length == 0 || r.nextInt(4) != 0 ? 0 : r.nextInt(Math.min(b.length, 8) + 1);
            int len = b.length - off;
            boolean fromClient = r.nextBoolean();
            int used = parser.parse(b, off, len, fromClient, msg, st, sink);
            assertTrue(used >= 0 && used <= Math.max(len, 0), "case " + i + ": consumed " + used + " of " + len);
            if (used < len) {
                int again = parser.parse(b, off + used, len - used, fromClient, msg, st, sink);
                assertTrue(again >= 0 && again <= len - used);
            }
        }
        System.out.printf("S7 fuzz: %d cases (%d corpus seeds), %d messages, %d malformed, %d bytes skipped%n", CASES,
            corpusSeeds, delivered[0], parser.malformedMessages(), parser.skippedBytes());
        // a third of the corpus segments are empty EOT=0 units or S7comm-plus fragments: no message on their own
        assertTrue(delivered[0] > CASES / 5, "delivered " + delivered[0]);
        assertTrue(parser.malformedMessages() > 1000, "malformed " + parser.malformedMessages());
        assertTrue(parser.skippedBytes() > 0);
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] requests = clientStream();
        byte[] responses = serverStream();
        S7Parser parser = new S7Parser();
        S7FlowState state = new S7FlowState();
        S7Message msg = new S7Message();
        IcsOp op = new IcsOp();
        long[] sum = {0};
        S7MessageSink sink = m -> {
            S7IcsOps.fill(op, m);
            sum[0] += op.function + m.items + m.valueCount;
        };
        run(parser, state, msg, sink, requests, responses);
        run(parser, state, msg, sink, requests, responses);
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, state, msg, sink, requests, responses);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= MESSAGES);
        assertTrue(state.reassembled() > 0 && sum[0] != 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + n + " messages");
    }

    private static long run(S7Parser parser, S7FlowState state, S7Message msg, S7MessageSink sink, byte[] requests,
                            byte[] responses) {
        long start = parser.messages();
        while (parser.messages() - start < MESSAGES) {
            assertEquals(requests.length, parser.parse(requests, 0, requests.length, true, msg, state, sink));
            assertEquals(responses.length, parser.parse(responses, 0, responses.length, false, msg, state, sink));
        }
        return parser.messages() - start;
    }

    /** TCP payloads of port-102 segments in the corpus's classic pcap files (Ethernet), added to seeds. */
    private static int corpusPayloads(List<byte[]> seeds) throws IOException {
        Path dir = Path.of("../../shared/pcaps/s7comm");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        PacketDecoder decoder = new PacketDecoder(new DecodeCounters());
        DecodedPacket p = new DecodedPacket();
        int added = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".pcap")).sorted().toList()) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
                if (b.remaining() < 24) {
                    continue;
                }
                int magic = b.getInt(0);
                if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
                    b.order(ByteOrder.LITTLE_ENDIAN);
                } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                    continue;
                }
                int linkType = b.getInt(20);
                int pos = 24;
                while (pos + 16 <= b.limit()) {
                    int caplen = b.getInt(pos + 8);
                    if (caplen < 0 || pos + 16 + caplen > b.limit()) {
                        break;
                    }
                    byte[] frame = Arrays.copyOfRange(b.array(), pos + 16, pos + 16 + caplen);
                    pos += 16 + caplen;
                    decoder.decode(frame, 0, frame.length, linkType, p);
                    if (p.ipProto == DecodedPacket.PROTO_TCP && p.payloadLength > 0
                        && (p.srcPort == 102 || p.dstPort == 102)) {
                        seeds.add(Arrays.copyOfRange(frame, p.payloadOffset, p.payloadOffset + p.payloadLength));
                        added++;
                    }
                }
            }
        }
        return added;
    }
}
