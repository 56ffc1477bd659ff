package io.vigil.protocols.decode;

/**
 * Lends the transport ports of a datagram's first fragment to its later fragments, so that a
 * flow table attributes every fragment to the right flow without reassembling anything.
 *
 * <p>An open-addressed table in parallel primitive arrays, probed over a short fixed window:
 * memory is fixed at construction, nothing is allocated per packet, and when the window is full
 * the oldest entry is overwritten. Entries are never removed; they simply expire, because the
 * last fragment to arrive is not necessarily the one with the MF bit clear (reordering,
 * duplicates), and an expired slot costs nothing to reuse.
 *
 * <p>The key is (source, destination, identification, protocol) for IPv4 (RFC 791), and
 * (source, destination, identification) for IPv6 (RFC 8200), where the protocol of a first
 * fragment may sit behind further extension headers and so differ from the later fragments'
 * next-header value; for IPv6 the remembered transport protocol is lent along with the ports.
 */
public final class FragmentTracker {
    private static final int PROBES = 8;

    private final int mask;
    private final long timeoutNanos;
    private final DecodeCounters counters;

    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] dstHi;
    private final long[] dstLo;
    /** Identification in the low 32 bits, protocol key above; see {@link #idKey}. */
    private final long[] ids;
    private final long[] seenAt;
    private final boolean[] used;
    private final boolean[] hasPorts;
    private final int[] protocols;
    private final int[] srcPorts;
    private final int[] dstPorts;

    public FragmentTracker(int capacity, long timeoutNanos, DecodeCounters counters) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity must be in [1, 2^28]: " + capacity);
        }
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be positive: " + timeoutNanos);
        }
        int size = Math.max(PROBES, Integer.highestOneBit(capacity - 1) << 1);
        this.mask = size - 1;
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
        srcHi = new long[size];
        srcLo = new long[size];
        dstHi = new long[size];
        dstLo = new long[size];
        ids = new long[size];
        seenAt = new long[size];
        used = new boolean[size];
        hasPorts = new boolean[size];
        protocols = new int[size];
        srcPorts = new int[size];
        dstPorts = new int[size];
    }

    /**
     * Call after {@link PacketDecoder#decode} for every packet; a cheap no-op unless
     * {@code p.fragmented}. Remembers a first fragment; fills the ports of a later one.
     *
     * @return false when a later fragment's first fragment is unknown (never seen, expired or
     *     evicted); counted as {@link DecodeCounters#FRAGMENT_WITHOUT_FIRST}
     */
    public boolean track(DecodedPacket p, long nowNanos) {
        if (!p.fragmented || !p.isIp()) {
            return true;
        }
        long id = idKey(p);
        int home = hash(p.srcIpHi, p.srcIpLo, p.dstIpHi, p.dstIpLo, id) & mask;
        if (p.fragmentOffset == 0) {
            remember(p, id, home, nowNanos);
            return true;
        }
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & mask;
            if (used[slot] && matches(slot, p, id) && nowNanos - seenAt[slot] <= timeoutNanos) {
                if (hasPorts[slot]) {
                    p.srcPort = srcPorts[slot];
                    p.dstPort = dstPorts[slot];
                    p.hasPorts = true;
                    p.ipProto = protocols[slot];
                }
                return true;
            }
        }
        counters.count(DecodeCounters.FRAGMENT_WITHOUT_FIRST);
        return false;
    }

    private void remember(DecodedPacket p, long id, int home, long now) {
        boolean portsExpected = p.ipProto == DecodedPacket.PROTO_TCP || p.ipProto == DecodedPacket.PROTO_UDP;
        if (portsExpected && !p.hasPorts && p.malformedLayer == DecodedPacket.LAYER_NONE) {
            // The first fragment ends inside the transport header (RFC 1858 tiny fragment).
            counters.count(DecodeCounters.TINY_FRAGMENT);
        }
        int victim = home;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & mask;
            if (!used[slot] || matches(slot, p, id) || now - seenAt[slot] > timeoutNanos) {
                victim = slot;
                break;
            }
            if (seenAt[slot] < oldest) {
                oldest = seenAt[slot];
                victim = slot;
            }
        }
        used[victim] = true;
        srcHi[victim] = p.srcIpHi;
        srcLo[victim] = p.srcIpLo;
        dstHi[victim] = p.dstIpHi;
        dstLo[victim] = p.dstIpLo;
        ids[victim] = id;
        seenAt[victim] = now;
        hasPorts[victim] = p.hasPorts;
        protocols[victim] = p.ipProto;
        srcPorts[victim] = p.srcPort;
        dstPorts[victim] = p.dstPort;
    }

    private boolean matches(int slot, DecodedPacket p, long id) {
        return ids[slot] == id && srcLo[slot] == p.srcIpLo && dstLo[slot] == p.dstIpLo
            && srcHi[slot] == p.srcIpHi && dstHi[slot] == p.dstIpHi;
    }

    /** IPv4 keys on the protocol too; IPv6 uses a marker no IPv4 protocol number can equal. */
    private static long idKey(DecodedPacket p) {
        long protocolKey = p.l3 == DecodedPacket.L3_IPV6 ? 0x1_00L : p.ipProto & 0xFFL;
        return protocolKey << 32 | (p.ipId & 0xFFFF_FFFFL);
    }

    private static int hash(long a, long b, long c, long d, long e) {
        long h = a * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ b) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ c) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ d) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ e) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ h >>> 32);
    }
}
