package io.vigil.protocols.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.testsupport.ThreadAllocation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SnmpRobustnessTest {
    private final SnmpParser p = new SnmpParser();
    private final SnmpMessage m = new SnmpMessage();

    @Test
    void everyTruncationOfEverySample() {
        for (byte[] s : SnmpFrames.samples()) {
            for (int n = 0; n < s.length; n++) {
                // The outer length no longer fits: not SNMP (a truncated datagram cannot be delimited).
                p.parse(s, 0, n, m);
                assertTrue(m.malformed, "length " + n);
                assertEquals(0, m.varbindCount);
            }
            assertTrue(p.parse(s, 0, s.length, m));
        }
    }

    @Test
    void truncatedInsideAnHonestOuterLength() {
        // Shorten the datagram and patch the outer length so only inner values overrun.
        for (byte[] s : SnmpFrames.samples()) {
            int hdr = (s[1] & 0xFF) < 0x80 ? 2 : 2 + (s[1] & 0x7F);
            for (int n = hdr; n < s.length; n++) {
                byte[] b = new byte[n + 3];
                int inner = n - hdr;
                b[0] = 0x30;
                b[1] = (byte) 0x82;
                b[2] = (byte) (inner >> 8);
                b[3] = (byte) inner;
                System.arraycopy(s, hdr, b, 4, inner);
                b = java.util.Arrays.copyOf(b, 4 + inner);
                p.parse(b, 0, b.length, m);
                assertTrue(m.malformed || m.encrypted || inner == s.length - hdr, "length " + n);
            }
        }
    }

    @Test
    void seededFuzz() {
        SplittableRandom r = new SplittableRandom(0x5AA7);
        byte[][] samples = SnmpFrames.samples();
        long[] arcs = new long[32];
        for (int i = 0; i < 200_000; i++) {
            byte[] b = samples[i % samples.length].clone();
            for (int k = 1 + r.nextInt(6); k > 0; k--) {
                int at = r.nextInt(b.length);
                switch (r.nextInt(4)) {
                    case 0: b[at] = (byte) 0x84; break; // long-form length bait
                    case 1: b[at] = (byte) 0xFF; break;
                    default: b[at] = (byte) r.nextInt(256); break;
                }
            }
            int len = r.nextInt(5) == 0 ? r.nextInt(b.length + 1) : b.length;
            p.parse(b, 0, len, m);
            for (int v = 0; v < Math.min(m.varbindCount, SnmpMessage.MAX_OIDS); v++) {
                assertTrue(m.oidOffset[v] + m.oidLength[v] <= len);
                SnmpParser.oidArcs(b, m.oidOffset[v], m.oidLength[v], arcs);
            }
            if (m.communityOffset >= 0) {
                assertTrue(m.communityOffset + m.communityLength <= len);
            }
            if (m.userNameOffset >= 0) {
                assertTrue(m.userNameOffset + m.userNameLength <= len);
            }
        }
    }

    @Test
    void allocatesNothingPerMessage() {
        byte[][] samples = SnmpFrames.samples();
        long[] arcs = new long[32];
        for (int i = 0; i < 50_000; i++) {
            byte[] s = samples[i % samples.length];
            p.parse(s, 0, s.length, m);
        }
        long before = ThreadAllocation.bytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "allocation counting unsupported");
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] s = samples[i % samples.length];
            p.parse(s, 0, s.length, m);
            sum += m.pduType + (m.communityIsDefault ? 1 : 0);
            if (m.varbindCount > 0) {
                sum += SnmpParser.oidArcs(s, m.oidOffset[0], m.oidLength[0], arcs);
            }
        }
        long used = ThreadAllocation.bytes() - before;
        assertTrue(sum != 0);
        assertTrue(used < 64 * 1024, "allocated " + used + " bytes over 100k messages");
    }
}
