package io.vigil.sensor.synth;

/**
 * Builds well-formed Ethernet frames (optionally 802.1Q tagged) carrying IPv4 with TCP, UDP or
 * ICMP, and ARP, with correct lengths and checksums, so that tshark and the sensor read them
 * exactly as they would read real traffic. Reuses one buffer: copy {@link #length()} bytes out
 * of {@link #buffer()} before building the next frame.
 */
public final class FrameBuilder {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;

    private final byte[] buf = new byte[16_384];
    private int length;
    private int ipId;

    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return length;
    }

    /** An IPv4 TCP segment; {@code payload} may be null for a bare segment (SYN, ACK, FIN). */
    public FrameBuilder tcp(long srcMac, long dstMac, int vlan, int srcIp, int dstIp, int srcPort, int dstPort,
                            long seq, long ack, int flags, byte[] payload, int payloadLength) {
        int l3 = ethernet(dstMac, srcMac, vlan, ETHERTYPE_IPV4);
        int l4 = ipv4(l3, srcIp, dstIp, 6, 20 + payloadLength);
        put16(l4, srcPort);
        put16(l4 + 2, dstPort);
        put32(l4 + 4, seq);
        put32(l4 + 8, ack);
        buf[l4 + 12] = (byte) (5 << 4);
        buf[l4 + 13] = (byte) flags;
        put16(l4 + 14, 64_240);
        put16(l4 + 16, 0);
        put16(l4 + 18, 0);
        copyPayload(l4 + 20, payload, payloadLength);
        put16(l4 + 16, transportChecksum(srcIp, dstIp, 6, l4, 20 + payloadLength));
        finish(l4 + 20 + payloadLength);
        return this;
    }

    public FrameBuilder udp(long srcMac, long dstMac, int vlan, int srcIp, int dstIp, int srcPort, int dstPort,
                            byte[] payload, int payloadLength) {
        int l3 = ethernet(dstMac, srcMac, vlan, ETHERTYPE_IPV4);
        int l4 = ipv4(l3, srcIp, dstIp, 17, 8 + payloadLength);
        put16(l4, srcPort);
        put16(l4 + 2, dstPort);
        put16(l4 + 4, 8 + payloadLength);
        put16(l4 + 6, 0);
        copyPayload(l4 + 8, payload, payloadLength);
        int sum = transportChecksum(srcIp, dstIp, 17, l4, 8 + payloadLength);
        put16(l4 + 6, sum == 0 ? 0xFFFF : sum);
        finish(l4 + 8 + payloadLength);
        return this;
    }

    /** ICMP echo request (type 8) or reply (type 0) with a 32-byte payload. */
    public FrameBuilder icmpEcho(long srcMac, long dstMac, int vlan, int srcIp, int dstIp, int type, int id,
                                 int sequence) {
        int l3 = ethernet(dstMac, srcMac, vlan, ETHERTYPE_IPV4);
        int l4 = ipv4(l3, srcIp, dstIp, 1, 8 + 32);
        buf[l4] = (byte) type;
        buf[l4 + 1] = 0;
        put16(l4 + 2, 0);
        put16(l4 + 4, id);
        put16(l4 + 6, sequence);
        for (int i = 0; i < 32; i++) {
            buf[l4 + 8 + i] = (byte) ('a' + (i % 23));
        }
        put16(l4 + 2, checksum(l4, 40, 0));
        finish(l4 + 40);
        return this;
    }

    /** ARP request (op 1) or reply (op 2) for Ethernet/IPv4. */
    public FrameBuilder arp(long srcMac, long dstMac, int vlan, int op, long senderMac, int senderIp, long targetMac,
                            int targetIp) {
        int a = ethernet(dstMac, srcMac, vlan, ETHERTYPE_ARP);
        put16(a, 1);
        put16(a + 2, ETHERTYPE_IPV4);
        buf[a + 4] = 6;
        buf[a + 5] = 4;
        put16(a + 6, op);
        putMac(a + 8, senderMac);
        put32(a + 14, senderIp & 0xFFFF_FFFFL);
        putMac(a + 18, targetMac);
        put32(a + 24, targetIp & 0xFFFF_FFFFL);
        finish(a + 28);
        return this;
    }

    private int ethernet(long dstMac, long srcMac, int vlan, int etherType) {
        putMac(0, dstMac);
        putMac(6, srcMac);
        if (vlan > 0) {
            put16(12, ETHERTYPE_VLAN);
            put16(14, vlan & 0x0FFF);
            put16(16, etherType);
            return 18;
        }
        put16(12, etherType);
        return 14;
    }

    private int ipv4(int at, int srcIp, int dstIp, int proto, int payloadLength) {
        buf[at] = 0x45;
        buf[at + 1] = 0;
        put16(at + 2, 20 + payloadLength);
        put16(at + 4, ipId++ & 0xFFFF);
        put16(at + 6, 0x4000);
        buf[at + 8] = 64;
        buf[at + 9] = (byte) proto;
        put16(at + 10, 0);
        put32(at + 12, srcIp & 0xFFFF_FFFFL);
        put32(at + 16, dstIp & 0xFFFF_FFFFL);
        put16(at + 10, checksum(at, 20, 0));
        return at + 20;
    }

    /** Ethernet needs 60 bytes before the FCS; short frames are zero-padded as a NIC would. */
    private void finish(int end) {
        while (end < 60) {
            buf[end++] = 0;
        }
        length = end;
    }

    private void copyPayload(int at, byte[] payload, int n) {
        if (payload != null) {
            System.arraycopy(payload, 0, buf, at, n);
        } else {
            for (int i = 0; i < n; i++) {
                buf[at + i] = 0;
            }
        }
    }

    private int transportChecksum(int srcIp, int dstIp, int proto, int at, int len) {
        long pseudo = ((srcIp >>> 16) & 0xFFFF) + (srcIp & 0xFFFF) + ((dstIp >>> 16) & 0xFFFF) + (dstIp & 0xFFFF)
            + proto + len;
        return checksum(at, len, pseudo);
    }

    private int checksum(int at, int len, long initial) {
        long sum = initial;
        int i = at;
        for (; i + 1 < at + len; i += 2) {
            sum += ((buf[i] & 0xFF) << 8) | (buf[i + 1] & 0xFF);
        }
        if (i < at + len) {
            sum += (buf[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private void putMac(int at, long mac) {
        for (int i = 0; i < 6; i++) {
            buf[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private void put16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    private void put32(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }
}
