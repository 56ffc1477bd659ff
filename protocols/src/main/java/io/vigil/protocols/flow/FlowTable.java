package io.vigil.protocols.flow;

import static io.vigil.protocols.decode.DecodedPacket.L3_IPV4;
import static io.vigil.protocols.decode.DecodedPacket.L3_IPV6;
import static io.vigil.protocols.decode.DecodedPacket.PROTO_ICMP;
import static io.vigil.protocols.decode.DecodedPacket.PROTO_ICMPV6;
import static io.vigil.protocols.decode.DecodedPacket.PROTO_TCP;
import static io.vigil.protocols.decode.DecodedPacket.TCP_ACK;
import static io.vigil.protocols.decode.DecodedPacket.TCP_FIN;
import static io.vigil.protocols.decode.DecodedPacket.TCP_RST;
import static io.vigil.protocols.decode.DecodedPacket.TCP_SYN;
import static io.vigil.protocols.flow.FlowView.ESTABLISHED;
import static io.vigil.protocols.flow.FlowView.FIN_FROM_CLIENT;
import static io.vigil.protocols.flow.FlowView.FIN_FROM_SERVER;
import static io.vigil.protocols.flow.FlowView.MIDSTREAM;
import static io.vigil.protocols.flow.FlowView.RST_SEEN;
import static io.vigil.protocols.flow.FlowView.SYN_ACK_SEEN;
import static io.vigil.protocols.flow.FlowView.SYN_SEEN;

import io.vigil.protocols.decode.DecodedPacket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bidirectional flow table keyed by VLAN + protocol + both (address, port) endpoints, with a fixed
 * capacity and no allocation after construction. One thread owns it; nothing is synchronised.
 *
 * <h2>Layout</h2>
 * Every flow is a {@value #STRIDE}-long record in one {@code long[]} (array of structs inside a
 * primitive array). Structure-of-arrays would spread one packet's work over ~15 arrays and so ~15
 * cache misses once the table outgrows the cache; a packet reads and writes nearly every field of
 * its one flow, so keeping them adjacent costs 2-3 cache lines instead. Words:
 * <pre>
 *  0-3  endpoint A hi/lo, endpoint B hi/lo   (A is the smaller (address, port): the key is direction-free)
 *  4    A port &lt;&lt; 48 | B port &lt;&lt; 32 | vlan &lt;&lt; 8 | ip protocol
 *  5    hash &lt;&lt; 32 | next slot in the bucket chain (or in the free list)
 *  6    previous &lt;&lt; 32 | next slot in the recency list
 *  7    tcp state bits | client-is-B | IPv4 | which recency list
 *  8    flow id        9 first seen       10 last seen
 *  11   packets from client   12 bytes from client   13 packets from server   14 bytes from server
 *  15   client MAC     16 server MAC
 * </pre>
 * The hash index is a chained table: {@code int[]} bucket heads, two buckets per slot (power of two),
 * chains threaded through word 5. Chaining makes removal a plain unlink, so eviction and expiry never
 * need tombstones or backward shifts. The stored 32-bit hash rejects most chain neighbours without
 * reading their key. The hash is seeded per table so that crafted traffic cannot aim at one chain.
 *
 * <h2>Memory</h2>
 * Per flow: {@value #STRIDE} × 8 = 136 bytes of record plus 8-16 bytes of bucket array (two buckets
 * per flow, rounded up to a power of two): 144 bytes at a power-of-two capacity, at most 152.
 * One million flows take about 144 MB; see {@link #memoryBytes()}.
 *
 * <h2>Recency and timeouts</h2>
 * Live flows sit on one of three intrusive doubly linked lists ordered by last packet, one per
 * timeout class: other (UDP, ICMP, half-open TCP: {@code idleNanos}), TCP established or joined
 * mid-stream ({@code tcpIdleNanos}), and TCP closed ({@code tcpClosedLingerNanos}). All flows on a
 * list share one timeout, so each list's head is its next to expire, {@link #expire} looks at three
 * heads when nothing is due, and the least recently seen flow of the whole table, evicted when the
 * table is full, is the oldest of the three heads. A closed flow's linger counts from its last
 * packet, which is at or after the close, so it absorbs trailing ACKs and retransmitted FINs.
 *
 * <p>The clock is the packets' timestamps, made monotonic (a packet older than the newest seen
 * counts as now) so the lists stay ordered when interfaces interleave slightly out of order.
 */
public final class FlowTable {
    static final int F_A_HI = 0;
    static final int F_A_LO = 1;
    static final int F_B_HI = 2;
    static final int F_B_LO = 3;
    static final int F_KEY = 4;
    static final int F_CHAIN = 5;
    static final int F_LRU = 6;
    static final int F_STATE = 7;
    static final int F_FLOW_ID = 8;
    static final int F_FIRST = 9;
    static final int F_LAST = 10;
    static final int F_PKTS_C = 11;
    static final int F_BYTES_C = 12;
    static final int F_PKTS_S = 13;
    static final int F_BYTES_S = 14;
    static final int F_MAC_C = 15;
    static final int F_MAC_S = 16;
    static final int STRIDE = 17;

    static final long ST_TCP_MASK = 0xFF;
    static final long ST_CLIENT_IS_B = 1L << 8;
    static final long ST_IPV4 = 1L << 9;
    private static final int ST_LIST_SHIFT = 10;
    private static final long ST_LIST_MASK = 3L << ST_LIST_SHIFT;

    private static final int LIST_OTHER = 0;
    private static final int LIST_TCP = 1;
    private static final int LIST_CLOSED = 2;
    /** Not on any list: a free slot, or a new flow not yet linked. */
    private static final int LIST_NONE = 3;
    private static final int LISTS = 3;

    private static final int NIL = -1;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final int SYN_ACK = TCP_SYN | TCP_ACK;

    /** Bucket array size is limited to 2^30 ints; two buckets per flow. */
    private static final int MAX_CAPACITY = 1 << 29;

    private final long[] data;
    private final int[] buckets;
    private final int bucketMask;
    private final int capacity;
    private final FlowListener listener;
    private final FlowView view;
    private final long activeNanos;
    private final long[] listTimeout = new long[LISTS];
    private final int[] listHead = new int[LISTS];
    private final int[] listTail = new int[LISTS];
    private final long seed0;
    private final long seed1;
    private final long seed2;
    private final long seed3;
    private final long seed4;

    private int freeHead = NIL;
    /** Slots below this have been used at least once; above it they were never touched. */
    private int highWater;
    private int active;
    private long started;
    private long ended;
    private long evictions;
    private long overflows;
    private long clock = Long.MIN_VALUE;
    /** No flow can expire before this: the earliest deadline among the list heads, or earlier. */
    private long nextExpiry = Long.MAX_VALUE;

    public FlowTable(int maxFlows, FlowTimeouts timeouts, FlowListener listener) {
        if (maxFlows < 1 || maxFlows > MAX_CAPACITY) {
            throw new IllegalArgumentException("maxFlows must be in [1, " + MAX_CAPACITY + "]: " + maxFlows);
        }
        this.capacity = maxFlows;
        this.listener = listener;
        this.data = new long[maxFlows * STRIDE];
        int nBuckets = Integer.highestOneBit(maxFlows * 2 - 1) << 1;
        this.buckets = new int[Math.max(2, nBuckets)];
        this.bucketMask = buckets.length - 1;
        java.util.Arrays.fill(buckets, NIL);
        this.view = new FlowView(data);
        this.activeNanos = timeouts.activeNanos();
        listTimeout[LIST_OTHER] = timeouts.idleNanos();
        listTimeout[LIST_TCP] = timeouts.tcpIdleNanos();
        listTimeout[LIST_CLOSED] = timeouts.tcpClosedLingerNanos();
        java.util.Arrays.fill(listHead, NIL);
        java.util.Arrays.fill(listTail, NIL);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        seed0 = rnd.nextLong();
        seed1 = rnd.nextLong();
        seed2 = rnd.nextLong();
        seed3 = rnd.nextLong();
        seed4 = rnd.nextLong();
    }

    /**
     * Accounts one decoded packet to its flow, creating the flow when new. Returns the slot, or -1
     * for a non-IP packet. See the class comment for timeouts; listener calls happen inside.
     */
    public int update(DecodedPacket p) {
        int l3 = p.l3;
        if (l3 != L3_IPV4 && l3 != L3_IPV6) {
            return -1;
        }
        long now = p.timestampNanos;
        if (now > clock) {
            clock = now;
        } else {
            now = clock;
        }
        if (now > nextExpiry) {
            expire(now);
        }

        int proto = p.ipProto & 0xFF;
        boolean tcp = false;
        int sp;
        int dp;
        if ((proto == PROTO_ICMP || proto == PROTO_ICMPV6) && p.icmpType >= 0) {
            // Zeek's mapping: type as source "port", the counterpart type as destination, so a
            // request (8 -> 0) and its reply (0 -> 8) normalise to the same key.
            sp = p.icmpType & 0xFF;
            int counterpart = proto == PROTO_ICMP ? icmp4Counterpart(sp) : icmp6Counterpart(sp);
            dp = counterpart >= 0 ? counterpart : p.icmpCode & 0xFF;
        } else if (p.hasPorts) {
            sp = p.srcPort & 0xFFFF;
            dp = p.dstPort & 0xFFFF;
            tcp = proto == PROTO_TCP;
        } else {
            sp = 0;
            dp = 0;
        }

        long sHi = p.srcIpHi;
        long sLo = p.srcIpLo;
        long dHi = p.dstIpHi;
        long dLo = p.dstIpLo;
        int c = Long.compareUnsigned(sHi, dHi);
        if (c == 0) {
            c = Long.compareUnsigned(sLo, dLo);
            if (c == 0) {
                c = sp - dp;
            }
        }
        boolean srcIsA = c <= 0;
        long aHi;
        long aLo;
        long bHi;
        long bLo;
        long key;
        if (srcIsA) {
            aHi = sHi;
            aLo = sLo;
            bHi = dHi;
            bLo = dLo;
            key = (long) sp << 48 | (long) dp << 32;
        } else {
            aHi = dHi;
            aLo = dLo;
            bHi = sHi;
            bLo = sLo;
            key = (long) dp << 48 | (long) sp << 32;
        }
        key |= (long) (p.vlan & 0xFF_FFFF) << 8 | proto;
        int hash = hash(aHi, aLo, bHi, bLo, key);
        int flags = tcp ? p.tcpFlags : 0;

        int slot = find(hash, aHi, aLo, bHi, bLo, key);
        boolean fresh = false;
        if (slot != NIL) {
            int base = slot * STRIDE;
            if (tcp && (flags & SYN_ACK) == TCP_SYN && isClosed((int) (data[base + F_STATE] & ST_TCP_MASK))) {
                // A new SYN on a closed connection is port reuse: a new connection, a new flow.
                end(slot, FlowEndReason.TCP_CLOSED);
                slot = NIL;
            } else if (now - data[base + F_FIRST] > activeNanos) {
                restart(slot, now);
                fresh = true;
            }
        }
        if (slot == NIL) {
            slot = create(hash, aHi, aLo, bHi, bLo, key, l3 == L3_IPV4, srcIsA, tcp, flags, now);
            fresh = true;
        }

        int base = slot * STRIDE;
        long st = data[base + F_STATE];
        boolean fromClient = srcIsA == ((st & ST_CLIENT_IS_B) == 0);
        long len = p.originalLength;
        if (fromClient) {
            data[base + F_PKTS_C]++;
            data[base + F_BYTES_C] += len;
        } else {
            data[base + F_PKTS_S]++;
            data[base + F_BYTES_S] += len;
        }
        data[base + F_LAST] = now;
        if (p.hasEthernet) {
            if (fromClient) {
                data[base + F_MAC_C] = p.srcMac;
                if (data[base + F_PKTS_S] == 0) {
                    data[base + F_MAC_S] = p.dstMac;
                }
            } else {
                data[base + F_MAC_S] = p.srcMac;
                if (data[base + F_PKTS_C] == 0) {
                    data[base + F_MAC_C] = p.dstMac;
                }
            }
        }
        int tcpState = (int) (st & ST_TCP_MASK);
        if (tcp) {
            tcpState = nextTcpState(tcpState, flags, fromClient);
        }
        int oldList = (int) ((st & ST_LIST_MASK) >>> ST_LIST_SHIFT);
        int newList = isClosed(tcpState) ? LIST_CLOSED
                : (tcpState & (ESTABLISHED | MIDSTREAM)) != 0 ? LIST_TCP : LIST_OTHER;
        data[base + F_STATE] = (st & ~(ST_TCP_MASK | ST_LIST_MASK)) | tcpState | (long) newList << ST_LIST_SHIFT;
        if (oldList != newList || listTail[newList] != slot) {
            if (oldList != LIST_NONE) {
                unlinkLru(oldList, slot);
            }
            appendLru(newList, slot, now);
        }
        if (fresh) {
            view.point(slot);
            listener.onFlowStart(view);
        }
        return slot;
    }

    /**
     * Ends flows idle past their class's timeout (IDLE_TIMEOUT) and closed TCP flows quiet for the
     * linger (TCP_CLOSED), oldest first. Three comparisons when nothing is due.
     */
    public void expire(long nowNanos) {
        while (true) {
            int victim = NIL;
            int victimList = NIL;
            long oldest = Long.MAX_VALUE;
            for (int l = 0; l < LISTS; l++) {
                int h = listHead[l];
                if (h != NIL) {
                    long last = data[h * STRIDE + F_LAST];
                    if (nowNanos - last > listTimeout[l] && (victim == NIL || last < oldest)) {
                        victim = h;
                        victimList = l;
                        oldest = last;
                    }
                }
            }
            if (victim == NIL) {
                break;
            }
            end(victim, victimList == LIST_CLOSED ? FlowEndReason.TCP_CLOSED : FlowEndReason.IDLE_TIMEOUT);
        }
        long next = Long.MAX_VALUE;
        for (int l = 0; l < LISTS; l++) {
            int h = listHead[l];
            if (h != NIL) {
                next = Math.min(next, deadline(data[h * STRIDE + F_LAST], listTimeout[l]));
            }
        }
        nextExpiry = next;
    }

    /** Ends every live flow, least recently seen first. */
    public void flushAll(FlowEndReason reason) {
        int victim;
        while ((victim = leastRecentlySeen()) != NIL) {
            end(victim, reason);
        }
        nextExpiry = Long.MAX_VALUE;
    }

    /**
     * The shared view pointed at a live slot (as returned by {@link #update}), for callers that want
     * to inspect a flow between packets. The same instance the listener gets: do not hold on to it.
     */
    public FlowView view(int slot) {
        if (slot < 0 || slot >= highWater || listOf(slot) == LIST_NONE) {
            throw new IllegalArgumentException("no live flow in slot " + slot);
        }
        view.point(slot);
        return view;
    }

    public int activeFlows() {
        return active;
    }

    /**
     * The most flows live at once since the table was made. A new flow takes a freed slot before an
     * untouched one, so a slot past the high-water mark is used only when every slot below it is live:
     * the mark is the peak.
     */
    public int peakActiveFlows() {
        return highWater;
    }

    public long flowsStarted() {
        return started;
    }

    public long flowsEnded() {
        return ended;
    }

    public long evictions() {
        return evictions;
    }

    public long overflows() {
        return overflows;
    }

    public int capacity() {
        return capacity;
    }

    /** Heap held by the record and bucket arrays (plus their headers); the rest is a few hundred bytes. */
    public long memoryBytes() {
        return 16L + 8L * data.length + 16L + 4L * buckets.length;
    }

    // ---------------------------------------------------------------- internals

    static boolean isClosed(int tcpState) {
        return (tcpState & RST_SEEN) != 0 || (tcpState & (FIN_FROM_CLIENT | FIN_FROM_SERVER))
                == (FIN_FROM_CLIENT | FIN_FROM_SERVER);
    }

    private static int nextTcpState(int s, int flags, boolean fromClient) {
        if ((flags & TCP_RST) != 0) {
            s |= RST_SEEN;
        }
        if ((flags & TCP_SYN) != 0) {
            if ((flags & TCP_ACK) == 0) {
                if (fromClient) {
                    s |= SYN_SEEN;
                }
            } else if (!fromClient) {
                s |= SYN_ACK_SEEN;
            }
        } else if ((flags & (TCP_ACK | TCP_RST)) == TCP_ACK && fromClient && (s & SYN_ACK_SEEN) != 0) {
            // The third packet of the handshake, or any later client ACK if the third was lost.
            s |= ESTABLISHED;
        }
        if ((flags & TCP_FIN) != 0) {
            s |= fromClient ? FIN_FROM_CLIENT : FIN_FROM_SERVER;
        }
        return s;
    }

    private int hash(long aHi, long aLo, long bHi, long bLo, long key) {
        // Five independent multiplies (they pipeline) folded by one finaliser. The key is already
        // normalised, so this need not be symmetric itself. Seeds defeat precomputed collisions.
        long h = (aHi ^ seed0) * 0x9E37_79B9_7F4A_7C15L
                + (aLo ^ seed1) * 0xC2B2_AE3D_27D4_EB4FL
                + (bHi ^ seed2) * 0x1656_67B1_9E37_79F9L
                + (bLo ^ seed3) * 0xD6E8_FEB8_6659_FD93L
                + (key ^ seed4) * 0xBF58_476D_1CE4_E5B9L;
        return (int) FlowHash.mix64(h);
    }

    private int find(int hash, long aHi, long aLo, long bHi, long bLo, long key) {
        int slot = buckets[hash & bucketMask];
        while (slot != NIL) {
            int base = slot * STRIDE;
            long chain = data[base + F_CHAIN];
            if ((int) (chain >>> 32) == hash && data[base + F_KEY] == key
                    && data[base + F_A_LO] == aLo && data[base + F_B_LO] == bLo
                    && data[base + F_A_HI] == aHi && data[base + F_B_HI] == bHi) {
                return slot;
            }
            slot = (int) chain;
        }
        return NIL;
    }

    private int create(int hash, long aHi, long aLo, long bHi, long bLo, long key, boolean ipv4, boolean srcIsA,
            boolean tcp, int flags, long now) {
        if (active == capacity) {
            overflows++;
            int victim = leastRecentlySeen();
            evictions++;
            end(victim, FlowEndReason.EVICTED);
        }
        int slot;
        if (freeHead != NIL) {
            slot = freeHead;
            freeHead = (int) data[slot * STRIDE + F_CHAIN];
        } else {
            slot = highWater++;
        }
        int base = slot * STRIDE;
        int b = hash & bucketMask;
        data[base + F_A_HI] = aHi;
        data[base + F_A_LO] = aLo;
        data[base + F_B_HI] = bHi;
        data[base + F_B_LO] = bLo;
        data[base + F_KEY] = key;
        data[base + F_CHAIN] = (long) hash << 32 | (buckets[b] & LOW32);
        buckets[b] = slot;
        // A SYN+ACK seen first came from the server (the SYN was missed); anything else from the client.
        boolean senderIsServer = tcp && (flags & SYN_ACK) == SYN_ACK;
        long st = (long) LIST_NONE << ST_LIST_SHIFT;
        if (srcIsA == senderIsServer) {
            st |= ST_CLIENT_IS_B;
        }
        if (ipv4) {
            st |= ST_IPV4;
        }
        if (tcp && (flags & TCP_SYN) == 0) {
            st |= MIDSTREAM;
        }
        data[base + F_STATE] = st;
        data[base + F_FLOW_ID] = ++started;
        data[base + F_FIRST] = now;
        data[base + F_LAST] = now;
        data[base + F_PKTS_C] = 0;
        data[base + F_BYTES_C] = 0;
        data[base + F_PKTS_S] = 0;
        data[base + F_BYTES_S] = 0;
        data[base + F_MAC_C] = 0;
        data[base + F_MAC_S] = 0;
        active++;
        return slot;
    }

    /** Active timeout: report the record so far and continue the same connection in a fresh one. */
    private void restart(int slot, long now) {
        view.point(slot);
        listener.onFlowEnd(view, FlowEndReason.ACTIVE_TIMEOUT);
        ended++;
        int base = slot * STRIDE;
        // Orientation, MACs and TCP state carry over: it is the same connection.
        data[base + F_FLOW_ID] = ++started;
        data[base + F_FIRST] = now;
        data[base + F_PKTS_C] = 0;
        data[base + F_BYTES_C] = 0;
        data[base + F_PKTS_S] = 0;
        data[base + F_BYTES_S] = 0;
    }

    private void end(int slot, FlowEndReason reason) {
        view.point(slot);
        listener.onFlowEnd(view, reason);
        int base = slot * STRIDE;
        long chain = data[base + F_CHAIN];
        int b = (int) (chain >>> 32) & bucketMask;
        int next = (int) chain;
        int cur = buckets[b];
        if (cur == slot) {
            buckets[b] = next;
        } else {
            int curBase = cur * STRIDE;
            long curChain;
            while ((int) (curChain = data[curBase + F_CHAIN]) != slot) {
                curBase = (int) curChain * STRIDE;
            }
            data[curBase + F_CHAIN] = (curChain & ~LOW32) | (next & LOW32);
        }
        unlinkLru(listOf(slot), slot);
        data[base + F_STATE] = (long) LIST_NONE << ST_LIST_SHIFT;
        data[base + F_CHAIN] = freeHead & LOW32;
        freeHead = slot;
        active--;
        ended++;
    }

    private int listOf(int slot) {
        return (int) ((data[slot * STRIDE + F_STATE] & ST_LIST_MASK) >>> ST_LIST_SHIFT);
    }

    /** The oldest of the list heads: each list is ordered, so this is the table's least recently seen. */
    private int leastRecentlySeen() {
        int victim = NIL;
        long oldest = Long.MAX_VALUE;
        for (int l = 0; l < LISTS; l++) {
            int h = listHead[l];
            if (h != NIL) {
                long last = data[h * STRIDE + F_LAST];
                if (victim == NIL || last < oldest) {
                    victim = h;
                    oldest = last;
                }
            }
        }
        return victim;
    }

    private void appendLru(int list, int slot, long now) {
        int tail = listTail[list];
        data[slot * STRIDE + F_LRU] = (long) tail << 32 | (NIL & LOW32);
        if (tail == NIL) {
            listHead[list] = slot;
            // The only case where the earliest deadline can move earlier: a list gains a head.
            long d = deadline(now, listTimeout[list]);
            if (d < nextExpiry) {
                nextExpiry = d;
            }
        } else {
            int i = tail * STRIDE + F_LRU;
            data[i] = (data[i] & ~LOW32) | (slot & LOW32);
        }
        listTail[list] = slot;
    }

    private void unlinkLru(int list, int slot) {
        long w = data[slot * STRIDE + F_LRU];
        int prev = (int) (w >>> 32);
        int next = (int) w;
        if (prev == NIL) {
            listHead[list] = next;
        } else {
            int i = prev * STRIDE + F_LRU;
            data[i] = (data[i] & ~LOW32) | (next & LOW32);
        }
        if (next == NIL) {
            listTail[list] = prev;
        } else {
            int i = next * STRIDE + F_LRU;
            data[i] = (long) prev << 32 | (data[i] & LOW32);
        }
    }

    private static long deadline(long last, long timeout) {
        long d = last + timeout;
        return ((last ^ d) & (timeout ^ d)) < 0 ? Long.MAX_VALUE : d;
    }

    /** ICMPv4 request/reply pairs (echo, router, timestamp, information, address mask), else -1. */
    private static int icmp4Counterpart(int type) {
        switch (type) {
            case 8: return 0;
            case 0: return 8;
            case 10: return 9;
            case 9: return 10;
            case 13: return 14;
            case 14: return 13;
            case 15: return 16;
            case 16: return 15;
            case 17: return 18;
            case 18: return 17;
            default: return -1;
        }
    }

    /** ICMPv6 pairs: echo, MLD query/report, router and neighbour discovery, node information. */
    private static int icmp6Counterpart(int type) {
        switch (type) {
            case 128: return 129;
            case 129: return 128;
            case 130: return 131;
            case 131: return 130;
            case 133: return 134;
            case 134: return 133;
            case 135: return 136;
            case 136: return 135;
            case 139: return 140;
            case 140: return 139;
            default: return -1;
        }
    }
}
