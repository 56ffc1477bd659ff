package io.vigil.bench;

import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.tcp.StreamConsumer;
import io.vigil.protocols.tcp.TcpReassembler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link TcpReassembler#onSegment} per segment for 1 000 established flows taking turns,
 * each segment {@value #MSS} bytes, with a consumer that consumes everything. With
 * {@code reorder} one segment in ten arrives before its predecessor, so it is held in a
 * pooled buffer and delivered, copied, when the predecessor fills the hole; otherwise every segment
 * takes the no-copy path. Run with {@code -prof gc}: the allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TcpReassemblyBench {
    private static final int FLOWS = 1000;
    private static final int MSS = 1460;

    /** Whether one segment in ten arrives before its predecessor. */
    @Param({"false", "true"})
    public boolean reorder;

    private final DecodedPacket packet = new DecodedPacket();
    private final byte[] frame = new byte[54 + MSS];
    private final long[] isn = new long[FLOWS];
    private TcpReassembler reassembler;
    private Sink sink;
    private int flow;
    private long round;

    /** Consumes everything; sums a byte so the JIT cannot skip looking at the data. */
    public static final class Sink implements StreamConsumer {
        public long sum;

        @Override
        public int onData(int slot, boolean fromClient, byte[] buf, int off, int len, long frameNumber, long ts) {
            sum += buf[off] + len;
            return len;
        }

        @Override
        public void onGap(int slot, boolean fromClient, long missing) {
            sum--;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        reassembler = new TcpReassembler(FLOWS, 64 * 1024, 256L << 20);
        sink = new Sink();
        packet.reset();
        packet.ipProto = DecodedPacket.PROTO_TCP;
        packet.hasPorts = true;
        packet.payloadOffset = 54;
        for (int f = 0; f < FLOWS; f++) {
            isn[f] = (f * 0x9E37_79B9L) & 0xFFFF_FFFFL;
            packet.tcpSeq = isn[f];
            packet.tcpFlags = DecodedPacket.TCP_SYN;
            packet.payloadLength = 0;
            reassembler.onSegment(f, true, packet, frame, sink);
        }
        packet.tcpFlags = DecodedPacket.TCP_ACK;
        packet.payloadLength = MSS;
    }

    @Benchmark
    public long segment() {
        int f = flow;
        long k = round;
        if (++flow == FLOWS) {
            flow = 0;
            round++;
        }
        long seg = k;
        if (reorder) {
            // one in ten segments (number 4 of each ten) comes before number 3
            int m = (int) (k % 10);
            seg = m == 3 ? k + 1 : m == 4 ? k - 1 : k;
        }
        packet.tcpSeq = (isn[f] + 1 + seg * MSS) & 0xFFFF_FFFFL;
        reassembler.onSegment(f, true, packet, frame, sink);
        return sink.sum;
    }
}
