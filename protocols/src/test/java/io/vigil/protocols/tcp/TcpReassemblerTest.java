package io.vigil.protocols.tcp;

import static io.vigil.protocols.decode.DecodedPacket.TCP_ACK;
import static io.vigil.protocols.decode.DecodedPacket.TCP_FIN;
import static io.vigil.protocols.decode.DecodedPacket.TCP_RST;
import static io.vigil.protocols.decode.DecodedPacket.TCP_SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpReassemblerTest {
    private static final int KIB = 1024;

    private static byte[] stream(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] range(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    @Test
    void inOrderSegmentsAreOfferedStraightFromTheFrame() {
        TcpReassembler r = new TcpReassembler(4, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(3000, 1);
        Segment.of(1000, TCP_SYN, s, 0, 0).feed(r, 0, true, c);
        int[] cuts = {0, 1000, 1460, 3000};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Segment seg = Segment.data(1001 + cuts[i], s, cuts[i], cuts[i + 1] - cuts[i]);
            seg.feed(r, 0, true, c);
            assertSame(seg.frame(), c.lastBuf, "no copy on the fast path");
            assertEquals(Segment.HEADERS, c.lastOff);
            assertEquals(seg.packet().frameNumber, c.lastFrameNumber);
        }
        assertArrayEquals(s, c.bytes(0, true));
        assertEquals(List.of(), c.gaps);
        assertEquals(3000, r.bytesDelivered());
        assertEquals(4, r.segments());
        assertEquals(0, r.bytesBuffered());
        assertEquals(0, r.poolBytes(), "nothing buffered, nothing allocated");
    }

    @Test
    void synSetsTheIsnAndRetransmittedSynIsHarmless() {
        TcpReassembler r = new TcpReassembler(4, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(100, 2);
        long isn = 0x1234_5678L;
        long sisn = 0x0BAD_F00DL;
        Segment.flags(isn, TCP_SYN).feed(r, 1, true, c);
        Segment.flags(sisn, TCP_SYN | TCP_ACK).feed(r, 1, false, c);
        Segment.flags(isn, TCP_SYN).feed(r, 1, true, c); // retransmitted SYN
        // Data at the ISN itself would be one byte early: it is the SYN's sequence number.
        Segment.data(isn + 1, s, 0, 40).feed(r, 1, true, c);
        Segment.data(sisn + 1, s, 40, 60).feed(r, 1, false, c);
        assertArrayEquals(range(s, 0, 40), c.bytes(1, true));
        assertArrayEquals(range(s, 40, 100), c.bytes(1, false));
        assertEquals(0, r.midstreamPickups());
        assertEquals(List.of(), c.gaps);
    }

    @Test
    void synPayloadFollowsTheIsn() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(50, 3);
        Segment.of(500, TCP_SYN, s, 0, 20).feed(r, 0, true, c); // TCP fast open
        Segment.data(521, s, 20, 30).feed(r, 0, true, c);
        assertArrayEquals(s, c.bytes(0, true));
    }

    @Test
    void outOfOrderSegmentsAreDeliveredWhenTheHoleFills() {
        byte[] s = stream(400, 4);
        int[][] perms = permutations(4);
        for (int[] perm : perms) {
            TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
            Recorder c = Recorder.all();
            Segment.flags(99, TCP_SYN).feed(r, 0, true, c);
            for (int i : perm) {
                Segment.data(100 + i * 100, s, i * 100, 100).feed(r, 0, true, c);
            }
            assertArrayEquals(s, c.bytes(0, true), Arrays.toString(perm));
            assertEquals(List.of(), c.gaps);
            assertEquals(0, r.bytesBuffered());
            assertEquals(0, r.poolBytesInUse(), "buffers go back once empty");
            assertEquals(400, r.bytesDelivered());
        }
    }

    private static int[][] permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out.toArray(new int[0][]);
    }

    private static void permute(int[] a, boolean[] used, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = 0; i < a.length; i++) {
            if (!used[i]) {
                used[i] = true;
                a[k] = i;
                permute(a, used, k + 1, out);
                used[i] = false;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomSegmentationReorderingAndDuplicatesReproduceTheStream(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] s = stream(300_000, seed);
        // Wrap the sequence space within the stream for half the seeds.
        long isn = seed % 2 == 0 ? 0xFFFF_FFFFL - 100_000 : rnd.nextLong(1L << 32);
        List<Segment> segs = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        for (int off = 0; off < s.length;) {
            int len = Math.min(s.length - off, 1 + rnd.nextInt(1460));
            spans.add(new int[] {off, len});
            off += len;
        }
        int i = 0;
        while (i < spans.size()) {
            // shuffle within a window of up to 8 segments (well inside 64 KiB)
            int w = Math.min(spans.size() - i, 1 + rnd.nextInt(8));
            List<int[]> window = new ArrayList<>(spans.subList(i, i + w));
            for (int k = window.size() - 1; k > 0; k--) {
                int j = rnd.nextInt(k + 1);
                int[] t = window.get(k);
                window.set(k, window.get(j));
                window.set(j, t);
            }
            for (int[] sp : window) {
                segs.add(Segment.data(isn + 1 + sp[0], s, sp[0], sp[1]));
                if (rnd.nextInt(10) == 0) {
                    segs.add(Segment.data(isn + 1 + sp[0], s, sp[0], sp[1])); // duplicate
                }
                if (rnd.nextInt(10) == 0 && sp[0] > 2000) {
                    // an overlapping retransmission straddling earlier data
                    int from = sp[0] - 1 - rnd.nextInt(2000);
                    int len = Math.min(s.length - from, 1 + rnd.nextInt(3000));
                    segs.add(Segment.data(isn + 1 + from, s, from, len));
                }
            }
            i += w;
        }
        for (int pdu : new int[] {Recorder.ALL, 7}) {
            TcpReassembler r = new TcpReassembler(2, 64 * KIB, 1 << 24);
            Recorder c = new Recorder(pdu);
            Segment.flags(isn, TCP_SYN).feed(r, 1, false, c);
            for (Segment seg : segs) {
                seg.feed(r, 1, false, c);
            }
            byte[] expected = pdu == Recorder.ALL ? s : range(s, 0, s.length / 7 * 7);
            assertArrayEquals(expected, c.bytes(1, false), "seed " + seed + " pdu " + pdu);
            assertEquals(List.of(), c.gaps, "seed " + seed);
            assertEquals(s.length, r.bytesDelivered());
            assertTrue(r.outOfOrderSegments() > 0 && r.retransmissions() > 0 && r.overlaps() > 0);
            assertEquals(s.length - expected.length, r.bytesBuffered());
        }
    }

    @Test
    void retransmissionsAreIgnoredAndOverlapsTrimmed() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(1000, 5);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment.data(1, s, 0, 100).feed(r, 0, true, c);
        Segment.data(1, s, 0, 100).feed(r, 0, true, c); // full duplicate
        Segment.data(51, s, 50, 100).feed(r, 0, true, c); // 50 old, 50 new
        assertArrayEquals(range(s, 0, 150), c.bytes(0, true));
        assertEquals(1, r.retransmissions());
        assertEquals(1, r.overlaps());
        // Out-of-order islands with overlaps among themselves: the first copy of a byte wins, none twice.
        Segment.data(301, s, 300, 100).feed(r, 0, true, c);
        Segment.data(351, s, 350, 100).feed(r, 0, true, c); // overlaps the island
        Segment.data(301, s, 300, 100).feed(r, 0, true, c); // duplicate of the island
        Segment.data(201, s, 200, 50).feed(r, 0, true, c);
        assertEquals(2, r.retransmissions());
        assertEquals(2, r.overlaps());
        Segment.data(101, s, 100, 250).feed(r, 0, true, c); // fills the holes, overlaps islands
        assertArrayEquals(range(s, 0, 450), c.bytes(0, true));
        assertEquals(List.of(), c.gaps);
        assertEquals(0, r.bytesBuffered());
    }

    @Test
    void sequenceNumbersWrapAt2To32() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(3000, 6);
        long isn = 0xFFFF_FFFFL - 1000; // byte 1000 sits at sequence 0
        Segment.flags(isn, TCP_SYN).feed(r, 0, true, c);
        Segment.data(isn + 1, s, 0, 500).feed(r, 0, true, c);
        Segment.data(isn + 1 + 1500, s, 1500, 1500).feed(r, 0, true, c); // past the wrap, ahead
        Segment.data(isn + 1 + 800, s, 800, 700).feed(r, 0, true, c); // straddles the wrap, ahead
        Segment.data(isn + 1 + 100, s, 100, 300).feed(r, 0, true, c); // behind: retransmission
        Segment.data(isn + 1 + 500, s, 500, 300).feed(r, 0, true, c); // fills
        assertArrayEquals(s, c.bytes(0, true));
        assertEquals(1, r.retransmissions());
        assertEquals(List.of(), c.gaps);
        Segment.flags(isn + 1 + 3000, TCP_FIN | TCP_ACK).feed(r, 0, true, c);
        assertEquals(List.of(), c.gaps, "FIN exactly at the end of the data");
    }

    @Test
    void midstreamPickupReportsAnUnknownGapFirst() {
        TcpReassembler r = new TcpReassembler(2, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(500, 7);
        Segment.flags(77_000, TCP_ACK).feed(r, 1, true, c); // bare ACK: does not anchor
        Segment.data(5_000_000, s, 0, 200).feed(r, 1, true, c);
        Segment.data(5_000_200, s, 200, 300).feed(r, 1, true, c);
        assertEquals(List.of("c1 gap -1", "c1 data 200/200", "c1 data 300/300"), c.events);
        assertEquals(1, r.midstreamPickups());
        assertEquals(1, r.gaps());
        assertEquals(0, r.gapBytes());
        assertArrayEquals(s, c.bytes(1, true));
    }

    @Test
    void aMissingSegmentBeforeFinIsAGapOfItsSize() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(3000, 8);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment.data(1, s, 0, 1000).feed(r, 0, true, c);
        // 1000..1400 lost for good
        Segment.data(1401, s, 1400, 600).feed(r, 0, true, c);
        Segment.data(2001, s, 2000, 500).feed(r, 0, true, c);
        assertEquals(List.of("c0 data 1000/1000"), c.events, "waits for the hole while the window allows");
        assertEquals(1100, r.bytesBuffered());
        Segment.of(2501, TCP_FIN | TCP_ACK, s, 2500, 500).feed(r, 0, true, c);
        assertEquals(List.of("c0 data 1000/1000", "c0 gap 400", "c0 data 1600/1600"), c.events);
        byte[] expected = new byte[2600];
        System.arraycopy(s, 0, expected, 0, 1000);
        System.arraycopy(s, 1400, expected, 1000, 1600);
        assertArrayEquals(expected, c.bytes(0, true));
        assertEquals(1, r.gaps());
        assertEquals(400, r.gapBytes());
        assertEquals(0, r.bytesBuffered());
        assertEquals(0, r.poolBytesInUse());
        Segment.data(1001, s, 1000, 400).feed(r, 0, true, c); // too late: the direction is closed
        assertEquals(3, c.events.size());
    }

    @Test
    void finBeyondTheDataIsAFinalGap() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(100, 9);
        Segment.flags(0, TCP_SYN).feed(r, 0, false, c);
        Segment.data(1, s, 0, 100).feed(r, 0, false, c);
        Segment.flags(151, TCP_FIN | TCP_ACK).feed(r, 0, false, c);
        assertEquals(List.of("s0 data 100/100", "s0 gap 50"), c.events);
    }

    @Test
    void rstDeliversWhatIsHeldAcrossItsHoles() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(1000, 10);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment.data(101, s, 100, 100).feed(r, 0, true, c);
        Segment.data(401, s, 400, 100).feed(r, 0, true, c);
        Segment.flags(1001, TCP_RST).feed(r, 0, true, c);
        assertEquals(List.of("c0 gap 100", "c0 data 100/100", "c0 gap 200", "c0 data 100/100"), c.events);
        assertEquals(0, r.poolBytesInUse());
    }

    @Test
    void partialConsumptionKeepsAndPrependsTheRemainder() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = new Recorder(7);
        // PDUs of 7 bytes: a counter in the first 4, so misalignment would show.
        byte[] s = new byte[7 * 1000];
        for (int i = 0; i < 1000; i++) {
            s[i * 7] = (byte) (i >>> 24);
            s[i * 7 + 1] = (byte) (i >>> 16);
            s[i * 7 + 2] = (byte) (i >>> 8);
            s[i * 7 + 3] = (byte) i;
            s[i * 7 + 4] = 'P';
            s[i * 7 + 5] = 'D';
            s[i * 7 + 6] = 'U';
        }
        SplittableRandom rnd = new SplittableRandom(11);
        Segment.flags(41, TCP_SYN).feed(r, 0, true, c);
        int off = 0;
        boolean copiedOnce = false;
        while (off < s.length) {
            int len = Math.min(s.length - off, 1 + rnd.nextInt(30));
            Segment seg = Segment.data(42 + off, s, off, len);
            boolean hadRemainder = r.bytesBuffered() > 0;
            seg.feed(r, 0, true, c);
            if (hadRemainder) {
                assertTrue(c.lastBuf != seg.frame(), "remainder prepended in a buffer");
                copiedOnce = true;
            } else {
                assertSame(seg.frame(), c.lastBuf);
            }
            off += len;
            assertEquals(off % 7, r.bytesBuffered());
        }
        assertTrue(copiedOnce);
        assertArrayEquals(s, c.bytes(0, true));
        assertEquals(List.of(), c.gaps);
    }

    @Test
    void aConsumerThatNeverConsumesIsFlushedAtTheBound() {
        int window = 16 * KIB;
        TcpReassembler r = new TcpReassembler(1, window, 1 << 20);
        Recorder c = new Recorder(Recorder.NOTHING);
        byte[] s = stream(200_000, 12);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        for (int off = 0; off < s.length; off += 1000) {
            Segment.data(1 + off, s, off, 1000).feed(r, 0, true, c);
            assertTrue(r.bytesBuffered() <= window, "bounded: " + r.bytesBuffered());
        }
        assertTrue(r.bufferOverflows() >= 10, "overflows " + r.bufferOverflows());
        assertEquals(r.bufferOverflows(), r.gaps());
        assertTrue(c.maxOffered <= window);
        assertTrue(r.poolBytes() <= 2L * window, "pool " + r.poolBytes());
        // every byte is either still held or was reported lost
        assertEquals(s.length, r.gapBytes() + r.bytesBuffered());
        for (long g : c.gaps) {
            assertTrue(g > 0 && g <= window);
        }
    }

    @Test
    void outOfOrderDataBeyondTheWindowGivesUpTheHole() {
        int window = 8 * KIB;
        TcpReassembler r = new TcpReassembler(1, window, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(20_000, 13);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment.data(1, s, 0, 1000).feed(r, 0, true, c);
        // 1000..2000 lost; what follows piles up until it no longer fits
        int off = 2000;
        while (off + 1000 <= window + 1000) {
            Segment.data(1 + off, s, off, 1000).feed(r, 0, true, c);
            off += 1000;
        }
        assertEquals(List.of("c0 data 1000/1000"), c.events);
        Segment last = Segment.data(1 + off, s, off, 1000);
        last.feed(r, 0, true, c);
        off += 1000;
        assertEquals(List.of("c0 data 1000/1000", "c0 gap 1000", "c0 data 7000/7000",
                "c0 data 1000/1000"), c.events, "gap, the held data, then the new segment now in order");
        assertSame(last.frame(), c.lastBuf);
        byte[] expected = new byte[off - 1000];
        System.arraycopy(s, 0, expected, 0, 1000);
        System.arraycopy(s, 2000, expected, 1000, off - 2000);
        assertArrayEquals(expected, c.bytes(0, true));
        assertEquals(0, r.bytesBuffered());
    }

    @Test
    void dataFarBeyondTheWindowJumps() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(1000, 14);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment.data(1, s, 0, 100).feed(r, 0, true, c);
        Segment seg = Segment.data(1_000_101, s, 100, 100);
        seg.feed(r, 0, true, c);
        assertEquals(List.of("c0 data 100/100", "c0 gap 1000000", "c0 data 100/100"), c.events);
        assertSame(seg.frame(), c.lastBuf);
        Segment.data(1_000_201, s, 200, 100).feed(r, 0, true, c);
        assertArrayEquals(range(s, 0, 300), c.bytes(0, true));
    }

    @Test
    void tooManyIslandsGiveUpTheOldestHole() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(10_000, 15);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        for (int i = 0; i <= StreamBuffer.MAX_RANGES; i++) {
            Segment.data(1 + 20 + i * 20, s, 20 + i * 20, 10).feed(r, 0, true, c);
        }
        assertEquals(List.of(20L), c.gaps);
        assertEquals(1, c.calls);
        assertTrue(r.bytesBuffered() <= StreamBuffer.MAX_RANGES * 10);
    }

    @Test
    void theGlobalBoundDropsOutOfOrderDataAndFlushesRemainders() {
        long total = 8 * KIB;
        TcpReassembler r = new TcpReassembler(16, 64 * KIB, total);
        Recorder c = Recorder.all();
        byte[] s = stream(2000, 16);
        for (int slot = 0; slot < 16; slot++) {
            Segment.flags(0, TCP_SYN).feed(r, slot, true, c);
            Segment.data(101, s, 100, 1000).feed(r, slot, true, c); // held out of order: 2 KiB buffer
            assertTrue(r.poolBytes() <= total);
        }
        assertEquals(12, r.poolExhausted(), "four 2 KiB buffers fit in 8 KiB");
        assertEquals(4 * 1000, r.bytesBuffered());
        // A consumer's remainder that cannot be kept is a gap.
        Recorder pdu = new Recorder(7);
        Segment.data(1, s, 0, 10).feed(r, 15, true, pdu);
        assertEquals(List.of("c15 data 10/7", "c15 gap 3"), pdu.events);
        assertEquals(13, r.poolExhausted());
        // Releasing flows makes room again, without new allocation.
        for (int slot = 0; slot < 16; slot++) {
            r.release(slot);
        }
        assertEquals(0, r.bytesBuffered());
        assertEquals(0, r.poolBytesInUse());
        assertEquals(total, r.poolBytes());
        Segment.flags(0, TCP_SYN).feed(r, 3, true, c);
        Segment.data(101, s, 100, 1000).feed(r, 3, true, c);
        assertEquals(13, r.poolExhausted());
    }

    @Test
    void growingPastTheGlobalBoundReclaimsIdleBuffers() {
        TcpReassembler r = new TcpReassembler(4, 64 * KIB, 16 * KIB);
        Recorder c = Recorder.all();
        byte[] s = stream(20_000, 17);
        // fill the pool with idle 2 KiB buffers
        for (int slot = 0; slot < 4; slot++) {
            Segment.flags(0, TCP_SYN).feed(r, slot, true, c);
            Segment.data(101, s, 0, 100).feed(r, slot, true, c);
        }
        for (int slot = 0; slot < 4; slot++) {
            r.release(slot);
        }
        assertEquals(8 * KIB, r.poolBytes());
        // one direction now wants 12 KiB: idle small buffers are given up to make room
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment.data(2001, s, 2000, 10_000).feed(r, 0, true, c);
        assertEquals(0, r.poolExhausted());
        assertTrue(r.poolBytes() <= 16 * KIB);
        Segment.data(1, s, 0, 2000).feed(r, 0, true, c);
        assertArrayEquals(range(s, 0, 12_000), c.bytes(0, true));
    }

    @Test
    void releaseFreesTheSlotForAnotherFlow() {
        TcpReassembler r = new TcpReassembler(2, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(2000, 18);
        Segment.flags(1000, TCP_SYN).feed(r, 1, true, c);
        Segment.data(1501, s, 500, 500).feed(r, 1, true, c);
        Segment.flags(1000, TCP_SYN | TCP_ACK).feed(r, 1, false, c);
        Segment.data(1001, s, 0, 100).feed(r, 1, false, c);
        assertEquals(500, r.bytesBuffered());
        r.release(1);
        assertEquals(0, r.bytesBuffered());
        assertEquals(0, r.poolBytesInUse());
        // a new flow in the same slot: its own ISN, nothing of the old one
        Recorder c2 = Recorder.all();
        Segment.flags(90_000, TCP_SYN).feed(r, 1, true, c2);
        Segment.data(90_001, s, 1000, 1000).feed(r, 1, true, c2);
        assertArrayEquals(range(s, 1000, 2000), c2.bytes(1, true));
        assertEquals(List.of(), c2.gaps);
        // and one picked up mid-stream, after a FIN closed the previous one
        Segment.flags(91_001, TCP_FIN | TCP_ACK).feed(r, 1, true, c2);
        r.release(1);
        Segment.data(7, s, 0, 10).feed(r, 1, true, c2);
        assertEquals(List.of(-1L), c2.gaps);
    }

    @Test
    void directionsAreIndependent() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] req = stream(3000, 19);
        byte[] rsp = stream(3000, 20);
        Segment.flags(10, TCP_SYN).feed(r, 0, true, c);
        Segment.flags(20_000, TCP_SYN | TCP_ACK).feed(r, 0, false, c);
        // client in order, server reversed, interleaved
        for (int i = 0; i < 3; i++) {
            Segment.data(11 + i * 1000, req, i * 1000, 1000).feed(r, 0, true, c);
            int j = 2 - i;
            Segment.data(20_001 + j * 1000, rsp, j * 1000, 1000).feed(r, 0, false, c);
            if (i < 2) {
                assertEquals((i + 1) * 1000, r.bytesBuffered(), "only the server side holds data");
            }
        }
        assertArrayEquals(req, c.bytes(0, true));
        assertArrayEquals(rsp, c.bytes(0, false));
        Segment.flags(20_001 + 3000 + 500, TCP_FIN | TCP_ACK).feed(r, 0, false, c);
        Segment.data(11 + 3000, req, 0, 100).feed(r, 0, true, c);
        assertEquals(List.of(500L), c.gaps, "server's FIN gap does not touch the client side");
        assertEquals(3100, c.bytes(0, true).length);
    }

    @Test
    void aSnapLengthCutIsAGapAtTheNextSegment() {
        TcpReassembler r = new TcpReassembler(1, 64 * KIB, 1 << 20);
        Recorder c = Recorder.all();
        byte[] s = stream(3000, 21);
        Segment.flags(0, TCP_SYN).feed(r, 0, true, c);
        Segment cut = Segment.data(1, s, 0, 96); // 1000 bytes on the wire, 96 captured
        cut.packet().payloadTruncated = true;
        cut.packet().originalLength += 904;
        cut.feed(r, 0, true, c);
        Segment.data(1001, s, 1000, 1000).feed(r, 0, true, c);
        assertEquals(List.of("c0 data 96/96", "c0 gap 904", "c0 data 1000/1000"), c.events);
        assertEquals(0, r.bytesBuffered());
    }
}
