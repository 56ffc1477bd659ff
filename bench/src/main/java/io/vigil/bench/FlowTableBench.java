package io.vigil.bench;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.flow.FlowListener;
import io.vigil.protocols.flow.FlowTable;
import io.vigil.protocols.flow.FlowTimeouts;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of {@link FlowTable#update} for packets of flows already in the table. With 1 000 flows the
 * records stay in L1/L2; with 100 000 (about 15 MB of records) and the packets in random order
 * nearly every update misses cache, as on a busy link. Both directions of every flow appear.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlowTableBench {
    @Param({"1000", "100000"})
    public int flows;

    private DecodedPacket[] packets;
    private FlowTable table;
    private int next;
    private long clock;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        // Random packet order, so consecutive packets touch unrelated flow slots and the prefetcher
        // cannot help with the table. The packets themselves are allocated in that order, so reading
        // the array walks memory sequentially: a real pipeline's decoded packet is always hot, and the
        // benchmark should measure the table's misses, not the packet array's.
        int[] order = new int[flows * 2];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        packets = new DecodedPacket[flows * 2];
        long server = IpAddresses.v4MappedLo(0xC0A8_0001);
        for (int i = 0; i < order.length; i++) {
            int f = order[i] >>> 1;
            int dir = order[i] & 1;
            long client = IpAddresses.v4MappedLo(0x0A00_0000 + f / 16);
            int clientPort = 30000 + f % 16;
            boolean tcp = f % 4 != 0;
            DecodedPacket p = new DecodedPacket();
            p.reset();
            p.l3 = DecodedPacket.L3_IPV4;
            p.hasEthernet = true;
            p.srcMac = dir == 0 ? 0x0200_0000_0001L : 0x0200_0000_0002L;
            p.dstMac = dir == 0 ? 0x0200_0000_0002L : 0x0200_0000_0001L;
            p.srcIpLo = dir == 0 ? client : server;
            p.dstIpLo = dir == 0 ? server : client;
            p.ipProto = tcp ? DecodedPacket.PROTO_TCP : DecodedPacket.PROTO_UDP;
            p.hasPorts = true;
            p.srcPort = dir == 0 ? clientPort : 443;
            p.dstPort = dir == 0 ? 443 : clientPort;
            p.tcpFlags = tcp ? DecodedPacket.TCP_ACK : 0;
            p.originalLength = 64 + rnd.nextInt(1450);
            packets[i] = p;
        }
        table = new FlowTable(flows * 2, FlowTimeouts.defaults(), FlowListener.NONE);
        clock = 1_000_000_000L;
        for (DecodedPacket p : packets) {
            p.timestampNanos = clock += 100;
            table.update(p);
        }
        next = 0;
    }

    @Benchmark
    public int update() {
        DecodedPacket p = packets[next];
        if (++next == packets.length) {
            next = 0;
        }
        // 100 ns of capture time per packet: every flow is revisited long before any timeout.
        p.timestampNanos = clock += 100;
        return table.update(p);
    }
}
