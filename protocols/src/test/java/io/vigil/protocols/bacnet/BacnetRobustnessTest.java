package io.vigil.protocols.bacnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hostile input: truncations, mutations and random datagrams must never throw or point outside the datagram. */
class BacnetRobustnessTest {
    private final BacnetParser parser = new BacnetParser();
    private final BacnetPdu pdu = new BacnetPdu();
    private final Map<String, byte[]> samples = BacnetFrames.samples();

    /**
     * Samples whose every parameter is required, so that any cut must be reported (RPM/WPM lists may legally end
     * after any object, so they are not here).
     */
    private static final Set<String> ALL_REQUIRED = Set.of("i-am", "read-property", "write-property", "rp-ack-real",
            "i-have", "cov-confirmed", "cov-unconfirmed", "read-file", "read-file-ack",
            "write-file", "time-sync", "error", "reject", "abort", "segment-ack", "simple-ack", "register-fd",
            "bvlc-result", "forwarded", "delete-fdt");

    private void check(byte[] b, int off, int len, String what) {
        boolean r;
        try {
            r = parser.parse(b, off, len, pdu);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
        int end = off + len;
        if (!r || pdu.malformed) {
            assertTrue(pdu.malformed, what);
            assertNotNull(pdu.malformedReason, what);
        }
        if (!r) {
            return;
        }
        inBounds(pdu.serviceOffset, pdu.serviceLength, off, end, what + " service");
        inBounds(pdu.dadrOffset, pdu.dlen, off, end, what + " dadr");
        inBounds(pdu.sadrOffset, pdu.slen, off, end, what + " sadr");
        inBounds(pdu.nameOffset, pdu.nameLength, off, end, what + " name");
        inBounds(pdu.fileDataOffset, pdu.fileDataLength, off, end, what + " file data");
        if (pdu.value.present()) {
            inBounds(pdu.value.offset, pdu.value.length, off, end, what + " value");
        }
        assertTrue(pdu.itemCount <= BacnetPdu.ITEM_CAPACITY && pdu.itemCount <= pdu.propertyCount, what);
        assertTrue(pdu.apduOffset < end, what);
    }

    private static void inBounds(int o, int l, int off, int end, String what) {
        if (o < 0) {
            return;
        }
        if (o < off || l < 0 || o + l > end) {
            fail(what + ": [" + o + ", +" + l + ") outside [" + off + ", " + end + ")");
        }
    }

    private static byte[] withLength(byte[] b, int len) {
        byte[] c = Arrays.copyOf(b, len);
        if (len >= 4) {
            c[2] = (byte) (len >>> 8);
            c[3] = (byte) len;
        }
        return c;
    }

    @Test
    void everyTruncationOfEverySample() {
        int cases = 0;
        for (Map.Entry<String, byte[]> e : samples.entrySet()) {
            byte[] b = e.getValue();
            for (int len = 0; len < b.length; len++) {
                // As captured: the BVLC length no longer matches.
                byte[] cut = Arrays.copyOf(b, len);
                check(cut, 0, len, e.getKey() + " cut to " + len);
                assertTrue(pdu.malformed);
                assertFalse(BacnetParser.looksLikeBacnet(cut, 0, len));
                // With the BVLC length rewritten, the NPDU/APDU decoders see the cut.
                byte[] fixed = withLength(b, len);
                check(fixed, 0, len, e.getKey() + " shortened to " + len);
                if (ALL_REQUIRED.contains(e.getKey()) && len >= 4) {
                    assertTrue(pdu.malformed, e.getKey() + " shortened to " + len);
                }
                cases += 2;
            }
        }
        assertTrue(cases > 1000, "cases " + cases);
    }

    @Test
    void seededMutationFuzz() {
        SplittableRandom r = new SplittableRandom(0xBAC0);
        List<byte[]> seeds = new ArrayList<>(samples.values());
        byte[] buf = new byte[1600];
        int malformed = 0;
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            int off = r.nextInt(8);
            int len;
            int kind = r.nextInt(10);
            if (kind < 7) {
                byte[] s = seeds.get(r.nextInt(seeds.size()));
                len = Math.max(0, s.length + (r.nextInt(4) == 0 ? r.nextInt(-6, 7) : 0));
                Arrays.fill(buf, (byte) 0);
                System.arraycopy(s, 0, buf, off, Math.min(len, s.length));
                int flips = 1 + r.nextInt(4);
                for (int k = 0; k < flips && len > 0; k++) {
                    int at = off + r.nextInt(len);
                    buf[at] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : (byte) (buf[at] ^ 1 << r.nextInt(8));
                }
            } else {
                len = r.nextInt(1, 200);
                for (int k = 0; k < len; k++) {
                    buf[off + k] = (byte) r.nextInt(256);
                }
                buf[off] = (byte) 0x81;
                buf[off + 1] = (byte) r.nextInt(0x0D);
            }
            if (len >= 4 && r.nextInt(4) != 0) {
                // Usually keep the BVLC header consistent so the mutation reaches the deeper layers.
                buf[off] = (byte) 0x81;
                buf[off + 2] = (byte) (len >>> 8);
                buf[off + 3] = (byte) len;
            }
            check(buf, off, len, "case " + i);
            if (pdu.malformed) {
                malformed++;
            }
        }
        assertTrue(malformed > n / 10, "malformed " + malformed);
        // Absurd bounds are refused, not thrown on.
        check(buf, -1, 5, "negative offset");
        check(buf, 1590, 20, "past the end");
        check(buf, 0, -3, "negative length");
    }

    @Test
    void parsingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        byte[][] frames = samples.values().toArray(new byte[0][]);
        long sink = 0;
        for (int i = 0; i < 300_000; i++) {
            byte[] b = frames[i % frames.length];
            parser.parse(b, 0, b.length, pdu);
            sink += pdu.invokeId;
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = frames[i % frames.length];
            parser.parse(b, 0, b.length, pdu);
            sink += pdu.invokeId + pdu.propertyCount;
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 100k datagrams");
        assertTrue(sink != 0);
        assertEquals(frames.length, samples.size());
    }
}
