package io.vigil.sensor.synth;

import io.vigil.protocols.LinkType;
import io.vigil.sensor.capture.file.PcapWriter;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a deterministic capture of a small converged data centre: HMIs polling PLCs over
 * Modbus/TCP on long-lived connections, BACnet/IP ReadProperty to building controllers,
 * workstations opening short TLS sessions to servers, DNS lookups, a server-to-server backup
 * stream, ICMP echo and ARP. Used for the bundled demo capture and the replay benchmarks.
 *
 * <p>Every frame is well formed (lengths and checksums right), so tshark reads the same capture.
 */
public final class ConvergedTrafficGenerator {
    private static final int VLAN_IT = 10;
    private static final int VLAN_SERVERS = 20;
    private static final int VLAN_OT = 30;
    private static final int VLAN_BMS = 40;

    private static final int WORKSTATIONS = 200;
    private static final int SERVERS = 20;
    private static final int PLCS = 12;
    private static final int HMIS = 3;
    private static final int BACNET_CONTROLLERS = 16;

    private static final byte[] BACNET_READ_PROPERTY = bvlc("810a001101040005010c0c000000011955");
    private static final byte[] BACNET_READ_PROPERTY_ACK = bvlc("810a0017010030010c0c0000000119553e44422800003f");

    private final SplittableRandom random;
    private final FrameBuilder frame = new FrameBuilder();
    private final byte[] payload = new byte[1500];
    private final long meanGapNanos;
    private PcapWriter out;
    private long clockNanos;
    private long written;
    private int nextEphemeralPort = 32_768;
    private final long[] modbusSeqClient = new long[PLCS * HMIS];
    private final long[] modbusSeqServer = new long[PLCS * HMIS];
    private final int[] modbusClientPort = new int[PLCS * HMIS];
    private int modbusTransaction;
    private long backupSeq = 1_000;
    private int backupPort;
    private int dnsId;
    private int icmpSequence;

    /**
     * @param seed         makes the capture reproducible
     * @param packetsPerSecond mean capture-time rate (sets the timestamp spacing)
     */
    public ConvergedTrafficGenerator(long seed, int packetsPerSecond) {
        this.random = new SplittableRandom(seed);
        this.meanGapNanos = 1_000_000_000L / packetsPerSecond;
        this.clockNanos = 1_764_000_000L * 1_000_000_000L;
    }

    /** Writes at least {@code packets} frames (the last exchange completes) to a pcap file. */
    public long write(Path file, long packets) throws IOException {
        try (PcapWriter w = new PcapWriter(file, LinkType.ETHERNET, 65_535, ByteOrder.LITTLE_ENDIAN, false)) {
            this.out = w;
            openModbusConnections();
            backupPort = ephemeralPort();
            tcp(server(0), server(1), VLAN_SERVERS, backupPort, 873, backupSeq - 1, 0, SYN, 0);
            tcp(server(1), server(0), VLAN_SERVERS, 873, backupPort, 0, backupSeq, SYN | ACK, 0);
            tcp(server(0), server(1), VLAN_SERVERS, backupPort, 873, backupSeq, 1, ACK, 0);
            while (written < packets) {
                int dice = random.nextInt(100);
                if (dice < 34) {
                    modbusPoll();
                } else if (dice < 52) {
                    tlsSession();
                } else if (dice < 64) {
                    dnsLookup();
                } else if (dice < 76) {
                    bacnetRead();
                } else if (dice < 92) {
                    backupChunk();
                } else if (dice < 97) {
                    ping();
                } else {
                    arp();
                }
            }
            return written;
        } finally {
            out = null;
        }
    }

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    private void openModbusConnections() throws IOException {
        for (int h = 0; h < HMIS; h++) {
            for (int p = 0; p < PLCS; p++) {
                int c = h * PLCS + p;
                int port = ephemeralPort();
                modbusClientPort[c] = port;
                long cs = random.nextInt() & 0xFFFF_FFFFL;
                long ss = random.nextInt() & 0xFFFF_FFFFL;
                tcp(hmi(h), plc(p), VLAN_OT, port, 502, cs, 0, SYN, 0);
                tcp(plc(p), hmi(h), VLAN_OT, 502, port, ss, cs + 1, SYN | ACK, 0);
                tcp(hmi(h), plc(p), VLAN_OT, port, 502, cs + 1, ss + 1, ACK, 0);
                modbusSeqClient[c] = cs + 1;
                modbusSeqServer[c] = ss + 1;
            }
        }
    }

    private void modbusPoll() throws IOException {
        int c = random.nextInt(PLCS * HMIS);
        int h = c / PLCS;
        int p = c % PLCS;
        int tid = ++modbusTransaction & 0xFFFF;
        int quantity = 10;
        // MBAP (tid, protocol 0, length, unit 1) + FC3 read holding registers 40001+
        int n = 0;
        n = DnsPayload.put16(payload, n, tid);
        n = DnsPayload.put16(payload, n, 0);
        n = DnsPayload.put16(payload, n, 6);
        payload[n++] = 1;
        payload[n++] = 3;
        n = DnsPayload.put16(payload, n, 100 * p);
        n = DnsPayload.put16(payload, n, quantity);
        tcp(hmi(h), plc(p), VLAN_OT, modbusClientPort[c], 502, modbusSeqClient[c], modbusSeqServer[c], PSH | ACK, n);
        modbusSeqClient[c] += n;
        n = 0;
        n = DnsPayload.put16(payload, n, tid);
        n = DnsPayload.put16(payload, n, 0);
        n = DnsPayload.put16(payload, n, 3 + 2 * quantity);
        payload[n++] = 1;
        payload[n++] = 3;
        payload[n++] = (byte) (2 * quantity);
        for (int i = 0; i < quantity; i++) {
            n = DnsPayload.put16(payload, n, 200 + random.nextInt(50));
        }
        tcp(plc(p), hmi(h), VLAN_OT, 502, modbusClientPort[c], modbusSeqServer[c], modbusSeqClient[c], PSH | ACK, n);
        modbusSeqServer[c] += n;
    }

    private void tlsSession() throws IOException {
        int ws = workstation(random.nextInt(WORKSTATIONS));
        int srv = server(2 + random.nextInt(SERVERS - 2));
        int port = ephemeralPort();
        long cs = random.nextInt() & 0xFFFF_FFFFL;
        long ss = random.nextInt() & 0xFFFF_FFFFL;
        tcp(ws, srv, VLAN_IT, port, 443, cs, 0, SYN, 0);
        tcp(srv, ws, VLAN_IT, 443, port, ss, cs + 1, SYN | ACK, 0);
        tcp(ws, srv, VLAN_IT, port, 443, cs + 1, ss + 1, ACK, 0);
        cs++;
        ss++;
        int exchanges = 1 + random.nextInt(6);
        for (int i = 0; i < exchanges; i++) {
            int up = 80 + random.nextInt(500);
            fillRandom(up);
            tcp(ws, srv, VLAN_IT, port, 443, cs, ss, PSH | ACK, up);
            cs += up;
            int down = 200 + random.nextInt(1260);
            fillRandom(down);
            tcp(srv, ws, VLAN_IT, 443, port, ss, cs, PSH | ACK, down);
            ss += down;
        }
        if (random.nextInt(20) == 0) {
            tcp(ws, srv, VLAN_IT, port, 443, cs, ss, RST | ACK, 0);
            return;
        }
        tcp(ws, srv, VLAN_IT, port, 443, cs, ss, FIN | ACK, 0);
        tcp(srv, ws, VLAN_IT, 443, port, ss, cs + 1, FIN | ACK, 0);
        tcp(ws, srv, VLAN_IT, port, 443, cs + 1, ss + 1, ACK, 0);
    }

    private void dnsLookup() throws IOException {
        int ws = workstation(random.nextInt(WORKSTATIONS));
        int dns = server(0);
        int port = ephemeralPort();
        int id = ++dnsId & 0xFFFF;
        String name = "host" + random.nextInt(400) + ".corp.example";
        int n = dnsQuery(id, name, false);
        udp(ws, dns, VLAN_IT, port, 53, n);
        n = dnsQuery(id, name, true);
        udp(dns, ws, VLAN_IT, 53, port, n);
    }

    private int dnsQuery(int id, String name, boolean response) {
        int answer = response ? (10 << 24) | (20 << 16) | (10 + random.nextInt(SERVERS)) : 0;
        return DnsPayload.write(payload, id, name, response, answer);
    }

    private void bacnetRead() throws IOException {
        int ws = server(SERVERS - 1);
        int controller = bacnetController(random.nextInt(BACNET_CONTROLLERS));
        System.arraycopy(BACNET_READ_PROPERTY, 0, payload, 0, BACNET_READ_PROPERTY.length);
        udp(ws, controller, VLAN_BMS, 47_808, 47_808, BACNET_READ_PROPERTY.length);
        System.arraycopy(BACNET_READ_PROPERTY_ACK, 0, payload, 0, BACNET_READ_PROPERTY_ACK.length);
        udp(controller, ws, VLAN_BMS, 47_808, 47_808, BACNET_READ_PROPERTY_ACK.length);
    }

    private void backupChunk() throws IOException {
        for (int i = 0; i < 4; i++) {
            fillRandom(1400);
            tcp(server(0), server(1), VLAN_SERVERS, backupPort, 873, backupSeq, 1, PSH | ACK, 1400);
            backupSeq += 1400;
        }
        tcp(server(1), server(0), VLAN_SERVERS, 873, backupPort, 1, backupSeq, ACK, 0);
    }

    private void ping() throws IOException {
        int src = workstation(random.nextInt(WORKSTATIONS));
        int dst = server(random.nextInt(SERVERS));
        int id = random.nextInt(0xFFFF);
        int seq = ++icmpSequence & 0xFFFF;
        emit(frame.icmpEcho(mac(src), mac(dst), VLAN_IT, src, dst, 8, id, seq));
        emit(frame.icmpEcho(mac(dst), mac(src), VLAN_IT, dst, src, 0, id, seq));
    }

    private void arp() throws IOException {
        int src = workstation(random.nextInt(WORKSTATIONS));
        int dst = server(random.nextInt(SERVERS));
        emit(frame.arp(mac(src), 0xFFFF_FFFF_FFFFL, VLAN_IT, 1, mac(src), src, 0, dst));
        emit(frame.arp(mac(dst), mac(src), VLAN_IT, 2, mac(dst), dst, mac(src), src));
    }

    private void tcp(int src, int dst, int vlan, int sport, int dport, long seq, long ack, int flags, int len)
        throws IOException {
        emit(frame.tcp(mac(src), mac(dst), vlan, src, dst, sport, dport, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL,
            flags, payload, len));
    }

    private void udp(int src, int dst, int vlan, int sport, int dport, int len) throws IOException {
        emit(frame.udp(mac(src), mac(dst), vlan, src, dst, sport, dport, payload, len));
    }

    private void emit(FrameBuilder f) throws IOException {
        // Exponential-ish spacing: mostly short gaps, a few long ones, like a real link.
        clockNanos += 1 + (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
        out.write(clockNanos, f.buffer(), 0, f.length());
        written++;
    }

    private int ephemeralPort() {
        int p = nextEphemeralPort++;
        if (nextEphemeralPort > 60_999) {
            nextEphemeralPort = 32_768;
        }
        return p;
    }

    private void fillRandom(int n) {
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8 && i + k < n; k++) {
                payload[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    private static int workstation(int i) {
        return ip(10, 10, 1 + i / 250, 1 + i % 250);
    }

    private static int server(int i) {
        return ip(10, 20, 0, 10 + i);
    }

    private static int plc(int i) {
        return ip(10, 30, 1, 10 + i);
    }

    private static int hmi(int i) {
        return ip(10, 30, 2, 10 + i);
    }

    private static int bacnetController(int i) {
        return ip(10, 40, 0, 20 + i);
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    /** Locally administered unicast MAC derived from the IP, so bindings are stable across runs. */
    private static long mac(int ip) {
        return 0x0200_0000_0000L | (ip & 0xFFFF_FFFFL);
    }

    /** BACnet/IP frame from hex, with the BVLC length field set to the real length. */
    private static byte[] bvlc(String s) {
        byte[] b = hex(s);
        DnsPayload.put16(b, 2, b.length);
        return b;
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** {@code ConvergedTrafficGenerator OUT.pcap PACKETS [SEED] [PPS]} */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ConvergedTrafficGenerator OUT.pcap PACKETS [SEED] [PACKETS_PER_SECOND]");
            System.exit(2);
        }
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int pps = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        long n = new ConvergedTrafficGenerator(seed, pps).write(Path.of(args[0]), Long.parseLong(args[1]));
        System.out.println("wrote " + n + " packets to " + args[0]);
    }
}
