package io.vigil.sensor.cli;

import io.vigil.protocols.LinkType;
import io.vigil.sensor.capture.file.PcapWriter;
import io.vigil.sensor.synth.FrameBuilder;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A small plant network written as two captures, a learning part A and a detection part B two
 * minutes later, and as their concatenation A+B (the same frames, so one run over A+B can be
 * compared with learning on A and detecting on B). Every TCP session closes and the gap exceeds
 * every flow timeout, so no flow spans the two parts.
 *
 * <p>A (12 min): two HMIs read (Modbus FC3) from four PLCs in short sessions, ten workstations
 * look names up, ARP. B (3 min): the same, plus an HMI's first write (FC6), a new device reading
 * a PLC, and a workstation's horizontal scan of port 22.
 */
final class SplitSiteCaptures {
    static final long START_NANOS = 1_764_000_000L * 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long A_SECONDS = 12 * 60;
    private static final long GAP_SECONDS = 120;
    private static final long B_SECONDS = 180;

    private final FrameBuilder frame = new FrameBuilder();
    private final byte[] payload = new byte[512];
    private PcapWriter part;
    private PcapWriter whole;
    private long packetsInA;
    private long lastA;
    private int nextPort = 40_000;
    private int transaction;

    /** Writes A, B and A+B; returns the capture time of A's last packet. */
    long write(Path a, Path b, Path ab) throws IOException {
        try (PcapWriter all = new PcapWriter(ab, LinkType.ETHERNET, 65_535, ByteOrder.LITTLE_ENDIAN, true)) {
            whole = all;
            try (PcapWriter w = new PcapWriter(a, LinkType.ETHERNET, 65_535, ByteOrder.LITTLE_ENDIAN, true)) {
                part = w;
                routine(START_NANOS, A_SECONDS);
                // Ends with an observation, so the last packet of A is the last moment learned.
                lastA = START_NANOS + A_SECONDS * SECOND;
                arp(lastA, workstation(0), dnsServer());
            }
            try (PcapWriter w = new PcapWriter(b, LinkType.ETHERNET, 65_535, ByteOrder.LITTLE_ENDIAN, true)) {
                part = w;
                long b0 = lastA + GAP_SECONDS * SECOND;
                routine(b0, B_SECONDS);
                modbus(b0 + 30 * SECOND + 500_000_000L, hmi(0), plc(0), 6, 7, 1234);
                modbus(b0 + 60 * SECOND + 500_000_000L, ip(10, 0, 30, 99), plc(1), 3, 0, 10);
                for (int h = 0; h < 20; h++) {
                    long t = b0 + 90 * SECOND + 300_000_000L + h * 10_000_000L;
                    int victim = ip(10, 0, 10, 150 + h);
                    int port = nextPort++;
                    tcp(t, workstation(1), victim, port, 22, 1, 0, SYN, 0);
                    tcp(t + 1_000_000, victim, workstation(1), 22, port, 0, 2, RST | ACK, 0);
                }
            }
        }
        return lastA;
    }

    long packetsInA() {
        return packetsInA;
    }

    /** Reads every 5 s (HMI and PLC in turn), a DNS lookup every 7 s, an ARP exchange every 30 s. */
    private void routine(long from, long seconds) throws IOException {
        int reads = 0;
        for (long s = 0; s < seconds; s++) {
            long t = from + s * SECOND;
            if (s % 5 == 0) {
                int n = reads++;
                modbus(t, hmi(n % 2), plc((n / 2) % 4), 3, 100, 10);
            }
            if (s % 7 == 3) {
                dns(t + 100_000_000L, workstation((int) (s / 7) % 10), (int) (s / 7) % 25);
            }
            if (s % 30 == 11) {
                arp(t + 200_000_000L, workstation((int) (s / 30) % 10), dnsServer());
            }
        }
    }

    /** One short Modbus/TCP session: handshake, one request and its response, FIN both ways. */
    private void modbus(long t, int client, int server, int function, int address, int value) throws IOException {
        int port = nextPort++;
        long c = 1_000;
        long s = 5_000;
        long ms = 1_000_000;
        tcp(t, client, server, port, 502, c, 0, SYN, 0);
        tcp(t + ms, server, client, 502, port, s, c + 1, SYN | ACK, 0);
        tcp(t + 2 * ms, client, server, port, 502, c + 1, s + 1, ACK, 0);
        int tid = ++transaction & 0xFFFF;
        int n = mbap(tid, 6, function);
        n = put16(n, address);
        n = put16(n, value);
        tcp(t + 3 * ms, client, server, port, 502, c + 1, s + 1, PSH | ACK, n);
        int sent = n;
        if (function == 3) {
            n = mbap(tid, 3 + 2 * value, function);
            payload[n++] = (byte) (2 * value);
            for (int i = 0; i < value; i++) {
                n = put16(n, 200 + i);
            }
        } else {
            n = mbap(tid, 6, function);
            n = put16(n, address);
            n = put16(n, value);
        }
        tcp(t + 4 * ms, server, client, 502, port, s + 1, c + 1 + sent, PSH | ACK, n);
        int got = n;
        tcp(t + 5 * ms, client, server, port, 502, c + 1 + sent, s + 1 + got, FIN | ACK, 0);
        tcp(t + 6 * ms, server, client, 502, port, s + 1 + got, c + 2 + sent, FIN | ACK, 0);
        tcp(t + 7 * ms, client, server, port, 502, c + 2 + sent, s + 2 + got, ACK, 0);
    }

    private int mbap(int tid, int length, int function) {
        int n = put16(0, tid);
        n = put16(n, 0);
        n = put16(n, length);
        payload[n++] = 1;
        payload[n++] = (byte) function;
        return n;
    }

    private void dns(long t, int client, int host) throws IOException {
        int port = nextPort++;
        for (boolean response : new boolean[] {false, true}) {
            int n = put16(0, port);
            n = put16(n, response ? 0x8180 : 0x0100);
            n = put16(n, 1);
            n = put16(n, response ? 1 : 0);
            n = put16(n, 0);
            n = put16(n, 0);
            for (String label : ("host" + host + ".plant.example").split("\\.")) {
                payload[n++] = (byte) label.length();
                for (char ch : label.toCharArray()) {
                    payload[n++] = (byte) ch;
                }
            }
            payload[n++] = 0;
            n = put16(n, 1);
            n = put16(n, 1);
            if (response) {
                n = put16(n, 0xC00C);
                n = put16(n, 1);
                n = put16(n, 1);
                n = put16(n, 0);
                n = put16(n, 300);
                n = put16(n, 4);
                n = put16(n, 10 << 8 | 0);
                n = put16(n, 40 << 8 | host);
                emit(t + 2_000_000, frame.udp(mac(dnsServer()), mac(client), 0, dnsServer(), client, 53, port, payload, n));
            } else {
                emit(t, frame.udp(mac(client), mac(dnsServer()), 0, client, dnsServer(), port, 53, payload, n));
            }
        }
    }

    private void arp(long t, int asker, int target) throws IOException {
        emit(t - 1_000_000, frame.arp(mac(asker), 0xFFFF_FFFF_FFFFL, 0, 1, mac(asker), asker, 0, target));
        emit(t, frame.arp(mac(target), mac(asker), 0, 2, mac(target), target, mac(asker), asker));
    }

    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    private void tcp(long t, int src, int dst, int sport, int dport, long seq, long ack, int flags, int len)
        throws IOException {
        emit(t, frame.tcp(mac(src), mac(dst), 0, src, dst, sport, dport, seq, ack, flags, payload, len));
    }

    private void emit(long t, FrameBuilder f) throws IOException {
        part.write(t, f.buffer(), 0, f.length());
        whole.write(t, f.buffer(), 0, f.length());
        if (lastA == 0 || t <= lastA) {
            packetsInA++;
        }
    }

    private int put16(int at, int v) {
        payload[at] = (byte) (v >>> 8);
        payload[at + 1] = (byte) v;
        return at + 2;
    }

    private static int hmi(int i) {
        return ip(10, 0, 30, 11 + i);
    }

    private static int plc(int i) {
        return ip(10, 0, 30, 21 + i);
    }

    private static int workstation(int i) {
        return ip(10, 0, 10, 101 + i);
    }

    private static int dnsServer() {
        return ip(10, 0, 20, 2);
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    private static long mac(int ip) {
        return 0x0200_0000_0000L | (ip & 0xFFFF_FFFFL);
    }
}
