package io.vigil.protocols.tcp;

import static io.vigil.protocols.decode.DecodedPacket.TCP_ACK;
import static io.vigil.protocols.decode.DecodedPacket.TCP_FIN;
import static io.vigil.protocols.decode.DecodedPacket.TCP_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random loss, reordering, duplicates, small windows and a tight global bound: whatever is given up,
 * every offered byte must be the original byte at its stream position, where the position advances
 * by what the consumer consumed plus each gap's {@code missing}.
 */
class TcpReassemblerModelTest {
    private static final int FLOWS = 8;

    /** Checks offered bytes against the original stream of each flow. */
    private static final class Checker implements StreamConsumer {
        final byte[][] streams;
        final long[] pos = new long[FLOWS];
        final int pdu;
        long checked;

        Checker(byte[][] streams, int pdu) {
            this.streams = streams;
            this.pdu = pdu;
        }

        @Override
        public int onData(int slot, boolean fromClient, byte[] buf, int off, int len, long frameNumber, long ts) {
            byte[] s = streams[slot];
            for (int i = 0; i < len; i++) {
                if (buf[off + i] != s[(int) pos[slot] + i]) {
                    throw new AssertionError("flow " + slot + " byte " + (pos[slot] + i) + " wrong");
                }
            }
            checked += len;
            int used = pdu == 0 ? len : len / pdu * pdu;
            pos[slot] += used;
            return used;
        }

        @Override
        public void onGap(int slot, boolean fromClient, long missing) {
            assertTrue(missing > 0, "every gap here has a known size: " + missing);
            pos[slot] += missing;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void offeredBytesAlwaysSitAtTheirStreamPosition(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int window = 1 << (12 + rnd.nextInt(4)); // 4..32 KiB
        long total = rnd.nextBoolean() ? 1L << 30 : 3L * window;
        int pdu = rnd.nextBoolean() ? 0 : 5 + rnd.nextInt(200);
        byte[][] streams = new byte[FLOWS][];
        long[] isn = new long[FLOWS];
        List<int[]> order = new ArrayList<>(); // {flow, from, len}
        for (int f = 0; f < FLOWS; f++) {
            streams[f] = new byte[50_000 + rnd.nextInt(50_000)];
            rnd.nextBytes(streams[f]);
            isn[f] = rnd.nextLong(1L << 32);
            List<int[]> segs = new ArrayList<>();
            for (int off = 0; off < streams[f].length;) {
                int len = Math.min(streams[f].length - off, 1 + rnd.nextInt(2000));
                if (rnd.nextInt(30) != 0) { // ~3% lost
                    segs.add(new int[] {f, off, len});
                }
                if (rnd.nextInt(20) == 0 && off > 0) {
                    int from = rnd.nextInt(off);
                    segs.add(new int[] {f, from, Math.min(streams[f].length - from, 1 + rnd.nextInt(3000))});
                }
                off += len;
            }
            for (int i = 0; i < segs.size(); i++) { // local reordering, sometimes far
                int j = Math.min(segs.size() - 1, i + rnd.nextInt(rnd.nextInt(10) == 0 ? 40 : 4));
                int[] t = segs.get(i);
                segs.set(i, segs.get(j));
                segs.set(j, t);
            }
            order.addAll(segs);
        }
        // interleave flows
        for (int i = order.size() - 1; i > 0; i--) {
            if (rnd.nextInt(3) == 0) {
                int j = rnd.nextInt(i + 1);
                int[] t = order.get(i);
                order.set(i, order.get(j));
                order.set(j, t);
            }
        }
        TcpReassembler r = new TcpReassembler(FLOWS, window, total);
        Checker c = new Checker(streams, pdu);
        for (int f = 0; f < FLOWS; f++) {
            Segment.flags(isn[f], TCP_SYN).feed(r, f, true, c);
        }
        for (int[] o : order) {
            Segment.data(isn[o[0]] + 1 + o[1], streams[o[0]], o[1], o[2]).feed(r, o[0], true, c);
            assertTrue(r.poolBytes() <= total);
            assertTrue(r.bytesBuffered() <= (long) FLOWS * window);
        }
        for (int f = 0; f < FLOWS; f++) {
            Segment.flags(isn[f] + 1 + streams[f].length, TCP_FIN | TCP_ACK).feed(r, f, true, c);
            // after the FIN every byte is accounted for: consumed, lost, or a partial PDU left at the end
            assertTrue(streams[f].length - c.pos[f] < Math.max(pdu, 1), "flow " + f + " at " + c.pos[f]);
        }
        assertEquals(0, r.bytesBuffered());
        assertEquals(0, r.poolBytesInUse());
        assertTrue(r.gaps() > 0 && c.checked > 0);
    }
}
