package io.vigil.bench;

import io.vigil.protocols.modbus.ModbusParser;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.modbus.ModbusPduSink;
import io.vigil.protocols.modbus.ModbusTransactions;
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
 * Modbus/TCP cost per ADU over a polling mix as a SCADA master produces it: FC 3 read of 10
 * registers and its response, FC 16 write of 10 registers and its response, FC 6 write and echo.
 * One operation is one ADU (one segment each, the common case on a LAN). Run with
 * {@code -prof gc}: the allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ModbusBench {
    private static final int ADUS = 1024;

    private byte[][] adus;
    private boolean[] fromClient;
    private final ModbusParser parser = new ModbusParser();
    private final ModbusPdu pdu = new ModbusPdu();
    private final ModbusTransactions transactions = new ModbusTransactions();
    private long sum;
    private final ModbusPduSink count = p -> sum += p.valueCount + p.startAddress;
    private final ModbusPduSink match = p -> sum += transactions.track(p, sum, sum) ? p.quantity : 1;
    private int next;

    @Setup
    public void setUp() {
        adus = new byte[ADUS][];
        fromClient = new boolean[ADUS];
        int tid = 0;
        for (int i = 0; i < ADUS; i += 2) {
            tid = (tid + 1) & 0xFFFF;
            int kind = i % 6; // requests and their responses alternate: 3, 16, 6
            int[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            if (kind == 0) {
                adus[i] = adu(tid, 3, 0, 100, 0, 10);
                adus[i + 1] = adu(tid, 3, registerBody(values));
            } else if (kind == 2) {
                int[] body = new int[5 + 20];
                body[1] = 200;
                body[3] = 10;
                body[4] = 20;
                System.arraycopy(registerBody(values), 1, body, 5, 20);
                adus[i] = adu(tid, 16, body);
                adus[i + 1] = adu(tid, 16, 0, 200, 0, 10);
            } else {
                adus[i] = adu(tid, 6, 0, 7, 0x12, 0x34);
                adus[i + 1] = adu(tid, 6, 0, 7, 0x12, 0x34);
            }
            fromClient[i] = true;
        }
    }

    private static int[] registerBody(int[] values) {
        int[] b = new int[1 + 2 * values.length];
        b[0] = 2 * values.length;
        for (int i = 0; i < values.length; i++) {
            b[1 + 2 * i] = values[i] >>> 8;
            b[2 + 2 * i] = values[i] & 0xFF;
        }
        return b;
    }

    private static byte[] adu(int tid, int fc, int... body) {
        byte[] b = new byte[8 + body.length];
        b[0] = (byte) (tid >>> 8);
        b[1] = (byte) tid;
        b[5] = (byte) (2 + body.length);
        b[6] = 1;
        b[7] = (byte) fc;
        for (int i = 0; i < body.length; i++) {
            b[8 + i] = (byte) body[i];
        }
        return b;
    }

    /** Framing and decoding only. */
    @Benchmark
    public long parse() {
        int i = next++ & (ADUS - 1);
        byte[] b = adus[i];
        return parser.parse(b, 0, b.length, fromClient[i], pdu, count) + sum;
    }

    /** Framing, decoding and request/response matching (address fill-in, latency). */
    @Benchmark
    public long parseAndMatch() {
        int i = next++ & (ADUS - 1);
        byte[] b = adus[i];
        return parser.parse(b, 0, b.length, fromClient[i], pdu, match) + sum;
    }
}
