package io.vigil.protocols.decode;

/**
 * The result of decoding one frame's L2-L4 headers: a mutable flyweight that one worker reuses
 * for every packet, so decoding allocates nothing. Fields hold offsets into the caller's buffer
 * and header values; nothing is copied but the few numbers a flow table or observer needs.
 *
 * <p>Addresses are kept as two longs each, IPv4 as the IPv4-mapped IPv6 address
 * ({@code ::ffff:a.b.c.d}), so IPv4 and IPv6 share one code path in flow and device tables.
 * MAC addresses are the 48-bit value in the low bits of a long.
 */
public final class DecodedPacket {
    public static final int L3_NONE = 0;
    public static final int L3_IPV4 = 4;
    public static final int L3_IPV6 = 6;
    public static final int L3_ARP = 1;
    /** Some other ethertype (LLDP, STP via LLC, ...): counted, not decoded. */
    public static final int L3_OTHER = 2;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_GRE = 47;
    public static final int PROTO_ICMPV6 = 58;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;
    public static final int TCP_URG = 0x20;
    public static final int TCP_ECE = 0x40;
    public static final int TCP_CWR = 0x80;

    public static final int TUNNEL_NONE = 0;
    public static final int TUNNEL_GRE = 1;
    public static final int TUNNEL_ERSPAN = 2;
    public static final int TUNNEL_VXLAN = 3;
    public static final int TUNNEL_IP_IN_IP = 4;

    /** Layer at which decoding stopped because the headers were malformed or cut short. */
    public static final int LAYER_NONE = 0;
    public static final int LAYER_LINK = 1;
    public static final int LAYER_VLAN = 2;
    public static final int LAYER_MPLS = 3;
    public static final int LAYER_ARP = 4;
    public static final int LAYER_IPV4 = 5;
    public static final int LAYER_IPV6 = 6;
    public static final int LAYER_TCP = 7;
    public static final int LAYER_UDP = 8;
    public static final int LAYER_ICMP = 9;
    public static final int LAYER_TUNNEL = 10;

    // ---- frame ----
    public long frameNumber;
    public long timestampNanos;
    public int linkType;
    public int captureLength;
    public int originalLength;
    public int interfaceId;

    // ---- layer 2 ----
    public boolean hasEthernet;
    public long srcMac;
    public long dstMac;
    /** Outer 802.1Q / 802.1ad VLAN id, 0 when untagged. */
    public int vlan;
    /** Inner VLAN id of a QinQ frame, 0 when not double tagged. */
    public int innerVlan;
    public int vlanCount;
    public int mplsLabelCount;
    /** Label of the bottom-of-stack MPLS entry, -1 when none. */
    public int mplsLabel;
    /** Ethertype of the network layer after VLAN tags and MPLS, 0 when the link type is raw IP. */
    public int etherType;
    public int tunnel;

    // ---- layer 3 ----
    public int l3;
    public int l3Offset;
    public long srcIpHi;
    public long srcIpLo;
    public long dstIpHi;
    public long dstIpLo;
    public int ipProto;
    public int ttl;
    /** IPv4 identification or IPv6 fragment-header identification. */
    public int ipId;
    public boolean fragmented;
    /** Fragment offset in bytes; non-zero means no transport header in this frame. */
    public int fragmentOffset;
    public boolean moreFragments;
    public boolean ipOptions;
    /** Number of IPv6 extension headers walked before the transport header. */
    public int ipv6ExtensionHeaders;

    // ---- ARP ----
    public int arpOperation;
    /**
     * True when the ARP packet is IPv4 over 48-bit MAC (the only variant whose addresses are kept);
     * otherwise the four address fields are 0 and mean nothing (0.0.0.0 would read as an ARP probe).
     */
    public boolean arpIpv4;
    public long arpSenderMac;
    public int arpSenderIp;
    public long arpTargetMac;
    public int arpTargetIp;

    // ---- layer 4 ----
    public boolean hasPorts;
    public int l4Offset;
    public int srcPort;
    public int dstPort;
    public int tcpFlags;
    public long tcpSeq;
    public long tcpAck;
    public int tcpWindow;
    public int icmpType;
    public int icmpCode;
    public int payloadOffset;
    public int payloadLength;

    // ---- outcome ----
    /** Layer at which decoding gave up, {@link #LAYER_NONE} when every present header parsed. */
    public int malformedLayer;
    /** True when the frame was cut by the snap length before the headers ended. */
    public boolean truncated;
    /**
     * True when the IP header claims more bytes than were captured but every header is present:
     * the snap length cut only payload. Not an error, so neither {@link #truncated} nor a counter.
     */
    public boolean payloadTruncated;

    public void reset() {
        hasEthernet = false;
        srcMac = 0;
        dstMac = 0;
        vlan = 0;
        innerVlan = 0;
        vlanCount = 0;
        mplsLabelCount = 0;
        mplsLabel = -1;
        etherType = 0;
        tunnel = TUNNEL_NONE;
        l3 = L3_NONE;
        l3Offset = -1;
        srcIpHi = 0;
        srcIpLo = 0;
        dstIpHi = 0;
        dstIpLo = 0;
        ipProto = -1;
        ttl = 0;
        ipId = 0;
        fragmented = false;
        fragmentOffset = 0;
        moreFragments = false;
        ipOptions = false;
        ipv6ExtensionHeaders = 0;
        arpOperation = 0;
        arpIpv4 = false;
        arpSenderMac = 0;
        arpSenderIp = 0;
        arpTargetMac = 0;
        arpTargetIp = 0;
        hasPorts = false;
        l4Offset = -1;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        tcpSeq = 0;
        tcpAck = 0;
        tcpWindow = 0;
        icmpType = -1;
        icmpCode = -1;
        payloadOffset = -1;
        payloadLength = 0;
        malformedLayer = LAYER_NONE;
        truncated = false;
        payloadTruncated = false;
    }

    public boolean isIp() {
        return l3 == L3_IPV4 || l3 == L3_IPV6;
    }

    public boolean isTcp() {
        return ipProto == PROTO_TCP && hasPorts;
    }

    public boolean isUdp() {
        return ipProto == PROTO_UDP && hasPorts;
    }

    /** IPv4 source address as an unsigned 32-bit value; meaningful only when {@code l3 == L3_IPV4}. */
    public int srcIpv4() {
        return (int) srcIpLo;
    }

    public int dstIpv4() {
        return (int) dstIpLo;
    }
}
