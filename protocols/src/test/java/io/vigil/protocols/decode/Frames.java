package io.vigil.protocols.decode;

import java.io.ByteArrayOutputStream;

/** Builds test frames header by header; each method returns the bytes of one layer plus its payload. */
final class Frames {
    static final long MAC_A = 0x0200_0000_00AAL;
    static final long MAC_B = 0x0200_0000_00BBL;
    static final int IP_A = 0x0A00_0001; // 10.0.0.1
    static final int IP_B = 0xC0A8_0102; // 192.168.1.2
    static final byte[] IP6_A = ip6(0x2001_0db8_0000_0000L, 0x0000_0000_0000_0001L);
    static final byte[] IP6_B = ip6(0xfe80_0000_0000_0000L, 0x0211_22ff_fe33_4455L);

    private Frames() {
    }

    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Bytes u32(int v) {
            return u16(v >>> 16).u16(v);
        }

        Bytes mac(long v) {
            return u16((int) (v >>> 32)).u32((int) v);
        }

        Bytes bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes zeros(int n) {
            return bytes(new byte[n]);
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    static Bytes bytes() {
        return new Bytes();
    }

    static byte[] concat(byte[]... parts) {
        Bytes b = bytes();
        for (byte[] p : parts) {
            b.bytes(p);
        }
        return b.build();
    }

    static byte[] ip6(long hi, long lo) {
        return bytes().u32((int) (hi >>> 32)).u32((int) hi).u32((int) (lo >>> 32)).u32((int) lo).build();
    }

    static byte[] eth(int etherType, byte[] payload) {
        return bytes().mac(MAC_B).mac(MAC_A).u16(etherType).bytes(payload).build();
    }

    static byte[] vlanTag(int tpid, int tci) {
        return bytes().u16(tpid).u16(tci).build();
    }

    /** Ethernet with the given VLAN tags (each a TPID, TCI pair) before the ethertype. */
    static byte[] ethVlan(int[] tags, int etherType, byte[] payload) {
        Bytes b = bytes().mac(MAC_B).mac(MAC_A);
        for (int i = 0; i < tags.length; i += 2) {
            b.u16(tags[i]).u16(tags[i + 1]);
        }
        return b.u16(etherType).bytes(payload).build();
    }

    static byte[] ipv4(int proto, byte[] payload) {
        return ipv4(IP_A, IP_B, proto, 0x1234, 0x4000, 64, new byte[0], payload);
    }

    static byte[] ipv4(int src, int dst, int proto, int id, int flagsFragment, int ttl, byte[] options, byte[] payload) {
        int ihl = 5 + options.length / 4;
        return bytes().u8(0x40 | ihl).u8(0).u16(ihl * 4 + payload.length).u16(id).u16(flagsFragment)
            .u8(ttl).u8(proto).u16(0).u32(src).u32(dst).bytes(options).bytes(payload).build();
    }

    static byte[] ipv6(int nextHeader, byte[] payload) {
        return bytes().u32(0x6000_0000).u16(payload.length).u8(nextHeader).u8(63)
            .bytes(IP6_A).bytes(IP6_B).bytes(payload).build();
    }

    /** A generic IPv6 extension header (Hop-by-Hop, Routing, Destination options) of 8 * (units + 1) bytes. */
    static byte[] ext6(int nextHeader, int units) {
        return bytes().u8(nextHeader).u8(units).zeros(6 + units * 8).build();
    }

    static byte[] frag6(int nextHeader, int offsetBytes, boolean more, int id) {
        return bytes().u8(nextHeader).u8(0).u16(offsetBytes | (more ? 1 : 0)).u32(id).build();
    }

    static byte[] tcp(int sport, int dport, int seq, int ack, int flags, int window, byte[] options, byte[] payload) {
        int offset = 5 + options.length / 4;
        return bytes().u16(sport).u16(dport).u32(seq).u32(ack).u8(offset << 4).u8(flags).u16(window)
            .u16(0).u16(0).bytes(options).bytes(payload).build();
    }

    static byte[] tcp(int sport, int dport, byte[] payload) {
        return tcp(sport, dport, 1000, 2000, DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH, 512, new byte[0], payload);
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        return bytes().u16(sport).u16(dport).u16(8 + payload.length).u16(0).bytes(payload).build();
    }

    static byte[] icmp(int type, int code, byte[] payload) {
        return bytes().u8(type).u8(code).u16(0).u16(0x77).u16(1).bytes(payload).build();
    }

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    static byte[] gre(int flags, int protocol, byte[] optional, byte[] payload) {
        return bytes().u16(flags).u16(protocol).bytes(optional).bytes(payload).build();
    }

    static byte[] vxlan(int vni, byte[] innerFrame) {
        return bytes().u8(0x08).zeros(3).u32(vni << 8).bytes(innerFrame).build();
    }

    /** The Ethernet/802.1Q(VLAN 42)/IPv4/TCP frame the tunnel tests carry. */
    static byte[] innerTcpFrame() {
        return concat(bytes().mac(0x0000_5E00_0001L).mac(0x0000_5E00_0002L).u16(0x8100).u16(42).u16(0x0800).build(),
            ipv4(0xAC10_0001, 0xAC10_0002, 6, 7, 0x4000, 60, new byte[0], tcp(44321, 443, payload(10))));
    }

    static byte[] outerIpv4(int proto, byte[] payload) {
        return eth(0x0800, ipv4(0x0101_0101, 0x0202_0202, proto, 99, 0, 255, new byte[0], payload));
    }
}
