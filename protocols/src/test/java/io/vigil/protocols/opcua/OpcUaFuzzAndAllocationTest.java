package io.vigil.protocols.opcua;

import static io.vigil.protocols.opcua.Ua.concat;
import static io.vigil.protocols.opcua.Ua.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OpcUaFuzzAndAllocationTest {
    private static final int CASES = 100_000;
    private static final int MESSAGES = 100_000;

    private static byte[] clientStream() {
        return concat(Ua.hel("opc.tcp://plc:4840"), Ua.opnRequest(0, 1, 1), msg(5, 2, Ua.readRequest()),
            msg(5, 3, Ua.writeRequest()), msg(5, 4, Ua.callRequest()), msg(5, 5, Ua.browseRequest()),
            Ua.msg('C', 5, 1, 6, 6, java.util.Arrays.copyOf(Ua.readRequest(), 20)),
            Ua.msg('F', 5, 1, 7, 6, java.util.Arrays.copyOfRange(Ua.readRequest(), 20, Ua.readRequest().length)),
            new byte[] {1, 2, 3, 'M', 'S', 'G'}, msg(77, 8, new byte[40]));
    }

    private static byte[] serverStream() {
        return concat(Ua.ack(), Ua.opnResponse(5, 1, 7), msg(5, 2, Ua.readResponse()), msg(5, 3, Ua.writeResponse()),
            msg(5, 4, Ua.callResponse()), msg(5, 5, Ua.serviceFault(OpcUaNames.BAD_NODE_ID_UNKNOWN)),
            Ua.err(0x80130000L, "security"));
    }

    @Test
    void seededFuzzNeverThrowsAndNeverOverConsumes() {
        SplittableRandom r = new SplittableRandom(20240611);
        byte[][] seeds = {clientStream(), serverStream(), Ua.hel("x"), msg(5, 2, Ua.readResponse())};
        OpcUaParser parser = new OpcUaParser(true, 4096);
        OpcUaMessage msg = new OpcUaMessage();
        long[] delivered = {0};
        OpcUaMessageSink sink = m -> {
            delivered[0]++;
            m.toString();
            m.serviceName();
        };
        for (int i = 0; i < CASES; i++) {
            OpcUaFlowState st = new OpcUaFlowState();
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
            int used = parser.parse(b, off, len, fromClient, msg, st, sink);
            assertTrue(used >= 0 && used <= Math.max(len, 0), "case " + i + ": consumed " + used + " of " + len);
            if (used < len) { // offer the rest again, as the caller would with the next segment
                int again = parser.parse(b, off + used, len - used, fromClient, msg, st, sink);
                assertTrue(again >= 0 && again <= len - used);
            }
        }
        assertTrue(delivered[0] > CASES / 2, "delivered " + delivered[0]);
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] requests = clientStream();
        byte[] responses = serverStream();
        OpcUaParser parser = new OpcUaParser();
        OpcUaFlowState state = new OpcUaFlowState();
        OpcUaMessage msg = new OpcUaMessage();
        long[] sum = {0};
        OpcUaMessageSink sink = m -> sum[0] += m.serviceId + m.nodes.count + m.statusCount;
        run(parser, state, msg, sink, requests, responses);
        run(parser, state, msg, sink, requests, responses);
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, state, msg, sink, requests, responses);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= MESSAGES);
        assertTrue(state.matchedResponses() > 0 && parser.skippedBytes() > 0 && parser.encryptedMessages() > 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + n + " messages");
    }

    private static long run(OpcUaParser parser, OpcUaFlowState state, OpcUaMessage msg, OpcUaMessageSink sink,
                            byte[] requests, byte[] responses) {
        long start = parser.messages();
        long frame = 0;
        while (parser.messages() - start < MESSAGES) {
            state.setTime(++frame, frame * 1000);
            assertEquals(requests.length, parser.parse(requests, 0, requests.length, true, msg, state, sink));
            state.setTime(++frame, frame * 1000);
            assertEquals(responses.length, parser.parse(responses, 0, responses.length, false, msg, state, sink));
        }
        return parser.messages() - start;
    }
}
