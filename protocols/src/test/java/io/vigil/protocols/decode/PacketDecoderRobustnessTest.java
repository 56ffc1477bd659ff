package io.vigil.protocols.decode;

import static io.vigil.protocols.decode.DecodedPacket.LAYER_ARP;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_ICMP;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_IPV4;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_IPV6;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_LINK;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_MPLS;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_NONE;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_TCP;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_TUNNEL;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_UDP;
import static io.vigil.protocols.decode.DecodedPacket.LAYER_VLAN;
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
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.protocols.LinkType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cuts, mutations, random bytes and allocation: the decoder must hold up against anything. */
class PacketDecoderRobustnessTest {
    private static final int[] LINK_TYPES = {
        LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW, LinkType.RAW_BSD_12,
        LinkType.RAW_BSD_14, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP, 9999
    };

    /** A valid frame and the byte span of each header in it, so a cut can be checked against its layer. */
    record Sample(String name, byte[] frame, int linkType, int[] spans, int padding) {
        int headerEnd() {
            return spans.length == 0 ? 0 : spans[spans.length - 2];
        }

        /** The layer whose header the capture ends in when only the first {@code length} bytes are kept. */
        int layerCutAt(int length) {
            for (int i = 0; i < spans.length; i += 3) {
                if (length >= spans[i] && length < spans[i + 1]) {
                    return spans[i + 2];
                }
            }
            return LAYER_NONE;
        }
    }

    /** Layers given as (layer, header length) pairs, laid end to end from offset 0. */
    private static Sample sample(String name, byte[] frame, int linkType, int... layerLengths) {
        int[] spans = new int[layerLengths.length / 2 * 3];
        int at = 0;
        for (int i = 0, j = 0; i < layerLengths.length; i += 2, j += 3) {
            spans[j] = at;
            at += layerLengths[i + 1];
            spans[j + 1] = at;
            spans[j + 2] = layerLengths[i];
        }
        return new Sample(name, frame, linkType, spans, 0);
    }

    static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        Sample padded = sample("eth/ipv4/tcp+padding", concat(eth(0x0800, ipv4(6, tcp(1, 2, 3, 4, 0x18, 5,
            new byte[] {1, 1, 1, 1}, payload(6)))), new byte[6]), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_IPV4, 20, LAYER_TCP, 24);
        s.add(new Sample(padded.name(), padded.frame(), padded.linkType(), padded.spans(), 6));
        s.add(sample("eth/vlan/vlan/ipv4/udp", ethVlan(new int[] {0x88A8, 10, 0x8100, 20}, 0x0800,
            ipv4(17, udp(1, 2, payload(5)))), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_VLAN, 4, LAYER_VLAN, 4, LAYER_IPV4, 20, LAYER_UDP, 8));
        s.add(sample("eth/mpls/ipv4/icmp", eth(0x8847, concat(bytes().u32(5 << 12).u32(6 << 12 | 0x100).build(),
            ipv4(1, icmp(8, 0, payload(4))))), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_MPLS, 9, LAYER_IPV4, 19, LAYER_ICMP, 8));
        s.add(sample("eth/arp", eth(0x0806, PacketDecoderTest.arp(1)), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_ARP, 28));
        s.add(sample("eth/ipv4+options/udp", eth(0x0800, ipv4(1, 2, 17, 3, 0, 4, new byte[8], udp(1, 2, payload(2)))),
            LinkType.ETHERNET, LAYER_LINK, 14, LAYER_IPV4, 28, LAYER_UDP, 8));
        s.add(sample("eth/ipv4 later fragment", eth(0x0800, ipv4(1, 2, 17, 3, 10, 4, new byte[0], payload(30))),
            LinkType.ETHERNET, LAYER_LINK, 14, LAYER_IPV4, 20));
        s.add(sample("eth/ipv6/hbh/dst/frag/udp", eth(0x86DD, ipv6(0, concat(ext6(60, 0), ext6(44, 1),
            frag6(17, 0, true, 9), udp(1, 2, payload(3))))), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_IPV6, 40 + 8 + 16 + 8, LAYER_UDP, 8));
        s.add(sample("eth/ipv6/tcp", eth(0x86DD, ipv6(6, tcp(1, 2, payload(7)))), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_IPV6, 40, LAYER_TCP, 20));
        s.add(sample("eth/ipv6/icmpv6", eth(0x86DD, ipv6(58, icmp(128, 0, payload(7)))), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_IPV6, 40, LAYER_ICMP, 8));
        s.add(sample("sll/ipv4/tcp", concat(bytes().u16(0).u16(1).u16(6).mac(1).u16(0).u16(0x0800).build(),
            ipv4(6, tcp(1, 2, payload(3)))), LinkType.LINUX_SLL, LAYER_LINK, 16, LAYER_IPV4, 20, LAYER_TCP, 20));
        s.add(sample("sll2/ipv6/udp", concat(bytes().u16(0x86DD).u16(0).u32(3).u16(1).u8(4).u8(6).mac(2).u16(0).build(),
            ipv6(17, udp(1, 2, payload(1)))), LinkType.LINUX_SLL2, LAYER_LINK, 20, LAYER_IPV6, 40, LAYER_UDP, 8));
        s.add(sample("raw/ipv4/udp", ipv4(17, udp(1, 2, payload(1))), LinkType.RAW,
            LAYER_LINK, 1, LAYER_IPV4, 19, LAYER_UDP, 8));
        s.add(sample("ipv6/tcp", ipv6(6, tcp(1, 2, payload(1))), LinkType.IPV6, LAYER_IPV6, 40, LAYER_TCP, 20));
        s.add(sample("null/ipv4/tcp", concat(new byte[] {2, 0, 0, 0}, ipv4(6, tcp(1, 2, payload(1)))), LinkType.NULL,
            LAYER_LINK, 4, LAYER_IPV4, 20, LAYER_TCP, 20));
        s.add(sample("loop/ipv6/udp", concat(new byte[] {0, 0, 0, 24}, ipv6(17, udp(1, 2, payload(1)))), LinkType.LOOP,
            LAYER_LINK, 4, LAYER_IPV6, 40, LAYER_UDP, 8));
        s.add(sample("gre/ipv4/udp", outerIpv4(47, gre(0xA000, 0x0800, new byte[8], ipv4(17, udp(1, 2, payload(2))))),
            LinkType.ETHERNET, LAYER_LINK, 14, LAYER_IPV4, 20, LAYER_TUNNEL, 12, LAYER_IPV4, 20, LAYER_UDP, 8));
        byte[] erspan2 = bytes().u16(0x1000 | 42).u16(5).u32(0).build();
        s.add(sample("erspan2/eth/vlan/ipv4/tcp", outerIpv4(47, gre(0x1000, 0x88BE, new byte[4],
            concat(erspan2, innerTcpFrame()))), LinkType.ETHERNET, LAYER_LINK, 14, LAYER_IPV4, 20,
            LAYER_TUNNEL, 16, LAYER_LINK, 14, LAYER_VLAN, 4, LAYER_IPV4, 20, LAYER_TCP, 20));
        byte[] erspan3 = bytes().u16(0x2000 | 42).u16(5).u32(0).u16(0).u16(1).zeros(8).build();
        s.add(sample("erspan3+O/eth/vlan/ipv4/tcp", outerIpv4(47, gre(0x1000, 0x22EB, new byte[4],
            concat(erspan3, innerTcpFrame()))), LinkType.ETHERNET, LAYER_LINK, 14, LAYER_IPV4, 20,
            LAYER_TUNNEL, 28, LAYER_LINK, 14, LAYER_VLAN, 4, LAYER_IPV4, 20, LAYER_TCP, 20));
        s.add(sample("vxlan/eth/vlan/ipv4/tcp", outerIpv4(17, udp(1, 4789, vxlan(7, innerTcpFrame()))),
            LinkType.ETHERNET, LAYER_LINK, 14, LAYER_IPV4, 20, LAYER_UDP, 8, LAYER_TUNNEL, 8,
            LAYER_LINK, 14, LAYER_VLAN, 4, LAYER_IPV4, 20, LAYER_TCP, 20));
        s.add(sample("ipip/ipv6/tcp", outerIpv4(41, ipv6(6, tcp(1, 2, payload(2)))), LinkType.ETHERNET,
            LAYER_LINK, 14, LAYER_IPV4, 20, LAYER_IPV6, 40, LAYER_TCP, 20));
        return s;
    }

    private final DecodeCounters counters = new DecodeCounters();
    private final PacketDecoder decoder = new PacketDecoder(counters);
    private final DecodedPacket p = new DecodedPacket();

    @Test
    void samplesDecodeCleanly() {
        for (Sample s : samples()) {
            assertTrue(decoder.decode(s.frame(), 0, s.frame().length, s.linkType(), p), s.name());
            assertEquals(LAYER_NONE, p.malformedLayer, s.name());
            assertFalse(p.truncated, s.name());
        }
    }

    @Test
    void everyCutIsSafeAndACutInsideAHeaderIsTruncatedAtThatLayer() {
        for (Sample s : samples()) {
            byte[] frame = s.frame();
            for (int length = 0; length <= frame.length; length++) {
                String what = s.name() + " cut at " + length;
                long before = counters.malformedTotal() + counters.truncatedTotal();
                decodeChecked(frame, 0, length, s.linkType(), what);
                int expected = s.layerCutAt(length);
                assertEquals(expected, p.malformedLayer, what);
                assertEquals(expected != LAYER_NONE, p.truncated, what);
                assertEquals(expected != LAYER_NONE ? 1 : 0,
                    counters.malformedTotal() + counters.truncatedTotal() - before, what);
                if (length >= s.headerEnd()) {
                    assertEquals(length < frame.length - s.padding(), p.payloadTruncated, what);
                }
            }
        }
    }

    @Test
    void randomBuffers() {
        Random random = new Random(0x5EED);
        byte[] buf = new byte[256];
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(buf.length);
            random.nextBytes(buf);
            // Bias towards plausible first bytes so the fuzz gets past the link layer often.
            if ((i & 3) == 0) {
                buf[0] = (byte) (0x45 + random.nextInt(3));
            }
            if ((i & 7) == 1) {
                buf[12] = (byte) 0x08;
                buf[13] = 0;
                buf[14] = 0x45;
            }
            int offset = random.nextInt(16);
            decodeChecked(buf, offset, length, LINK_TYPES[random.nextInt(LINK_TYPES.length)], "random " + i);
        }
    }

    @Test
    void mutatedValidFrames() {
        Random random = new Random(42);
        List<Sample> samples = samples();
        for (int i = 0; i < 200_000; i++) {
            Sample s = samples.get(random.nextInt(samples.size()));
            byte[] frame = s.frame().clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(frame.length);
                frame[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) (frame[at] ^ 1 << random.nextInt(8));
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            decodeChecked(frame, 0, length, s.linkType(), s.name() + " mutation " + i);
        }
    }

    private void decodeChecked(byte[] buf, int offset, int length, int linkType, String what) {
        int end = Math.min(buf.length, offset + length);
        try {
            decoder.decode(buf, offset, length, linkType, p);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
        if (p.payloadOffset >= 0 && (p.payloadOffset < offset || p.payloadLength < 0 || p.payloadOffset + p.payloadLength > end)) {
            fail(what + ": payload [" + p.payloadOffset + ", +" + p.payloadLength + ") outside [" + offset + ", " + end + ")");
        }
        if (p.l3Offset != -1 && (p.l3Offset < offset || p.l3Offset > end)) {
            fail(what + ": l3Offset " + p.l3Offset);
        }
        if (p.l4Offset != -1 && (p.l4Offset < offset || p.l4Offset > end)) {
            fail(what + ": l4Offset " + p.l4Offset);
        }
        if (p.truncated && p.malformedLayer == LAYER_NONE) {
            fail(what + ": truncated without a layer");
        }
        if (p.hasPorts && p.ipProto != DecodedPacket.PROTO_TCP && p.ipProto != DecodedPacket.PROTO_UDP && p.ipProto != 132) {
            fail(what + ": ports on protocol " + p.ipProto);
        }
    }

    @Test
    void decodingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Sample> list = samples();
        byte[][] frames = new byte[list.size()][];
        int[] linkTypes = new int[list.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = list.get(i).frame();
            linkTypes[i] = list.get(i).linkType();
        }
        FragmentTracker tracker = new FragmentTracker(1024, 30_000_000_000L, counters);
        long sink = runDecodes(frames, linkTypes, tracker, 300_000);
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        sink += runDecodes(frames, linkTypes, tracker, 100_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(sink != 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in 100k decodes");
    }

    private long runDecodes(byte[][] frames, int[] linkTypes, FragmentTracker tracker, int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            int k = i % frames.length;
            byte[] frame = frames[k];
            // Cut some frames so the failure paths are measured too.
            int length = (i & 7) == 0 ? frame.length / 2 : frame.length;
            if (decoder.decode(frame, 0, length, linkTypes[k], p)) {
                sink++;
            }
            tracker.track(p, i);
            sink += p.payloadLength;
        }
        return sink;
    }
}
