package io.vigil.protocols.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random traffic against a reference model built on an access-ordered LinkedHashMap: the same
 * flows must start and end, in the same order, with the same counts and reasons. Timestamps
 * strictly increase so "least recently seen" is never a tie.
 */
class FlowTableModelTest {
    private static final long MS = 1_000_000L;
    private static final FlowTimeouts TIMEOUTS = new FlowTimeouts(5_000 * MS, 30_000 * MS, 1_000 * MS, 20_000 * MS);

    record Ep(long hi, long lo, int port) implements Comparable<Ep> {
        @Override
        public int compareTo(Ep o) {
            int c = Long.compareUnsigned(hi, o.hi);
            if (c == 0) {
                c = Long.compareUnsigned(lo, o.lo);
            }
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    record Key(int vlan, int proto, Ep a, Ep b) {
    }

    static final class Ref {
        long id;
        Ep client;
        Ep server;
        long first;
        long last;
        long pktsC;
        long bytesC;
        long pktsS;
        long bytesS;
    }

    record End(long id, int vlan, int proto, Ep client, Ep server, long pktsC, long bytesC, long pktsS, long bytesS,
            long first, long last, FlowEndReason reason) {
    }

    private final Map<Key, Ref> model = new LinkedHashMap<>(16, 0.75f, true);
    private final List<End> expected = new ArrayList<>();
    private long started;

    private void modelEnd(Key k, Ref r, FlowEndReason reason) {
        expected.add(new End(r.id, k.vlan(), k.proto(), r.client, r.server, r.pktsC, r.bytesC, r.pktsS, r.bytesS,
                r.first, r.last, reason));
    }

    private static long timeout(Key k) {
        return k.proto() == DecodedPacket.PROTO_TCP ? TIMEOUTS.tcpIdleNanos() : TIMEOUTS.idleNanos();
    }

    private void modelExpire(long now) {
        // Iteration order is access order, i.e. ascending last-seen: oldest first, like the table.
        List<Map.Entry<Key, Ref>> due = new ArrayList<>();
        for (Map.Entry<Key, Ref> e : model.entrySet()) {
            if (now - e.getValue().last > timeout(e.getKey())) {
                due.add(e);
            }
        }
        for (Map.Entry<Key, Ref> e : due) {
            modelEnd(e.getKey(), e.getValue(), FlowEndReason.IDLE_TIMEOUT);
            model.remove(e.getKey());
        }
    }

    private void modelFlush(FlowEndReason reason) {
        for (Iterator<Map.Entry<Key, Ref>> it = model.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Ref> e = it.next();
            modelEnd(e.getKey(), e.getValue(), reason);
            it.remove();
        }
    }

    private Ref modelPacket(DecodedPacket p, int capacity) {
        long now = p.timestampNanos;
        modelExpire(now);
        int sp;
        int dp;
        if (p.ipProto == DecodedPacket.PROTO_ICMP) {
            sp = p.icmpType;
            dp = p.icmpType == 8 ? 0 : p.icmpType == 0 ? 8 : p.icmpCode;
        } else if (p.hasPorts) {
            sp = p.srcPort;
            dp = p.dstPort;
        } else {
            sp = 0;
            dp = 0;
        }
        Ep src = new Ep(p.srcIpHi, p.srcIpLo, sp);
        Ep dst = new Ep(p.dstIpHi, p.dstIpLo, dp);
        Key k = src.compareTo(dst) <= 0 ? new Key(p.vlan, p.ipProto, src, dst) : new Key(p.vlan, p.ipProto, dst, src);
        Ref r = model.get(k);
        if (r != null && now - r.first > TIMEOUTS.activeNanos()) {
            modelEnd(k, r, FlowEndReason.ACTIVE_TIMEOUT);
            r.id = ++started;
            r.first = now;
            r.pktsC = r.bytesC = r.pktsS = r.bytesS = 0;
        }
        if (r == null) {
            if (model.size() == capacity) {
                Map.Entry<Key, Ref> eldest = model.entrySet().iterator().next();
                modelEnd(eldest.getKey(), eldest.getValue(), FlowEndReason.EVICTED);
                model.remove(eldest.getKey());
            }
            r = new Ref();
            r.id = ++started;
            r.client = src;
            r.server = dst;
            r.first = now;
            model.put(k, r);
        }
        r.last = now;
        if (src.equals(r.client)) {
            r.pktsC++;
            r.bytesC += p.originalLength;
        } else {
            r.pktsS++;
            r.bytesS += p.originalLength;
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 0xC0FFEE})
    void matchesReferenceModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int capacity = 100 + rnd.nextInt(300);
        List<End> actual = new ArrayList<>();
        FlowListener listener = new FlowListener() {
            @Override
            public void onFlowStart(FlowView f) {
            }

            @Override
            public void onFlowEnd(FlowView f, FlowEndReason reason) {
                actual.add(new End(f.flowId(), f.vlan(), f.ipProto(), new Ep(f.clientIpHi(), f.clientIpLo(),
                        f.clientPort()), new Ep(f.serverIpHi(), f.serverIpLo(), f.serverPort()), f.packetsFromClient(),
                        f.bytesFromClient(), f.packetsFromServer(), f.bytesFromServer(), f.firstSeenNanos(),
                        f.lastSeenNanos(), reason));
            }
        };
        FlowTable table = new FlowTable(capacity, TIMEOUTS, listener);

        int hosts = 10 + rnd.nextInt(20);
        long[] hi = new long[hosts];
        long[] lo = new long[hosts];
        for (int i = 0; i < hosts; i++) {
            if (i % 5 == 0) {
                hi[i] = 0x2001_0db8_0000_0000L;
                lo[i] = i;
            } else {
                lo[i] = IpAddresses.v4MappedLo(0x0A00_0000 + i);
            }
        }
        long now = 1_000_000 * MS;
        DecodedPacket p = new DecodedPacket();
        for (int step = 0; step < 200_000; step++) {
            now += 1 + rnd.nextLong(rnd.nextInt(10_000) == 0 ? 6_000 * MS : 5 * MS);
            int op = rnd.nextInt(1000);
            if (op < 10) {
                table.expire(now);
                modelExpire(now);
            } else if (op == 10 && rnd.nextInt(50) == 0) {
                FlowEndReason reason = rnd.nextBoolean() ? FlowEndReason.END_OF_CAPTURE : FlowEndReason.SHUTDOWN;
                table.flushAll(reason);
                modelFlush(reason);
            } else {
                randomPacket(p, rnd, now, hi, lo);
                int slot = table.update(p);
                Ref r = modelPacket(p, capacity);
                FlowView v = table.view(slot);
                assertEquals(r.id, v.flowId());
                assertEquals(r.pktsC, v.packetsFromClient());
                assertEquals(r.pktsS, v.packetsFromServer());
            }
            if (step % 1000 == 0) {
                assertEquals(model.size(), table.activeFlows());
                assertEquals(expected.size(), actual.size());
            }
        }
        table.flushAll(FlowEndReason.END_OF_CAPTURE);
        modelFlush(FlowEndReason.END_OF_CAPTURE);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "end #" + i);
        }
        assertEquals(started, table.flowsStarted());
        assertEquals(started, table.flowsEnded());
        assertEquals(expected.stream().filter(e -> e.reason() == FlowEndReason.EVICTED).count(), table.evictions());
        assertEquals(table.evictions(), table.overflows());
        assertTrue(table.evictions() > 0, "the run should have filled the table");
        assertTrue(expected.stream().anyMatch(e -> e.reason() == FlowEndReason.IDLE_TIMEOUT));
        assertTrue(expected.stream().anyMatch(e -> e.reason() == FlowEndReason.ACTIVE_TIMEOUT));
    }

    private static void randomPacket(DecodedPacket p, SplittableRandom rnd, long now, long[] hi, long[] lo) {
        p.reset();
        p.timestampNanos = now;
        p.originalLength = 60 + rnd.nextInt(1400);
        int s = rnd.nextInt(hi.length);
        int d = rnd.nextInt(hi.length);
        if (rnd.nextInt(5) == 0) {
            // A few heavy hitters stay recent, outlive the active timeout and get split by it.
            s = 1 + rnd.nextInt(2);
            d = 3;
            p.timestampNanos = now;
            p.originalLength = 1500;
            p.l3 = DecodedPacket.L3_IPV4;
            p.srcIpLo = rnd.nextBoolean() ? lo[s] : lo[d];
            p.dstIpLo = p.srcIpLo == lo[s] ? lo[d] : lo[s];
            // TCP: its 20 s idle timeout outlasts the occasional 6 s gap that idles out the rest.
            p.ipProto = DecodedPacket.PROTO_TCP;
            p.tcpFlags = DecodedPacket.TCP_ACK;
            p.hasPorts = true;
            p.srcPort = 5004;
            p.dstPort = 5004;
            return;
        }
        // Keep the address family consistent within a packet.
        while ((hi[s] == 0) != (hi[d] == 0)) {
            d = rnd.nextInt(hi.length);
        }
        p.l3 = hi[s] == 0 ? DecodedPacket.L3_IPV4 : DecodedPacket.L3_IPV6;
        p.srcIpHi = hi[s];
        p.srcIpLo = lo[s];
        p.dstIpHi = hi[d];
        p.dstIpLo = lo[d];
        p.vlan = rnd.nextInt(10) == 0 ? 7 : 0;
        int kind = rnd.nextInt(10);
        if (kind < 4) {
            p.ipProto = DecodedPacket.PROTO_UDP;
            p.hasPorts = true;
            p.srcPort = rnd.nextInt(4) == 0 ? 53 : 1024 + rnd.nextInt(4);
            p.dstPort = rnd.nextInt(4) == 0 ? 53 : 1024 + rnd.nextInt(4);
        } else if (kind < 8) {
            p.ipProto = DecodedPacket.PROTO_TCP;
            p.hasPorts = true;
            p.srcPort = rnd.nextBoolean() ? 443 : 40000 + rnd.nextInt(3);
            p.dstPort = rnd.nextBoolean() ? 443 : 40000 + rnd.nextInt(3);
            // No SYN/FIN/RST: every TCP flow is mid-stream and never closes, so the model stays simple.
            p.tcpFlags = rnd.nextBoolean() ? DecodedPacket.TCP_ACK : DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH;
        } else if (kind < 9) {
            p.ipProto = DecodedPacket.PROTO_ICMP;
            int t = rnd.nextInt(3);
            p.icmpType = t == 0 ? 8 : t == 1 ? 0 : 3;
            p.icmpCode = t == 2 ? rnd.nextInt(4) : 0;
        } else {
            p.ipProto = DecodedPacket.PROTO_GRE;
        }
    }
}
