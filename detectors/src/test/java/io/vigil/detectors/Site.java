package io.vigil.detectors;

import io.vigil.baseline.DeviceInventory;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A hand-made site for detector tests: one device shard (inventory, then the engine with the
 * detectors under test), observations built field by field as the flow workers would publish them.
 */
final class Site {
    static final long SECOND = 1_000_000_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 3600 * SECOND;
    /** 2023-11-14 22:13:20 UTC. */
    static final long T0 = 1_700_000_000L * SECOND;

    final List<Alert> alerts = new ArrayList<>();
    final DeviceInventory inventory = new DeviceInventory(10_000);
    final DetectionEngine engine;
    private final Observation o = new Observation();
    private int clientPort = 40000;

    Site(long learnNanos, Detector... detectors) {
        engine = new DetectionEngine(inventory.table(), LearningPlan.forDuration(learnNanos),
            new AlertAggregator(0, alerts::add), List.of(detectors), DetectionEngine.DEFAULT_MIN_SURPRISE_BITS);
    }

    static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private void deliver() {
        inventory.onObservation(o, true, true);
        engine.onObservation(o, true, true);
    }

    void end() {
        engine.onEndOfStream();
    }

    private void endpoints(long t, int src, int dst, int srcPort, int dstPort, int ipProto) {
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(src);
        o.dstIpLo = IpAddresses.v4MappedLo(dst);
        o.srcPort = srcPort;
        o.dstPort = dstPort;
        o.ipProto = ipProto;
        o.srcMac = 0x0000_0222_3300_0000L | (src & 0xFFFF);
        o.dstMac = 0x0000_0222_3300_0000L | (dst & 0xFFFF);
    }

    /** A connection's first packet from a fresh client port. */
    void flow(long t, int src, int dst, int port) {
        o.clear();
        o.type = ObservationType.FLOW_START;
        endpoints(t, src, dst, nextPort(), port, 6);
        o.firstSeenNanos = t;
        deliver();
    }

    /** A connection's end with its totals (and what progress observations already reported). */
    void flowEnd(long t, int client, int server, int port, long bytesToServer, long bytesToClient,
                 long reportedToServer, long reportedToClient) {
        o.clear();
        o.type = ObservationType.FLOW_END;
        endpoints(t, client, server, clientPort, port, 6);
        o.lastSeenNanos = t;
        o.packetsToServer = Math.max(1, bytesToServer / 1400);
        o.packetsToClient = Math.max(1, bytesToClient / 1400);
        o.bytesToServer = bytesToServer;
        o.bytesToClient = bytesToClient;
        o.reportedBytesToServer = reportedToServer;
        o.reportedBytesToClient = reportedToClient;
        deliver();
    }

    /** A FLOW_PROGRESS: the client's bytes to the server crossed {@code threshold} (earlier ones reported {@code before}). */
    void progress(long t, int client, int server, int port, long threshold, long before) {
        progress(t, 0, client, server, port, threshold, before);
    }

    /** As {@link #progress(long, int, int, int, long, long)} for a flow that began at {@code firstSeen}. */
    void progress(long t, long firstSeen, int client, int server, int port, long threshold, long before) {
        o.clear();
        o.firstSeenNanos = firstSeen;
        o.type = ObservationType.FLOW_PROGRESS;
        endpoints(t, client, server, clientPort, port, 6);
        o.lastSeenNanos = t;
        o.bytesToServer = threshold;
        o.reportedBytesToServer = before;
        o.packetsToServer = threshold / 1400;
        deliver();
    }

    void modbus(long t, int src, int dst, int fc, int address) {
        modbus(t, src, dst, 50000, 502, fc, address, false);
    }

    /** An OPC UA ReadRequest (binary encoding id 631) from a client to a server on port 4840. */
    void opcuaRead(long t, int client, int server) {
        o.clear();
        o.type = ObservationType.OPCUA_OP;
        o.appProtocol = AppProtocol.OPCUA;
        endpoints(t, client, server, 50000, 4840, 6);
        o.opcua.serviceId = 631;
        deliver();
    }

    /** The server's response to {@link #modbus}: from port 502 back to the master. */
    void modbusResponse(long t, int server, int master, int fc, int address) {
        modbus(t, server, master, 502, 50000, fc, address, true);
    }

    private void modbus(long t, int src, int dst, int srcPort, int dstPort, int fc, int address, boolean response) {
        o.clear();
        o.type = ObservationType.MODBUS_OP;
        o.appProtocol = AppProtocol.MODBUS;
        endpoints(t, src, dst, srcPort, dstPort, 6);
        o.modbus.functionCode = fc;
        o.modbus.isResponse = response;
        o.modbus.unitId = 1;
        o.modbus.startAddress = address;
        o.modbus.quantity = 1;
        o.modbus.valueCount = 0;
        deliver();
    }

    private int nextPort() {
        clientPort = clientPort == 65535 ? 40000 : clientPort + 1;
        return clientPort;
    }

    String describe() {
        return alerts.stream().map(a -> a.type() + " x" + a.count() + ": " + a.explanation())
            .collect(Collectors.joining("\n"));
    }

    List<AlertType> types() {
        return alerts.stream().map(Alert::type).collect(Collectors.toList());
    }

    Alert only(AlertType type) {
        List<Alert> of = alerts.stream().filter(a -> a.type() == type).collect(Collectors.toList());
        if (of.size() != 1) {
            throw new AssertionError("expected one " + type + " alert, got " + describe());
        }
        return of.get(0);
    }
}
