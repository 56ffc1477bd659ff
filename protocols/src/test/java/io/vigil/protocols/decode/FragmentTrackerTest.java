package io.vigil.protocols.decode;

import static io.vigil.protocols.decode.Frames.IP_A;
import static io.vigil.protocols.decode.Frames.IP_B;
import static io.vigil.protocols.decode.Frames.bytes;
import static io.vigil.protocols.decode.Frames.concat;
import static io.vigil.protocols.decode.Frames.eth;
import static io.vigil.protocols.decode.Frames.ext6;
import static io.vigil.protocols.decode.Frames.frag6;
import static io.vigil.protocols.decode.Frames.ipv4;
import static io.vigil.protocols.decode.Frames.ipv6;
import static io.vigil.protocols.decode.Frames.payload;
import static io.vigil.protocols.decode.Frames.tcp;
import static io.vigil.protocols.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.LinkType;
import org.junit.jupiter.api.Test;

class FragmentTrackerTest {
    private static final long SECOND = 1_000_000_000L;

    private final DecodeCounters counters = new DecodeCounters();
    private final PacketDecoder decoder = new PacketDecoder(counters);
    private final FragmentTracker tracker = new FragmentTracker(64, 30 * SECOND, counters);
    private final DecodedPacket p = new DecodedPacket();

    private boolean track(byte[] frame, long now) {
        decoder.decode(frame, 0, frame.length, LinkType.ETHERNET, p);
        return tracker.track(p, now);
    }

    private static byte[] v4Fragment(int src, int id, int proto, int flagsFragment, byte[] payload) {
        return eth(0x0800, ipv4(src, IP_B, proto, id, flagsFragment, 64, new byte[0], payload));
    }

    private static byte[] firstUdp(int src, int id, int sport, int dport) {
        return v4Fragment(src, id, 17, 0x2000, bytes().u16(sport).u16(dport).u16(1000).u16(0).bytes(payload(24)).build());
    }

    @Test
    void laterIpv4FragmentBorrowsThePortsOfTheFirst() {
        assertTrue(track(firstUdp(IP_A, 0x1111, 5353, 53), 0));
        assertEquals(53, p.dstPort);

        assertTrue(track(v4Fragment(IP_A, 0x1111, 17, 0x2004, payload(32)), SECOND));
        assertEquals(32, p.fragmentOffset);
        assertTrue(p.isUdp());
        assertEquals(5353, p.srcPort);
        assertEquals(53, p.dstPort);

        assertTrue(track(v4Fragment(IP_A, 0x1111, 17, 8, payload(10)), 2 * SECOND), "the last fragment too");
        assertEquals(53, p.dstPort);
        assertEquals(0, counters.protocol(DecodeCounters.FRAGMENT_WITHOUT_FIRST));
    }

    @Test
    void unknownFirstFragment() {
        assertFalse(track(v4Fragment(IP_A, 0x2222, 17, 0x2004, payload(32)), 0));
        assertFalse(p.hasPorts);
        assertEquals(1, counters.protocol(DecodeCounters.FRAGMENT_WITHOUT_FIRST));

        track(firstUdp(IP_A, 0x2222, 1, 2), 0);
        assertFalse(track(v4Fragment(IP_A, 0x2223, 17, 4, payload(8)), 0), "other id");
        assertFalse(track(v4Fragment(IP_B, 0x2222, 17, 4, payload(8)), 0), "other source");
        assertFalse(track(v4Fragment(IP_A, 0x2222, 6, 4, payload(8)), 0), "other protocol");
        assertEquals(4, counters.protocol(DecodeCounters.FRAGMENT_WITHOUT_FIRST));
    }

    @Test
    void entriesExpire() {
        track(firstUdp(IP_A, 7, 1, 2), 0);
        assertTrue(track(v4Fragment(IP_A, 7, 17, 4, payload(8)), 30 * SECOND));
        assertFalse(track(v4Fragment(IP_A, 7, 17, 5, payload(8)), 31 * SECOND));
    }

    @Test
    void unfragmentedPacketsAreIgnored() {
        assertTrue(track(eth(0x0800, ipv4(6, tcp(1, 2, payload(1)))), 0));
        assertTrue(track(eth(0x0806, PacketDecoderTest.arp(1)), 0));
        assertEquals(0, counters.protocol(DecodeCounters.FRAGMENT_WITHOUT_FIRST));
    }

    @Test
    void ipv6FragmentsWithExtensionHeadersBehindTheFragmentHeader() {
        byte[] first = eth(0x86DD, ipv6(44, concat(frag6(60, 0, true, 0xABCDEF01), ext6(17, 0),
            udp(4000, 4001, payload(40)))));
        assertTrue(track(first, 0));
        assertEquals(17, p.ipProto);
        assertTrue(p.isUdp());

        byte[] later = eth(0x86DD, ipv6(44, concat(frag6(60, 64, false, 0xABCDEF01), payload(20))));
        assertTrue(track(later, 1));
        assertEquals(17, p.ipProto, "the transport protocol of the first fragment, not its next header");
        assertEquals(4000, p.srcPort);
        assertEquals(4001, p.dstPort);
        assertTrue(p.hasPorts);

        byte[] stranger = eth(0x86DD, ipv6(44, concat(frag6(17, 64, false, 0xABCDEF02), payload(20))));
        assertFalse(track(stranger, 1));
    }

    @Test
    void tinyFirstFragmentIsCountedAndLendsNoPorts() {
        byte[] tiny = v4Fragment(IP_A, 99, 6, 0x2000, bytes().u16(1234).u16(80).u32(0).build());
        assertTrue(track(tiny, 0));
        assertFalse(p.hasPorts);
        assertEquals(DecodedPacket.LAYER_NONE, p.malformedLayer, "a tiny fragment is legal, just suspicious");
        assertEquals(1, counters.protocol(DecodeCounters.TINY_FRAGMENT));

        assertTrue(track(v4Fragment(IP_A, 99, 6, 1, payload(40)), 1), "the first fragment is known");
        assertFalse(p.hasPorts);
    }

    @Test
    void firstFragmentsOfPortlessProtocolsAreRemembered() {
        byte[] ping = v4Fragment(IP_A, 5, 1, 0x2000, Frames.icmp(8, 0, payload(100)));
        assertTrue(track(ping, 0));
        assertTrue(track(v4Fragment(IP_A, 5, 1, 14, payload(50)), 1));
        assertFalse(p.hasPorts);
        assertEquals(0, counters.protocol(DecodeCounters.TINY_FRAGMENT));
    }

    @Test
    void memoryIsBoundedAndOldestEntriesGiveWay() {
        FragmentTracker small = new FragmentTracker(16, 30 * SECOND, counters);
        for (int id = 0; id < 10_000; id++) {
            byte[] first = firstUdp(IP_A, id, 1000 + id % 50_000, 53);
            decoder.decode(first, 0, first.length, LinkType.ETHERNET, p);
            small.track(p, id);
        }
        int found = 0;
        for (int id = 0; id < 10_000; id++) {
            byte[] later = v4Fragment(IP_A, id, 17, 4, payload(8));
            decoder.decode(later, 0, later.length, LinkType.ETHERNET, p);
            if (small.track(p, 10_000)) {
                found++;
                assertEquals(1000 + id % 50_000, p.srcPort);
            }
        }
        assertTrue(found <= 16, "found " + found);
        assertTrue(found >= 8, "the most recent entries survive: " + found);
        byte[] newest = v4Fragment(IP_A, 9_999, 17, 4, payload(8));
        decoder.decode(newest, 0, newest.length, LinkType.ETHERNET, p);
        assertTrue(small.track(p, 10_001));
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new FragmentTracker(0, SECOND, counters));
        assertThrows(IllegalArgumentException.class, () -> new FragmentTracker(8, 0, counters));
    }
}
