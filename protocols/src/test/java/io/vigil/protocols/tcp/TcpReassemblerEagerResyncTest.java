package io.vigil.protocols.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.protocols.decode.DecodedPacket;
import org.junit.jupiter.api.Test;

/** The opt-in {@link StreamConsumer#resyncAt}: a hole is given up at once only when the consumer trusts the segment. */
class TcpReassemblerEagerResyncTest {
    private static final byte[] STREAM = new byte[300];

    static {
        for (int i = 0; i < STREAM.length; i++) {
            STREAM[i] = (byte) i;
        }
    }

    /** Trusts segments whose first byte is 100 (the start of the third "PDU"); records through a Recorder. */
    private static final class Trusting implements StreamConsumer {
        final Recorder rec = Recorder.all();

        @Override
        public int onData(int slot, boolean fromClient, byte[] buf, int off, int len, long frame, long ts) {
            return rec.onData(slot, fromClient, buf, off, len, frame, ts);
        }

        @Override
        public void onGap(int slot, boolean fromClient, long missing) {
            rec.onGap(slot, fromClient, missing);
        }

        @Override
        public boolean resyncAt(int slot, boolean fromClient, byte[] buf, int off, int len) {
            return buf[off] == 100;
        }
    }

    @Test
    void trustedSegmentAfterAHoleIsDeliveredAtOnce() {
        TcpReassembler r = new TcpReassembler(4, 64 * 1024, 1 << 20);
        Trusting c = new Trusting();
        Segment.flags(999, DecodedPacket.TCP_SYN).feed(r, 0, true, c);
        Segment.data(1000, STREAM, 0, 50).feed(r, 0, true, c);
        Segment.data(1100, STREAM, 100, 50).feed(r, 0, true, c); // 50..99 never captured
        assertEquals(2, c.rec.calls);
        assertEquals(1, r.eagerResyncs());
        assertEquals(java.util.List.of(50L), c.rec.gaps);
        byte[] expected = new byte[100];
        System.arraycopy(STREAM, 0, expected, 0, 50);
        System.arraycopy(STREAM, 100, expected, 50, 50);
        assertArrayEquals(expected, c.rec.bytes(0, true));
    }

    @Test
    void untrustedSegmentWaitsForTheHoleAsBefore() {
        TcpReassembler r = new TcpReassembler(4, 64 * 1024, 1 << 20);
        Trusting c = new Trusting();
        Segment.flags(999, DecodedPacket.TCP_SYN).feed(r, 0, true, c);
        Segment.data(1000, STREAM, 0, 50).feed(r, 0, true, c);
        Segment.data(1120, STREAM, 120, 30).feed(r, 0, true, c); // starts at 120: not trusted, held
        assertEquals(1, c.rec.calls);
        Segment.data(1050, STREAM, 50, 70).feed(r, 0, true, c); // the hole arrives: all in order
        assertEquals(0, r.eagerResyncs());
        assertEquals(0, c.rec.gaps.size());
        byte[] expected = new byte[150];
        System.arraycopy(STREAM, 0, expected, 0, 150);
        assertArrayEquals(expected, c.rec.bytes(0, true));
    }

    @Test
    void defaultConsumersNeverResyncEagerly() {
        TcpReassembler r = new TcpReassembler(4, 64 * 1024, 1 << 20);
        Recorder c = Recorder.all();
        Segment.flags(999, DecodedPacket.TCP_SYN).feed(r, 0, true, c);
        Segment.data(1100, STREAM, 100, 50).feed(r, 0, true, c);
        assertEquals(0, c.calls);
        assertEquals(0, r.eagerResyncs());
    }
}
