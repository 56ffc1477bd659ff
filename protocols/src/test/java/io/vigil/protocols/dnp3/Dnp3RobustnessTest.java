package io.vigil.protocols.dnp3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: random bytes, valid frames with random user data (CRCs recomputed, so the
 * transport and application layers see the junk), truncation at every length; nothing may throw,
 * every call must consume within bounds, kept arrays stay within their limits. And the steady
 * state allocates nothing.
 */
class Dnp3RobustnessTest {
    private static final long SEED = 0xD1B3L;

    @Test
    void randomBytesNeverThrow() {
        Random r = new Random(SEED);
        Dnp3Parser parser = new Dnp3Parser(1 << 20);
        Dnp3Message m = new Dnp3Message();
        Dnp3FlowState state = new Dnp3FlowState();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(400)];
            r.nextBytes(b);
            if (b.length > 2 && r.nextBoolean()) {
                b[0] = 0x05;
                b[1] = 0x64;
            }
            int used = parser.parse(b, 0, b.length, r.nextBoolean(), m, state, Dnp3RobustnessTest::check);
            assertTrue(used >= 0 && used <= b.length);
            parser.parseDatagram(b, 0, b.length, r.nextBoolean(), m, state, Dnp3RobustnessTest::check);
        }
        assertTrue(parser.skippedBytes() > 0);
    }

    @Test
    void validFramesWithRandomApplicationDataNeverThrow() {
        Random r = new Random(SEED + 1);
        Dnp3Parser parser = new Dnp3Parser(1 << 20);
        Dnp3Message m = new Dnp3Message();
        Dnp3FlowState state = new Dnp3FlowState();
        long applications = 0;
        long malformed = 0;
        long[] seen = new long[2];
        for (int i = 0; i < 50_000; i++) {
            byte[] apdu;
            if (r.nextInt(3) == 0) {
                apdu = new byte[2 + r.nextInt(300)];
                r.nextBytes(apdu);
            } else {
                // Mutate a sample: shapes close to real ones reach deeper.
                List<byte[]> samples = Dnp3Frames.sampleFragments();
                apdu = samples.get(r.nextInt(samples.size())).clone();
                for (int k = r.nextInt(4); k >= 0; k--) {
                    apdu[r.nextInt(apdu.length)] = (byte) r.nextInt(256);
                }
                if (r.nextInt(4) == 0) {
                    apdu = java.util.Arrays.copyOf(apdu, r.nextInt(apdu.length + 1));
                }
            }
            if (apdu.length == 0) {
                continue;
            }
            List<byte[]> frames = Dnp3Frames.segments(r.nextBoolean(), r.nextInt(65536), r.nextInt(65536),
                r.nextInt(64), 1 + r.nextInt(249), apdu);
            byte[] stream = Dnp3Frames.concat(frames.toArray(new byte[0][]));
            int cut = r.nextInt(8) == 0 ? r.nextInt(stream.length + 1) : stream.length;
            int used = parser.parse(stream, 0, cut, r.nextBoolean(), m, state, x -> {
                check(x);
                if (x.hasApplication) {
                    seen[0]++;
                    if (x.malformed) {
                        seen[1]++;
                    }
                }
            });
            assertTrue(used >= 0 && used <= cut);
            if (r.nextInt(16) == 0) {
                state.onGap(r.nextBoolean());
            }
        }
        applications = seen[0];
        malformed = seen[1];
        assertTrue(applications > 10_000, "applications " + applications);
        assertTrue(malformed > 1_000 && malformed < applications, "malformed " + malformed);
    }

    private static void check(Dnp3Message x) {
        assertTrue(x.keptHeaders() <= Dnp3Message.MAX_HEADERS);
        assertTrue(x.keptCommands() <= Dnp3Message.MAX_COMMANDS);
        assertTrue(x.nameLength >= 0 && x.nameLength <= Dnp3Message.MAX_NAME);
        assertTrue(x.fragmentLength <= Dnp3Parser.MAX_FRAGMENT);
        assertTrue(x.linkLength >= 0 && x.linkLength <= 255);
        assertTrue(!x.malformed || x.malformedReason != null);
        if (x.hasApplication) {
            for (int i = 0; i < x.keptHeaders(); i++) {
                assertTrue(x.count[i] >= 0);
            }
        }
    }

    @Test
    void parsingAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        List<byte[]> frames = new ArrayList<>();
        int seq = 0;
        for (byte[] apdu : Dnp3Frames.sampleFragments()) {
            frames.add(Dnp3Frames.single(true, 10, 1, seq++, apdu));
        }
        frames.addAll(Dnp3Frames.segments(false, 1, 10, 62, 249, Dnp3Frames.bigResponse(1500)));
        frames.add(Dnp3Frames.linkOnly(0xC9, 10, 1));
        byte[] stream = Dnp3Frames.concat(frames.toArray(new byte[0][]));
        Dnp3Parser parser = new Dnp3Parser();
        Dnp3Message m = new Dnp3Message();
        Dnp3FlowState state = new Dnp3FlowState();
        long[] sum = {0};
        Dnp3MessageSink sink = x -> sum[0] += x.headerCount + x.commandCount + x.linkFunction;
        byte[][] all = frames.toArray(new byte[0][]);
        run(parser, m, state, stream, all, sink);
        run(parser, m, state, stream, all, sink);
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, m, state, stream, all, sink);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= 100_000 && sum[0] > 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + n + " frames");
    }

    private static long run(Dnp3Parser parser, Dnp3Message m, Dnp3FlowState state, byte[] stream, byte[][] frames,
                            Dnp3MessageSink sink) {
        long before = parser.frames();
        while (parser.frames() - before < 100_000) {
            parser.parse(stream, 0, stream.length, true, m, state, sink);
            for (int i = 0; i < frames.length; i++) {
                parser.parseDatagram(frames[i], 0, frames[i].length, false, m, state, sink);
            }
        }
        return parser.frames() - before;
    }
}
