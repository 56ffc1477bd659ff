package io.vigil.bench;

import io.vigil.protocols.iec104.Iec104Apdu;
import io.vigil.protocols.iec104.Iec104ApduSink;
import io.vigil.protocols.iec104.Iec104FlowState;
import io.vigil.protocols.iec104.Iec104Parser;
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
 * IEC 60870-5-104 cost per APDU over a mix as an RTU link carries it: spontaneous floats (M_ME_NC_1,
 * 4 objects), an interrogation's sequence of 16 single points (M_SP_NA_1, SQ), a time-tagged double
 * point (M_DP_TB_1), a select/execute command (C_SC_NA_1), S acknowledgements and TESTFR. One
 * operation is one APDU (one segment each). Run with {@code -prof gc}: the allocation per
 * operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Iec104Bench {
    private static final int APDUS = 1024;

    private byte[][] apdus;
    private final Iec104Parser parser = new Iec104Parser();
    private final Iec104FlowState state = new Iec104FlowState();
    private final Iec104Apdu apdu = new Iec104Apdu();
    private long sum;
    private final Iec104ApduSink sink = a -> sum += a.ioaCount + a.valueCount + a.kind();
    private int next;

    @Setup
    public void setUp() {
        String[] mix = {
            // M_ME_NC_1, 4 objects, spontaneous
            "682a 0200 0600 0d 04 03 00 0300 140500 0000f041 00 150500 0000c0c2 00 160500 00002042 00"
                + " 170500 0000a040 00",
            // M_SP_NA_1, SQ, 16 objects, interrogated
            "681d 0400 0600 01 90 14 00 0300 000000 01000100010001000100010001000100",
            // M_DP_TB_1 with CP56Time2a
            "6815 0600 0600 1f 01 03 00 0300 983a00 02 491f 07 06 05 03 18",
            // C_SC_NA_1 select
            "680e 0800 0600 2d 01 06 00 0300 941100 81",
            // S
            "680401000a00",
            // TESTFR act
            "680443000000",
        };
        apdus = new byte[APDUS][];
        for (int i = 0; i < APDUS; i++) {
            apdus[i] = hex(mix[i % mix.length]);
        }
    }

    private static byte[] hex(String s) {
        s = s.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Framing, APCI and ASDU decoding, object walking and element values. */
    @Benchmark
    public long parse() {
        byte[] b = apdus[next++ & (APDUS - 1)];
        return parser.parse(b, 0, b.length, true, apdu, state, sink) + sum;
    }
}
