package io.vigil.protocols.enip;

import static io.vigil.protocols.enip.Eip.attr;
import static io.vigil.protocols.enip.Eip.bytes;
import static io.vigil.protocols.enip.Eip.cls;
import static io.vigil.protocols.enip.Eip.concat;
import static io.vigil.protocols.enip.Eip.inst;
import static io.vigil.protocols.enip.Eip.le16;
import static io.vigil.protocols.enip.Eip.le32;
import static io.vigil.protocols.enip.Eip.path;
import static io.vigil.protocols.enip.Eip.request;
import static io.vigil.protocols.enip.Eip.response;
import static io.vigil.protocols.enip.Eip.sym;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.observe.IcsOp;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated ENIP streams, datagrams and I/O packets (seeded from hand-built messages
 * covering every decoded command and service): the parser never throws, never consumes more than
 * it was given, terminates, and counts malformed input. Then the steady state allocates nothing.
 */
class EnipFuzzAndAllocationTest {
    private static final int CASES = 150_000;

    static byte[] clientStream() {
        byte[] connPath = path(bytes(0x01, 0x00), cls(2), inst(1));
        return concat(Eip.registerSession(0x11020100L),
            Eip.rr(0x11020100L, 1, Eip.unconnectedSend(request(0x01, path(cls(1), inst(1)), new byte[0]), 0)),
            Eip.rr(0x11020100L, 2, Eip.forwardOpen(0x80000014L, 0x80FE0013L, 0x14, 8_000_000, 8_000_000, connPath)),
            Eip.unit(0x11020100L, 0x00790301L, 1, Eip.msp(
                request(0x03, path(cls(1), inst(1)), concat(le16(2), le16(5), le16(11))),
                request(0x0E, path(cls(0x68), inst(0x2420), cls(0x6A), inst(7), attr(3)), new byte[0]),
                request(0x07, path(cls(0x8E), inst(1)), new byte[0]))),
            Eip.unit(0x11020100L, 0x00790301L, 2, request(0x4D, path(sym("Program:Main"), sym("Speed")),
                concat(le16(0xC4), le16(2), le32(-5), le32(70000)))),
            Eip.unit(0x11020100L, 0x00790301L, 3, request(0x4C, path(sym("Tank")), le16(1))),
            Eip.rr(0x11020100L, 3, request(0x10, path(cls(0x8B), inst(1), attr(6)), le32(1234))),
            Eip.rr(0x11020100L, 4, Eip.forwardClose(0x14, connPath)));
    }

    static byte[] serverStream() {
        return concat(Eip.registerSession(0x11020100L),
            Eip.rr(0x11020100L, 1, response(0x01, 0, bytes(1, 0, 12, 0, 58, 0))),
            Eip.rr(0x11020100L, 2, Eip.forwardOpenResponse(0x00790301L, 0x80FE0013L, 0x14, 8_000_000, 8_000_000)),
            Eip.unit(0x11020100L, 0x80FE0013L, 1, Eip.mspResponse(response(0x03, 0, new byte[0]),
                response(0x0E, 0, bytes(1)), Eip.responseExt(0x07, 0x10, 0x2101, new byte[0]))),
            Eip.unit(0x11020100L, 0x80FE0013L, 2, response(0x4D, 0, new byte[0])),
            Eip.unit(0x11020100L, 0x80FE0013L, 3, response(0x4C, 0, concat(le16(0xCA), le32(0x42280000L)))),
            Eip.rr(0x11020100L, 3, response(0x10, 0, new byte[0])),
            Eip.rr(0x11020100L, 4, response(0x4E, 0, concat(le16(0x14), le16(0x4D), le32(0x32952BF3L), bytes(0, 0)))));
    }

    @Test
    void seededFuzzNeverThrowsAndNeverOverConsumes() {
        SplittableRandom r = new SplittableRandom(20261125);
        byte[][] seeds = {clientStream(), serverStream(), Eip.listIdentityResponse("1756-ENBT/A"),
            Eip.io(0x004B0603L, 4166875, bytes(1, 2, 3, 4, 5, 6))};
        EnipParser parser = new EnipParser();
        EnipMessage msg = new EnipMessage();
        IcsOp op = new IcsOp();
        long[] delivered = {0};
        EnipMessageSink sink = m -> {
            delivered[0]++;
            EnipOps.fill(op, m);
            m.tag();
            m.productName();
        };
        long malformedBefore = parser.malformedMessages();
        for (int i = 0; i < CASES; i++) {
            EnipFlowState st = new EnipFlowState();
            byte[] b;
            int kind = r.nextInt(4);
            if (kind == 0) {
                b = new byte[r.nextInt(200)];
                r.nextBytes(b);
            } else {
                b = seeds[r.nextInt(seeds.length)].clone();
                int flips = 1 + r.nextInt(kind == 3 ? 40 : 6);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    int at = r.nextInt(b.length);
                    switch (r.nextInt(3)) {
                        case 0: b[at] = (byte) r.nextInt(256); break;
                        case 1: b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x7F); break;
                        default: b[at] ^= (byte) (1 << r.nextInt(8)); break;
                    }
                }
                if (r.nextInt(4) == 0) {
                    b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                }
            }
            int off = b.length == 0 ? 0 : r.nextInt(Math.min(b.length, 8) + 1);
            int len = b.length - off;
            boolean fromClient = r.nextBoolean();
            switch (r.nextInt(3)) {
                case 0:
                    if (parser.parseDatagram(b, off, len, fromClient, msg)) {
                        sink.onMessage(msg);
                    }
                    break;
                case 1:
                    if (parser.parseIo(b, off, len, msg)) {
                        sink.onMessage(msg);
                    }
                    break;
                default: {
                    int used = parser.parseStream(b, off, len, fromClient, msg, st, sink);
                    assertTrue(used >= 0 && used <= Math.max(len, 0), "case " + i + ": consumed " + used + " of " + len);
                    if (used < len) {
                        int again = parser.parseStream(b, off + used, len - used, fromClient, msg, st, sink);
                        assertTrue(again >= 0 && again <= len - used);
                    }
                    break;
                }
            }
            EnipParser.looksLikeEnip(b, off, len);
        }
        assertTrue(delivered[0] > CASES / 2, "delivered " + delivered[0]);
        assertTrue(parser.malformedMessages() - malformedBefore > CASES / 20,
            "malformed counted: " + parser.malformedMessages());
        assertTrue(parser.skippedBytes() > 0 && parser.resyncs() > 0);
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] requests = clientStream();
        byte[] responses = serverStream();
        byte[] identity = Eip.listIdentityResponse("1756-ENBT/A");
        byte[] io = Eip.io(0x004B0603L, 4166875, bytes(1, 2, 3, 4, 5, 6));
        EnipParser parser = new EnipParser();
        EnipFlowState state = new EnipFlowState();
        EnipMessage msg = new EnipMessage();
        IcsOp op = new IcsOp();
        long[] sum = {0};
        EnipMessageSink sink = m -> {
            EnipOps.fill(op, m);
            sum[0] += m.service + m.cipClass + op.kind + op.nameLength;
        };
        for (int i = 0; i < 3; i++) {
            run(parser, state, msg, sink, requests, responses, identity, io);
        }
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, state, msg, sink, requests, responses, identity, io);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= 100_000, "messages " + n);
        assertTrue(state.matchedResponses() > 0 && sum[0] != 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + n + " messages");
    }

    private static long run(EnipParser parser, EnipFlowState state, EnipMessage msg, EnipMessageSink sink,
                            byte[] requests, byte[] responses, byte[] identity, byte[] io) {
        long start = parser.messages();
        for (int i = 0; i < 10_000; i++) {
            parser.parseStream(requests, 0, requests.length, true, msg, state, sink);
            parser.parseStream(responses, 0, responses.length, false, msg, state, sink);
            if (parser.parseDatagram(identity, 0, identity.length, false, msg)) {
                sink.onMessage(msg);
            }
            if (parser.parseIo(io, 0, io.length, msg)) {
                sink.onMessage(msg);
            }
        }
        return parser.messages() - start;
    }
}
