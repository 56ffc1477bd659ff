package io.vigil.protocols.flow;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;

/** Hand-filled decoded packets, as the decoder would leave them. */
final class Packets {
    static final long SEC = 1_000_000_000L;

    private Packets() {
    }

    static int ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        int ip = 0;
        for (String part : parts) {
            ip = ip << 8 | Integer.parseInt(part);
        }
        return ip;
    }

    /** IPv4 packet; ports are set only when sport/dport are non-negative. */
    static DecodedPacket ip4(long ts, int proto, String src, int sport, String dst, int dport, int len) {
        DecodedPacket p = new DecodedPacket();
        p.reset();
        p.timestampNanos = ts;
        p.originalLength = len;
        p.captureLength = len;
        p.l3 = DecodedPacket.L3_IPV4;
        p.etherType = 0x0800;
        p.srcIpHi = 0;
        p.srcIpLo = IpAddresses.v4MappedLo(ipv4(src));
        p.dstIpHi = 0;
        p.dstIpLo = IpAddresses.v4MappedLo(ipv4(dst));
        p.ipProto = proto;
        p.ttl = 64;
        if (sport >= 0) {
            p.hasPorts = true;
            p.srcPort = sport;
            p.dstPort = dport;
        }
        return p;
    }

    static DecodedPacket tcp(long ts, String src, int sport, String dst, int dport, int flags, int len) {
        DecodedPacket p = ip4(ts, DecodedPacket.PROTO_TCP, src, sport, dst, dport, len);
        p.tcpFlags = flags;
        return p;
    }

    static DecodedPacket udp(long ts, String src, int sport, String dst, int dport, int len) {
        return ip4(ts, DecodedPacket.PROTO_UDP, src, sport, dst, dport, len);
    }

    static DecodedPacket icmp(long ts, String src, String dst, int type, int code, int len) {
        DecodedPacket p = ip4(ts, DecodedPacket.PROTO_ICMP, src, -1, dst, -1, len);
        p.icmpType = type;
        p.icmpCode = code;
        return p;
    }

    static DecodedPacket tcp6(long ts, long srcHi, long srcLo, int sport, long dstHi, long dstLo, int dport, int flags,
            int len) {
        DecodedPacket p = new DecodedPacket();
        p.reset();
        p.timestampNanos = ts;
        p.originalLength = len;
        p.l3 = DecodedPacket.L3_IPV6;
        p.etherType = 0x86DD;
        p.srcIpHi = srcHi;
        p.srcIpLo = srcLo;
        p.dstIpHi = dstHi;
        p.dstIpLo = dstLo;
        p.ipProto = DecodedPacket.PROTO_TCP;
        p.hasPorts = true;
        p.srcPort = sport;
        p.dstPort = dport;
        p.tcpFlags = flags;
        return p;
    }

    static DecodedPacket eth(DecodedPacket p, long srcMac, long dstMac) {
        p.hasEthernet = true;
        p.srcMac = srcMac;
        p.dstMac = dstMac;
        return p;
    }

    static DecodedPacket vlan(DecodedPacket p, int vlan) {
        p.vlan = vlan;
        p.vlanCount = 1;
        return p;
    }
}
