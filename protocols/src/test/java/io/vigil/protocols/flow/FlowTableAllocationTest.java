package io.vigil.protocols.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowTableAllocationTest {
    private static final int UPDATES = 1_000_000;

    @Test
    void updateAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // More distinct flows than capacity, TCP handshakes and closes, idle gaps: the eviction,
        // port-reuse, active and idle timeout paths all run inside the measured window.
        FlowTable table = new FlowTable(4096, new FlowTimeouts(50_000_000L, 2_000_000_000L, 1_000_000L, 100_000_000L),
                FlowListener.NONE);
        DecodedPacket[] packets = new DecodedPacket[16_384];
        SplittableRandom rnd = new SplittableRandom(11);
        int[] flags = {DecodedPacket.TCP_SYN, DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, DecodedPacket.TCP_ACK,
            DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH, DecodedPacket.TCP_FIN | DecodedPacket.TCP_ACK,
            DecodedPacket.TCP_RST};
        for (int i = 0; i < packets.length; i++) {
            DecodedPacket p = new DecodedPacket();
            p.reset();
            p.l3 = DecodedPacket.L3_IPV4;
            p.hasEthernet = true;
            p.srcMac = 1;
            p.dstMac = 2;
            int client = rnd.nextInt(6000);
            boolean fromClient = rnd.nextBoolean();
            long c = IpAddresses.v4MappedLo(0x0A00_0000 + client);
            long s = IpAddresses.v4MappedLo(0xC0A8_0001);
            p.srcIpLo = fromClient ? c : s;
            p.dstIpLo = fromClient ? s : c;
            p.ipProto = rnd.nextBoolean() ? DecodedPacket.PROTO_TCP : DecodedPacket.PROTO_UDP;
            p.hasPorts = true;
            p.srcPort = fromClient ? 40000 : 443;
            p.dstPort = fromClient ? 443 : 40000;
            p.tcpFlags = flags[rnd.nextInt(flags.length)];
            p.originalLength = 60 + rnd.nextInt(1400);
            packets[i] = p;
        }
        long[] clock = {1_000_000_000L};
        run(table, packets, clock); // warm-up: JIT compilation allocates on this thread
        run(table, packets, clock);
        long before = mx.getThreadAllocatedBytes(tid);
        run(table, packets, clock);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(table.evictions() > 0 && table.flowsEnded() > table.evictions(), "paths exercised");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in " + UPDATES + " updates");
    }

    private static void run(FlowTable table, DecodedPacket[] packets, long[] clock) {
        long t = clock[0];
        for (int i = 0; i < UPDATES; i++) {
            DecodedPacket p = packets[i & (packets.length - 1)];
            t += (i & 262_143) == 0 ? 60_000_000L : 50;
            p.timestampNanos = t;
            table.update(p);
            if ((i & 65535) == 0) {
                table.expire(t);
            }
        }
        clock[0] = t;
    }
}
