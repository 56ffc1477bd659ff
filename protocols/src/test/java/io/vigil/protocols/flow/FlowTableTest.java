package io.vigil.protocols.flow;

import static io.vigil.protocols.decode.DecodedPacket.TCP_ACK;
import static io.vigil.protocols.decode.DecodedPacket.TCP_FIN;
import static io.vigil.protocols.decode.DecodedPacket.TCP_PSH;
import static io.vigil.protocols.decode.DecodedPacket.TCP_RST;
import static io.vigil.protocols.decode.DecodedPacket.TCP_SYN;
import static io.vigil.protocols.flow.Packets.SEC;
import static io.vigil.protocols.flow.Packets.eth;
import static io.vigil.protocols.flow.Packets.icmp;
import static io.vigil.protocols.flow.Packets.ip4;
import static io.vigil.protocols.flow.Packets.tcp;
import static io.vigil.protocols.flow.Packets.tcp6;
import static io.vigil.protocols.flow.Packets.udp;
import static io.vigil.protocols.flow.Packets.vlan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.decode.DecodedPacket;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private static final String C = "10.0.0.1";
    private static final String S = "192.168.1.10";
    private static final long MAC_C = 0x0200_0000_0001L;
    private static final long MAC_S = 0x0200_0000_0002L;
    private static final long T0 = 1_700_000_000L * SEC;

    private final Recorder rec = new Recorder();
    private final FlowTable table = new FlowTable(1024, FlowTimeouts.defaults(), rec);

    private int handshake(long t) {
        int a = table.update(eth(tcp(t, C, 40000, S, 443, TCP_SYN, 74), MAC_C, MAC_S));
        int b = table.update(eth(tcp(t + 1000, S, 443, C, 40000, TCP_SYN | TCP_ACK, 74), MAC_S, MAC_C));
        int c = table.update(eth(tcp(t + 2000, C, 40000, S, 443, TCP_ACK, 66), MAC_C, MAC_S));
        assertEquals(a, b);
        assertEquals(a, c);
        return a;
    }

    @Test
    void bothDirectionsOfTcpConversationAreOneFlowOrientedClientToServer() {
        int slot = handshake(T0);
        assertEquals(slot, table.update(eth(tcp(T0 + 3000, C, 40000, S, 443, TCP_ACK | TCP_PSH, 566), MAC_C, MAC_S)));
        assertEquals(slot, table.update(eth(tcp(T0 + 4000, S, 443, C, 40000, TCP_ACK | TCP_PSH, 1514), MAC_S, MAC_C)));

        assertEquals(1, table.activeFlows());
        assertEquals(1, rec.starts.size());
        FlowView f = table.view(slot);
        assertEquals(C + ":40000", Recorder.snap(f, null).client());
        assertEquals(S + ":443", Recorder.snap(f, null).server());
        assertEquals(6, f.ipProto());
        assertTrue(f.isIpv4());
        assertEquals(3, f.packetsFromClient());
        assertEquals(74 + 66 + 566, f.bytesFromClient());
        assertEquals(2, f.packetsFromServer());
        assertEquals(74 + 1514, f.bytesFromServer());
        assertEquals(MAC_C, f.clientMac());
        assertEquals(MAC_S, f.serverMac());
        assertEquals(T0, f.firstSeenNanos());
        assertEquals(T0 + 4000, f.lastSeenNanos());
        int st = f.tcpState();
        assertEquals(FlowView.SYN_SEEN | FlowView.SYN_ACK_SEEN | FlowView.ESTABLISHED, st);
        assertFalse(f.isTcpClosed());
        // The start callback ran after the first packet was counted.
        assertEquals(1, rec.starts.get(0).pktsC());
        assertEquals(FlowView.SYN_SEEN, rec.starts.get(0).tcpState());
        assertEquals(1, rec.starts.get(0).flowId());
    }

    @Test
    void finBothWaysEndsAsTcpClosedAfterTheLinger() {
        int slot = handshake(T0);
        long t = T0 + SEC;
        table.update(tcp(t, C, 40000, S, 443, TCP_FIN | TCP_ACK, 66));
        table.update(tcp(t + 1000, S, 443, C, 40000, TCP_FIN | TCP_ACK, 66));
        table.update(tcp(t + 2000, C, 40000, S, 443, TCP_ACK, 66));
        assertTrue(table.view(slot).isTcpClosed());

        long linger = FlowTimeouts.defaults().tcpClosedLingerNanos();
        table.expire(t + 2000 + linger);
        assertEquals(0, rec.ends.size(), "still lingering");
        table.expire(t + 2001 + linger);
        assertEquals(1, rec.ends.size());
        Recorder.Snap end = rec.ends.get(0);
        assertEquals(FlowEndReason.TCP_CLOSED, end.reason());
        assertEquals(FlowView.SYN_SEEN | FlowView.SYN_ACK_SEEN | FlowView.ESTABLISHED | FlowView.FIN_FROM_CLIENT
                | FlowView.FIN_FROM_SERVER, end.tcpState());
        assertEquals(4, end.pktsC());
        assertEquals(2, end.pktsS());
        assertEquals(0, table.activeFlows());
        assertEquals(1, table.flowsEnded());
    }

    @Test
    void oneFinDoesNotClose() {
        int slot = handshake(T0);
        table.update(tcp(T0 + SEC, C, 40000, S, 443, TCP_FIN | TCP_ACK, 66));
        assertFalse(table.view(slot).isTcpClosed());
        table.expire(T0 + 2 * SEC + FlowTimeouts.defaults().tcpClosedLingerNanos());
        assertEquals(0, rec.ends.size());
        // It is established, so the long TCP idle timeout applies.
        table.expire(T0 + SEC + FlowTimeouts.defaults().tcpIdleNanos() + 1);
        assertEquals(FlowEndReason.IDLE_TIMEOUT, rec.ends.get(0).reason());
    }

    @Test
    void rstClosesAndExpiresAfterLinger() {
        long t = T0;
        table.update(tcp(t, C, 40001, S, 23, TCP_SYN, 60));
        int slot = table.update(tcp(t + 500, S, 23, C, 40001, TCP_RST | TCP_ACK, 54));
        FlowView f = table.view(slot);
        assertEquals(FlowView.SYN_SEEN | FlowView.RST_SEEN, f.tcpState());
        assertTrue(f.isTcpClosed());
        table.expire(t + 500 + 5 * SEC + 1);
        assertEquals(1, rec.ends.size());
        assertEquals(FlowEndReason.TCP_CLOSED, rec.ends.get(0).reason());
        assertEquals(C + ":40001", rec.ends.get(0).client());
    }

    @Test
    void midstreamPickupTakesFirstSenderAsClient() {
        int slot = table.update(tcp(T0, S, 443, C, 40000, TCP_ACK | TCP_PSH, 1514));
        table.update(tcp(T0 + 10, C, 40000, S, 443, TCP_ACK, 66));
        FlowView f = table.view(slot);
        assertEquals(FlowView.MIDSTREAM, f.tcpState());
        assertEquals(S + ":443", Recorder.snap(f, null).client());
        assertEquals(1, f.packetsFromClient());
        assertEquals(1514, f.bytesFromClient());
        assertEquals(1, f.packetsFromServer());
    }

    @Test
    void synAckFirstMeansTheSenderIsTheServer() {
        int slot = table.update(tcp(T0, S, 443, C, 40000, TCP_SYN | TCP_ACK, 74));
        FlowView f = table.view(slot);
        assertEquals(C + ":40000", Recorder.snap(f, null).client());
        assertEquals(S + ":443", Recorder.snap(f, null).server());
        assertEquals(0, f.packetsFromClient());
        assertEquals(1, f.packetsFromServer());
        assertEquals(FlowView.SYN_ACK_SEEN, f.tcpState());
        table.update(tcp(T0 + 10, C, 40000, S, 443, TCP_ACK, 66));
        assertEquals(FlowView.SYN_ACK_SEEN | FlowView.ESTABLISHED, table.view(slot).tcpState());
        assertEquals(1, table.view(slot).packetsFromClient());
    }

    @Test
    void plainSynSenderIsClientEvenFromWellKnownPort() {
        int slot = table.update(tcp(T0, S, 443, C, 40000, TCP_SYN, 74));
        assertEquals(S + ":443", Recorder.snap(table.view(slot), null).client());
    }

    @Test
    void udpBothWaysAndIdleTimeout() {
        int slot = table.update(udp(T0, C, 53000, S, 53, 80));
        assertEquals(slot, table.update(udp(T0 + SEC, S, 53, C, 53000, 200)));
        FlowView f = table.view(slot);
        assertEquals(17, f.ipProto());
        assertEquals(C + ":53000", Recorder.snap(f, null).client());
        assertEquals(1, f.packetsFromClient());
        assertEquals(80, f.bytesFromClient());
        assertEquals(200, f.bytesFromServer());
        assertEquals(0, f.tcpState());

        table.expire(T0 + SEC + 60 * SEC);
        assertEquals(0, rec.ends.size());
        table.expire(T0 + SEC + 60 * SEC + 1);
        assertEquals(FlowEndReason.IDLE_TIMEOUT, rec.ends.get(0).reason());
    }

    @Test
    void idleFlowsExpireLazilyOnUpdate() {
        table.update(udp(T0, C, 1000, S, 2000, 100));
        table.update(udp(T0 + 30 * SEC, C, 1001, S, 2000, 100));
        table.update(udp(T0 + 61 * SEC, C, 1002, S, 2000, 100));
        assertEquals(1, rec.ends.size());
        assertEquals(1000, rec.ends.get(0).clientPort());
        assertEquals(FlowEndReason.IDLE_TIMEOUT, rec.ends.get(0).reason());
        assertEquals(2, table.activeFlows());
    }

    @Test
    void peakIsTheMostFlowsLiveAtOnce() {
        table.update(udp(T0, C, 1000, S, 2000, 100));
        table.update(udp(T0 + 30 * SEC, C, 1001, S, 2000, 100));
        table.update(udp(T0 + 61 * SEC, C, 1002, S, 2000, 100)); // the first expires, its slot is reused
        assertEquals(2, table.activeFlows());
        assertEquals(2, table.peakActiveFlows());
        table.update(udp(T0 + 62 * SEC, C, 1003, S, 2000, 100));
        assertEquals(3, table.peakActiveFlows());
        table.flushAll(FlowEndReason.END_OF_CAPTURE);
        assertEquals(0, table.activeFlows());
        assertEquals(3, table.peakActiveFlows(), "a peak outlives its flows");
    }

    @Test
    void establishedTcpUsesTcpIdleButHalfOpenUsesIdle() {
        handshake(T0);
        table.update(tcp(T0, C, 40009, S, 8080, TCP_SYN, 74)); // never answered
        table.expire(T0 + 100 * SEC);
        assertEquals(1, rec.ends.size());
        assertEquals(40009, rec.ends.get(0).clientPort());
        table.expire(T0 + 299 * SEC);
        assertEquals(1, rec.ends.size());
        table.expire(T0 + 301 * SEC);
        assertEquals(2, rec.ends.size());
        assertEquals(40000, rec.ends.get(1).clientPort());
    }

    @Test
    void expireEndsOldestFirstAcrossTimeoutClasses() {
        FlowTable t = new FlowTable(16, new FlowTimeouts(10 * SEC, 3600 * SEC, 10 * SEC, 10 * SEC), rec);
        t.update(udp(T0, C, 1, S, 2, 60));
        t.update(tcp(T0 + 1, C, 3, S, 4, TCP_ACK, 60));
        t.update(udp(T0 + 2, C, 5, S, 6, 60));
        t.update(tcp(T0 + 3, C, 7, S, 8, TCP_ACK, 60));
        t.expire(T0 + 100 * SEC);
        assertEquals(List.of(1, 3, 5, 7), rec.ends.stream().map(Recorder.Snap::clientPort).toList());
    }

    @Test
    void activeTimeoutSplitsALongFlow() {
        FlowTimeouts to = FlowTimeouts.defaults();
        long t = T0;
        int slot = table.update(tcp(t, C, 40000, S, 22, TCP_SYN, 74));
        table.update(tcp(t + 1, S, 22, C, 40000, TCP_SYN | TCP_ACK, 74));
        table.update(tcp(t + 2, C, 40000, S, 22, TCP_ACK, 66));
        int packets = 3;
        while (t + 10 * SEC - T0 <= to.activeNanos()) {
            t += 10 * SEC;
            assertEquals(slot, table.update(tcp(t, S, 22, C, 40000, TCP_ACK | TCP_PSH, 100)));
            packets++;
        }
        assertEquals(0, rec.ends.size());
        t += 10 * SEC;
        assertEquals(slot, table.update(tcp(t, S, 22, C, 40000, TCP_ACK | TCP_PSH, 100)));
        assertEquals(1, rec.ends.size());
        Recorder.Snap first = rec.ends.get(0);
        assertEquals(FlowEndReason.ACTIVE_TIMEOUT, first.reason());
        assertEquals(packets, first.pktsC() + first.pktsS());
        assertEquals(2, rec.starts.size());
        Recorder.Snap second = rec.starts.get(1);
        assertEquals(first.flowId() + 1, second.flowId());
        assertEquals(C + ":40000", second.client());
        assertEquals(0, second.pktsC());
        assertEquals(1, second.pktsS());
        assertEquals(t, second.first());
        assertTrue((second.tcpState() & FlowView.ESTABLISHED) != 0, "same connection");
        assertEquals(1, table.activeFlows());
        assertEquals(2, table.flowsStarted());
        assertEquals(1, table.flowsEnded());
    }

    @Test
    void icmpEchoRequestAndReplyShareAFlow() {
        int req = table.update(icmp(T0, C, S, 8, 0, 98));
        int rep = table.update(icmp(T0 + 100, S, C, 0, 0, 98));
        assertEquals(req, rep);
        FlowView f = table.view(req);
        assertEquals(1, f.ipProto());
        assertEquals(8, f.clientPort());
        assertEquals(0, f.serverPort());
        assertEquals(1, f.packetsFromClient());
        assertEquals(1, f.packetsFromServer());
        int unreach = table.update(icmp(T0 + 200, S, C, 3, 3, 70));
        assertNotEquals(req, unreach);
        assertEquals(3, table.view(unreach).clientPort());
        assertEquals(3, table.view(unreach).serverPort());

        DecodedPacket req6 = tcp6(T0, 0x2001_0db8_0000_0000L, 1, 0, 0x2001_0db8_0000_0000L, 2, 0, 0, 104);
        req6.ipProto = DecodedPacket.PROTO_ICMPV6;
        req6.hasPorts = false;
        req6.icmpType = 128;
        req6.icmpCode = 0;
        DecodedPacket rep6 = tcp6(T0 + 1, 0x2001_0db8_0000_0000L, 2, 0, 0x2001_0db8_0000_0000L, 1, 0, 0, 104);
        rep6.ipProto = DecodedPacket.PROTO_ICMPV6;
        rep6.hasPorts = false;
        rep6.icmpType = 129;
        rep6.icmpCode = 0;
        int s6 = table.update(req6);
        assertEquals(s6, table.update(rep6));
        assertEquals(58, table.view(s6).ipProto());
        assertEquals(3, table.activeFlows());
    }

    @Test
    void ipv6Flow() {
        long hi = 0x2001_0db8_0000_0000L;
        int slot = table.update(tcp6(T0, hi, 0x10, 50000, hi, 0x1, 443, TCP_SYN, 94));
        table.update(tcp6(T0 + 1, hi, 0x1, 443, hi, 0x10, 50000, TCP_SYN | TCP_ACK, 94));
        FlowView f = table.view(slot);
        assertFalse(f.isIpv4());
        assertEquals(hi, f.clientIpHi());
        assertEquals(0x10, f.clientIpLo());
        assertEquals(hi, f.serverIpHi());
        assertEquals(0x1, f.serverIpLo());
        assertEquals(50000, f.clientPort());
        assertEquals(443, f.serverPort());
        assertEquals(1, f.packetsFromServer());
        // Same low word, other high word: another flow.
        int other = table.update(tcp6(T0 + 2, hi + 1, 0x10, 50000, hi, 0x1, 443, TCP_SYN, 94));
        assertNotEquals(slot, other);
    }

    @Test
    void sameFiveTupleOnTwoVlansIsTwoFlows() {
        int a = table.update(vlan(udp(T0, C, 5000, S, 53, 80), 10));
        int b = table.update(vlan(udp(T0, C, 5000, S, 53, 80), 20));
        assertNotEquals(a, b);
        assertEquals(a, table.update(vlan(udp(T0 + 1, S, 53, C, 5000, 80), 10)));
        assertEquals(10, table.view(a).vlan());
        assertEquals(20, table.view(b).vlan());
        assertEquals(2, table.activeFlows());
    }

    @Test
    void nonIpIsIgnoredAndPortlessPacketsUsePortZero() {
        DecodedPacket arp = new DecodedPacket();
        arp.reset();
        arp.l3 = DecodedPacket.L3_ARP;
        assertEquals(-1, table.update(arp));
        assertEquals(0, table.activeFlows());

        DecodedPacket gre = ip4(T0, DecodedPacket.PROTO_GRE, C, -1, S, -1, 200);
        int g = table.update(gre);
        assertEquals(0, table.view(g).clientPort());
        // A later UDP fragment has no ports: it joins the port-0 flow of that protocol, not the ports flow.
        int withPorts = table.update(udp(T0, C, 4000, S, 4001, 1500));
        DecodedPacket frag = ip4(T0 + 1, DecodedPacket.PROTO_UDP, C, -1, S, -1, 600);
        frag.fragmented = true;
        frag.fragmentOffset = 1480;
        int f = table.update(frag);
        assertNotEquals(withPorts, f);
        assertNotEquals(g, f);
        assertEquals(f, table.update(frag));
        assertEquals(2, table.view(f).packetsFromClient());
    }

    @Test
    void fullTableEvictsLeastRecentlySeen() {
        FlowTable t = new FlowTable(3, FlowTimeouts.defaults(), rec);
        t.update(udp(T0, C, 1, S, 53, 60));         // A
        t.update(tcp(T0 + 1, C, 2, S, 80, TCP_ACK, 60)); // B (TCP list)
        t.update(udp(T0 + 2, C, 3, S, 53, 60));     // C
        t.update(udp(T0 + 3, S, 53, C, 1, 60));     // A again, now most recent
        assertEquals(0, t.evictions());
        t.update(udp(T0 + 4, C, 4, S, 53, 60));     // D evicts B
        assertEquals(1, t.evictions());
        assertEquals(1, t.overflows());
        assertEquals(3, t.activeFlows());
        assertEquals(FlowEndReason.EVICTED, rec.ends.get(0).reason());
        assertEquals(2, rec.ends.get(0).clientPort());
        t.update(udp(T0 + 5, C, 5, S, 53, 60));     // E evicts C
        assertEquals(3, rec.ends.get(1).clientPort());
        t.update(udp(T0 + 6, C, 6, S, 53, 60));     // F evicts A
        assertEquals(1, rec.ends.get(2).clientPort());
        assertEquals(1, rec.ends.get(2).pktsC());
        assertEquals(1, rec.ends.get(2).pktsS());
        assertEquals(3, t.evictions());
        assertEquals(3, t.overflows());
        assertEquals(6, t.flowsStarted());
        assertEquals(3, t.flowsEnded());
        assertEquals(3, t.activeFlows());
    }

    @Test
    void flushAllEndsEverythingOldestFirst() {
        table.update(udp(T0 + 2, C, 1, S, 53, 60));
        handshake(T0 + 3);
        table.update(udp(T0 + 10_000, C, 2, S, 53, 60));
        table.flushAll(FlowEndReason.END_OF_CAPTURE);
        assertEquals(0, table.activeFlows());
        assertEquals(3, rec.ends.size());
        assertEquals(List.of(1, 40000, 2), rec.ends.stream().map(Recorder.Snap::clientPort).toList());
        assertTrue(rec.ends.stream().allMatch(e -> e.reason() == FlowEndReason.END_OF_CAPTURE));
        assertEquals(table.flowsStarted(), table.flowsEnded());
        // The table is reusable afterwards.
        table.update(udp(T0 + 20, C, 1, S, 53, 60));
        assertEquals(1, table.activeFlows());
        table.flushAll(FlowEndReason.SHUTDOWN);
        assertEquals(FlowEndReason.SHUTDOWN, rec.ends.get(3).reason());
    }

    @Test
    void newSynAfterCloseIsPortReuse() {
        int slot = handshake(T0);
        table.update(tcp(T0 + SEC, C, 40000, S, 443, TCP_FIN | TCP_ACK, 66));
        table.update(tcp(T0 + SEC + 1, S, 443, C, 40000, TCP_FIN | TCP_ACK, 66));
        table.update(tcp(T0 + SEC + 2, C, 40000, S, 443, TCP_ACK, 66));
        long oldId = table.view(slot).flowId();

        int again = table.update(tcp(T0 + 2 * SEC, C, 40000, S, 443, TCP_SYN, 74));
        assertEquals(1, rec.ends.size());
        assertEquals(FlowEndReason.TCP_CLOSED, rec.ends.get(0).reason());
        assertEquals(oldId, rec.ends.get(0).flowId());
        FlowView f = table.view(again);
        assertNotEquals(oldId, f.flowId());
        assertEquals(FlowView.SYN_SEEN, f.tcpState());
        assertEquals(1, f.packetsFromClient());
        assertEquals(1, table.activeFlows());
        // A retransmitted SYN on the live new flow does not split it again.
        assertEquals(again, table.update(tcp(T0 + 3 * SEC, C, 40000, S, 443, TCP_SYN, 74)));
        assertEquals(1, rec.ends.size());
    }

    @Test
    void serverMacFallsBackToNextHopUntilServerSpeaks() {
        int slot = table.update(eth(tcp(T0, C, 1234, S, 80, TCP_SYN, 74), MAC_C, 0x0200_0000_00FFL));
        assertEquals(0x0200_0000_00FFL, table.view(slot).serverMac());
        table.update(eth(tcp(T0 + 1, S, 80, C, 1234, TCP_SYN | TCP_ACK, 74), MAC_S, MAC_C));
        table.update(eth(tcp(T0 + 2, C, 1234, S, 80, TCP_ACK, 74), MAC_C, 0x0200_0000_00FFL));
        assertEquals(MAC_S, table.view(slot).serverMac());
        assertEquals(MAC_C, table.view(slot).clientMac());
    }

    @Test
    void memoryIsBoundedByCapacity() {
        FlowTable t = new FlowTable(1 << 20, FlowTimeouts.defaults(), FlowListener.NONE);
        assertEquals(1 << 20, t.capacity());
        long perFlow = t.memoryBytes() / t.capacity();
        assertEquals(144, perFlow);
        assertThrows(IllegalArgumentException.class, () -> new FlowTable(0, FlowTimeouts.defaults(), rec));
        assertThrows(IllegalArgumentException.class, () -> table.view(999));
    }

    @Test
    void flowIdsIncrease() {
        for (int i = 0; i < 10; i++) {
            table.update(udp(T0 + i, C, 1000 + i, S, 53, 60));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i + 1, rec.starts.get(i).flowId());
        }
    }
}
