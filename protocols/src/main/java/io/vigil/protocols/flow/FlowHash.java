package io.vigil.protocols.flow;

import io.vigil.protocols.decode.DecodedPacket;

/**
 * Hashes shared by the flow table and the pipeline's sharding. Both are symmetric: the two
 * directions of a conversation produce the same value.
 */
public final class FlowHash {
    private FlowHash() {
    }

    /**
     * Symmetric hash of the address pair and VLAN, deliberately without ports or protocol: IP
     * fragments after the first carry no ports, and they must reach the same worker as the first
     * one so that worker's flow table and reassembly see the whole datagram.
     */
    public static int shardHash(long aHi, long aLo, long bHi, long bLo, int vlan) {
        // Addition is commutative, so no compare-and-swap of the endpoints is needed; each endpoint
        // is mixed first so that (a, b) and (a + d, b - d) do not collide.
        long h = endpoint(aHi, aLo) + endpoint(bHi, bLo) + (vlan & 0xFFFF_FFFFL) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (mix64(h) >>> 32);
    }

    public static int shardHash(DecodedPacket p) {
        return shardHash(p.srcIpHi, p.srcIpLo, p.dstIpHi, p.dstIpLo, p.vlan);
    }

    /** Hash of one device (address and VLAN): which device shard owns its model. */
    public static int deviceHash(long ipHi, long ipLo, int vlan) {
        return (int) (mix64(endpoint(ipHi, ipLo) + (vlan & 0xFFFF_FFFFL) * 0x9E37_79B9_7F4A_7C15L) >>> 32);
    }

    /** Maps a hash onto [0, shards) by multiply-shift, which uses the high bits and needs no division. */
    public static int shardOf(int hash, int shards) {
        return (int) (((hash & 0xFFFF_FFFFL) * shards) >>> 32);
    }

    private static long endpoint(long hi, long lo) {
        // IPv4 (hi == 0) costs a single mix.
        return mix64(lo ^ (hi == 0 ? 0 : mix64(hi)));
    }

    /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }
}
