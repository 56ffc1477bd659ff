package io.vigil.protocols.iec104;

import static io.vigil.protocols.iec104.Apdus.asdu;
import static io.vigil.protocols.iec104.Apdus.concat;
import static io.vigil.protocols.iec104.Apdus.cp56;
import static io.vigil.protocols.iec104.Apdus.floatLe;
import static io.vigil.protocols.iec104.Apdus.i;
import static io.vigil.protocols.iec104.Apdus.ioa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated streams (seeded from hand-built APDUs and, when present, the TCP payloads of
 * the shared corpus): the parser never throws, never consumes more than it was given, always makes
 * progress on complete APDUs, and counts what it delivers as malformed. Then the steady state
 * allocates nothing.
 */
class Iec104FuzzAndAllocationTest {
    private static final int CASES = 150_000;
    private static final int APDUS = 100_000;

    private static byte[] stream() {
        return concat(Apdus.u(0x07), Apdus.u(0x0B), Apdus.s(77),
            i(0, 0, asdu(100, 1, 6, 1, 37133, concat(ioa(0), new byte[] {20}))),
            i(1, 0, asdu(1, 0x80 | 10, 20, 1, 37133, concat(ioa(10010), new byte[10]))),
            i(2, 0, asdu(13, 2, 1, 0, 3, concat(ioa(1300), floatLe(30f), new byte[1], ioa(1301), floatLe(708f),
                new byte[1]))),
            i(3, 0, asdu(58, 1, 6, 0, 3, concat(ioa(4501), new byte[] {(byte) 0x81}, cp56()))),
            i(4, 0, asdu(63, 1, 7, 0, 3, concat(ioa(5021), floatLe(123f), new byte[1], cp56()))),
            i(5, 0, asdu(125, 1, 13, 0, 3, concat(ioa(9), new byte[] {1, 0, 2, 2, 'x', 'y'}))),
            i(6, 0, asdu(55, 1, 3, 0, 3, concat(ioa(9), new byte[3]))));
    }

    /** TCP payloads of the corpus captures, crudely: every 0x68-started run of the files (no pcap parsing needed). */
    private static List<byte[]> corpusSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path dir = Path.of("../../shared/pcaps/iec104");
        if (!Files.isDirectory(dir)) {
            return seeds;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.toString().endsWith(".csv")).toList()) {
                byte[] b = Files.readAllBytes(f);
                for (int p = 0; p + 6 < b.length && seeds.size() < 4000; p++) {
                    int len = b[p + 1] & 0xFF;
                    if ((b[p] & 0xFF) == 0x68 && len >= 4 && len <= 253 && p + 2 + len <= b.length
                        && Iec104Parser.strictApdu(b, p)) {
                        seeds.add(java.util.Arrays.copyOfRange(b, p, Math.min(b.length, p + 2 + len + 40)));
                    }
                }
            }
        }
        return seeds;
    }

    @Test
    void seededFuzzNeverThrowsNeverOverConsumesAndCountsMalformed() throws IOException {
        SplittableRandom r = new SplittableRandom(60870);
        List<byte[]> seeds = new ArrayList<>(corpusSeeds());
        seeds.add(stream());
        Iec104Parser parser = new Iec104Parser();
        Iec104Apdu apdu = new Iec104Apdu();
        long[] delivered = {0, 0};
        Iec104ApduSink sink = a -> {
            delivered[0]++;
            if (a.malformed) {
                delivered[1]++;
                assertTrue(a.malformedReason != null);
            }
            assertTrue(a.ioaCount <= Iec104Apdu.MAX_OBJECTS && a.valueCount <= a.ioaCount);
            a.toString();
            a.kind();
        };
        for (int c = 0; c < CASES; c++) {
            Iec104FlowState st = new Iec104FlowState();
            if (r.nextInt(4) == 0) {
                st.onGap(true);
            }
            byte[] b;
            int kind = r.nextInt(4);
            if (kind == 0) {
                b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                if (b.length > 2 && r.nextBoolean()) {
                    b[0] = 0x68;
                }
            } else {
                b = seeds.get(r.nextInt(seeds.size())).clone();
                int flips = 1 + r.nextInt(kind == 3 ? 30 : 4);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    int at = r.nextInt(b.length);
                    switch (r.nextInt(4)) {
                        case 0: b[at] = (byte) r.nextInt(256); break;
                        case 1: b[at] = (byte) (r.nextBoolean() ? 0xFF : 0x68); break;
                        case 2: b[at] = 0; break;
                        default: b[at] ^= (byte) (1 << r.nextInt(8)); break;
                    }
                }
                if (r.nextInt(4) == 0) {
                    b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                }
            }
            int off = b.length == 0 ? 0 : r.nextInt(Math.min(b.length, 4) + 1);
            int len = b.length - off;
            boolean fromClient = r.nextBoolean();
            int used = parser.parse(b, off, len, fromClient, apdu, st, sink);
            assertTrue(used >= 0 && used <= Math.max(len, 0), "case " + c + ": consumed " + used + " of " + len);
            // what is left is less than one APDU: at most 254 bytes wait for more
            assertTrue(len - used <= 255, "case " + c + ": left " + (len - used));
            assertTrue(Iec104Parser.detect(b, off, len) >= Iec104Parser.NO);
        }
        assertTrue(delivered[0] > CASES / 5, "delivered " + delivered[0]);
        assertTrue(delivered[1] > 1000, "malformed " + delivered[1]);
        assertEquals(delivered[0], parser.apdus());
        assertEquals(delivered[1], parser.malformedApdus());
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        long thread = Thread.currentThread().getId();
        byte[] b = stream();
        Iec104Parser parser = new Iec104Parser();
        Iec104FlowState state = new Iec104FlowState();
        Iec104Apdu apdu = new Iec104Apdu();
        long[] sum = {0};
        Iec104ApduSink sink = a -> sum[0] += a.ioaCount + a.valueCount + a.kind();
        run(parser, state, apdu, sink, b);
        run(parser, state, apdu, sink, b);
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, state, apdu, sink, b);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= APDUS && sum[0] > 0);
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for " + n + " APDUs");
    }

    private static long run(Iec104Parser parser, Iec104FlowState state, Iec104Apdu apdu, Iec104ApduSink sink,
                            byte[] b) {
        long start = parser.apdus();
        while (parser.apdus() - start < APDUS) {
            assertEquals(b.length, parser.parse(b, 0, b.length, true, apdu, state, sink));
        }
        return parser.apdus() - start;
    }
}
