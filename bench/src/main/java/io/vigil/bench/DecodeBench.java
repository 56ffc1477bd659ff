package io.vigil.bench;

import io.vigil.protocols.LinkType;
import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.decode.PacketDecoder;
import io.vigil.sensor.synth.FrameBuilder;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * L2–L4 decode cost per packet over a mix of frames like a mirror port carries: tagged TCP
 * with and without payload, UDP, ICMP and ARP. Run with {@code -prof gc}: the allocation per
 * operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBench {
    private static final int FRAMES = 1024;

    private byte[][] frames;
    private int[] lengths;
    private final DecodedPacket packet = new DecodedPacket();
    private PacketDecoder decoder;
    private int next;

    @Setup
    public void setUp() {
        FrameBuilder f = new FrameBuilder();
        SplittableRandom r = new SplittableRandom(7);
        byte[] payload = new byte[1400];
        frames = new byte[FRAMES][];
        lengths = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            int a = 0x0A00_0000 | r.nextInt(1 << 16);
            int b = 0x0A14_0000 | r.nextInt(1 << 8);
            int vlan = r.nextInt(3) == 0 ? 0 : 10 + r.nextInt(30);
            int kind = r.nextInt(10);
            if (kind < 6) {
                f.tcp(a, b, vlan, a, b, 30_000 + r.nextInt(30_000), 443, r.nextInt(), r.nextInt(), 0x18, payload,
                    r.nextInt(1400));
            } else if (kind < 8) {
                f.udp(a, b, vlan, a, b, 30_000 + r.nextInt(30_000), 53, payload, 40 + r.nextInt(100));
            } else if (kind < 9) {
                f.icmpEcho(a, b, vlan, a, b, 8, 1, i);
            } else {
                f.arp(a, 0xFFFF_FFFF_FFFFL, vlan, 1, a, a, 0, b);
            }
            frames[i] = Arrays.copyOf(f.buffer(), f.length());
            lengths[i] = f.length();
        }
        decoder = new PacketDecoder(new DecodeCounters());
    }

    @Benchmark
    public int decodeMix() {
        int i = next++ & (FRAMES - 1);
        decoder.decode(frames[i], 0, lengths[i], LinkType.ETHERNET, packet);
        return packet.dstPort + packet.payloadLength;
    }
}
