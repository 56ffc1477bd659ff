package io.vigil.bench;

import io.vigil.protocols.dnp3.Dnp3Crc;
import io.vigil.protocols.dnp3.Dnp3FlowState;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dnp3.Dnp3MessageSink;
import io.vigil.protocols.dnp3.Dnp3Parser;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
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
 * DNP3 cost per link frame over what a master and an outstation exchange: a class 0123 poll and its
 * response (120 binary inputs with flags, 20 16-bit analog inputs: 300 octets, two transport
 * segments), a CROB select and its echo, an analog output direct operate, a confirm. One operation
 * is one frame: CRC checks, transport reassembly, application decode. Run with {@code -prof gc}: the
 * allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Dnp3Bench {
    private byte[][] frames;
    private boolean[] fromMaster;
    private final Dnp3Parser parser = new Dnp3Parser();
    private final Dnp3Message message = new Dnp3Message();
    private final Dnp3FlowState state = new Dnp3FlowState();
    private long sum;
    private final Dnp3MessageSink sink = m -> sum += m.headerCount + m.commandCount + m.linkFunction;
    private int next;

    @Setup
    public void setUp() {
        List<byte[]> f = new ArrayList<>();
        List<Boolean> dir = new ArrayList<>();
        StringBuilder response = new StringBuilder("c0 81 0000 0102 00 00 77");
        for (int i = 0; i < 120; i++) {
            response.append(" 01");
        }
        response.append(" 1e02 00 00 13");
        for (int i = 0; i < 20; i++) {
            response.append(" 01 e803");
        }
        byte[] rsp = hex(response.toString());
        int seq = 0;
        for (int round = 0; round < 16; round++) {
            add(f, dir, true, segments(hex("c0 01 3c02 06 3c03 06 3c04 06 3c01 06"), seq++), true);
            add(f, dir, false, segments(rsp, seq), false);
            seq += 2;
            add(f, dir, true, segments(hex("c1 03 0c01 28 0100 0500 03 01 64000000 64000000 00"), seq++), true);
            add(f, dir, false, segments(hex("c1 81 0000 0c01 28 0100 0500 03 01 64000000 64000000 00"), seq++), false);
            add(f, dir, true, segments(hex("c2 05 2902 28 0100 0300 e803 00"), seq++), true);
            add(f, dir, true, segments(hex("c2 00"), seq++), true);
        }
        frames = f.toArray(new byte[0][]);
        fromMaster = new boolean[frames.length];
        for (int i = 0; i < frames.length; i++) {
            fromMaster[i] = dir.get(i);
        }
    }

    private static void add(List<byte[]> f, List<Boolean> dir, boolean master, List<byte[]> segs, boolean m) {
        for (byte[] s : segs) {
            byte[] user = s;
            f.add(frame(master ? 0xC4 : 0x44, master ? 10 : 1, master ? 1 : 10, user));
            dir.add(m);
        }
    }

    /** Transport segments of at most 249 octets, each with its transport header. */
    private static List<byte[]> segments(byte[] apdu, int firstSeq) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        int seq = firstSeq;
        do {
            int n = Math.min(249, apdu.length - p);
            byte[] user = new byte[1 + n];
            user[0] = (byte) ((p + n == apdu.length ? 0x80 : 0) | (p == 0 ? 0x40 : 0) | (seq++ & 0x3F));
            System.arraycopy(apdu, p, user, 1, n);
            out.add(user);
            p += n;
        } while (p < apdu.length);
        return out;
    }

    private static byte[] frame(int control, int dst, int src, byte[] user) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = {0x05, 0x64, (byte) (5 + user.length), (byte) control, (byte) dst, (byte) (dst >> 8), (byte) src,
            (byte) (src >> 8)};
        out.write(h, 0, 8);
        int crc = Dnp3Crc.compute(h, 0, 8);
        out.write(crc);
        out.write(crc >> 8);
        for (int p = 0; p < user.length; p += 16) {
            int n = Math.min(16, user.length - p);
            out.write(user, p, n);
            crc = Dnp3Crc.compute(user, p, n);
            out.write(crc);
            out.write(crc >> 8);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        s = s.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** One link frame: CRCs, reassembly, application decode. */
    @Benchmark
    public long parseFrame() {
        int i = next++;
        if (next == frames.length) {
            next = 0;
        }
        byte[] b = frames[i];
        return parser.parse(b, 0, b.length, fromMaster[i], message, state, sink) + sum;
    }
}
