package io.vigil.protocols.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.decode.DecodedPacket;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class TcpReassemblerAllocationTest {
    private static final int FLOWS = 1000;
    private static final int SEGMENTS_PER_FLOW = 200;
    private static final int MSS = 1000;

    /** Consumes everything, or whole 7-byte PDUs on every fourth slot (the keep-the-remainder path). */
    private static final class Sink implements StreamConsumer {
        long bytes;
        long gaps;

        @Override
        public int onData(int slot, boolean fromClient, byte[] buf, int off, int len, long frameNumber, long ts) {
            int used = (slot & 3) == 0 ? len / 7 * 7 : len;
            bytes += used;
            return used;
        }

        @Override
        public void onGap(int slot, boolean fromClient, long missing) {
            gaps++;
        }
    }

    @Test
    void steadyStateAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        TcpReassembler r = new TcpReassembler(FLOWS, 64 * 1024, 256L << 20);
        Sink sink = new Sink();
        byte[] frame = new byte[Segment.HEADERS + MSS];
        DecodedPacket p = new DecodedPacket();
        p.reset();
        p.payloadOffset = Segment.HEADERS;
        run(r, sink, frame, p, 0);
        run(r, sink, frame, p, 1);
        long before = mx.getThreadAllocatedBytes(tid);
        long segments = r.segments();
        run(r, sink, frame, p, 2);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        segments = r.segments() - segments;
        assertTrue(segments >= 200_000, "segments " + segments);
        assertTrue(r.outOfOrderSegments() > 10_000, "reordering exercised");
        assertEquals(0, sink.gaps);
        assertEquals(0, r.bytesBuffered());
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in " + segments + " segments");
    }

    /** One pass: SYN, then segment i of every flow in turn, every tenth pair swapped, FIN, release. */
    private static void run(TcpReassembler r, Sink sink, byte[] frame, DecodedPacket p, int pass) {
        for (int f = 0; f < FLOWS; f++) {
            p.tcpSeq = isn(f, pass);
            p.tcpFlags = DecodedPacket.TCP_SYN;
            p.payloadLength = 0;
            r.onSegment(f, true, p, frame, sink);
        }
        p.payloadLength = MSS;
        for (int i = 0; i < SEGMENTS_PER_FLOW; i++) {
            int seg = i % 10 == 3 ? i + 1 : i % 10 == 4 ? i - 1 : i;
            for (int f = 0; f < FLOWS; f++) {
                p.tcpSeq = (isn(f, pass) + 1 + (long) seg * MSS) & 0xFFFF_FFFFL;
                p.tcpFlags = DecodedPacket.TCP_ACK;
                r.onSegment(f, true, p, frame, sink);
            }
        }
        p.payloadLength = 0;
        for (int f = 0; f < FLOWS; f++) {
            p.tcpSeq = (isn(f, pass) + 1 + (long) SEGMENTS_PER_FLOW * MSS) & 0xFFFF_FFFFL;
            p.tcpFlags = DecodedPacket.TCP_FIN | DecodedPacket.TCP_ACK;
            r.onSegment(f, true, p, frame, sink);
            r.release(f);
        }
    }

    private static long isn(int flow, int pass) {
        return (flow * 0x9E37_79B9L + pass * 0x7F4A_7C15L) & 0xFFFF_FFFFL;
    }
}
