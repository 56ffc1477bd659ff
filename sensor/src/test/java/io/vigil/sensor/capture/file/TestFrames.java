package io.vigil.sensor.capture.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deterministic, well-formed frames for test captures: IPv4/IPv6 with TCP/UDP, correct lengths and checksums, wrapped in
 * Ethernet, Linux SLL/SLL2, BSD loopback or nothing (raw IP). Deterministic so that regenerated captures are
 * byte-identical to the ones committed in pcaps/.
 */
final class TestFrames {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;

    static final byte[] CLIENT_MAC = {0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c};
    static final byte[] SERVER_MAC = {0x00, 0x0c, 0x29, 0x3d, 0x4e, 0x5f};
    static final byte[] CLIENT_V4 = {10, 0, 0, 5};
    static final byte[] SERVER_V4 = {10, 0, 0, 20};
    static final byte[] CLIENT_V6 = v6(0x20010db8, 0, 0, 5);
    static final byte[] SERVER_V6 = v6(0x20010db8, 0, 0, 0x20);

    private TestFrames() {
    }

    /**
     * {@code n} IP packets of a small made-up exchange: a Modbus/TCP handshake and requests over IPv4, DNS-like UDP,
     * IPv6 UDP and TCP. Packet {@code i} depends only on {@code i} and {@code seed}.
     */
    static List<byte[]> ipPackets(int n, int seed) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int sport = 40000 + ((seed * 7 + i / 6) & 0x3FF);
            // One handshake per group of six, so TCP analysis in Wireshark sees consistent sequence numbers.
            int c = 1000 + (i / 6) * 97 + seed;
            int srv = 50_000 + (i / 6) * 31;
            switch (i % 6) {
                case 0:
                    out.add(ipv4(CLIENT_V4, SERVER_V4, 6, i, tcp(CLIENT_V4, SERVER_V4, sport, 502, c, 0, 0x02,
                            payload(0, i))));
                    break;
                case 1:
                    out.add(ipv4(SERVER_V4, CLIENT_V4, 6, i, tcp(SERVER_V4, CLIENT_V4, 502, sport, srv, c + 1,
                            0x12, payload(0, i))));
                    break;
                case 2:
                    out.add(ipv4(CLIENT_V4, SERVER_V4, 6, i, tcp(CLIENT_V4, SERVER_V4, sport, 502, c + 1, srv + 1,
                            0x18, payload(12, i))));
                    break;
                case 3:
                    out.add(ipv4(CLIENT_V4, SERVER_V4, 17, i, udp(CLIENT_V4, SERVER_V4, sport, 53, dnsQuery(i))));
                    break;
                case 4:
                    out.add(ipv6(CLIENT_V6, SERVER_V6, 17, udp(CLIENT_V6, SERVER_V6, sport, 50505,
                            payload(40 + (i * 13) % 90, i))));
                    break;
                default:
                    out.add(ipv6(SERVER_V6, CLIENT_V6, 6, tcp(SERVER_V6, CLIENT_V6, 443, sport, srv, c, 0x18,
                            payload(100 + (i * 37) % 400, i))));
                    break;
            }
        }
        return out;
    }

    /** A standard DNS query for an A record of host{i%10}.vigil.example, id i. */
    static byte[] dnsQuery(int i) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putShort((short) i).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        for (String label : new String[] {"host" + (i % 10), "vigil", "example"}) {
            b.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A full-size IPv4/TCP segment (1500-byte IP packet), for snaplen truncation. */
    static byte[] bigIpv4(int i) {
        return ipv4(CLIENT_V4, SERVER_V4, 6, i, tcp(CLIENT_V4, SERVER_V4, 40001, 502, 77 + i, 99, 0x18,
                payload(1460, i)));
    }

    static byte[] payload(int len, int salt) {
        byte[] p = new byte[len];
        for (int k = 0; k < len; k++) {
            p[k] = (byte) (salt * 31 + k * 7 + 1);
        }
        return p;
    }

    static int ethertypeOf(byte[] ip) {
        return (ip[0] >> 4) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
    }

    /** Ethernet II, padded to the 60-byte minimum (without FCS) as a NIC would. */
    static byte[] ethernet(byte[] ip) {
        boolean fromServer = isFromServer(ip);
        ByteBuffer b = ByteBuffer.allocate(Math.max(60, 14 + ip.length));
        b.put(fromServer ? CLIENT_MAC : SERVER_MAC).put(fromServer ? SERVER_MAC : CLIENT_MAC)
                .putShort((short) ethertypeOf(ip)).put(ip);
        return b.array();
    }

    /** Linux cooked capture v1: packet type, ARPHRD_ETHER, 6-byte address padded to 8, protocol. */
    static byte[] linuxSll(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(16 + ip.length);
        b.putShort((short) (isFromServer(ip) ? 0 : 4)) // 0 = to us, 4 = sent by us
                .putShort((short) 1).putShort((short) 6)
                .put(isFromServer(ip) ? SERVER_MAC : CLIENT_MAC).putShort((short) 0)
                .putShort((short) ethertypeOf(ip)).put(ip);
        return b.array();
    }

    /** Linux cooked capture v2: protocol, reserved, ifindex, ARPHRD_ETHER, packet type, address length, address. */
    static byte[] linuxSll2(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(20 + ip.length);
        b.putShort((short) ethertypeOf(ip)).putShort((short) 0).putInt(2)
                .putShort((short) 1).put((byte) (isFromServer(ip) ? 0 : 4)).put((byte) 6)
                .put(isFromServer(ip) ? SERVER_MAC : CLIENT_MAC).putShort((short) 0).put(ip);
        return b.array();
    }

    /** BSD loopback: address family in the capturing host's byte order (AF_INET 2, AF_INET6 24 as on NetBSD/OpenBSD). */
    static byte[] bsdNull(byte[] ip, ByteOrder hostOrder) {
        ByteBuffer b = ByteBuffer.allocate(4 + ip.length);
        b.order(hostOrder).putInt((ip[0] >> 4) == 6 ? 24 : 2);
        b.order(ByteOrder.BIG_ENDIAN).put(ip);
        return b.array();
    }

    private static boolean isFromServer(byte[] ip) {
        if ((ip[0] >> 4) == 6) {
            return Arrays.equals(ip, 8, 24, SERVER_V6, 0, 16);
        }
        return Arrays.equals(ip, 12, 16, SERVER_V4, 0, 4);
    }

    static byte[] ipv4(byte[] src, byte[] dst, int proto, int id, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) (0x1000 + id))
                .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst);
        b.putShort(10, (short) checksum(b.array(), 0, 20, 0));
        b.put(l4);
        return b.array();
    }

    static byte[] ipv6(byte[] src, byte[] dst, int nextHeader, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(40 + l4.length);
        b.putInt(0x6000_0000).putShort((short) l4.length).put((byte) nextHeader).put((byte) 64).put(src).put(dst)
                .put(l4);
        return b.array();
    }

    /** TCP with its checksum over the IPv4 or IPv6 pseudo-header of src/dst. */
    static byte[] tcp(byte[] src, byte[] dst, int sport, int dport, int seq, int ack, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0)
                .put(payload);
        b.putShort(16, (short) checksum(b.array(), 0, b.capacity(), pseudo(src, dst, 6, b.capacity())));
        return b.array();
    }

    static byte[] udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        int c = checksum(b.array(), 0, b.capacity(), pseudo(src, dst, 17, b.capacity()));
        b.putShort(6, (short) (c == 0 ? 0xFFFF : c));
        return b.array();
    }

    private static long pseudo(byte[] src, byte[] dst, int proto, int len) {
        long sum = words(src) + words(dst) + proto + len;
        return sum;
    }

    private static long words(byte[] a) {
        long s = 0;
        for (int k = 0; k < a.length; k += 2) {
            s += ((a[k] & 0xFF) << 8) | (a[k + 1] & 0xFF);
        }
        return s;
    }

    static int checksum(byte[] a, int off, int len, long initial) {
        long s = initial;
        int k = off;
        for (; k + 1 < off + len; k += 2) {
            s += ((a[k] & 0xFF) << 8) | (a[k + 1] & 0xFF);
        }
        if (k < off + len) {
            s += (a[k] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    private static byte[] v6(int a, int b, int c, int d) {
        return ByteBuffer.allocate(16).putInt(a).putInt(b).putInt(c).putInt(d).array();
    }
}
