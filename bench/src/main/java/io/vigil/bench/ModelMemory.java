package io.vigil.bench;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceInventory;
import io.vigil.baseline.DeviceModel;
import io.vigil.detectors.AlertAggregator;
import io.vigil.detectors.DetectionEngine;
import io.vigil.detectors.LearningPlan;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap per device and per flow, measured with JOL on the real structures after a synthetic learning
 * period of {@code HOURS} for {@code DEVICES} devices (issue 4 asks for 10 000): workstations that
 * open flows to a handful of servers and resolve names, servers, PLCs polled by HMIs over Modbus
 * with reads and the odd setpoint write. Every device model is the one the sensor builds: the
 * observations go through {@link DeviceInventory} and {@link DetectionEngine} as in a device shard.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.vigil.bench.ModelMemory [DEVICES] [HOURS]}
 */
public final class ModelMemory {
    private static final long T0 = 1_764_000_000L * 1_000_000_000L;

    private ModelMemory() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        DeviceInventory inventory = new DeviceInventory(devices * 2);
        DetectionEngine engine = new DetectionEngine(inventory.table(), LearningPlan.learnOnly(),
            new AlertAggregator(0, a -> { }), List.of(), DetectionEngine.DEFAULT_MIN_SURPRISE_BITS);
        Network net = new Network(devices);
        Observation o = new Observation();
        long observations = 0;
        for (long minute = 0; minute < hours * 60L; minute++) {
            long now = T0 + minute * 60_000_000_000L;
            for (int d = 0; d < devices; d++) {
                observations += net.minuteOf(d, now, o, inventory, engine);
            }
        }
        long tableBytes = GraphLayout.parseInstance(inventory.table()).totalSize();
        long modelBytes = 0;
        long maxModel = 0;
        long[] byRole = new long[Network.ROLES.length];
        int[] roleCount = new int[Network.ROLES.length];
        for (Device d : inventory.table().devices()) {
            long b = GraphLayout.parseInstance(d.model()).totalSize();
            modelBytes += b;
            maxModel = Math.max(maxModel, b);
            int role = net.roleOf(d);
            byRole[role] += b;
            roleCount[role]++;
        }
        int n = inventory.table().size();
        System.out.printf(Locale.ROOT, "%,d devices, %d h learned, %,d observations%n", n, hours, observations);
        System.out.printf(Locale.ROOT, "device table (devices, models, index): %,d bytes = %,d bytes per device%n",
            tableBytes, tableBytes / n);
        System.out.printf(Locale.ROOT, "models alone: %,d bytes per device on average, largest %,d; bound %,d%n",
            modelBytes / n, maxModel, DeviceModel.maxBytes());
        for (int r = 0; r < byRole.length; r++) {
            if (roleCount[r] > 0) {
                System.out.printf(Locale.ROOT, "  %-12s %,6d devices, model %,7d bytes each%n", Network.ROLES[r],
                    roleCount[r], byRole[r] / roleCount[r]);
            }
        }
        flows();
    }

    /** The flow side: everything a flow worker preallocates, divided by its flow capacity. */
    private static void flows() throws Exception {
        PipelineConfig config = PipelineConfig.defaults(false);
        try (SensorSession session = new SensorSession(config, null, 1, FlowEndReason.END_OF_CAPTURE)) {
            // The workers are private to the pipeline; a measurement tool may look inside, the product need not expose them.
            java.lang.reflect.Field f = session.pipeline().getClass().getDeclaredField("flowWorkers");
            f.setAccessible(true);
            long bytes = GraphLayout.parseInstance(f.get(session.pipeline())).totalSize();
            System.out.printf(Locale.ROOT, "flow worker (flow table, reassembly, app-layer slots) for %,d flows: "
                + "%,d bytes = %d bytes per flow slot before per-protocol parser state%n", config.maxFlows(), bytes,
                bytes / config.maxFlows());
        }
    }

    /** A deterministic converged network of the given size and its minute-by-minute behaviour. */
    private static final class Network {
        static final String[] ROLES = {"workstation", "server", "plc", "hmi"};
        private final int devices;
        private final int servers;
        private final int plcs;
        private final int hmis;
        private final SplittableRandom random = new SplittableRandom(7);
        private int port = 32_768;

        Network(int devices) {
            this.devices = devices;
            this.servers = devices / 10;
            this.plcs = devices * 8 / 100;
            this.hmis = Math.max(1, devices / 50);
        }

        int roleOf(Device d) {
            int i = index(d.ip());
            return i < servers ? 1 : i < servers + plcs ? 2 : i < servers + plcs + hmis ? 3 : 0;
        }

        /** 10.(i/65536).(i/256).(i%256) with the first tenth servers, then PLCs, then HMIs, the rest workstations. */
        private static int ip(int i) {
            return (10 << 24) | (i + 256);
        }

        private static int index(String ip) {
            String[] p = ip.split("\\.");
            return ((Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3])) - 256;
        }

        int minuteOf(int d, long now, Observation o, DeviceInventory inv, DetectionEngine engine) {
            int role = d < servers ? 1 : d < servers + plcs ? 2 : d < servers + plcs + hmis ? 3 : 0;
            int n = 0;
            if (role == 0) {
                // a workstation: a few flows to its usual servers (8 of them, weighted), sometimes a new one
                for (int k = 0; k < 3; k++) {
                    int server = random.nextInt(10) == 0 ? random.nextInt(servers) : (d * 31 + k * 7) % servers;
                    int svc = new int[] {443, 445, 53, 80}[random.nextInt(4)];
                    n += flow(o, inv, engine, now + k * 1_000_000_000L, ip(d), ip(server), svc);
                }
            } else if (role == 3) {
                // an HMI: Modbus reads of its PLCs every minute (the poll itself is counted once a minute)
                for (int k = 0; k < 8; k++) {
                    int plc = servers + (d * 8 + k) % plcs;
                    if (now == T0) { // the long-lived polling connection opens once
                        base(o, ObservationType.FLOW_START, now, ip(d), ip(plc), 40_000 + (d & 0xFF), 502,
                            DecodedPacket.PROTO_TCP);
                        deliver(o, inv, engine);
                    }
                    n += modbus(o, inv, engine, now + k * 1_000_000L, ip(d), ip(plc), 3, 100 * k, 10, -1);
                    if (random.nextInt(30) == 0) {
                        n += modbus(o, inv, engine, now + k * 1_000_000L + 500, ip(d), ip(plc), 6, 40_012, 1,
                            200 + random.nextInt(20));
                    }
                }
            }
            return n;
        }

        private int flow(Observation o, DeviceInventory inv, DetectionEngine engine, long t, int src, int dst,
                         int dstPort) {
            int p = port++ & 0x7FFF | 0x8000;
            base(o, ObservationType.FLOW_START, t, src, dst, p, dstPort, DecodedPacket.PROTO_TCP);
            deliver(o, inv, engine);
            base(o, ObservationType.FLOW_END, t + 200_000_000L, src, dst, p, dstPort, DecodedPacket.PROTO_TCP);
            o.packetsToServer = 8;
            o.bytesToServer = 1_200;
            o.packetsToClient = 10;
            o.bytesToClient = 9_000;
            o.firstSeenNanos = t;
            o.lastSeenNanos = t + 200_000_000L;
            o.endReason = FlowEndReason.TCP_CLOSED;
            deliver(o, inv, engine);
            return 2;
        }

        private int modbus(Observation o, DeviceInventory inv, DetectionEngine engine, long t, int src, int dst,
                           int function, int address, int quantity, int value) {
            base(o, ObservationType.MODBUS_OP, t, src, dst, 40_000 + (src & 0xFF), 502, DecodedPacket.PROTO_TCP);
            o.appProtocol = AppProtocol.MODBUS;
            o.modbus.functionCode = function;
            o.modbus.startAddress = address;
            o.modbus.quantity = quantity;
            o.modbus.valueCount = 0;
            if (value >= 0) {
                o.modbus.values[0] = value;
                o.modbus.valueCount = 1;
            }
            deliver(o, inv, engine);
            return 1;
        }

        private static void base(Observation o, ObservationType type, long t, int src, int dst, int srcPort,
                                 int dstPort, int proto) {
            o.clear();
            o.type = type;
            o.timestampNanos = t;
            o.srcIpHi = IpAddresses.V4_MAPPED_HI;
            o.srcIpLo = IpAddresses.v4MappedLo(src);
            o.dstIpHi = IpAddresses.V4_MAPPED_HI;
            o.dstIpLo = IpAddresses.v4MappedLo(dst);
            o.srcMac = 0x0200_0000_0000L | (src & 0xFFFFFFL);
            o.dstMac = 0x0200_0000_0000L | (dst & 0xFFFFFFL);
            o.srcPort = srcPort;
            o.dstPort = dstPort;
            o.ipProto = proto;
        }

        private static void deliver(Observation o, DeviceInventory inv, DetectionEngine engine) {
            inv.onObservation(o, true, true);
            engine.onObservation(o, true, true);
        }
    }
}
