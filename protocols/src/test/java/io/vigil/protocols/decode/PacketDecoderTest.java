package io.vigil.protocols.decode;

import static io.vigil.protocols.decode.Frames.IP_A;
import static io.vigil.protocols.decode.Frames.IP_B;
import static io.vigil.protocols.decode.Frames.MAC_A;
import static io.vigil.protocols.decode.Frames.MAC_B;
import static io.vigil.protocols.decode.Frames.bytes;
import static io.vigil.protocols.decode.Frames.concat;
import static io.vigil.protocols.decode.Frames.eth;
import static io.vigil.protocols.decode.Frames.ethVlan;
import static io.vigil.protocols.decode.Frames.ext6;
import static io.vigil.protocols.decode.Frames.frag6;
import static io.vigil.protocols.decode.Frames.gre;
import static io.vigil.protocols.decode.Frames.icmp;
import static io.vigil.protocols.decode.Frames.innerTcpFrame;
import static io.vigil.protocols.decode.Frames.ipv4;
import static io.vigil.protocols.decode.Frames.ipv6;
import static io.vigil.protocols.decode.Frames.outerIpv4;
import static io.vigil.protocols.decode.Frames.payload;
import static io.vigil.protocols.decode.Frames.tcp;
import static io.vigil.protocols.decode.Frames.udp;
import static io.vigil.protocols.decode.Frames.vxlan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.LinkType;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    private final DecodeCounters counters = new DecodeCounters();
    private final PacketDecoder decoder = new PacketDecoder(counters);
    private final DecodedPacket p = new DecodedPacket();

    private boolean decode(byte[] frame, int linkType) {
        return decoder.decode(frame, 0, frame.length, linkType, p);
    }

    private void assertClean() {
        assertEquals(DecodedPacket.LAYER_NONE, p.malformedLayer, "malformed layer");
        assertFalse(p.truncated, "truncated");
        assertEquals(0, counters.malformedTotal() + counters.truncatedTotal());
    }

    private void assertInnerTcp() {
        assertTrue(p.hasEthernet);
        assertEquals(0x0000_5E00_0001L, p.dstMac);
        assertEquals(42, p.vlan);
        assertEquals(1, p.vlanCount);
        assertEquals(DecodedPacket.L3_IPV4, p.l3);
        assertEquals("172.16.0.1", IpAddresses.toString(p.srcIpHi, p.srcIpLo));
        assertEquals("172.16.0.2", IpAddresses.toString(p.dstIpHi, p.dstIpLo));
        assertEquals(60, p.ttl);
        assertTrue(p.isTcp());
        assertEquals(44321, p.srcPort);
        assertEquals(443, p.dstPort);
        assertEquals(10, p.payloadLength);
        assertClean();
    }

    @Test
    void ethernetIpv4TcpWithPadding() {
        byte[] options = {2, 4, 0x05, (byte) 0xB4}; // MSS 1460
        byte[] frame = eth(0x0800, ipv4(IP_A, IP_B, 6, 0x4321, 0x4000, 64, new byte[0],
            tcp(51000, 80, 0xFFFF_FFF0, 77, DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, 65535, options, payload(1))));
        byte[] padded = concat(frame, new byte[64 - frame.length]);
        assertTrue(decode(padded, LinkType.ETHERNET));
        assertClean();
        assertEquals(padded.length, p.captureLength);
        assertEquals(LinkType.ETHERNET, p.linkType);
        assertTrue(p.hasEthernet);
        assertEquals(MAC_A, p.srcMac);
        assertEquals(MAC_B, p.dstMac);
        assertEquals(0x0800, p.etherType);
        assertEquals(DecodedPacket.L3_IPV4, p.l3);
        assertEquals(14, p.l3Offset);
        assertEquals(0, p.srcIpHi);
        assertEquals(IpAddresses.v4MappedLo(IP_A), p.srcIpLo);
        assertEquals(IP_A, p.srcIpv4());
        assertEquals(IP_B, p.dstIpv4());
        assertEquals(0x4321, p.ipId);
        assertEquals(64, p.ttl);
        assertFalse(p.fragmented);
        assertFalse(p.ipOptions);
        assertTrue(p.isTcp());
        assertEquals(34, p.l4Offset);
        assertEquals(51000, p.srcPort);
        assertEquals(80, p.dstPort);
        assertEquals(0xFFFF_FFF0L, p.tcpSeq);
        assertEquals(77, p.tcpAck);
        assertEquals(65535, p.tcpWindow);
        assertEquals(DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, p.tcpFlags);
        assertEquals(34 + 24, p.payloadOffset);
        assertEquals(1, p.payloadLength, "Ethernet padding is not payload");
        assertFalse(p.payloadTruncated);
        assertEquals(1, counters.protocol(DecodeCounters.ETHERNET));
        assertEquals(1, counters.protocol(DecodeCounters.IPV4));
        assertEquals(1, counters.protocol(DecodeCounters.TCP));
    }

    @Test
    void snapLengthCuttingPayloadIsNotTruncation() {
        byte[] frame = eth(0x0800, ipv4(6, tcp(1, 2, payload(100))));
        assertTrue(decoder.decode(frame, 0, 64, LinkType.ETHERNET, p));
        assertClean();
        assertTrue(p.payloadTruncated);
        assertTrue(p.hasPorts);
        assertEquals(64 - 54, p.payloadLength);
    }

    @Test
    void decodesAtAnOffsetIntoTheBuffer() {
        byte[] frame = eth(0x0800, ipv4(17, udp(53, 5353, payload(4))));
        byte[] buf = concat(new byte[7], frame, new byte[9]);
        assertTrue(decoder.decode(buf, 7, frame.length, LinkType.ETHERNET, p));
        assertClean();
        assertEquals(21, p.l3Offset);
        assertEquals(7 + 42, p.payloadOffset);
        assertEquals(4, p.payloadLength);
    }

    @Test
    void vlanAndQinq() {
        byte[] single = ethVlan(new int[] {0x8100, 0x2064}, 0x0800, ipv4(17, udp(1, 2, payload(1))));
        assertTrue(decode(single, LinkType.ETHERNET));
        assertEquals(100, p.vlan);
        assertEquals(0, p.innerVlan);
        assertEquals(1, p.vlanCount);
        assertEquals(0x0800, p.etherType);
        assertEquals(18, p.l3Offset);
        assertTrue(p.isUdp());

        byte[] qinq = ethVlan(new int[] {0x88A8, 0x00C8, 0x8100, 0x012C}, 0x86DD, ipv6(17, udp(1, 2, payload(1))));
        assertTrue(decode(qinq, LinkType.ETHERNET));
        assertEquals(200, p.vlan);
        assertEquals(300, p.innerVlan);
        assertEquals(2, p.vlanCount);
        assertEquals(DecodedPacket.L3_IPV6, p.l3);

        byte[] oldQinq = ethVlan(new int[] {0x9100, 0x0005, 0x8100, 0x0006}, 0x0806, arp(1));
        assertTrue(decode(oldQinq, LinkType.ETHERNET));
        assertEquals(5, p.vlan);
        assertEquals(6, p.innerVlan);
        assertEquals(DecodedPacket.L3_ARP, p.l3);
        assertClean();
        assertEquals(3, counters.protocol(DecodeCounters.VLAN));
        assertEquals(2, counters.protocol(DecodeCounters.QINQ));
    }

    @Test
    void mplsTwoLabelsThenIpv4() {
        byte[] labels = bytes().u32(1000 << 12 | 64).u32(2000 << 12 | 0x100 | 64).build();
        byte[] frame = eth(0x8847, concat(labels, ipv4(6, tcp(1234, 22, payload(5)))));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertClean();
        assertEquals(2, p.mplsLabelCount);
        assertEquals(2000, p.mplsLabel);
        assertEquals(0x0800, p.etherType);
        assertEquals(22, p.l3Offset);
        assertEquals(22, p.dstPort);
        assertEquals(1, counters.protocol(DecodeCounters.MPLS));
    }

    @Test
    void mplsIpv6AndPseudowireEthernet() {
        byte[] v6 = eth(0x8848, concat(bytes().u32(16 << 12 | 0x1FF).build(), ipv6(17, udp(1, 2, payload(0)))));
        assertTrue(decode(v6, LinkType.ETHERNET));
        assertEquals(DecodedPacket.L3_IPV6, p.l3);
        assertEquals(16, p.mplsLabel);

        byte[] pw = eth(0x8847, concat(bytes().u32(77 << 12 | 0x1FF).u32(0).build(), innerTcpFrame()));
        assertTrue(decode(pw, LinkType.ETHERNET));
        assertEquals(77, p.mplsLabel);
        assertInnerTcp();
    }

    static byte[] arp(int op) {
        return bytes().u16(1).u16(0x0800).u8(6).u8(4).u16(op).mac(MAC_A).u32(IP_A)
            .mac(op == 1 ? 0 : MAC_B).u32(IP_B).build();
    }

    @Test
    void arpRequestAndReply() {
        assertTrue(decode(concat(eth(0x0806, arp(1)), new byte[18]), LinkType.ETHERNET));
        assertClean();
        assertEquals(DecodedPacket.L3_ARP, p.l3);
        assertEquals(1, p.arpOperation);
        assertEquals(MAC_A, p.arpSenderMac);
        assertEquals(IP_A, p.arpSenderIp);
        assertEquals(0, p.arpTargetMac);
        assertEquals(IP_B, p.arpTargetIp);
        assertTrue(p.arpIpv4);
        assertFalse(p.isIp());

        assertTrue(decode(eth(0x0806, arp(2)), LinkType.ETHERNET));
        assertEquals(2, p.arpOperation);
        assertEquals(MAC_B, p.arpTargetMac);
        assertEquals(2, counters.protocol(DecodeCounters.ARP));
    }

    /** Other hardware/protocol sizes still count as ARP, but no addresses are reported (zeek arp-leak trace). */
    @Test
    void arpWithOtherAddressSizesHasNoAddresses() {
        byte[] odd = bytes().u16(1).u16(0x0800).u8(255).u8(4).u16(1).build();
        assertTrue(decode(concat(eth(0x0806, odd), new byte[520]), LinkType.ETHERNET));
        assertEquals(DecodedPacket.L3_ARP, p.l3);
        assertEquals(1, p.arpOperation);
        assertFalse(p.arpIpv4);
        assertEquals(0, p.arpSenderIp);
        assertTrue(decode(eth(0x0806, arp(1)), LinkType.ETHERNET));
        assertTrue(p.arpIpv4);
        assertTrue(decode(concat(eth(0x0806, odd), new byte[520]), LinkType.ETHERNET));
        assertFalse(p.arpIpv4, "reset between packets");
    }

    @Test
    void llcAndUnknownEthertypesAreOtherL3() {
        byte[] stp = eth(0x0026, bytes().u8(0x42).u8(0x42).u8(0x03).zeros(35).build());
        assertFalse(decode(stp, LinkType.ETHERNET));
        assertEquals(DecodedPacket.L3_OTHER, p.l3);
        byte[] lldp = eth(0x88CC, new byte[40]);
        assertFalse(decode(lldp, LinkType.ETHERNET));
        assertEquals(0x88CC, p.etherType);
        assertClean();
        assertEquals(2, counters.protocol(DecodeCounters.OTHER_L3));
    }

    @Test
    void ipv4Options() {
        byte[] options = {(byte) 0x94, 4, 0, 0, 1, 0, 0, 0}; // Router Alert, NOP padding
        byte[] frame = eth(0x0800, ipv4(IP_A, IP_B, 17, 1, 0, 1, options, udp(9, 10, payload(2))));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertClean();
        assertTrue(p.ipOptions);
        assertEquals(14 + 28, p.l4Offset);
        assertEquals(9, p.srcPort);
        assertEquals(2, p.payloadLength);
        assertEquals(1, counters.protocol(DecodeCounters.IPV4_OPTIONS));
    }

    @Test
    void ipv4FirstAndLaterFragment() {
        byte[] first = eth(0x0800, ipv4(IP_A, IP_B, 17, 0xBEEF, 0x2000, 64, new byte[0], bytes().u16(5000).u16(53)
            .u16(8 + 100).u16(0).bytes(payload(16)).build()));
        assertTrue(decode(first, LinkType.ETHERNET));
        assertClean();
        assertTrue(p.fragmented);
        assertTrue(p.moreFragments);
        assertEquals(0, p.fragmentOffset);
        assertTrue(p.isUdp(), "a first fragment's UDP length covers the whole datagram");
        assertEquals(16, p.payloadLength);

        byte[] later = eth(0x0800, ipv4(IP_A, IP_B, 17, 0xBEEF, 3, 64, new byte[0], payload(84)));
        assertTrue(decode(later, LinkType.ETHERNET));
        assertClean();
        assertTrue(p.fragmented);
        assertFalse(p.moreFragments);
        assertEquals(24, p.fragmentOffset);
        assertFalse(p.hasPorts);
        assertEquals(-1, p.l4Offset);
        assertEquals(34, p.payloadOffset);
        assertEquals(84, p.payloadLength);
        assertEquals(2, counters.protocol(DecodeCounters.IPV4_FRAGMENT));
        assertEquals(1, counters.protocol(DecodeCounters.UDP), "only the first fragment has a UDP header");
    }

    @Test
    void ipv6HopByHopDestinationFragmentThenUdp() {
        byte[] chain = concat(ext6(60, 0), ext6(44, 1), frag6(17, 0, true, 0xCAFEBABE), udp(7000, 7001, payload(9)));
        byte[] frame = eth(0x86DD, ipv6(0, chain));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertClean();
        assertEquals(DecodedPacket.L3_IPV6, p.l3);
        assertEquals(3, p.ipv6ExtensionHeaders);
        assertEquals(17, p.ipProto);
        assertTrue(p.fragmented);
        assertTrue(p.moreFragments);
        assertEquals(0xCAFEBABE, p.ipId);
        assertTrue(p.isUdp());
        assertEquals(7000, p.srcPort);
        assertEquals(14 + 40 + 8 + 16 + 8, p.l4Offset);
        assertEquals(9, p.payloadLength);
        assertEquals(63, p.ttl);
        assertEquals(0x2001_0db8_0000_0000L, p.srcIpHi);
        assertEquals(1L, p.srcIpLo);
        assertEquals("fe80::211:22ff:fe33:4455", IpAddresses.toString(p.dstIpHi, p.dstIpLo));
        assertEquals(1, counters.protocol(DecodeCounters.IPV6_EXTENSION_HEADERS));
        assertEquals(1, counters.protocol(DecodeCounters.IPV6_FRAGMENT));

        byte[] later = eth(0x86DD, ipv6(44, concat(frag6(17, 1232, false, 0xCAFEBABE), payload(30))));
        assertTrue(decode(later, LinkType.ETHERNET));
        assertClean();
        assertTrue(p.fragmented);
        assertEquals(1232, p.fragmentOffset);
        assertFalse(p.hasPorts);
        assertEquals(30, p.payloadLength);
    }

    @Test
    void ipv6AuthenticationHeaderAndAtomicFragment() {
        byte[] ah = bytes().u8(44).u8(4).zeros(22).build(); // (4 + 2) * 4 = 24 bytes
        byte[] frame = eth(0x86DD, ipv6(51, concat(ah, frag6(6, 0, false, 1), tcp(1, 2, payload(0)))));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertClean();
        assertEquals(2, p.ipv6ExtensionHeaders);
        assertFalse(p.fragmented, "atomic fragment");
        assertTrue(p.isTcp());

        byte[] esp = eth(0x86DD, ipv6(50, payload(40)));
        assertTrue(decode(esp, LinkType.ETHERNET));
        assertEquals(50, p.ipProto);
        assertFalse(p.hasPorts);
        assertEquals(40, p.payloadLength);
        assertClean();
    }

    @Test
    void ipv6Tcp() {
        byte[] frame = eth(0x86DD, ipv6(6, tcp(40000, 443, 5, 6, DecodedPacket.TCP_FIN, 100, new byte[0], payload(20))));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertClean();
        assertEquals(0, p.ipv6ExtensionHeaders);
        assertEquals(6, p.ipProto);
        assertEquals(443, p.dstPort);
        assertEquals(DecodedPacket.TCP_FIN, p.tcpFlags);
        assertEquals(54, p.l4Offset);
        assertEquals(74, p.payloadOffset);
        assertEquals(20, p.payloadLength);
    }

    @Test
    void icmpEchoAndIcmpv6() {
        assertTrue(decode(eth(0x0800, ipv4(1, icmp(8, 0, payload(32)))), LinkType.ETHERNET));
        assertEquals(8, p.icmpType);
        assertEquals(0, p.icmpCode);
        assertFalse(p.hasPorts);
        assertEquals(32, p.payloadLength);

        assertTrue(decode(eth(0x86DD, ipv6(58, icmp(135, 0, payload(16)))), LinkType.ETHERNET));
        assertEquals(135, p.icmpType);
        assertEquals(58, p.ipProto);
        assertFalse(p.hasPorts);
        assertClean();
        assertEquals(1, counters.protocol(DecodeCounters.ICMP));
        assertEquals(1, counters.protocol(DecodeCounters.ICMPV6));
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] ip = ipv4(6, tcp(1, 2, payload(3)));
        byte[] sll = concat(bytes().u16(0).u16(1).u16(6).mac(MAC_A).u16(0).u16(0x0800).build(), ip);
        assertTrue(decode(sll, LinkType.LINUX_SLL));
        assertClean();
        assertFalse(p.hasEthernet);
        assertEquals(MAC_A, p.srcMac);
        assertEquals(16, p.l3Offset);
        assertEquals(2, p.dstPort);

        byte[] sll2 = concat(bytes().u16(0x86DD).u16(0).u32(3).u16(1).u8(4).u8(6).mac(MAC_B).u16(0).build(),
            ipv6(17, udp(3, 4, payload(1))));
        assertTrue(decode(sll2, LinkType.LINUX_SLL2));
        assertClean();
        assertEquals(MAC_B, p.srcMac);
        assertEquals(20, p.l3Offset);
        assertEquals(4, p.dstPort);
        assertEquals(2, counters.protocol(DecodeCounters.SLL));
    }

    @Test
    void rawIpLinkTypes() {
        byte[] v4 = ipv4(17, udp(1, 2, payload(1)));
        byte[] v6 = ipv6(17, udp(1, 2, payload(1)));
        for (int lt : new int[] {LinkType.RAW, LinkType.RAW_BSD_12, LinkType.RAW_BSD_14}) {
            assertTrue(decode(v4, lt));
            assertEquals(DecodedPacket.L3_IPV4, p.l3);
            assertEquals(0, p.l3Offset);
            assertEquals(0, p.etherType);
            assertTrue(decode(v6, lt));
            assertEquals(DecodedPacket.L3_IPV6, p.l3);
            assertTrue(p.isUdp());
        }
        assertTrue(decode(v4, LinkType.IPV4));
        assertEquals(DecodedPacket.L3_IPV4, p.l3);
        assertTrue(decode(v6, LinkType.IPV6));
        assertEquals(DecodedPacket.L3_IPV6, p.l3);
        assertClean();
        assertEquals(8, counters.protocol(DecodeCounters.RAW_IP));

        assertFalse(decode(v6, LinkType.IPV4), "an IPv6 packet on an IPv4-only link is malformed");
        assertEquals(DecodedPacket.LAYER_IPV4, p.malformedLayer);
    }

    @Test
    void bsdNullInBothByteOrdersAndLoop() {
        byte[] v4 = ipv4(6, tcp(1, 2, payload(1)));
        byte[] v6 = ipv6(6, tcp(1, 2, payload(1)));
        assertTrue(decode(concat(new byte[] {2, 0, 0, 0}, v4), LinkType.NULL));
        assertEquals(DecodedPacket.L3_IPV4, p.l3);
        assertEquals(4, p.l3Offset);
        assertTrue(decode(concat(new byte[] {0, 0, 0, 2}, v4), LinkType.NULL));
        assertEquals(DecodedPacket.L3_IPV4, p.l3);
        for (int af : new int[] {24, 28, 30}) {
            assertTrue(decode(concat(new byte[] {(byte) af, 0, 0, 0}, v6), LinkType.NULL));
            assertEquals(DecodedPacket.L3_IPV6, p.l3);
            assertTrue(decode(concat(new byte[] {0, 0, 0, (byte) af}, v6), LinkType.NULL));
            assertEquals(DecodedPacket.L3_IPV6, p.l3);
        }
        assertTrue(decode(concat(new byte[] {0, 0, 0, 2}, v4), LinkType.LOOP));
        assertEquals(DecodedPacket.L3_IPV4, p.l3);
        assertTrue(decode(concat(new byte[] {0, 0, 0, 24}, v6), LinkType.LOOP));
        assertEquals(DecodedPacket.L3_IPV6, p.l3);
        assertTrue(p.isTcp());
        assertClean();
        assertFalse(decode(concat(new byte[] {7, 0, 0, 0}, v4), LinkType.NULL));
        assertEquals(DecodedPacket.L3_OTHER, p.l3);
    }

    @Test
    void unsupportedLinkType() {
        assertFalse(decode(new byte[64], 147));
        assertEquals(DecodedPacket.LAYER_LINK, p.malformedLayer);
        assertEquals(1, counters.protocol(DecodeCounters.UNSUPPORTED_LINK_TYPE));
    }

    @Test
    void greCarryingIpv4() {
        byte[] inner = ipv4(0xAC10_0001, 0xAC10_0002, 17, 1, 0, 9, new byte[0], udp(1000, 2000, payload(4)));
        byte[] frame = outerIpv4(47, gre(0x2000, 0x0800, bytes().u32(12345).build(), inner));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertClean();
        assertEquals(DecodedPacket.TUNNEL_GRE, p.tunnel);
        assertEquals("172.16.0.1", IpAddresses.toString(p.srcIpHi, p.srcIpLo));
        assertEquals(9, p.ttl);
        assertEquals(17, p.ipProto);
        assertEquals(2000, p.dstPort);
        assertEquals(14 + 20 + 8, p.l3Offset);
        assertEquals(4, p.payloadLength);
        assertEquals(1, counters.protocol(DecodeCounters.GRE));
        assertEquals(2, counters.protocol(DecodeCounters.IPV4));
    }

    @Test
    void greTransparentEthernet() {
        assertTrue(decode(outerIpv4(47, gre(0, 0x6558, new byte[0], innerTcpFrame())), LinkType.ETHERNET));
        assertEquals(DecodedPacket.TUNNEL_GRE, p.tunnel);
        assertInnerTcp();
    }

    @Test
    void erspanTypeOneTwoAndThree() {
        byte[] typeOne = outerIpv4(47, gre(0, 0x88BE, new byte[0], innerTcpFrame()));
        assertTrue(decode(typeOne, LinkType.ETHERNET));
        assertEquals(DecodedPacket.TUNNEL_ERSPAN, p.tunnel);
        assertInnerTcp();

        byte[] erspan2 = bytes().u16(0x1000 | 42).u16(0x0005).u32(0).build();
        byte[] typeTwo = outerIpv4(47, gre(0x1000, 0x88BE, bytes().u32(7).build(), concat(erspan2, innerTcpFrame())));
        assertTrue(decode(typeTwo, LinkType.ETHERNET));
        assertEquals(DecodedPacket.TUNNEL_ERSPAN, p.tunnel);
        assertInnerTcp();

        byte[] erspan3 = bytes().u16(0x2000 | 42).u16(0x0005).u32(0x1234_5678).u16(0).u16(0).build();
        byte[] typeThree = outerIpv4(47, gre(0x1000, 0x22EB, bytes().u32(8).build(), concat(erspan3, innerTcpFrame())));
        assertTrue(decode(typeThree, LinkType.ETHERNET));
        assertEquals(DecodedPacket.TUNNEL_ERSPAN, p.tunnel);
        assertInnerTcp();

        byte[] erspan3WithSubheader = bytes().u16(0x2000 | 42).u16(0x0005).u32(0).u16(0).u16(1).zeros(8).build();
        byte[] typeThreeO = outerIpv4(47, gre(0x1000, 0x22EB, bytes().u32(9).build(),
            concat(erspan3WithSubheader, innerTcpFrame())));
        assertTrue(decode(typeThreeO, LinkType.ETHERNET));
        assertInnerTcp();
        assertEquals(4, counters.protocol(DecodeCounters.ERSPAN));
        assertEquals(4, counters.protocol(DecodeCounters.GRE));
    }

    @Test
    void vxlanCarriesEthernet() {
        byte[] frame = outerIpv4(17, udp(54321, 4789, vxlan(5001, innerTcpFrame())));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertEquals(DecodedPacket.TUNNEL_VXLAN, p.tunnel);
        assertInnerTcp();
        assertEquals(1, counters.protocol(DecodeCounters.VXLAN));
        assertEquals(1, counters.protocol(DecodeCounters.UDP));

        byte[] notVxlan = outerIpv4(17, udp(54321, 4789, payload(20)));
        assertTrue(decode(notVxlan, LinkType.ETHERNET));
        assertEquals(DecodedPacket.TUNNEL_NONE, p.tunnel);
        assertEquals(4789, p.dstPort);
    }

    @Test
    void ipInIp() {
        byte[] v4inV4 = outerIpv4(4, ipv4(0xAC10_0001, 0xAC10_0002, 6, 1, 0, 60, new byte[0], tcp(44321, 443, payload(10))));
        assertTrue(decode(v4inV4, LinkType.ETHERNET));
        assertClean();
        assertEquals(DecodedPacket.TUNNEL_IP_IN_IP, p.tunnel);
        assertEquals("172.16.0.2", IpAddresses.toString(p.dstIpHi, p.dstIpLo));
        assertEquals(443, p.dstPort);

        byte[] v6inV4 = outerIpv4(41, ipv6(17, udp(1, 2, payload(3))));
        assertTrue(decode(v6inV4, LinkType.ETHERNET));
        assertEquals(DecodedPacket.L3_IPV6, p.l3);
        assertEquals(DecodedPacket.TUNNEL_IP_IN_IP, p.tunnel);
        assertTrue(p.isUdp());
        assertEquals(2, counters.protocol(DecodeCounters.IP_IN_IP));
    }

    @Test
    void hostileTunnelNestingIsBounded() {
        byte[] packet = ipv4(6, tcp(1, 2, payload(1)));
        for (int i = 0; i < 50; i++) {
            packet = ipv4(4, packet);
        }
        assertTrue(decode(packet, LinkType.RAW));
        assertEquals(DecodedPacket.LAYER_TUNNEL, p.malformedLayer);
        assertEquals(1, counters.malformedAt(DecodedPacket.LAYER_TUNNEL));
        assertEquals(PacketDecoder.MAX_TUNNEL_DEPTH + 1, counters.protocol(DecodeCounters.IP_IN_IP));

        byte[] gre = innerTcpFrame();
        for (int i = 0; i < 10; i++) {
            gre = outerIpv4(47, gre(0, 0x6558, new byte[0], gre));
        }
        assertTrue(decode(gre, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_TUNNEL, p.malformedLayer);
    }

    @Test
    void malformedHeaders() {
        byte[] ihl4 = eth(0x0800, ipv4(6, tcp(1, 2, payload(1))));
        ihl4[14] = 0x44;
        assertFalse(decode(ihl4, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_IPV4, p.malformedLayer);
        assertFalse(p.truncated);

        byte[] version = eth(0x0800, ipv4(6, tcp(1, 2, payload(1))));
        version[14] = 0x55;
        assertFalse(decode(version, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_IPV4, p.malformedLayer);

        byte[] tcpOffset = eth(0x0800, ipv4(6, tcp(1, 2, payload(8))));
        tcpOffset[14 + 20 + 12] = 0x40;
        assertTrue(decode(tcpOffset, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_TCP, p.malformedLayer);
        assertFalse(p.hasPorts);

        byte[] udpLength = eth(0x0800, ipv4(17, udp(1, 2, payload(8))));
        udpLength[14 + 20 + 5] = 7;
        assertTrue(decode(udpLength, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_UDP, p.malformedLayer);
        assertFalse(p.hasPorts);

        byte[] udpTooLong = eth(0x0800, ipv4(17, udp(1, 2, payload(8))));
        udpTooLong[14 + 20 + 5] = 17;
        assertTrue(decode(udpTooLong, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_UDP, p.malformedLayer);

        byte[] totalTooSmall = eth(0x0800, ipv4(6, tcp(1, 2, payload(1))));
        totalTooSmall[14 + 3] = 19;
        assertFalse(decode(totalTooSmall, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_IPV4, p.malformedLayer);

        byte[] tcpPastDatagram = eth(0x0800, ipv4(6, tcp(1, 2, payload(0))));
        tcpPastDatagram[14 + 3] = 30; // datagram claims only 10 bytes of TCP, capture has 20
        assertTrue(decode(tcpPastDatagram, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_TCP, p.malformedLayer);
        assertFalse(p.truncated);

        byte[] extPastEnd = eth(0x86DD, ipv6(0, concat(ext6(17, 0), udp(1, 2, payload(0)))));
        extPastEnd[14 + 40 + 1] = 5; // 48 bytes of Hop-by-Hop in a 16-byte payload
        assertTrue(decode(extPastEnd, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_IPV6, p.malformedLayer);
        assertFalse(p.truncated);
        assertEquals(0, p.ipv6ExtensionHeaders);

        assertEquals(8, counters.malformedTotal());
        assertEquals(0, counters.truncatedTotal());
    }

    @Test
    void hostileIpv6ExtensionChainIsBounded() {
        byte[] chain = new byte[0];
        for (int i = 0; i < 40; i++) {
            chain = concat(chain, ext6(60, 0));
        }
        byte[] frame = eth(0x86DD, ipv6(60, chain));
        assertTrue(decode(frame, LinkType.ETHERNET));
        assertEquals(DecodedPacket.LAYER_IPV6, p.malformedLayer);
        assertEquals(PacketDecoder.MAX_IPV6_EXTENSION_HEADERS, p.ipv6ExtensionHeaders);
    }

    @Test
    void hostileBufferArguments() {
        byte[] frame = eth(0x0800, ipv4(6, tcp(1, 2, payload(4))));
        assertFalse(decoder.decode(null, 0, 10, LinkType.ETHERNET, p));
        assertFalse(decoder.decode(frame, -1, 10, LinkType.ETHERNET, p));
        assertFalse(decoder.decode(frame, frame.length + 1, 0, LinkType.ETHERNET, p));
        assertFalse(decoder.decode(frame, 0, -5, LinkType.ETHERNET, p));
        assertTrue(decoder.decode(frame, 0, Integer.MAX_VALUE, LinkType.ETHERNET, p));
        assertTrue(p.payloadOffset + p.payloadLength <= frame.length);
        byte[] shifted = concat(new byte[3], frame);
        assertTrue(decoder.decode(shifted, 3 + 14, Integer.MAX_VALUE - 1, LinkType.RAW, p));
        assertEquals(4, p.payloadLength);
    }

    @Test
    void resetKeepsCallerFieldsAndInnerFrameReplacesOuterFields() {
        p.frameNumber = 17;
        p.timestampNanos = 99;
        p.originalLength = 1500;
        p.interfaceId = 2;
        byte[] outerVlan = concat(bytes().mac(MAC_B).mac(MAC_A).u16(0x8100).u16(7).u16(0x0800).build(),
            ipv4(0x0101_0101, 0x0202_0202, 17, 1, 0, 64, new byte[0], udp(1, 4789, vxlan(1,
                Frames.eth(0x0806, arp(1))))));
        assertTrue(decode(outerVlan, LinkType.ETHERNET));
        assertEquals(17, p.frameNumber);
        assertEquals(99, p.timestampNanos);
        assertEquals(1500, p.originalLength);
        assertEquals(2, p.interfaceId);
        assertEquals(DecodedPacket.L3_ARP, p.l3);
        assertEquals(0, p.vlan, "the inner frame is untagged");
        assertEquals(0, p.srcIpLo);
        assertFalse(p.hasPorts);
        assertEquals(-1, p.ipProto);
        assertEquals(DecodedPacket.TUNNEL_VXLAN, p.tunnel);
    }

    @Test
    void zeroLengthFromSegmentationOffloadMeansTheCaptureIsTheDatagram() {
        byte[] v4 = eth(0x0800, ipv4(6, tcp(1, 2, payload(3000))));
        v4[14 + 2] = 0;
        v4[14 + 3] = 0;
        assertTrue(decode(v4, LinkType.ETHERNET));
        assertClean();
        assertEquals(3000, p.payloadLength);

        byte[] v6 = eth(0x86DD, ipv6(6, tcp(1, 2, payload(3000))));
        v6[14 + 4] = 0;
        v6[14 + 5] = 0;
        assertTrue(decode(v6, LinkType.ETHERNET));
        assertClean();
        assertEquals(3000, p.payloadLength);
    }

    @Test
    void enhancedGreAndUnknownGrePayloadsAreNotUnwrapped() {
        byte[] pptp = outerIpv4(47, gre(0x3081, 0x880B, bytes().u16(10).u16(1).u32(5).build(), payload(20)));
        assertTrue(decode(pptp, LinkType.ETHERNET));
        assertClean();
        assertEquals(DecodedPacket.TUNNEL_GRE, p.tunnel);
        assertEquals(47, p.ipProto);
        assertEquals("1.1.1.1", IpAddresses.toString(p.srcIpHi, p.srcIpLo));

        byte[] keepalive = outerIpv4(47, gre(0, 0x0000, new byte[0], payload(4)));
        assertTrue(decode(keepalive, LinkType.ETHERNET));
        assertEquals(47, p.ipProto);
        assertEquals(4, p.payloadLength);
    }

    @Test
    void truncatedInnerPacketKeepsTheOuterIpHeader() {
        byte[] frame = outerIpv4(4, ipv4(6, tcp(1, 2, payload(10))));
        assertTrue(decoder.decode(frame, 0, 14 + 20 + 10, LinkType.ETHERNET, p));
        assertTrue(p.truncated);
        assertEquals(DecodedPacket.LAYER_IPV4, p.malformedLayer);
        assertEquals("2.2.2.2", IpAddresses.toString(p.dstIpHi, p.dstIpLo));
        assertEquals(1, counters.truncatedAt(DecodedPacket.LAYER_IPV4));
        assertEquals(1, counters.truncatedTotal() + counters.malformedTotal());
    }
}
