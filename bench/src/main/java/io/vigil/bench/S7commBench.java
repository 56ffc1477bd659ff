package io.vigil.bench;

import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.s7comm.S7FlowState;
import io.vigil.protocols.s7comm.S7IcsOps;
import io.vigil.protocols.s7comm.S7Message;
import io.vigil.protocols.s7comm.S7MessageSink;
import io.vigil.protocols.s7comm.S7Parser;
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
 * S7 cost per PDU over an HMI polling mix: read var of 2 items and its response, write var of one INT and its
 * response, a userdata SZL read and its response, and an S7comm-plus V3 GetMultiVariables request/response pair.
 * One operation is one TPKT in its own segment (the common case). Run with {@code -prof gc}: the allocation per
 * operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class S7commBench {
    private byte[][] tpkts;
    private boolean[] fromClient;
    private final S7Parser parser = new S7Parser();
    private final S7FlowState state = new S7FlowState();
    private final S7Message msg = new S7Message();
    private final IcsOp op = new IcsOp();
    private long sum;
    private final S7MessageSink count = m -> sum += m.items + m.valueCount + m.function;
    private final S7MessageSink toIcsOp = m -> {
        S7IcsOps.fill(op, m);
        sum += op.function + op.objectCount;
    };
    private int next;

    @Setup
    public void setUp() {
        byte[] item1 = hex("120a1002000400018400000a");
        byte[] item2 = hex("120a1004000100008300001b");
        byte[][] digest = {hex("20"), new byte[32]};
        tpkts = new byte[][] {
            dt(s7(1, 1, concat(hex("0402"), item1, item2), new byte[0], false)),
            dt(s7(3, 1, hex("0402"), hex("ff04002001020304 ff040010abcd"), true)),
            dt(s7(1, 2, concat(hex("0501"), hex("120a10050001000184000050")), hex("0004001004d2"), false)),
            dt(s7(3, 2, hex("0501"), hex("ff"), true)),
            dt(s7(7, 3, hex("0001120411440100"), hex("ff09000400110000"), false)),
            dt(s7(7, 3, hex("000112081284010100000000"), hex("ff09000a00110000001c00010001"), false)),
            dt(plus(3, concat(digest[0], digest[1], hex("310000054c0000000700000000 01 0000")))),
            dt(plus(3, concat(digest[0], digest[1], hex("320000054c0000000700 0000 00")))),
        };
        fromClient = new boolean[tpkts.length];
        for (int i = 0; i < tpkts.length; i++) {
            fromClient[i] = i % 2 == 0;
            int[] malformed = {0};
            int used = parser.parse(tpkts[i], 0, tpkts[i].length, fromClient[i], msg, state,
                m -> malformed[0] += m.malformed ? 1 : 0);
            if (used != tpkts[i].length || malformed[0] != 0) {
                throw new IllegalStateException("bench PDU " + i + " does not decode cleanly");
            }
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

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** TPKT + COTP DT with EOT around a data unit. */
    private static byte[] dt(byte[] data) {
        byte[] b = concat(hex("03000000 02f080"), data);
        b[2] = (byte) (b.length >>> 8);
        b[3] = (byte) b.length;
        return b;
    }

    private static byte[] s7(int rosctr, int ref, byte[] param, byte[] data, boolean ack) {
        byte[] h = new byte[ack ? 12 : 10];
        h[0] = 0x32;
        h[1] = (byte) rosctr;
        h[5] = (byte) ref;
        h[7] = (byte) param.length;
        h[9] = (byte) data.length;
        return concat(h, param, data);
    }

    private static byte[] plus(int version, byte[] data) {
        return concat(new byte[] {0x72, (byte) version, (byte) (data.length >>> 8), (byte) data.length}, data,
            new byte[] {0x72, (byte) version, 0, 0});
    }

    /** Framing and decoding only. */
    @Benchmark
    public long parse() {
        int i = next++ & 7; // eight PDUs
        byte[] b = tpkts[i];
        return parser.parse(b, 0, b.length, fromClient[i], msg, state, count) + sum;
    }

    /** Framing, decoding and the reduction to the observation payload (IcsOp). */
    @Benchmark
    public long parseToIcsOp() {
        int i = next++ & 7; // eight PDUs
        byte[] b = tpkts[i];
        return parser.parse(b, 0, b.length, fromClient[i], msg, state, toIcsOp) + sum;
    }
}
