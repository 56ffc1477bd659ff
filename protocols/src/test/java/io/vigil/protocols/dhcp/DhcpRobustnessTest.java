package io.vigil.protocols.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.testsupport.ThreadAllocation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DhcpRobustnessTest {
    private final DhcpParser p = new DhcpParser();
    private final DhcpMessage m = new DhcpMessage();

    @Test
    void everyTruncationOfEverySample() {
        for (byte[] s : DhcpFrames.samples()) {
            for (int n = 0; n <= s.length; n++) {
                boolean ok = p.parse(s, 0, n, m);
                assertEquals(n >= DhcpParser.HEADER, ok, "length " + n);
                if (n >= DhcpParser.HEADER && n < s.length) {
                    assertTrue(m.malformed || !m.magicCookie, "truncated at " + n + " should be flagged");
                }
            }
        }
    }

    @Test
    void seededFuzz() {
        SplittableRandom r = new SplittableRandom(0xD4C9);
        byte[][] samples = DhcpFrames.samples();
        for (int i = 0; i < 150_000; i++) {
            byte[] b = samples[i % samples.length].clone();
            int flips = 1 + r.nextInt(8);
            for (int k = 0; k < flips; k++) {
                // Mostly the options area, where the parser's loop is.
                int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : DhcpParser.HEADER + r.nextInt(b.length
                        - DhcpParser.HEADER);
                b[at] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(5) == 0 ? r.nextInt(b.length + 1) : b.length;
            p.parse(b, 0, len, m);
            if (m.hostnameOffset >= 0) {
                assertTrue(m.hostnameOffset + m.hostnameLength <= len);
            }
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(600)];
            r.nextBytes(b);
            if (b.length > 0) {
                b[0] = 1;
            }
            if (b.length > 240) {
                DhcpFrames.put32(b, 236, 0x63825363);
            }
            p.parse(b, 0, b.length, m);
        }
    }

    @Test
    void allocatesNothingPerMessage() {
        byte[][] samples = DhcpFrames.samples();
        for (int i = 0; i < 50_000; i++) {
            byte[] s = samples[i % 3];
            p.parse(s, 0, s.length, m);
        }
        long before = ThreadAllocation.bytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "allocation counting unsupported");
        int types = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] s = samples[i % 3];
            p.parse(s, 0, s.length, m);
            types += m.messageType;
        }
        long used = ThreadAllocation.bytes() - before;
        assertTrue(types > 0);
        assertTrue(used < 64 * 1024, "allocated " + used + " bytes over 100k messages");
    }
}
