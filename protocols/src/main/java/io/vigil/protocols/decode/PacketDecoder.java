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

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.LinkType;

/**
 * Flyweight L2-L4 decoder: reads headers straight out of the capture buffer into a reused
 * {@link DecodedPacket}. One instance per worker thread; it allocates nothing and never throws,
 * because it runs for every packet and its input is whatever the wire (or an attacker) sent.
 *
 * <p>Every read is preceded by an explicit length check against the end of the enclosing unit
 * (capture, IP datagram, UDP datagram), so the JIT's array bounds checks never fire on hostile
 * input. Tunnels are unwrapped: the result describes the innermost packet, because on a mirror
 * port ERSPAN/VXLAN-wrapped traffic is the traffic being watched. The tunnel nesting depth is
 * capped so that a packet built as GRE-in-GRE-in-GRE... cannot make the decoder recurse deeply.
 *
 * <p>A header cut by the capture (snap length) is <em>truncated</em>; a header whose fields are
 * impossible, or that overruns the length its enclosing header declares, is <em>malformed</em>.
 * Decoding stops at the first of either, so each frame is counted at most once.
 */
public final class PacketDecoder {
    /** Tunnels (GRE, ERSPAN, VXLAN, IP-in-IP, MPLS pseudowire) that may be nested in one frame. */
    public static final int MAX_TUNNEL_DEPTH = 4;
    /** IPv6 extension headers walked before the chain is declared hostile; real stacks use 0-3. */
    public static final int MAX_IPV6_EXTENSION_HEADERS = 16;

    public static final int VXLAN_PORT = 4789;

    private static final int ETH_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int ETHERTYPE_MPLS = 0x8847;
    private static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    /** Below this an 802.3 frame carries a length, not an ethertype (LLC/SNAP follows). */
    private static final int ETHERTYPE_MIN = 0x0600;

    private static final int GRE_TRANSPARENT_ETHERNET = 0x6558;
    private static final int GRE_ERSPAN_2 = 0x88BE;
    private static final int GRE_ERSPAN_3 = 0x22EB;
    private static final int GRE_CHECKSUM = 0x8000;
    private static final int GRE_ROUTING = 0x4000;
    private static final int GRE_KEY = 0x2000;
    private static final int GRE_SEQUENCE = 0x1000;

    private static final int PROTO_IPIP = 4;
    private static final int PROTO_IPV6_IN_IP = 41;
    private static final int PROTO_SCTP = 132;

    private final DecodeCounters counters;

    public PacketDecoder(DecodeCounters counters) {
        this.counters = counters;
    }

    /**
     * Decodes buf[offset, offset+captureLength) of the given pcap link type into out. Calls
     * out.reset() first (frameNumber, timestampNanos, originalLength and interfaceId are the
     * caller's), sets out.linkType and out.captureLength. Never throws; records
     * out.malformedLayer / out.truncated and counts in the DecodeCounters. Allocates nothing.
     *
     * @return true when an IPv4/IPv6 or ARP header was decoded
     */
    public boolean decode(byte[] buf, int offset, int captureLength, int linkType, DecodedPacket out) {
        out.reset();
        out.linkType = linkType;
        out.captureLength = captureLength;
        if (buf == null || offset < 0 || captureLength < 0 || offset > buf.length) {
            malformed(out, LAYER_LINK);
            return false;
        }
        // A capture length that overruns the buffer is a reader bug or a lying file: decode what exists.
        int end = captureLength > buf.length - offset ? buf.length : offset + captureLength;
        switch (linkType) {
            case LinkType.ETHERNET:
                ethernet(buf, offset, end, out, 0);
                break;
            case LinkType.LINUX_SLL:
                sll(buf, offset, end, out);
                break;
            case LinkType.LINUX_SLL2:
                sll2(buf, offset, end, out);
                break;
            case LinkType.RAW:
            case LinkType.RAW_BSD_12:
            case LinkType.RAW_BSD_14:
                counters.count(DecodeCounters.RAW_IP);
                rawIp(buf, offset, end, out);
                break;
            case LinkType.IPV4:
                counters.count(DecodeCounters.RAW_IP);
                ipv4(buf, offset, end, out, 0);
                break;
            case LinkType.IPV6:
                counters.count(DecodeCounters.RAW_IP);
                ipv6(buf, offset, end, out, 0);
                break;
            case LinkType.NULL:
                loopback(buf, offset, end, out, false);
                break;
            case LinkType.LOOP:
                loopback(buf, offset, end, out, true);
                break;
            default:
                // A whole capture of an unknown link type is one problem, not millions of malformed
                // frames: it is counted apart and only flagged on the packet.
                counters.count(DecodeCounters.UNSUPPORTED_LINK_TYPE);
                out.malformedLayer = LAYER_LINK;
                return false;
        }
        int l3 = out.l3;
        return l3 == DecodedPacket.L3_IPV4 || l3 == DecodedPacket.L3_IPV6 || l3 == DecodedPacket.L3_ARP;
    }

    // ------------------------------------------------------------------ link layer

    private void ethernet(byte[] b, int p, int end, DecodedPacket out, int depth) {
        counters.count(DecodeCounters.ETHERNET);
        if (end - p < ETH_HEADER) {
            truncated(out, LAYER_LINK);
            return;
        }
        if (depth > 0) {
            // An inner frame is a packet of its own: forget what the outer layers said about L3/L4.
            clearNetwork(out);
            out.vlan = 0;
            out.innerVlan = 0;
            out.vlanCount = 0;
        }
        out.hasEthernet = true;
        out.dstMac = mac(b, p);
        out.srcMac = mac(b, p + 6);
        network(b, p + ETH_HEADER, end, u16(b, p + 12), out, depth);
    }

    /** Linux cooked capture v1: packet type, ARPHRD, address length, 8 address bytes, protocol. */
    private void sll(byte[] b, int p, int end, DecodedPacket out) {
        counters.count(DecodeCounters.SLL);
        if (end - p < 16) {
            truncated(out, LAYER_LINK);
            return;
        }
        if (u16(b, p + 4) == 6) {
            out.srcMac = mac(b, p + 6);
        }
        network(b, p + 16, end, u16(b, p + 14), out, 0);
    }

    /** Linux cooked capture v2: protocol first, then reserved, ifindex, ARPHRD, type, address. */
    private void sll2(byte[] b, int p, int end, DecodedPacket out) {
        counters.count(DecodeCounters.SLL);
        if (end - p < 20) {
            truncated(out, LAYER_LINK);
            return;
        }
        if (u8(b, p + 11) == 6) {
            out.srcMac = mac(b, p + 12);
        }
        network(b, p + 20, end, u16(b, p), out, 0);
    }

    private void rawIp(byte[] b, int p, int end, DecodedPacket out) {
        if (end - p < 1) {
            truncated(out, LAYER_LINK);
            return;
        }
        int version = u8(b, p) >>> 4;
        if (version == 4) {
            ipv4(b, p, end, out, 0);
        } else if (version == 6) {
            ipv6(b, p, end, out, 0);
        } else {
            malformed(out, LAYER_LINK);
        }
    }

    /**
     * BSD loopback: a 4-byte address family. DLT_NULL writes it in the capturing host's byte
     * order, which the file does not record, so both orders are tried; AF values fit in 16 bits.
     * DLT_LOOP is always network order. AF_INET6 differs per BSD (24, 28, 30).
     */
    private void loopback(byte[] b, int p, int end, DecodedPacket out, boolean networkOrder) {
        counters.count(DecodeCounters.LOOPBACK);
        if (end - p < 4) {
            truncated(out, LAYER_LINK);
            return;
        }
        int af = i32(b, p);
        if (!networkOrder && (af & 0xFFFF) == 0) {
            af = Integer.reverseBytes(af);
        }
        switch (af) {
            case 2:
                out.etherType = ETHERTYPE_IPV4;
                ipv4(b, p + 4, end, out, 0);
                break;
            case 24:
            case 28:
            case 30:
                out.etherType = ETHERTYPE_IPV6;
                ipv6(b, p + 4, end, out, 0);
                break;
            default:
                otherL3(out);
                break;
        }
    }

    /** VLAN tags, then MPLS or a network protocol, starting at the ethertype that follows the MACs. */
    private void network(byte[] b, int p, int end, int type, DecodedPacket out, int depth) {
        int tags = 0;
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (end - p < 4) {
                countVlans(out, tags);
                truncated(out, LAYER_VLAN);
                return;
            }
            int vid = u16(b, p) & 0x0FFF;
            if (tags == 0) {
                out.vlan = vid;
            } else if (tags == 1) {
                out.innerVlan = vid;
            }
            tags++;
            type = u16(b, p + 2);
            p += 4;
        }
        countVlans(out, tags);
        out.etherType = type;
        switch (type) {
            case ETHERTYPE_IPV4:
                ipv4(b, p, end, out, depth);
                break;
            case ETHERTYPE_IPV6:
                ipv6(b, p, end, out, depth);
                break;
            case ETHERTYPE_ARP:
                arp(b, p, end, out);
                break;
            case ETHERTYPE_MPLS:
            case ETHERTYPE_MPLS_MULTICAST:
                mpls(b, p, end, out, depth);
                break;
            default:
                // Includes 802.3 length fields (< 0x600) with LLC/SNAP behind them: STP, CDP, ...
                otherL3(out);
                break;
        }
    }

    private void countVlans(DecodedPacket out, int tags) {
        if (tags == 0) {
            return;
        }
        out.vlanCount = tags;
        counters.count(DecodeCounters.VLAN);
        if (tags > 1) {
            counters.count(DecodeCounters.QINQ);
        }
    }

    /**
     * MPLS carries no payload type, so after the bottom of stack the first nibble decides, as
     * routers doing ECMP hashing do: 4 or 6 is IP, 0 is an RFC 4385 pseudowire control word
     * followed by an Ethernet frame.
     */
    private void mpls(byte[] b, int p, int end, DecodedPacket out, int depth) {
        counters.count(DecodeCounters.MPLS);
        int labels = 0;
        while (true) {
            if (end - p < 4) {
                truncated(out, LAYER_MPLS);
                return;
            }
            int entry = i32(b, p);
            out.mplsLabelCount = ++labels;
            p += 4;
            if ((entry & 0x100) != 0) {
                out.mplsLabel = entry >>> 12;
                break;
            }
        }
        if (end - p < 1) {
            truncated(out, LAYER_MPLS);
            return;
        }
        switch (u8(b, p) >>> 4) {
            case 4:
                out.etherType = ETHERTYPE_IPV4;
                ipv4(b, p, end, out, depth);
                break;
            case 6:
                out.etherType = ETHERTYPE_IPV6;
                ipv6(b, p, end, out, depth);
                break;
            case 0:
                if (end - p < 4) {
                    truncated(out, LAYER_MPLS);
                } else if (enterTunnel(out, depth)) {
                    ethernet(b, p + 4, end, out, depth + 1);
                }
                break;
            default:
                otherL3(out);
                break;
        }
    }

    private void arp(byte[] b, int p, int end, DecodedPacket out) {
        counters.count(DecodeCounters.ARP);
        if (end - p < 8) {
            truncated(out, LAYER_ARP);
            return;
        }
        int hlen = u8(b, p + 4);
        int plen = u8(b, p + 5);
        // Only IPv4-over-48-bit-MAC ARP has addresses we keep; other variants still count as ARP.
        boolean ipv4OverMac = u16(b, p + 2) == ETHERTYPE_IPV4 && hlen == 6 && plen == 4;
        if (ipv4OverMac && end - p < 28) {
            truncated(out, LAYER_ARP);
            return;
        }
        out.l3 = DecodedPacket.L3_ARP;
        out.l3Offset = p;
        out.arpOperation = u16(b, p + 6);
        if (ipv4OverMac) {
            out.arpIpv4 = true;
            out.arpSenderMac = mac(b, p + 8);
            out.arpSenderIp = i32(b, p + 14);
            out.arpTargetMac = mac(b, p + 18);
            out.arpTargetIp = i32(b, p + 24);
        }
    }

    private void otherL3(DecodedPacket out) {
        counters.count(DecodeCounters.OTHER_L3);
        out.l3 = DecodedPacket.L3_OTHER;
    }

    // ------------------------------------------------------------------ IP

    private void ipv4(byte[] b, int p, int end, DecodedPacket out, int depth) {
        counters.count(DecodeCounters.IPV4);
        int avail = end - p;
        if (avail < 1) {
            truncated(out, LAYER_IPV4);
            return;
        }
        int versionIhl = u8(b, p);
        if (versionIhl >>> 4 != 4) {
            malformed(out, LAYER_IPV4);
            return;
        }
        if (avail < 20) {
            truncated(out, LAYER_IPV4);
            return;
        }
        int headerLength = (versionIhl & 0x0F) << 2;
        int totalLength = u16(b, p + 2);
        if (headerLength < 20 || (totalLength != 0 && totalLength < headerLength)) {
            malformed(out, LAYER_IPV4);
            return;
        }
        if (avail < headerLength) {
            truncated(out, LAYER_IPV4);
            return;
        }
        if (totalLength == 0) {
            // Captured on the sender before TCP segmentation offload filled the length in.
            totalLength = avail;
        }
        int ipEnd = p + totalLength;
        int limit = Math.min(ipEnd, end); // Ethernet padding lies past ipEnd; the snap length may cut before.
        if (ipEnd > end) {
            out.payloadTruncated = true;
        }
        int fragment = u16(b, p + 6);
        out.l3 = DecodedPacket.L3_IPV4;
        out.l3Offset = p;
        out.ttl = u8(b, p + 8);
        out.ipProto = u8(b, p + 9);
        out.ipId = u16(b, p + 4);
        out.srcIpHi = IpAddresses.V4_MAPPED_HI;
        out.srcIpLo = IpAddresses.v4MappedLo(i32(b, p + 12));
        out.dstIpHi = IpAddresses.V4_MAPPED_HI;
        out.dstIpLo = IpAddresses.v4MappedLo(i32(b, p + 16));
        out.moreFragments = (fragment & 0x2000) != 0;
        out.fragmentOffset = (fragment & 0x1FFF) << 3;
        out.fragmented = out.moreFragments || out.fragmentOffset != 0;
        out.ipOptions = headerLength > 20;
        out.ipv6ExtensionHeaders = 0;
        clearTransport(out);
        if (out.ipOptions) {
            counters.count(DecodeCounters.IPV4_OPTIONS);
        }
        if (out.fragmented) {
            counters.count(DecodeCounters.IPV4_FRAGMENT);
            if (out.fragmentOffset != 0) {
                fragmentPayload(p + headerLength, limit, out);
                return;
            }
        }
        transport(b, p + headerLength, limit, ipEnd, out, depth);
    }

    private void ipv6(byte[] b, int p, int end, DecodedPacket out, int depth) {
        counters.count(DecodeCounters.IPV6);
        int avail = end - p;
        if (avail < 1) {
            truncated(out, LAYER_IPV6);
            return;
        }
        if (u8(b, p) >>> 4 != 6) {
            malformed(out, LAYER_IPV6);
            return;
        }
        if (avail < 40) {
            truncated(out, LAYER_IPV6);
            return;
        }
        int payloadLength = u16(b, p + 4);
        // Zero: a jumbogram (RFC 2675) or segmentation offload; either way the capture is the datagram.
        int ipEnd = payloadLength == 0 ? end : p + 40 + payloadLength;
        int limit = Math.min(ipEnd, end);
        if (ipEnd > end) {
            out.payloadTruncated = true;
        }
        out.l3 = DecodedPacket.L3_IPV6;
        out.l3Offset = p;
        out.ttl = u8(b, p + 7);
        out.srcIpHi = i64(b, p + 8);
        out.srcIpLo = i64(b, p + 16);
        out.dstIpHi = i64(b, p + 24);
        out.dstIpLo = i64(b, p + 32);
        out.ipId = 0;
        out.fragmented = false;
        out.fragmentOffset = 0;
        out.moreFragments = false;
        out.ipOptions = false;
        out.ipv6ExtensionHeaders = 0;
        clearTransport(out);

        int next = u8(b, p + 6);
        int q = p + 40;
        int headers = 0;
        boolean walking = true;
        while (walking) {
            int length;
            switch (next) {
                case 0:   // Hop-by-Hop options
                case 43:  // Routing
                case 60:  // Destination options
                case 135: // Mobility
                case 139: // HIP
                case 140: // Shim6
                case 253: // experimental
                case 254:
                    if (limit - q < 2) {
                        endExtensions(out, next, headers);
                        shortHeader(out, LAYER_IPV6, q, 2, ipEnd);
                        return;
                    }
                    length = (u8(b, q + 1) + 1) << 3;
                    break;
                case 51:  // AH counts 4-byte words, minus two
                    if (limit - q < 2) {
                        endExtensions(out, next, headers);
                        shortHeader(out, LAYER_IPV6, q, 2, ipEnd);
                        return;
                    }
                    length = (u8(b, q + 1) + 2) << 2;
                    break;
                case 44:  // Fragment
                    length = 8;
                    break;
                default:
                    walking = false;
                    continue;
            }
            if (headers == MAX_IPV6_EXTENSION_HEADERS) {
                endExtensions(out, next, headers);
                malformed(out, LAYER_IPV6);
                return;
            }
            if (limit - q < length) {
                endExtensions(out, next, headers);
                shortHeader(out, LAYER_IPV6, q, length, ipEnd);
                return;
            }
            if (next == 44) {
                int offsetFlags = u16(b, q + 2);
                out.ipId = i32(b, q + 4);
                out.fragmentOffset = offsetFlags & 0xFFF8;
                out.moreFragments = (offsetFlags & 1) != 0;
                // An atomic fragment (offset 0, no more) is a whole datagram (RFC 6946).
                out.fragmented = out.moreFragments || out.fragmentOffset != 0;
                counters.count(DecodeCounters.IPV6_FRAGMENT);
            }
            next = u8(b, q);
            q += length;
            headers++;
            if (out.fragmentOffset != 0) {
                // The rest is the middle of a datagram: no further headers to find.
                endExtensions(out, next, headers);
                fragmentPayload(q, limit, out);
                return;
            }
        }
        endExtensions(out, next, headers);
        transport(b, q, limit, ipEnd, out, depth);
    }

    private void endExtensions(DecodedPacket out, int next, int headers) {
        out.ipProto = next;
        out.ipv6ExtensionHeaders = headers;
        if (headers > 0) {
            counters.count(DecodeCounters.IPV6_EXTENSION_HEADERS);
        }
    }

    /** A non-first fragment: transport header is elsewhere, FragmentTracker supplies the ports. */
    private static void fragmentPayload(int p, int limit, DecodedPacket out) {
        out.payloadOffset = p;
        out.payloadLength = limit - p;
    }

    // ------------------------------------------------------------------ transport

    /**
     * @param limit end of the IP payload actually captured
     * @param ipEnd end of the IP datagram as its header declares it (may lie past the capture)
     */
    private void transport(byte[] b, int p, int limit, int ipEnd, DecodedPacket out, int depth) {
        out.l4Offset = p;
        switch (out.ipProto) {
            case DecodedPacket.PROTO_TCP:
                tcp(b, p, limit, ipEnd, out);
                break;
            case DecodedPacket.PROTO_UDP:
                udp(b, p, limit, ipEnd, out, depth);
                break;
            case DecodedPacket.PROTO_ICMP:
                icmp(b, p, limit, ipEnd, out, DecodeCounters.ICMP);
                break;
            case DecodedPacket.PROTO_ICMPV6:
                icmp(b, p, limit, ipEnd, out, DecodeCounters.ICMPV6);
                break;
            case DecodedPacket.PROTO_GRE:
                gre(b, p, limit, ipEnd, out, depth);
                break;
            case PROTO_IPIP:
            case PROTO_IPV6_IN_IP:
                counters.count(DecodeCounters.IP_IN_IP);
                if (enterTunnel(out, depth)) {
                    markTunnel(out, DecodedPacket.TUNNEL_IP_IN_IP);
                    if (out.ipProto == PROTO_IPIP) {
                        ipv4(b, p, limit, out, depth + 1);
                    } else {
                        ipv6(b, p, limit, out, depth + 1);
                    }
                }
                break;
            case PROTO_SCTP:
                sctp(b, p, limit, ipEnd, out);
                break;
            default:
                counters.count(DecodeCounters.OTHER_L4);
                out.payloadOffset = p;
                out.payloadLength = limit - p;
                break;
        }
    }

    private void tcp(byte[] b, int p, int limit, int ipEnd, DecodedPacket out) {
        counters.count(DecodeCounters.TCP);
        if (limit - p < 20) {
            shortHeader(out, LAYER_TCP, p, 20, ipEnd);
            return;
        }
        out.srcPort = u16(b, p);
        out.dstPort = u16(b, p + 2);
        out.tcpSeq = i32(b, p + 4) & 0xFFFF_FFFFL;
        out.tcpAck = i32(b, p + 8) & 0xFFFF_FFFFL;
        out.tcpFlags = u8(b, p + 13);
        out.tcpWindow = u16(b, p + 14);
        int headerLength = (u8(b, p + 12) >>> 4) << 2;
        if (headerLength < 20) {
            malformed(out, LAYER_TCP);
            return;
        }
        if (limit - p < headerLength) {
            shortHeader(out, LAYER_TCP, p, headerLength, ipEnd);
            return;
        }
        out.hasPorts = true;
        out.payloadOffset = p + headerLength;
        out.payloadLength = limit - out.payloadOffset;
    }

    private void udp(byte[] b, int p, int limit, int ipEnd, DecodedPacket out, int depth) {
        counters.count(DecodeCounters.UDP);
        if (limit - p < 8) {
            shortHeader(out, LAYER_UDP, p, 8, ipEnd);
            return;
        }
        out.srcPort = u16(b, p);
        out.dstPort = u16(b, p + 2);
        int length = u16(b, p + 4);
        // A first fragment holds only part of the datagram its UDP length describes.
        if (length < 8 || (p + length > ipEnd && !out.moreFragments)) {
            malformed(out, LAYER_UDP);
            return;
        }
        int udpEnd = Math.min(p + length, limit);
        out.hasPorts = true;
        out.payloadOffset = p + 8;
        out.payloadLength = udpEnd - out.payloadOffset;
        if (out.dstPort == VXLAN_PORT && !out.fragmented && length >= 16) {
            vxlan(b, p + 8, udpEnd, Math.min(p + length, ipEnd), out, depth);
        }
    }

    /** Type and code only: the ICMP body (echo id, quoted header) is left to observers. */
    private void icmp(byte[] b, int p, int limit, int ipEnd, DecodedPacket out, int protocol) {
        counters.count(protocol);
        if (limit - p < 8) {
            shortHeader(out, LAYER_ICMP, p, 8, ipEnd);
            return;
        }
        out.icmpType = u8(b, p);
        out.icmpCode = u8(b, p + 1);
        out.payloadOffset = p + 8;
        out.payloadLength = limit - out.payloadOffset;
    }

    private void sctp(byte[] b, int p, int limit, int ipEnd, DecodedPacket out) {
        counters.count(DecodeCounters.OTHER_L4);
        if (limit - p < 12) {
            // No SCTP layer constant: a short common header is an unknown transport, not an error.
            return;
        }
        out.srcPort = u16(b, p);
        out.dstPort = u16(b, p + 2);
        out.hasPorts = true;
        out.payloadOffset = p + 12;
        out.payloadLength = limit - out.payloadOffset;
    }

    // ------------------------------------------------------------------ tunnels

    /**
     * GRE (RFC 2784/2890) carrying IP, bridged Ethernet, or ERSPAN. ERSPAN type I has no header
     * of its own and is told apart from type II by the absent sequence number.
     */
    private void gre(byte[] b, int p, int limit, int ipEnd, DecodedPacket out, int depth) {
        counters.count(DecodeCounters.GRE);
        if (limit - p < 4) {
            shortHeader(out, LAYER_TUNNEL, p, 4, ipEnd);
            return;
        }
        int flags = u16(b, p);
        int protocol = u16(b, p + 2);
        boolean erspan = protocol == GRE_ERSPAN_2 || protocol == GRE_ERSPAN_3;
        markTunnel(out, erspan ? DecodedPacket.TUNNEL_ERSPAN : DecodedPacket.TUNNEL_GRE);
        out.payloadOffset = p;
        out.payloadLength = limit - p;
        if ((flags & 0x7) != 0 || (flags & GRE_ROUTING) != 0) {
            // Version 1 is PPTP's enhanced GRE; source routing is obsolete (RFC 1701). Not unwrapped.
            return;
        }
        int headerLength = 4;
        if ((flags & GRE_CHECKSUM) != 0) {
            headerLength += 4;
        }
        if ((flags & GRE_KEY) != 0) {
            headerLength += 4;
        }
        if ((flags & GRE_SEQUENCE) != 0) {
            headerLength += 4;
        }
        if (limit - p < headerLength) {
            shortHeader(out, LAYER_TUNNEL, p, headerLength, ipEnd);
            return;
        }
        int q = p + headerLength;
        out.payloadOffset = q;
        out.payloadLength = limit - q;
        switch (protocol) {
            case ETHERTYPE_IPV4:
                if (enterTunnel(out, depth)) {
                    ipv4(b, q, limit, out, depth + 1);
                }
                break;
            case ETHERTYPE_IPV6:
                if (enterTunnel(out, depth)) {
                    ipv6(b, q, limit, out, depth + 1);
                }
                break;
            case GRE_TRANSPARENT_ETHERNET:
                if (enterTunnel(out, depth)) {
                    ethernet(b, q, limit, out, depth + 1);
                }
                break;
            case GRE_ERSPAN_2:
                counters.count(DecodeCounters.ERSPAN);
                if ((flags & GRE_SEQUENCE) != 0) {
                    // Type II: version 1, VLAN, CoS, session id, index.
                    if (limit - q < 8) {
                        shortHeader(out, LAYER_TUNNEL, q, 8, ipEnd);
                        return;
                    }
                    if (u8(b, q) >>> 4 != 1) {
                        malformed(out, LAYER_TUNNEL);
                        return;
                    }
                    q += 8;
                }
                if (enterTunnel(out, depth)) {
                    ethernet(b, q, limit, out, depth + 1);
                }
                break;
            case GRE_ERSPAN_3:
                counters.count(DecodeCounters.ERSPAN);
                erspan3(b, q, limit, ipEnd, out, depth);
                break;
            default:
                break;
        }
    }

    /** ERSPAN type III: 12-byte header, plus an 8-byte platform-specific subheader when O is set. */
    private void erspan3(byte[] b, int q, int limit, int ipEnd, DecodedPacket out, int depth) {
        if (limit - q < 12) {
            shortHeader(out, LAYER_TUNNEL, q, 12, ipEnd);
            return;
        }
        if (u8(b, q) >>> 4 != 2) {
            malformed(out, LAYER_TUNNEL);
            return;
        }
        int headerLength = (u8(b, q + 11) & 0x01) != 0 ? 20 : 12;
        if (limit - q < headerLength) {
            shortHeader(out, LAYER_TUNNEL, q, headerLength, ipEnd);
            return;
        }
        if (enterTunnel(out, depth)) {
            ethernet(b, q + headerLength, limit, out, depth + 1);
        }
    }

    /** VXLAN (RFC 7348): flags with the I bit, 24-bit VNI, then a whole Ethernet frame. */
    private void vxlan(byte[] b, int q, int limit, int udpEnd, DecodedPacket out, int depth) {
        if (limit - q < 8) {
            shortHeader(out, LAYER_TUNNEL, q, 8, udpEnd);
            return;
        }
        if ((u8(b, q) & 0x08) == 0) {
            return; // Not VXLAN after all, just UDP to port 4789.
        }
        counters.count(DecodeCounters.VXLAN);
        markTunnel(out, DecodedPacket.TUNNEL_VXLAN);
        if (enterTunnel(out, depth)) {
            ethernet(b, q + 8, limit, out, depth + 1);
        }
    }

    private boolean enterTunnel(DecodedPacket out, int depth) {
        if (depth >= MAX_TUNNEL_DEPTH) {
            malformed(out, LAYER_TUNNEL);
            return false;
        }
        return true;
    }

    private static void markTunnel(DecodedPacket out, int kind) {
        if (out.tunnel == DecodedPacket.TUNNEL_NONE) {
            out.tunnel = kind;
        }
    }

    // ------------------------------------------------------------------ outcome

    /**
     * The header [p, p+n) does not fit in what was captured of its datagram. If the datagram
     * claims those bytes, the capture cut them; otherwise the datagram itself is too short, which
     * is malformed, except for a first fragment, where it is a tiny fragment (FragmentTracker
     * counts those).
     */
    private void shortHeader(DecodedPacket out, int layer, int p, int n, int ipEnd) {
        if (p + n <= ipEnd) {
            truncated(out, layer);
        } else if (!(out.moreFragments && out.fragmentOffset == 0)) {
            malformed(out, layer);
        }
    }

    private void truncated(DecodedPacket out, int layer) {
        if (out.malformedLayer == LAYER_NONE) {
            out.malformedLayer = layer;
            out.truncated = true;
            counters.truncated(layer);
        }
    }

    private void malformed(DecodedPacket out, int layer) {
        if (out.malformedLayer == LAYER_NONE) {
            out.malformedLayer = layer;
            counters.malformed(layer);
        }
    }

    private static void clearNetwork(DecodedPacket out) {
        out.etherType = 0;
        out.l3 = DecodedPacket.L3_NONE;
        out.l3Offset = -1;
        out.srcIpHi = 0;
        out.srcIpLo = 0;
        out.dstIpHi = 0;
        out.dstIpLo = 0;
        out.ipProto = -1;
        out.ttl = 0;
        out.ipId = 0;
        out.fragmented = false;
        out.fragmentOffset = 0;
        out.moreFragments = false;
        out.ipOptions = false;
        out.ipv6ExtensionHeaders = 0;
        clearTransport(out);
    }

    private static void clearTransport(DecodedPacket out) {
        out.hasPorts = false;
        out.l4Offset = -1;
        out.srcPort = 0;
        out.dstPort = 0;
        out.tcpFlags = 0;
        out.tcpSeq = 0;
        out.tcpAck = 0;
        out.tcpWindow = 0;
        out.icmpType = -1;
        out.icmpCode = -1;
        out.payloadOffset = -1;
        out.payloadLength = 0;
    }

    // ------------------------------------------------------------------ big-endian reads

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static int i32(byte[] b, int i) {
        return b[i] << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static long i64(byte[] b, int i) {
        return (long) i32(b, i) << 32 | (i32(b, i + 4) & 0xFFFF_FFFFL);
    }

    private static long mac(byte[] b, int i) {
        return (long) u16(b, i) << 32 | (i32(b, i + 2) & 0xFFFF_FFFFL);
    }
}
