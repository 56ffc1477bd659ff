package io.vigil.bench;

import io.vigil.protocols.bacnet.BacnetParser;
import io.vigil.protocols.bacnet.BacnetPdu;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BACnet/IP decode cost per datagram over the polling mix a building network carries: ReadProperty requests,
 * ReadProperty-ACKs with a REAL, WriteProperty and I-Am. Run with {@code -prof gc}: allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BacnetBench {
    private static final String[] MIX = {
        "810a001101040005010c0c000000011955",                     // ReadProperty AI-1 present-value
        "810a0014010030010c0c0000000119553e44429100003f",         // ReadProperty-ACK REAL 72.5
        "810a001801040005020f0c0080000119553e4442c800003f",       // WriteProperty AV-1 present-value 100.0
        "810b00180120ffff00ff1000c4020000012205c491002103",       // I-Am device,1
    };

    private byte[][] frames;
    private final BacnetParser parser = new BacnetParser();
    private final BacnetPdu pdu = new BacnetPdu();
    private int next;

    @Setup
    public void setUp() {
        // 8 frames: ReadProperty and its ACK twice as often as the rest, as in a polling controller's traffic.
        int[] order = {0, 1, 0, 1, 2, 0, 1, 3};
        frames = new byte[order.length][];
        for (int i = 0; i < order.length; i++) {
            byte[] b = hex(MIX[order[i]]);
            b[2] = (byte) (b.length >>> 8);
            b[3] = (byte) b.length;
            frames[i] = b;
            if (!parser.parse(b, 0, b.length, pdu) || pdu.malformed) {
                throw new IllegalStateException("benchmark frame " + MIX[order[i]] + ": " + pdu.malformedReason);
            }
        }
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Benchmark
    public int parseMix() {
        byte[] b = frames[next++ & 7];
        parser.parse(b, 0, b.length, pdu);
        return pdu.propertyId + pdu.instance + (int) pdu.value.real;
    }
}
