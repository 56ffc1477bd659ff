package io.vigil.protocols.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsAllocationTest {
    private static final int MESSAGES = 100_000;

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        List<byte[]> samples = DnsFrames.samples();
        byte[][] msgs = samples.toArray(new byte[0][]);
        // A hostile one, and a TCP stream of all samples.
        byte[] loop = DnsFrames.header(1, 0, 1, 0, 0, 0).labels("a").ptr(12).u16(1).u16(1).bytes();
        int total = 0;
        for (byte[] s : msgs) {
            total += 2 + s.length;
        }
        byte[] stream = new byte[total];
        int p = 0;
        for (byte[] s : msgs) {
            stream[p] = (byte) (s.length >>> 8);
            stream[p + 1] = (byte) s.length;
            System.arraycopy(s, 0, stream, p + 2, s.length);
            p += 2 + s.length;
        }
        DnsParser parser = new DnsParser();
        DnsMessage m = new DnsMessage();
        long[] sum = {0};
        DnsMessageSink sink = x -> sum[0] += x.answerCount + x.qnameLength;
        run(parser, m, msgs, loop, stream, sink, sum);
        run(parser, m, msgs, loop, stream, sink, sum);
        long before = mx.getThreadAllocatedBytes(thread);
        int n = run(parser, m, msgs, loop, stream, sink, sum);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= MESSAGES && sum[0] > 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + n + " messages");
    }

    private static int run(DnsParser parser, DnsMessage m, byte[][] msgs, byte[] loop, byte[] stream,
                           DnsMessageSink sink, long[] sum) {
        int n = 0;
        while (n < MESSAGES) {
            for (byte[] s : msgs) {
                parser.parse(s, 0, s.length, m);
                sum[0] += m.qnameLength + (DnsParser.looksLikeDns(s, 0, s.length) ? 1 : 0);
                n++;
            }
            parser.parse(loop, 0, loop.length, m);
            parser.parseStream(stream, 0, stream.length, m, sink);
            n += 1 + msgs.length;
        }
        return n;
    }
}
