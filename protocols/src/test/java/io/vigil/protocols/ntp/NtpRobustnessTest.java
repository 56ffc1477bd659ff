package io.vigil.protocols.ntp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.testsupport.ThreadAllocation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NtpRobustnessTest {
    private final NtpParser p = new NtpParser();
    private final NtpMessage m = new NtpMessage();

    @Test
    void everyTruncationOfEverySample() {
        for (byte[] s : NtpFrames.samples()) {
            p.parse(s, 0, s.length, m);
            int mode = m.mode;
            int full = mode == 6 ? 12 : mode == 7 ? 8 : 48;
            for (int n = 0; n < s.length; n++) {
                boolean ok = p.parse(s, 0, n, m);
                assertTrue(ok == (n > 0), "length " + n);
                assertTrue(n == 0 || m.malformed == (n < full), "length " + n + " " + m.malformedReason);
            }
        }
    }

    @Test
    void seededFuzz() {
        SplittableRandom r = new SplittableRandom(0x123);
        byte[][] samples = NtpFrames.samples();
        for (int i = 0; i < 120_000; i++) {
            byte[] b = samples[i % samples.length].clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(4) == 0 ? r.nextInt(b.length + 1) : b.length;
            p.parse(b, 0, len, m);
            assertTrue(m.mode < 8 && m.version < 8);
        }
    }

    @Test
    void allocatesNothingPerMessage() {
        byte[][] samples = NtpFrames.samples();
        long sum = 0;
        for (int i = 0; i < 50_000; i++) {
            p.parse(samples[i & 3], 0, samples[i & 3].length, m);
        }
        long before = ThreadAllocation.bytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "allocation counting unsupported");
        for (int i = 0; i < 100_000; i++) {
            p.parse(samples[i & 3], 0, samples[i & 3].length, m);
            sum += m.mode;
        }
        long used = ThreadAllocation.bytes() - before;
        assertTrue(sum > 0);
        assertTrue(used < 64 * 1024, "allocated " + used + " bytes over 100k messages");
    }
}
