package io.vigil.sensor.capture.file;

import io.vigil.protocols.LinkType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generator of the L2-L4 decoder test captures in {@code pcaps/l2l4/}: VLAN/QinQ, MPLS, IPv6 extension headers, IP
 * fragments, tunnels (GRE, ERSPAN II/III, VXLAN, IP-in-IP, 6in4), ARP/ICMP and snap-length truncation.
 *
 * <p>Every frame is well formed: lengths, IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums are right (tshark with
 * checksum validation on reports no expert errors), Ethernet frames are padded to 60 bytes. Output is deterministic;
 * {@code DecodeVersusTsharkTest.committedL2L4CapturesMatchTheGenerator} fails when the committed files differ from a
 * fresh run. Regenerate with {@code L2L4Captures.main} (argument: the pcaps folder, default {@code pcaps}).
 */
public final class L2L4Captures {

    /** One generated capture: path below the pcaps folder, number of frames, what it covers. */
    public record Capture(String path, int frames, String description) {
    }

    static final byte[] MAC_A = {0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c};
    static final byte[] MAC_B = {0x00, 0x0c, 0x29, 0x3d, 0x4e, 0x5f};
    static final byte[] MAC_R = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x01};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] ZERO_MAC = new byte[6];

    static final byte[] A4 = {10, 0, 0, 5};
    static final byte[] B4 = {10, 0, 0, 20};
    static final byte[] C4 = {(byte) 192, (byte) 168, 1, 10};
    static final byte[] D4 = {(byte) 192, (byte) 168, 1, 20};
    static final byte[] T1 = {(byte) 198, 51, 100, 1};
    static final byte[] T2 = {(byte) 203, 0, 113, 2};
    static final byte[] A6 = v6(0x20010db8, 0, 0, 5);
    static final byte[] B6 = v6(0x20010db8, 0, 0, 0x20);
    static final byte[] LL6 = v6(0xfe800000, 0, 0x021b21ff, 0xfe0a0b0c);

    static final int IPV4 = 0x0800;
    static final int IPV6 = 0x86DD;
    static final int ARP = 0x0806;
    static final int VLAN = 0x8100;
    static final int QINQ = 0x88A8;
    static final int QINQ_OLD = 0x9100;
    static final int MPLS = 0x8847;

    private L2L4Captures() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args.length > 0 ? args[0] : "pcaps");
        for (Capture c : write(root)) {
            System.out.println(c.path() + "\t" + c.frames() + " frames\t" + c.description());
        }
    }

    /** Writes all captures below {@code root} (in {@code l2l4/}) and describes them. */
    public static List<Capture> write(Path root) throws IOException {
        List<Capture> out = new ArrayList<>();
        out.add(write(root, "l2l4/vlan-qinq.pcap", vlanQinq(), 65535,
                "untagged, 802.1Q VLAN 10/20 (one with PCP 5), 802.1ad 100/10 QinQ, 0x9100 200/30; TCP, UDP, IPv6"));
        out.add(write(root, "l2l4/mpls.pcap", mpls(), 65535,
                "MPLS with 1 and 2 labels (and 3 inside 802.1Q), then IPv4 TCP/UDP and IPv6 UDP"));
        out.add(write(root, "l2l4/ipv6-extension-headers.pcap", ipv6Extensions(), 65535,
                "IPv6 Hop-by-Hop, Destination Options, Segment Routing Header and chains of them; TCP, UDP, ICMPv6"
                        + " echo request/reply and neighbour solicitation"));
        out.add(write(root, "l2l4/ip-fragments.pcap", fragments(), 65535,
                "IPv4 UDP 4000-byte datagram in 3 fragments in order, another with the first fragment last, IPv6 UDP"
                        + " in 3 fragments, IPv4 with options (Router Alert, NOPs)"));
        out.add(write(root, "l2l4/tunnels.pcap", tunnels(), 65535,
                "GRE, GRE with key+sequence, ERSPAN II and III carrying 802.1Q frames, VXLAN, IP-in-IP, 6in4"));
        out.add(write(root, "l2l4/arp-icmp.pcap", arpIcmp(), 65535,
                "ARP request/reply/gratuitous, ICMP echo request/reply, ICMP port unreachable quoting a UDP header"));
        out.add(write(root, "l2l4/ethernet-truncated-snaplen.pcap", truncated(), 54,
                "snaplen 54: frames cut at 54, 40 and 30 bytes, inside TCP, UDP, IPv4 and IPv6 headers"));
        return out;
    }

    /** A frame and how much of it the capture kept. */
    record Frame(byte[] bytes, int captureLength) {
        Frame(byte[] bytes) {
            this(bytes, bytes.length);
        }
    }

    private static Capture write(Path root, String name, List<Frame> frames, int snaplen, String description)
            throws IOException {
        Path f = root.resolve(name);
        Files.createDirectories(f.getParent());
        try (PcapWriter w = new PcapWriter(f, LinkType.ETHERNET, snaplen, ByteOrder.LITTLE_ENDIAN, false)) {
            for (int i = 0; i < frames.size(); i++) {
                Frame fr = frames.get(i);
                w.write(TestCaptures.ts(i, 1000), fr.bytes(), 0, Math.min(fr.captureLength(), fr.bytes().length),
                        fr.bytes().length);
            }
        }
        return new Capture(name, frames.size(), description);
    }

    // ---------------------------------------------------------------- captures

    private static List<Frame> vlanQinq() {
        List<Frame> l = new ArrayList<>();
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4Tcp(A4, B4, 40001, 502, 1000, 0, 0x02, 0, 1))));
        l.add(new Frame(eth(MAC_A, MAC_B, IPV4, ipv4Tcp(B4, A4, 502, 40001, 5000, 1001, 0x12, 0, 2))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {VLAN}, new int[] {10}, IPV4,
                ipv4Tcp(A4, B4, 40002, 502, 2000, 0, 0x02, 0, 3))));
        l.add(new Frame(tagged(MAC_A, MAC_B, new int[] {VLAN}, new int[] {10}, IPV4,
                ipv4Tcp(B4, A4, 502, 40002, 6000, 2001, 0x12, 0, 4))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {VLAN}, new int[] {20}, IPV4,
                ipv4Udp(A4, B4, 40003, 53, TestFrames.dnsQuery(5), 5))));
        // PCP 5 and DEI 0 in the tag control field: the VLAN id is only the low 12 bits.
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {VLAN}, new int[] {0xA000 | 20}, IPV4,
                ipv4Tcp(A4, B4, 40004, 502, 3000, 7000, 0x18, 12, 6))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {QINQ, VLAN}, new int[] {100, 10}, IPV4,
                ipv4Tcp(A4, B4, 40005, 502, 4000, 0, 0x02, 0, 7))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {QINQ, VLAN}, new int[] {100, 10}, IPV4,
                ipv4Udp(A4, B4, 40006, 53, TestFrames.dnsQuery(8), 8))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {QINQ_OLD, VLAN}, new int[] {200, 30}, IPV4,
                ipv4Udp(A4, B4, 40007, 161, TestFrames.payload(40, 9), 9))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {QINQ_OLD, VLAN}, new int[] {200, 30}, IPV4,
                ipv4Tcp(A4, B4, 40008, 102, 8000, 9000, 0x18, 22, 10))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {VLAN}, new int[] {10}, IPV6,
                ipv6(A6, B6, 17, TestFrames.udp(A6, B6, 40009, 50505, TestFrames.payload(30, 11))))));
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {QINQ, VLAN}, new int[] {100, 20}, IPV6,
                ipv6(A6, B6, 6, TestFrames.tcp(A6, B6, 40010, 443, 10, 20, 0x18, TestFrames.payload(100, 12))))));
        return l;
    }

    private static List<Frame> mpls() {
        List<Frame> l = new ArrayList<>();
        l.add(new Frame(eth(MAC_R, MAC_A, MPLS, concat(labels(16001), ipv4Tcp(A4, B4, 40101, 502, 1, 0, 0x02, 0, 1)))));
        l.add(new Frame(eth(MAC_A, MAC_R, MPLS, concat(labels(16002), ipv4Tcp(B4, A4, 502, 40101, 9, 2, 0x12, 0, 2)))));
        l.add(new Frame(eth(MAC_R, MAC_A, MPLS, concat(labels(16001), ipv4Udp(A4, B4, 40102, 53,
                TestFrames.dnsQuery(3), 3)))));
        l.add(new Frame(eth(MAC_R, MAC_A, MPLS, concat(labels(24001, 16001),
                ipv4Tcp(A4, B4, 40103, 502, 100, 200, 0x18, 12, 4)))));
        l.add(new Frame(eth(MAC_R, MAC_A, MPLS, concat(labels(24001, 16001),
                ipv4Udp(C4, D4, 40104, 2404, TestFrames.payload(20, 5), 5)))));
        l.add(new Frame(eth(MAC_R, MAC_A, MPLS, concat(labels(24002, 2),
                ipv6(A6, B6, 17, TestFrames.udp(A6, B6, 40105, 50505, TestFrames.payload(24, 6)))))));
        l.add(new Frame(tagged(MAC_R, MAC_A, new int[] {VLAN}, new int[] {300}, MPLS,
                concat(labels(30001, 24001, 16001), ipv4Tcp(A4, B4, 40106, 502, 300, 400, 0x11, 0, 7)))));
        return l;
    }

    private static List<Frame> ipv6Extensions() {
        List<Frame> l = new ArrayList<>();
        byte[] udp = TestFrames.udp(A6, B6, 40201, 50505, TestFrames.payload(20, 1));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 0, concat(hopByHop(17, true), udp)))));
        byte[] tcp = TestFrames.tcp(A6, B6, 40202, 443, 1000, 0, 0x02, new byte[0]);
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 60, concat(destOpts(6), tcp)))));
        udp = TestFrames.udp(A6, B6, 40203, 50505, TestFrames.payload(33, 3));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 43, concat(srh(17, B6), udp)))));
        tcp = TestFrames.tcp(A6, B6, 40204, 443, 2000, 3000, 0x18, TestFrames.payload(50, 4));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 0,
                concat(hopByHop(60, false), destOpts(43), srh(60, B6), destOpts(6), tcp)))));
        udp = TestFrames.udp(A6, B6, 40205, 53, TestFrames.dnsQuery(5));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 0, concat(hopByHop(60, false), destOpts(17), udp)))));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 58, icmpv6(A6, B6, 128, 0, echo(0x1234, 1, 32))))));
        l.add(new Frame(eth(MAC_A, MAC_B, IPV6, ipv6(B6, A6, 58, icmpv6(B6, A6, 129, 0, echo(0x1234, 1, 32))))));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 60,
                concat(destOpts(58), icmpv6(A6, B6, 128, 0, echo(0x1234, 2, 16)))))));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 43,
                concat(srh(58, B6), icmpv6(A6, B6, 128, 0, echo(0x1234, 3, 16)))))));
        // Neighbour solicitation for B6 from a link-local address to its solicited-node multicast group.
        byte[] solicited = v6(0xff020000, 0, 1, 0xff000020);
        byte[] ns = ByteBuffer.allocate(4 + 16 + 8).putInt(0).put(B6).put((byte) 1).put((byte) 1).put(MAC_A).array();
        byte[] mcastMac = {0x33, 0x33, (byte) 0xff, 0x00, 0x00, 0x20};
        l.add(new Frame(eth(mcastMac, MAC_A, IPV6, ipv6(LL6, solicited, 58, 255, icmpv6(LL6, solicited, 135, 0, ns)))));
        return l;
    }

    private static List<Frame> fragments() {
        List<Frame> l = new ArrayList<>();
        // 4000 bytes of UDP payload: 4008-byte UDP datagram, fragments of 1480, 1480 and 1048 bytes.
        byte[] udp1 = TestFrames.udp(A4, B4, 40301, 9999, TestFrames.payload(4000, 1));
        for (byte[] f : fragments4(A4, B4, 17, 0x3001, udp1, 1480)) {
            l.add(new Frame(eth(MAC_B, MAC_A, IPV4, f)));
        }
        byte[] udp2 = TestFrames.udp(A4, B4, 40302, 9999, TestFrames.payload(4000, 2));
        List<byte[]> f2 = fragments4(A4, B4, 17, 0x3002, udp2, 1480);
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, f2.get(1))));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, f2.get(2))));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, f2.get(0))));
        // IPv6: 3000 bytes of UDP payload, fragments of 1232 bytes (IPv6 minimum MTU 1280 - 40 - 8).
        byte[] udp3 = TestFrames.udp(A6, B6, 40303, 9999, TestFrames.payload(3000, 3));
        for (byte[] f : fragments6(A6, B6, 17, 0x0badcafe, udp3, 1232)) {
            l.add(new Frame(eth(MAC_B, MAC_A, IPV6, f)));
        }
        // IPv4 with options: NOP, NOP, Router Alert (RFC 2113): 8 option bytes, IHL 7.
        byte[] options = {1, 1, (byte) 148, 4, 0, 0, 0, 0};
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4(A4, B4, 17, 0x3004, 0x4000, 1, options,
                TestFrames.udp(A4, B4, 40304, 5000, TestFrames.payload(24, 4))))));
        // Record Route with room for two addresses (11 bytes) and an End of Options byte: 12 option bytes.
        byte[] rr = {7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4(A4, B4, 6, 0x3005, 0x4000, 64, rr,
                TestFrames.tcp(A4, B4, 40305, 502, 77, 0, 0x02, new byte[0])))));
        return l;
    }

    private static List<Frame> tunnels() {
        List<Frame> l = new ArrayList<>();
        // GRE, no options, IPv4 inside.
        byte[] inner = ipv4Tcp(C4, D4, 40401, 502, 1, 0, 0x02, 0, 1);
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 47, 0x4001, 0, 64, null, concat(gre(0, IPV4), inner)))));
        // GRE with key and sequence number, IPv4 UDP inside.
        inner = ipv4Udp(C4, D4, 40402, 53, TestFrames.dnsQuery(2), 2);
        byte[] greKs = ByteBuffer.allocate(12).putShort((short) 0x3000).putShort((short) IPV4).putInt(0x00010203)
                .putInt(7).array();
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 47, 0x4002, 0, 64, null, concat(greKs, inner)))));
        // GRE with IPv6 inside.
        inner = ipv6(A6, B6, 17, TestFrames.udp(A6, B6, 40403, 50505, TestFrames.payload(20, 3)));
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 47, 0x4003, 0, 64, null, concat(gre(0, IPV6), inner)))));
        // ERSPAN type II (GRE with S bit, protocol 0x88BE): 802.1Q VLAN 10 frame with IPv4 TCP.
        byte[] mirrored = tagged(MAC_B, MAC_A, new int[] {VLAN}, new int[] {10}, IPV4,
                ipv4Tcp(C4, D4, 40404, 502, 500, 600, 0x18, 12, 4));
        byte[] greSeq = ByteBuffer.allocate(8).putShort((short) 0x1000).putShort((short) 0x88BE).putInt(1).array();
        // Ver 1, VLAN 10; CoS 0, En 3 (tag kept), T 0, session 5; index 0.
        byte[] erspan2 = ByteBuffer.allocate(8).putShort((short) (0x1000 | 10)).putShort((short) (3 << 11 | 5))
                .putInt(0).array();
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 47, 0x4004, 0x4000, 64, null,
                concat(greSeq, erspan2, mirrored)))));
        // ERSPAN type III (protocol 0x22EB), no platform subheader: 802.1Q VLAN 20 frame with IPv4 TCP.
        mirrored = tagged(MAC_A, MAC_B, new int[] {VLAN}, new int[] {20}, IPV4,
                ipv4Tcp(D4, C4, 502, 40404, 600, 512, 0x10, 0, 5));
        greSeq = ByteBuffer.allocate(8).putShort((short) 0x1000).putShort((short) 0x22EB).putInt(2).array();
        // Ver 2, VLAN 20; CoS 0, BSO 0, T 0, session 6; timestamp; SGT 0; P/FT/HW id/D/Gra/O = 0.
        byte[] erspan3 = ByteBuffer.allocate(12).putShort((short) (0x2000 | 20)).putShort((short) 6)
                .putInt(0x01020304).putShort((short) 0).putShort((short) 0).array();
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 47, 0x4005, 0x4000, 64, null,
                concat(greSeq, erspan3, mirrored)))));
        // VXLAN: flags I, VNI 5000, Ethernet / IPv4 / UDP.
        byte[] innerFrame = eth(MAC_B, MAC_A, IPV4, ipv4Udp(C4, D4, 40406, 161, TestFrames.payload(30, 6), 6));
        byte[] vxlan = concat(ByteBuffer.allocate(8).putInt(0x08000000).putInt(5000 << 8).array(), innerFrame);
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 17, 0x4006, 0x4000, 64, null,
                TestFrames.udp(T1, T2, 54321, 4789, vxlan)))));
        // IP-in-IP (protocol 4).
        inner = ipv4Tcp(C4, D4, 40407, 502, 700, 800, 0x18, 12, 7);
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 4, 0x4007, 0x4000, 64, null, inner))));
        // IPv6 in IPv4 (protocol 41, 6in4).
        inner = ipv6(A6, B6, 6, TestFrames.tcp(A6, B6, 40408, 443, 900, 0, 0x02, new byte[0]));
        l.add(new Frame(eth(MAC_R, MAC_A, IPV4, ipv4(T1, T2, 41, 0x4008, 0x4000, 64, null, inner))));
        return l;
    }

    private static List<Frame> arpIcmp() {
        List<Frame> l = new ArrayList<>();
        l.add(new Frame(eth(BROADCAST, MAC_A, ARP, arp(1, MAC_A, A4, ZERO_MAC, B4))));
        l.add(new Frame(eth(MAC_A, MAC_B, ARP, arp(2, MAC_B, B4, MAC_A, A4))));
        l.add(new Frame(eth(BROADCAST, MAC_B, ARP, arp(1, MAC_B, B4, ZERO_MAC, B4)))); // gratuitous request
        l.add(new Frame(eth(BROADCAST, MAC_B, ARP, arp(2, MAC_B, B4, BROADCAST, B4)))); // gratuitous reply
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4(A4, B4, 1, 0x5001, 0x4000, 64, null,
                icmp4(8, 0, echo(0x0042, 1, 56))))));
        l.add(new Frame(eth(MAC_A, MAC_B, IPV4, ipv4(B4, A4, 1, 0x5002, 0, 64, null, icmp4(0, 0, echo(0x0042, 1, 56))))));
        // Port unreachable: quotes the IPv4 header and the first 8 bytes (the UDP header) of the offending datagram.
        byte[] offending = ipv4Udp(A4, B4, 40501, 9999, TestFrames.payload(20, 7), 0x5003);
        byte[] quote = ByteBuffer.allocate(4 + 28).putInt(0).put(offending, 0, 28).array();
        l.add(new Frame(eth(MAC_A, MAC_B, IPV4, ipv4(B4, A4, 1, 0x5004, 0, 64, null, icmp4(3, 3, quote)))));
        return l;
    }

    private static List<Frame> truncated() {
        List<Frame> l = new ArrayList<>();
        // TCP with 12 option bytes (header 32): 54 bytes end inside the TCP header.
        byte[] mss = {2, 4, 0x05, (byte) 0xb4, 1, 3, 3, 7, 4, 2, 0, 0};
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4(A4, B4, 6, 0x6001, 0x4000, 64, null,
                tcpWithOptions(A4, B4, 40601, 502, 1, 0, 0x02, mss, new byte[0]))), 54));
        // A long segment cut at 54: the TCP header is whole, the payload is cut.
        l.add(new Frame(eth(MAC_A, MAC_B, IPV4, ipv4Tcp(B4, A4, 502, 40601, 9, 2, 0x18, 200, 2)), 54));
        // 40 bytes: 6 bytes into the TCP header.
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4Tcp(A4, B4, 40602, 502, 3, 4, 0x18, 100, 3)), 40));
        // 40 bytes: 6 bytes into the UDP header.
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4Udp(A4, B4, 40603, 53, TestFrames.dnsQuery(4), 4)), 40));
        // 30 bytes: 16 bytes into the IPv4 header (destination address cut).
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4Udp(A4, B4, 40604, 53, TestFrames.dnsQuery(5), 5)), 30));
        // IPv6: 54 bytes hold exactly the IPv6 header; 40 bytes end inside it.
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 17,
                TestFrames.udp(A6, B6, 40605, 50505, TestFrames.payload(60, 6)))), 54));
        l.add(new Frame(eth(MAC_B, MAC_A, IPV6, ipv6(A6, B6, 6,
                TestFrames.tcp(A6, B6, 40606, 443, 5, 6, 0x18, TestFrames.payload(60, 7)))), 40));
        // 802.1Q: 54 bytes end 16 bytes into the TCP header.
        l.add(new Frame(tagged(MAC_B, MAC_A, new int[] {VLAN}, new int[] {10}, IPV4,
                ipv4Tcp(A4, B4, 40607, 502, 7, 8, 0x18, 100, 8)), 54));
        // A 60-byte frame (SYN + padding) cut at 54: only padding is lost.
        l.add(new Frame(eth(MAC_B, MAC_A, IPV4, ipv4Tcp(A4, B4, 40608, 502, 9, 0, 0x02, 0, 9)), 54));
        return l;
    }

    // ---------------------------------------------------------------- building blocks

    static byte[] eth(byte[] dst, byte[] src, int type, byte[] payload) {
        return tagged(dst, src, new int[0], new int[0], type, payload);
    }

    /** Ethernet II with tags (TPID, TCI) in order, padded to 60 bytes. */
    static byte[] tagged(byte[] dst, byte[] src, int[] tpids, int[] tcis, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(60, 14 + 4 * tpids.length + payload.length));
        b.put(dst).put(src);
        for (int i = 0; i < tpids.length; i++) {
            b.putShort((short) tpids[i]).putShort((short) tcis[i]);
        }
        b.putShort((short) type).put(payload);
        return b.array();
    }

    /** MPLS label stack entries, TTL 64, bottom-of-stack bit on the last. */
    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int i = 0; i < values.length; i++) {
            b.putInt(values[i] << 12 | (i == values.length - 1 ? 0x100 : 0) | 64);
        }
        return b.array();
    }

    static byte[] ipv4Tcp(byte[] src, byte[] dst, int sport, int dport, int seq, int ack, int flags, int payload,
                          int id) {
        return ipv4(src, dst, 6, id, 0x4000, 64, null,
                TestFrames.tcp(src, dst, sport, dport, seq, ack, flags, TestFrames.payload(payload, id)));
    }

    static byte[] ipv4Udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload, int id) {
        return ipv4(src, dst, 17, id, 0x4000, 64, null, TestFrames.udp(src, dst, sport, dport, payload));
    }

    /** IPv4 with the given flags/fragment-offset word, TTL and options (multiple of 4 bytes, or null). */
    static byte[] ipv4(byte[] src, byte[] dst, int proto, int id, int flagsFragment, int ttl, byte[] options,
                       byte[] payload) {
        int hl = 20 + (options == null ? 0 : options.length);
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.put((byte) (0x40 | hl / 4)).put((byte) 0).putShort((short) (hl + payload.length)).putShort((short) id)
                .putShort((short) flagsFragment).put((byte) ttl).put((byte) proto).putShort((short) 0).put(src)
                .put(dst);
        if (options != null) {
            b.put(options);
        }
        b.putShort(10, (short) TestFrames.checksum(b.array(), 0, hl, 0));
        b.put(payload);
        return b.array();
    }

    static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        return ipv6(src, dst, next, 64, payload);
    }

    static byte[] ipv6(byte[] src, byte[] dst, int next, int hopLimit, byte[] payload) {
        return ByteBuffer.allocate(40 + payload.length).putInt(0x6000_0000).putShort((short) payload.length)
                .put((byte) next).put((byte) hopLimit).put(src).put(dst).put(payload).array();
    }

    /** Hop-by-Hop options, 8 bytes: a Router Alert (MLD) option or a 4-byte PadN. */
    static byte[] hopByHop(int next, boolean routerAlert) {
        return routerAlert ? new byte[] {(byte) next, 0, 5, 2, 0, 0, 1, 0} : new byte[] {(byte) next, 0, 1, 4, 0, 0, 0, 0};
    }

    /** Destination options, 8 bytes: a 4-byte PadN... plus a 2-byte PadN, 16 bytes in all. */
    static byte[] destOpts(int next) {
        return new byte[] {(byte) next, 1, 1, 4, 0, 0, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0};
    }

    /** Segment Routing Header (routing type 4) with one segment and Segments Left 0: the segment is the destination. */
    static byte[] srh(int next, byte[] segment) {
        return ByteBuffer.allocate(24).put((byte) next).put((byte) 2).put((byte) 4).put((byte) 0).put((byte) 0)
                .put((byte) 0).putShort((short) 0).put(segment).array();
    }

    static byte[] gre(int flags, int protocol) {
        return ByteBuffer.allocate(4).putShort((short) flags).putShort((short) protocol).array();
    }

    static byte[] tcpWithOptions(byte[] src, byte[] dst, int sport, int dport, int seq, int ack, int flags,
                                 byte[] options, byte[] payload) {
        int hl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack).put((byte) (hl / 4 << 4))
                .put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0).put(options)
                .put(payload);
        b.putShort(16, (short) TestFrames.checksum(b.array(), 0, b.capacity(), pseudo(src, dst, 6, b.capacity())));
        return b.array();
    }

    static byte[] echo(int id, int seq, int len) {
        return ByteBuffer.allocate(4 + len).putShort((short) id).putShort((short) seq)
                .put(TestFrames.payload(len, seq)).array();
    }

    /** ICMP: type, code, checksum, then rest (the 4-byte rest-of-header and the body). */
    static byte[] icmp4(int type, int code, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(4 + rest.length).put((byte) type).put((byte) code).putShort((short) 0)
                .put(rest);
        b.putShort(2, (short) TestFrames.checksum(b.array(), 0, b.capacity(), 0));
        return b.array();
    }

    static byte[] icmpv6(byte[] src, byte[] dst, int type, int code, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(4 + rest.length).put((byte) type).put((byte) code).putShort((short) 0)
                .put(rest);
        b.putShort(2, (short) TestFrames.checksum(b.array(), 0, b.capacity(), pseudo(src, dst, 58, b.capacity())));
        return b.array();
    }

    static byte[] arp(int op, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) {
        return ByteBuffer.allocate(28).putShort((short) 1).putShort((short) IPV4).put((byte) 6).put((byte) 4)
                .putShort((short) op).put(senderMac).put(senderIp).put(targetMac).put(targetIp).array();
    }

    /** Splits an IPv4 payload into fragments carrying {@code chunk} bytes each (a multiple of 8). */
    static List<byte[]> fragments4(byte[] src, byte[] dst, int proto, int id, byte[] payload, int chunk) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload.length; off += chunk) {
            int n = Math.min(chunk, payload.length - off);
            boolean more = off + n < payload.length;
            out.add(ipv4(src, dst, proto, id, (more ? 0x2000 : 0) | off / 8, 64, null,
                    Arrays.copyOfRange(payload, off, off + n)));
        }
        return out;
    }

    /** Splits an IPv6 payload into fragments (Fragment header, next header {@code proto}). */
    static List<byte[]> fragments6(byte[] src, byte[] dst, int proto, int id, byte[] payload, int chunk) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload.length; off += chunk) {
            int n = Math.min(chunk, payload.length - off);
            boolean more = off + n < payload.length;
            byte[] fh = ByteBuffer.allocate(8).put((byte) proto).put((byte) 0).putShort((short) (off | (more ? 1 : 0)))
                    .putInt(id).array();
            out.add(ipv6(src, dst, 44, concat(fh, Arrays.copyOfRange(payload, off, off + n))));
        }
        return out;
    }

    static long pseudo(byte[] src, byte[] dst, int proto, int len) {
        return words(src) + words(dst) + proto + len;
    }

    private static long words(byte[] a) {
        long s = 0;
        for (int k = 0; k < a.length; k += 2) {
            s += ((a[k] & 0xFF) << 8) | (a[k + 1] & 0xFF);
        }
        return s;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static byte[] v6(int a, int b, int c, int d) {
        return ByteBuffer.allocate(16).putInt(a).putInt(b).putInt(c).putInt(d).array();
    }
}
