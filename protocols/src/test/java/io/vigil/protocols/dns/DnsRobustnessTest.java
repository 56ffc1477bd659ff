package io.vigil.protocols.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing. Each case is parsed twice, embedded at an offset in buffers whose surrounding bytes
 * differ (zeros, then 0xC0 — a pointer prefix): equal results show that nothing outside the message was read.
 */
class DnsRobustnessTest {
    private static final int CASES = 120_000;

    private final DnsParser parser = new DnsParser();
    private final DnsMessage a = new DnsMessage();
    private final DnsMessage b = new DnsMessage();

    @Test
    void fuzzNeverThrowsAndStaysInBounds() {
        SplittableRandom r = new SplittableRandom(0xD15EA5E);
        List<byte[]> samples = DnsFrames.samples();
        int malformed = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] msg = mutate(samples.get(r.nextInt(samples.size())), r);
            int off = r.nextInt(8);
            byte[] x = new byte[off + msg.length + 8];
            byte[] y = new byte[x.length];
            Arrays.fill(y, (byte) 0xC0);
            System.arraycopy(msg, 0, x, off, msg.length);
            System.arraycopy(msg, 0, y, off, msg.length);
            boolean dx = parser.parse(x, off, msg.length, a);
            boolean dy = parser.parse(y, off, msg.length, b);
            assertEquals(dx, dy);
            assertEquals(a.toString(), b.toString(), "case " + c);
            check(a, off, msg.length);
            if (a.malformed) {
                malformed++;
            }
            DnsParser.looksLikeDns(x, off, msg.length);
            // The same bytes as a TCP stream, prefix and all.
            parser.parseStream(x, off, msg.length, a, m -> check(m, m.offset, m.length));
        }
        assertTrue(malformed > CASES / 10 && malformed < CASES, "malformed " + malformed);
    }

    private static void check(DnsMessage m, int off, int len) {
        int end = off + len;
        assertTrue(m.qnameLength >= 0 && m.qnameLength <= 253);
        assertTrue(m.qnameLabels <= 127 && m.qnameLongestLabel <= 63);
        if (m.hasQuestion) {
            assertTrue(m.qnameOffset >= off + 12 && m.qnameOffset < end);
        }
        assertTrue(m.answerCount <= DnsMessage.ANSWER_CAPACITY && m.answerCount <= m.answersParsed);
        assertTrue(m.trailingBytes >= 0 && m.trailingBytes <= len);
        for (int i = 0; i < m.answerCount; i++) {
            assertTrue(m.answerNameOffset[i] >= off + 12 && m.answerNameOffset[i] < end);
            assertTrue(m.answerRdataOffset[i] > off && m.answerRdataOffset[i] + m.answerRdataLength[i] <= end);
            int t = m.answerTargetOffset[i];
            assertTrue(t == -1 || t >= m.answerRdataOffset[i] && t < m.answerRdataOffset[i] + m.answerRdataLength[i]);
            if (t >= 0) {
                assertTrue(m.nameAt(t) != null);
            }
            assertTrue(m.answerTxtLength[i] < m.answerRdataLength[i] || m.answerTxtLength[i] <= 0);
        }
    }

    private static byte[] mutate(byte[] s, SplittableRandom r) {
        byte[] b = s.clone();
        int kind = r.nextInt(6);
        switch (kind) {
            case 0: // flip a few bytes
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            case 1: // truncate
                return Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 2: // plant a pointer anywhere
                if (b.length > 13) {
                    int p = 12 + r.nextInt(b.length - 13);
                    int t = r.nextInt(b.length + 4);
                    b[p] = (byte) (0xC0 | t >>> 8);
                    b[p + 1] = (byte) t;
                }
                return b;
            case 3: // silly counts
                for (int i = 4; i < 12; i += 2) {
                    if (r.nextBoolean()) {
                        int v = r.nextBoolean() ? 0xFFFF : r.nextInt(8);
                        b[i] = (byte) (v >>> 8);
                        b[i + 1] = (byte) v;
                    }
                }
                return b;
            case 4: // grow with random bytes
                byte[] g = Arrays.copyOf(b, b.length + 1 + r.nextInt(40));
                for (int i = b.length; i < g.length; i++) {
                    g[i] = (byte) r.nextInt(256);
                }
                return g;
            default: // pure noise behind a plausible header
                byte[] n = new byte[12 + r.nextInt(300)];
                for (int i = 0; i < n.length; i++) {
                    n[i] = (byte) r.nextInt(256);
                }
                n[4] = 0;
                n[5] = (byte) r.nextInt(3);
                return n;
        }
    }
}
