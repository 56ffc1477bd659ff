package io.vigil.bench;

import io.vigil.protocols.LinkType;
import io.vigil.sensor.capture.file.PcapWriter;
import io.vigil.sensor.synth.DnsPayload;
import io.vigil.sensor.synth.FrameBuilder;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a deterministic capture of a large site for {@link ScaleBenchmark}: {@code devices} hosts in
 * 10.0.0.0/15 and {@code flows} TCP connections that all stay open to the end, so the sensor holds
 * at least that many flows at once.
 *
 * <p>Roles (fractions of the device count): 4 DNS servers, 1 % servers (HTTPS, HTTP, PostgreSQL, SSH,
 * RDP), 2 % Modbus/TCP PLCs polled by HMIs (0.2 %) on long-lived connections, 2 % BACnet/IP
 * controllers read by BMS servers (0.1 %), the rest workstations. Each workstation opens its share of
 * the persistent connections (handshake, one request and response) to servers chosen by a hash, and
 * later exchanges more on random open ones; DNS lookups add short UDP flows that idle out after the
 * sensor's 60 s, as real resolver traffic does.
 *
 * <p>Why every connection survives: the capture spans {@link #SPAN_SECONDS} s of capture time, under
 * the sensor's 300 s idle timeout for established TCP, and no connection is closed. Opens are spread
 * over the whole span (the clock follows their progress), so a learning window that ends part way
 * leaves the later opens to detection. Frames come from {@link FrameBuilder} (lengths and checksums
 * right), as in {@link io.vigil.sensor.synth.ConvergedTrafficGenerator}.
 */
public final class ScaleTrafficGenerator {
    /** Capture time covered: under the 300 s TCP idle timeout, so no established connection expires. */
    static final long SPAN_SECONDS = 270;
    static final long T0_NANOS = 1_764_000_000L * 1_000_000_000L;

    private static final int VLAN_IT = 10;
    private static final int VLAN_OT = 30;
    private static final int VLAN_BMS = 40;
    private static final int DNS_SERVERS = 4;
    /**
     * First client port of the persistent connections, in Linux's ephemeral range: a client port on an
     * industrial one (20000 is DNP3's) would have the sensor parse the flow as that protocol.
     */
    private static final int CLIENT_PORT = 33_000;
    /** Service per server, by server index: mostly HTTPS, as in an enterprise data centre. */
    private static final int[] SERVICES = {443, 443, 443, 443, 80, 80, 5432, 443, 22, 3389};

    private static final int SYN = 0x02;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;

    private static final byte[] BACNET_READ_PROPERTY = hex("810a001101040005010c0c000000011955");
    private static final byte[] BACNET_READ_PROPERTY_ACK = hex("810a0017010030010c0c0000000119553e44422800003f");

    private final int flows;
    private final int servers;
    private final int plcs;
    private final int hmis;
    private final int controllers;
    private final int bmsServers;
    private final int workstations;
    private final int firstServer;
    private final int firstPlc;
    private final int firstHmi;
    private final int firstController;
    private final int firstBms;
    private final int firstWorkstation;

    private final SplittableRandom random;
    private final FrameBuilder frame = new FrameBuilder();
    private final byte[] payload = new byte[1500];
    /** Next sequence numbers of each persistent connection (client, server), for later exchanges. */
    private final int[] clientSeq;
    private final int[] serverSeq;
    private final int[] modbusClientSeq;
    private final int[] modbusServerSeq;
    private PcapWriter out;
    private long clockNanos = T0_NANOS;
    private long written;
    private int opened;
    private int modbusTransaction;
    private int dnsPort;
    private int dnsId;

    /**
     * @param devices distinct hosts (at most 128 000: 250 hosts in each of the /24s of 10.0.0.0/15)
     * @param flows   persistent TCP connections, all open at the end of the capture
     */
    public ScaleTrafficGenerator(int devices, int flows, long seed) {
        if (devices < 1_000 || devices > 128_000) {
            throw new IllegalArgumentException("devices must be in [1000, 128000]: " + devices);
        }
        this.flows = flows;
        this.servers = devices / 100;
        this.plcs = devices / 50;
        this.hmis = devices / 500;
        this.controllers = devices / 50;
        this.bmsServers = devices / 1_000;
        this.firstServer = DNS_SERVERS;
        this.firstPlc = firstServer + servers;
        this.firstHmi = firstPlc + plcs;
        this.firstController = firstHmi + hmis;
        this.firstBms = firstController + controllers;
        this.firstWorkstation = firstBms + bmsServers;
        this.workstations = devices - firstWorkstation;
        this.random = new SplittableRandom(seed);
        this.clientSeq = new int[flows];
        this.serverSeq = new int[flows];
        this.modbusClientSeq = new int[plcs];
        this.modbusServerSeq = new int[plcs];
    }

    /** Role names as {@link #role} gives them, in address order. */
    static final String[] ROLES = {"dns", "server", "plc", "hmi", "bacnet", "bms", "workstation"};

    /** The role (index into {@link #ROLES}) of host i, the i of {@link #host}. */
    int role(int i) {
        return i < firstServer ? 0 : i < firstPlc ? 1 : i < firstHmi ? 2 : i < firstController ? 3
            : i < firstBms ? 4 : i < firstWorkstation ? 5 : 6;
    }

    /** The i of {@link #host} for an address in dotted form. */
    static int hostIndex(String ip) {
        String[] p = ip.split("\\.");
        int subnet = Integer.parseInt(p[1]) << 8 | Integer.parseInt(p[2]);
        return subnet * 250 + Integer.parseInt(p[3]) - 1;
    }

    /** Capture time at which the given fraction of the connections has been opened. */
    static long timeAt(double fraction) {
        return T0_NANOS + (long) (fraction * SPAN_SECONDS * 1_000_000_000L);
    }

    /** Writes the capture; returns the number of frames. */
    public long write(Path file) throws IOException {
        try (PcapWriter w = new PcapWriter(file, LinkType.ETHERNET, 65_535, ByteOrder.LITTLE_ENDIAN, false)) {
            this.out = w;
            openModbusConnections();
            while (opened < flows) {
                // Keep the clock on the opens' progress so the span is the same at every scale.
                clockNanos = Math.max(clockNanos, timeAt((double) opened / flows));
                int dice = random.nextInt(100);
                if (dice < 50) {
                    open(opened++);
                } else if (dice < 75) {
                    exchange(random.nextInt(opened));
                } else if (dice < 90) {
                    dnsLookup();
                } else if (dice < 97) {
                    modbusPoll();
                } else {
                    bacnetRead();
                }
            }
            return written;
        } finally {
            out = null;
        }
    }

    // ------------------------------------------------------------------ persistent connections

    /** Connection j: workstation j mod W, its (j / W)-th connection, to a server picked by a hash of j. */
    private void open(int j) throws IOException {
        int ws = workstation(j % workstations);
        int sport = CLIENT_PORT + j / workstations;
        int s = serverOf(j);
        int srv = host(firstServer + s);
        int dport = SERVICES[s % SERVICES.length];
        int cs = random.nextInt();
        int ss = random.nextInt();
        tcp(ws, srv, VLAN_IT, sport, dport, cs, 0, SYN, 0);
        tcp(srv, ws, VLAN_IT, dport, sport, ss, cs + 1, SYN | ACK, 0);
        tcp(ws, srv, VLAN_IT, sport, dport, cs + 1, ss + 1, ACK, 0);
        clientSeq[j] = cs + 1;
        serverSeq[j] = ss + 1;
        if (dport == 22) {
            request(j, ws, srv, sport, dport, banner("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n"),
                banner("SSH-2.0-OpenSSH_8.9p1\r\n"));
        } else {
            exchange(j);
        }
    }

    /** One request and its response on open connection j, in the connection's protocol. */
    private void exchange(int j) throws IOException {
        int ws = workstation(j % workstations);
        int sport = CLIENT_PORT + j / workstations;
        int s = serverOf(j);
        int srv = host(firstServer + s);
        int dport = SERVICES[s % SERVICES.length];
        if (dport == 80) {
            int up = text(0, "GET /app/" + random.nextInt(1_000) + " HTTP/1.1\r\nHost: srv" + s
                + ".corp.example\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)\r\nAccept: */*\r\n\r\n");
            tcp(ws, srv, VLAN_IT, sport, dport, clientSeq[j], serverSeq[j], PSH | ACK, up);
            clientSeq[j] += up;
            int body = 100 + random.nextInt(400);
            int down = text(0, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body + "\r\n\r\n");
            down = fill(down, body);
            tcp(srv, ws, VLAN_IT, dport, sport, serverSeq[j], clientSeq[j], PSH | ACK, down);
            serverSeq[j] += down;
        } else {
            // TLS, PostgreSQL, RDP and SSH after the banners: opaque to the sensor beyond classification
            int up = fill(0, 60 + random.nextInt(200));
            tcp(ws, srv, VLAN_IT, sport, dport, clientSeq[j], serverSeq[j], PSH | ACK, up);
            clientSeq[j] += up;
            int down = fill(0, 100 + random.nextInt(600));
            tcp(srv, ws, VLAN_IT, dport, sport, serverSeq[j], clientSeq[j], PSH | ACK, down);
            serverSeq[j] += down;
        }
    }

    private void request(int j, int ws, int srv, int sport, int dport, byte[] up, byte[] down) throws IOException {
        System.arraycopy(up, 0, payload, 0, up.length);
        tcp(ws, srv, VLAN_IT, sport, dport, clientSeq[j], serverSeq[j], PSH | ACK, up.length);
        clientSeq[j] += up.length;
        System.arraycopy(down, 0, payload, 0, down.length);
        tcp(srv, ws, VLAN_IT, dport, sport, serverSeq[j], clientSeq[j], PSH | ACK, down.length);
        serverSeq[j] += down.length;
    }

    /** A workstation's usual servers: a hash of the connection, so nothing is stored per connection. */
    private int serverOf(int j) {
        long h = (j + 1) * 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 31;
        return (int) Long.remainderUnsigned(h, servers);
    }

    // ------------------------------------------------------------------ background traffic

    /** Each PLC has one HMI (PLC p belongs to HMI p mod H) on one long-lived connection. */
    private void openModbusConnections() throws IOException {
        for (int p = 0; p < plcs; p++) {
            int hmi = host(firstHmi + p % hmis);
            int plc = host(firstPlc + p);
            int port = 40_000 + p / hmis;
            int cs = random.nextInt();
            int ss = random.nextInt();
            tcp(hmi, plc, VLAN_OT, port, 502, cs, 0, SYN, 0);
            tcp(plc, hmi, VLAN_OT, 502, port, ss, cs + 1, SYN | ACK, 0);
            tcp(hmi, plc, VLAN_OT, port, 502, cs + 1, ss + 1, ACK, 0);
            modbusClientSeq[p] = cs + 1;
            modbusServerSeq[p] = ss + 1;
        }
    }

    private void modbusPoll() throws IOException {
        int p = random.nextInt(plcs);
        int hmi = host(firstHmi + p % hmis);
        int plc = host(firstPlc + p);
        int port = 40_000 + p / hmis;
        int tid = ++modbusTransaction & 0xFFFF;
        int quantity = 10;
        int n = DnsPayload.put16(payload, 0, tid);
        n = DnsPayload.put16(payload, n, 0);
        n = DnsPayload.put16(payload, n, 6);
        payload[n++] = 1;
        payload[n++] = 3;
        n = DnsPayload.put16(payload, n, 100 * (p % 8));
        n = DnsPayload.put16(payload, n, quantity);
        tcp(hmi, plc, VLAN_OT, port, 502, modbusClientSeq[p], modbusServerSeq[p], PSH | ACK, n);
        modbusClientSeq[p] += n;
        n = DnsPayload.put16(payload, 0, tid);
        n = DnsPayload.put16(payload, n, 0);
        n = DnsPayload.put16(payload, n, 3 + 2 * quantity);
        payload[n++] = 1;
        payload[n++] = 3;
        payload[n++] = (byte) (2 * quantity);
        for (int i = 0; i < quantity; i++) {
            n = DnsPayload.put16(payload, n, 200 + random.nextInt(50));
        }
        tcp(plc, hmi, VLAN_OT, 502, port, modbusServerSeq[p], modbusClientSeq[p], PSH | ACK, n);
        modbusServerSeq[p] += n;
    }

    /** A BMS server reads the present value of one of its controllers (controller c belongs to c mod B). */
    private void bacnetRead() throws IOException {
        int c = random.nextInt(controllers);
        int bms = host(firstBms + c % bmsServers);
        int controller = host(firstController + c);
        System.arraycopy(BACNET_READ_PROPERTY, 0, payload, 0, BACNET_READ_PROPERTY.length);
        udp(bms, controller, VLAN_BMS, 47_808, 47_808, BACNET_READ_PROPERTY.length);
        System.arraycopy(BACNET_READ_PROPERTY_ACK, 0, payload, 0, BACNET_READ_PROPERTY_ACK.length);
        udp(controller, bms, VLAN_BMS, 47_808, 47_808, BACNET_READ_PROPERTY_ACK.length);
    }

    /** A fresh source port per lookup: a short UDP flow that idles out, as a resolver's queries do. */
    private void dnsLookup() throws IOException {
        int ws = workstation(random.nextInt(workstations));
        int dns = host(random.nextInt(DNS_SERVERS));
        int port = 49_152 + (dnsPort++ & 0x3FFF);
        int id = ++dnsId & 0xFFFF;
        String name = "srv" + random.nextInt(servers) + ".corp.example";
        udp(ws, dns, VLAN_IT, port, 53, dns(id, name, false));
        udp(dns, ws, VLAN_IT, 53, port, dns(id, name, true));
    }

    private int dns(int id, String name, boolean response) {
        int answer = response ? host(firstServer + random.nextInt(servers)) : 0;
        return DnsPayload.write(payload, id, name, response, answer);
    }

    // ------------------------------------------------------------------ frames

    private void tcp(int src, int dst, int vlan, int sport, int dport, int seq, int ack, int flags, int len)
        throws IOException {
        emit(frame.tcp(mac(src), mac(dst), vlan, src, dst, sport, dport, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL,
            flags, payload, len));
    }

    private void udp(int src, int dst, int vlan, int sport, int dport, int len) throws IOException {
        emit(frame.udp(mac(src), mac(dst), vlan, src, dst, sport, dport, payload, len));
    }

    private void emit(FrameBuilder f) throws IOException {
        // A few microseconds between frames of one exchange; the opens' progress moves the clock on.
        clockNanos += 1_000 + random.nextInt(20_000);
        out.write(clockNanos, f.buffer(), 0, f.length());
        written++;
    }

    private int text(int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, payload, at, b.length);
        return at + b.length;
    }

    private int fill(int at, int n) {
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int k = 0; k < 8 && i + k < n; k++) {
                payload[at + i + k] = (byte) (v >>> (8 * k));
            }
        }
        return at + n;
    }

    private static byte[] banner(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private int workstation(int i) {
        return host(firstWorkstation + i);
    }

    /** Host i: .1 to .250 of each /24 (no network or broadcast address), the /24s of 10.0.0.0/15 in order. */
    static int host(int i) {
        int subnet = i / 250;
        return (10 << 24) | (subnet << 8) | (1 + i % 250);
    }

    /** Locally administered unicast MAC derived from the IP, so bindings are stable across runs. */
    private static long mac(int ip) {
        return 0x0200_0000_0000L | (ip & 0xFFFF_FFFFL);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
