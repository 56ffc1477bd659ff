package io.vigil.protocols.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowHashTest {
    @Test
    void shardHashIsSymmetricAndIgnoresPorts() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long aHi = r.nextBoolean() ? 0 : r.nextLong();
            long aLo = r.nextLong();
            long bHi = r.nextBoolean() ? 0 : r.nextLong();
            long bLo = r.nextLong();
            int vlan = r.nextInt(4096);
            assertEquals(FlowHash.shardHash(aHi, aLo, bHi, bLo, vlan), FlowHash.shardHash(bHi, bLo, aHi, aLo, vlan));
        }
        var p = Packets.udp(1, "10.0.0.1", 1, "10.0.0.2", 2, 60);
        var q = Packets.ip4(1, 17, "10.0.0.2", -1, "10.0.0.1", -1, 60);
        assertEquals(FlowHash.shardHash(p), FlowHash.shardHash(q));
        q.vlan = 5;
        assertTrue(FlowHash.shardHash(p) != FlowHash.shardHash(q));
    }

    @Test
    void shardsAreBalancedForSequentialIpv4Hosts() {
        int shards = 8;
        int[] counts = new int[shards];
        int n = 80_000;
        for (int i = 0; i < n; i++) {
            long a = io.vigil.protocols.IpAddresses.v4MappedLo(0x0A00_0000 + i);
            long b = io.vigil.protocols.IpAddresses.v4MappedLo(0xC0A8_0101);
            counts[FlowHash.shardOf(FlowHash.shardHash(0, a, 0, b, 0), shards)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - n / shards) < n / shards / 10, "unbalanced: " + java.util.Arrays.toString(counts));
        }
    }
}
