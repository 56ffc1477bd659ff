package io.vigil.bench;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceInventory;
import io.vigil.baseline.DeviceModel;
import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;
import io.vigil.detectors.AlertType;
import io.vigil.detectors.DetectionEngine;
import io.vigil.detectors.LearningPlan;
import io.vigil.protocols.app.AppLayer;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.openjdk.jol.info.GraphLayout;

/**
 * Issue 6, "Scale": the whole pipeline (every decoder, flows, device models, every detector, learning
 * then detecting) on a capture of {@code DEVICES} devices holding {@code FLOWS} TCP connections open at
 * once (written once by {@link ScaleTrafficGenerator}, cached under bench/out/). Reports throughput,
 * the flow table's peak, evictions, devices, heap after a full GC with every flow live and again at the
 * end, the process's RSS, capture-to-decode latency, and whether the heap stayed within the bound the
 * sizing guide documents (deploy/README.md, from the JOL figures in bench/RESULTS.md).
 *
 * <p>Usage: {@code java -Xmx2g -XX:+UseParallelGC -Djdk.attach.allowAttachSelf=true -cp bench/target/benchmarks.jar
 * io.vigil.bench.ScaleBenchmark [DEVICES] [FLOWS] [MAX_FLOWS] [FILE]} (defaults 100 000, 1 000 000, 2 097 152,
 * bench/out/scale-DEVICES-FLOWS.pcap). The attach flag lets JOL size the models exactly.
 */
public final class ScaleBenchmark {
    /** Documented per-device heap, typical: {@code ModelMemory} (bench/RESULTS.md, "Memory per device"). */
    static final long BYTES_PER_DEVICE = 4_792;
    /** Documented per-flow-slot heap of a flow worker, allocated up front ({@code ModelMemory}). */
    static final long BYTES_PER_FLOW_SLOT = 214;
    /** Packet ring slots start at 2 KiB each. */
    static final long BYTES_PER_RING_SLOT = 2_048;
    /**
     * What a started sensor holds besides flow slots, ring and devices (observation ring, vendor table,
     * detectors' fixed state): the empty sensor's heap less slots and ring, measured here (~30 MB).
     */
    static final long FIXED_BYTES = 32L << 20;
    /** Learning ends two thirds of the way: the last third of the opens is judged by the detectors. */
    static final double LEARN_FRACTION = 2.0 / 3;

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int flows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int maxFlows = args.length > 2 ? Integer.parseInt(args[2]) : 2_097_152;
        Path file = Path.of(args.length > 3 ? args[3] : "bench/out/scale-" + devices + "-" + flows + ".pcap");
        if (!Files.exists(file)) {
            generate(file, devices, flows);
        }
        PipelineConfig config = PipelineConfig.defaults(false).withMaxFlows(maxFlows);
        System.out.printf(Locale.ROOT, "capture %s, %,d bytes; %,d devices, %,d persistent flows; --max-flows %,d, "
                + "--max-devices %,d, 1 flow worker, 1 device shard; max heap %,d MB; %d cores%n", file,
            Files.size(file), devices, flows, maxFlows, config.maxDevices(),
            Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        long[] empty = emptySensorHeap(config);
        AlertCounts alerts = new AlertCounts();
        alerts.layout(new ScaleTrafficGenerator(devices, 0, 1));
        long learnUntil = ScaleTrafficGenerator.timeAt(LEARN_FRACTION);
        DetectionSetup detection = new DetectionSetup(LearningPlan.until(learnUntil),
            DetectionEngine.DEFAULT_MIN_SURPRISE_BITS, alerts);
        RunSummary summary = new RunSummary();
        summary.mode = "replay";
        long heapLive;
        long heapEnd;
        double seconds;
        FileReplay replay;
        Histogram decode;
        Histogram alert;
        try (SensorSession session = new SensorSession(config, null, detection, 1, FlowEndReason.END_OF_CAPTURE)) {
            long t0 = System.nanoTime();
            session.start();
            replay = new FileReplay(session.pipeline(), ReplaySpeed.MAX, () -> false);
            replay.replay(List.of(file));
            // Every frame read; wait for the workers to take the rest of the ring, so the flows are all live.
            while (session.pipeline().packetsProcessed() < replay.packets()) {
                Thread.sleep(1);
            }
            long replayed = System.nanoTime();
            long activeBeforeFinish = session.pipeline().activeFlows();
            // CPU the pipeline threads used for the packets (before the end-of-capture flush): on a shared box
            // at nice 19 wall time says how much CPU we were given, CPU time what the work costs.
            String cpu = pipelineCpu(replay.packets(), replayed - t0);
            heapLive = heapAfterFullGc();
            long gcPause = System.nanoTime() - replayed;
            session.finish(summary);
            // The full GC above stopped the pipeline too; its time is not the sensor's.
            seconds = (System.nanoTime() - t0 - gcPause) / 1e9;
            decode = session.pipeline().captureToDecode().snapshot();
            alert = session.captureToAlert().snapshot();
            heapEnd = heapAfterFullGc();
            long workersEnd = flowWorkerBytes(session);
            System.out.printf(Locale.ROOT, "learning: %s; flows live when the last frame was decoded: %,d%n",
                session.learningWindow().text(), activeBeforeFinish);
            report(summary, replay, seconds, config, decode, alert, alerts, empty[0], heapLive, heapEnd);
            long pool = workersEnd - empty[1];
            System.out.printf(Locale.ROOT, "JOL: flow workers %,d MB empty, %,d MB after the run: %,d MB kept by "
                    + "the TCP reassembly pool and per-slot parsers; so per device-table entry, without it: %,d B%n",
                empty[1] >> 20, workersEnd >> 20, pool >> 20,
                (heapEnd - empty[0] - pool) / Math.max(1, session.deviceTableEntries()));
            System.out.println(cpu);
            modelsByRole(session, devices);
            if (Boolean.getBoolean("scale.jol.tables")) {
                tablesAndDetectors(session);
            }
        }
    }

    private static void generate(Path file, int devices, int flows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        long t0 = System.nanoTime();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        long n = new ScaleTrafficGenerator(devices, flows, 1).write(partial);
        Files.move(partial, file); // a generation cut short is not mistaken for the capture next time
        System.out.printf(Locale.ROOT, "generated %,d packets (%,d bytes) in %.1f s; the measured run is the next "
            + "one (this JVM did the generating)%n", n, Files.size(file), (System.nanoTime() - t0) / 1e9);
    }

    private static void report(RunSummary s, FileReplay replay, double seconds, PipelineConfig config,
                               Histogram decode, Histogram alert, AlertCounts alerts, long heapEmpty, long heapLive,
                               long heapEnd)
        throws IOException {
        System.out.printf(Locale.ROOT, "packets %,d in %.2f s = %,.0f packets/s (%,.1f Mbit/s of %,.0f-byte frames)%n",
            replay.packets(), seconds, replay.packets() / seconds, replay.bytes() * 8 / seconds / 1e6,
            (double) replay.bytes() / replay.packets());
        System.out.printf(Locale.ROOT, "flows %,d started, peak %,d at once, %,d evicted, %,d table-full; "
                + "ring drops %d, handler errors %d%n", s.flows, s.flowsPeak, s.flowEvictions, s.flowOverflows,
            s.ringDrops, s.handlerErrors);
        System.out.printf(Locale.ROOT, "devices %,d (+ %,d silent addresses, %d over --max-devices), observations %,d, "
            + "malformed %d%n", s.devices, s.silentAddresses, s.deviceOverflows, s.observations,
            s.decode.malformedTotal());
        System.out.printf(Locale.ROOT, "alerts %,d raised after learning: %s%n", s.alerts, alerts);
        System.out.println("tcp reassembly " + s.tcpReassembly);
        StringBuilder app = new StringBuilder("app layer (flows / pdus / reassembly lost):");
        s.app.byProtocol().forEach((name, v) -> {
            if (v[3] > 0 || v[0] > 0) {
                app.append(String.format(Locale.ROOT, " %s %,d / %,d / %,d;", name, v[3], v[0], v[5]));
            }
        });
        System.out.println(app);
        System.out.printf(Locale.ROOT, "capture-to-decode (1 in 64 packets, %,d samples): p50 %s  p99 %s  p99.9 %s  "
            + "max %s%n", decode.getTotalCount(), micros(decode, 50), micros(decode, 99), micros(decode, 99.9),
            micros(decode.getMaxValue()));
        if (alert.getTotalCount() > 0) {
            System.out.printf(Locale.ROOT, "capture-to-alert (%,d alerts): p50 %s  p99 %s  max %s%n",
                alert.getTotalCount(), micros(alert, 50), micros(alert, 99), micros(alert.getMaxValue()));
        }
        long devices = s.devices + s.silentAddresses;
        long deviceBound = devices * BYTES_PER_DEVICE;
        long flowBound = (long) config.maxFlows() * config.flowWorkers() * BYTES_PER_FLOW_SLOT;
        long ringBound = config.ringSize() * BYTES_PER_RING_SLOT;
        long bound = deviceBound + flowBound + ringBound;
        System.out.printf(Locale.ROOT, "documented bound: %,d device-table entries x %,d B + %,d flow slots x %d B + "
                + "ring %,d x %,d B = %,d MB%n", devices, BYTES_PER_DEVICE, config.maxFlows(), BYTES_PER_FLOW_SLOT,
            config.ringSize(), BYTES_PER_RING_SLOT, bound >> 20);
        long pool = config.flowWorkers() * AppLayer.DEFAULT_TOTAL_BUFFER;
        long hardBound = bound + FIXED_BYTES + pool;
        System.out.printf(Locale.ROOT, "heap after full GC, every flow live: %,d MB (%s); at the end, flows flushed: "
            + "%,d MB%n", heapLive >> 20, heapLive <= bound ? "within bound" : "OVER the bound", heapEnd >> 20);
        System.out.printf(Locale.ROOT, "with the fixed %,d MB and the TCP reassembly pool's cap (%,d MB per flow worker, "
                + "idle buffers included) the bound is %,d MB: %s%n", FIXED_BYTES >> 20, pool >> 20, hardBound >> 20,
            heapLive <= hardBound ? "within" : "OVER");
        System.out.printf(Locale.ROOT, "measured: empty sensor (same config, no packet) %,d MB (flow slots + ring "
                + "documented at %,d MB); per device-table entry (end - empty) / entries = %,d B (documented %,d); "
                + "per live flow beyond its slot (every-flow-live - end) / peak = %,d B%n", heapEmpty >> 20,
            (flowBound + ringBound) >> 20, (heapEnd - heapEmpty) / Math.max(1, devices), BYTES_PER_DEVICE,
            (heapLive - heapEnd) / Math.max(1, s.flowsPeak));
        System.out.printf(Locale.ROOT, "process RSS %,d MB now, peak %,d MB (VmHWM)%n", procStatusKb("VmRSS") >> 10,
            procStatusKb("VmHWM") >> 10);
    }

    /**
     * JOL over the learned models by role (every non-workstation, one workstation in 20): says which
     * devices the per-device figure comes from. Run with -Djdk.attach.allowAttachSelf=true for exact sizes.
     */
    private static void modelsByRole(SensorSession session, int devices) {
        ScaleTrafficGenerator layout = new ScaleTrafficGenerator(devices, 0, 1); // the address plan only
        int roles = ScaleTrafficGenerator.ROLES.length;
        long[] bytes = new long[roles];
        long[] largest = new long[roles];
        int[] count = new int[roles];
        for (DeviceInventory inv : session.inventories()) {
            for (Device d : inv.table().devices()) {
                int i = ScaleTrafficGenerator.hostIndex(d.ip());
                int role = layout.role(i);
                if (role == roles - 1 && i % 20 != 0) {
                    continue;
                }
                long b = GraphLayout.parseInstance(d.model()).totalSize();
                bytes[role] += b;
                largest[role] = Math.max(largest[role], b);
                count[role]++;
            }
        }
        StringBuilder line = new StringBuilder("model per role (JOL), average / largest:");
        for (int r = 0; r < roles; r++) {
            if (count[r] > 0) {
                line.append(String.format(Locale.ROOT, " %s %,d / %,d B (%,d);", ScaleTrafficGenerator.ROLES[r],
                    bytes[r] / count[r], largest[r], count[r]));
            }
        }
        System.out.println(line.append(" bound ").append(String.format(Locale.ROOT, "%,d B", DeviceModel.maxBytes())));
    }

    /**
     * JOL over each shard's device table and over its detection engine (which reaches the same table):
     * the difference is the detectors' own per-device and shard-wide state. Walks every object, so it is
     * slow and memory-hungry at 100 000 devices; opt in with -Dscale.jol.tables=true.
     */
    private static void tablesAndDetectors(SensorSession session) throws ReflectiveOperationException {
        // The engines are private to the session; a measurement tool may look inside, the product need not expose them.
        java.lang.reflect.Field f = SensorSession.class.getDeclaredField("engines");
        f.setAccessible(true);
        long table = 0;
        for (DeviceInventory inv : session.inventories()) {
            table += GraphLayout.parseInstance(inv.table()).totalSize();
        }
        long all = GraphLayout.parseInstance(session.inventories(), f.get(session)).totalSize();
        long entries = Math.max(1, session.deviceTableEntries());
        long workers = flowWorkerBytes(session);
        int slots = session.pipeline().config().maxFlows() * session.pipeline().config().flowWorkers();
        System.out.printf(Locale.ROOT, "JOL: device tables %,d B = %,d B per entry; detectors beyond the tables %,d B "
                + "= %,d B per entry; flow workers after the run %,d B = %d B per flow slot%n", table, table / entries,
            all - table, (all - table) / entries, workers, workers / slots);
    }

    /**
     * Heap of a started sensor with this config that has seen nothing (preallocated tables, rings, fixed
     * state), and the part of it its flow workers hold (JOL).
     */
    private static long[] emptySensorHeap(PipelineConfig config) throws Exception {
        long[] heap = new long[2];
        try (SensorSession session = new SensorSession(config, null, 1, FlowEndReason.END_OF_CAPTURE)) {
            session.start();
            heap[0] = heapAfterFullGc();
            heap[1] = flowWorkerBytes(session);
            session.finish(new RunSummary());
        }
        heapAfterFullGc(); // its tables go before the measured run allocates its own
        return heap;
    }

    /** CPU time of the pipeline's threads and of the whole process so far, and packets per CPU second. */
    private static String pipelineCpu(long packets, long wallNanos) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder b = new StringBuilder("CPU while replaying (wall ").append(String.format(Locale.ROOT, "%.2f s",
            wallNanos / 1e9)).append("):");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("vigil-flow") || t.getName().startsWith("vigil-device")) {
                long ns = threads.getThreadCpuTime(t.getId());
                b.append(String.format(Locale.ROOT, " %s %.2f s (%,.0f packets per CPU second);", t.getName(),
                    ns / 1e9, packets / (ns / 1e9)));
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            b.append(String.format(Locale.ROOT, " whole process so far %.2f s (reader, JIT, GC, the empty-sensor measurement)",
                os.getProcessCpuTime() / 1e9));
        }
        return b.toString();
    }

    private static long flowWorkerBytes(SensorSession session) throws ReflectiveOperationException {
        // The workers are private to the pipeline; a measurement tool may look inside, the product need not expose them.
        java.lang.reflect.Field w = session.pipeline().getClass().getDeclaredField("flowWorkers");
        w.setAccessible(true);
        return GraphLayout.parseInstance(w.get(session.pipeline())).totalSize();
    }

    private static long heapAfterFullGc() {
        System.gc(); // a full collection with ParallelGC and G1 alike (unless -XX:+DisableExplicitGC)
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A line of /proc/self/status in kB (Linux), or -1 where there is none. */
    private static long procStatusKb(String key) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static String micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : micros(h.getValueAtPercentile(percentile));
    }

    private static String micros(long us) {
        return us >= 10_000 ? String.format(Locale.ROOT, "%.1f ms", us / 1e3) : us + " µs";
    }

    /** Alerts by type and by the role of the alerted device, with one explanation per type as a sample. */
    private static final class AlertCounts implements AlertSink {
        private final Map<String, Long> byTypeAndRole = new java.util.TreeMap<>();
        private final Map<AlertType, String> sample = new EnumMap<>(AlertType.class);
        private ScaleTrafficGenerator layout;

        /** The address plan, to name roles; before the run starts. */
        void layout(ScaleTrafficGenerator plan) {
            this.layout = plan;
        }

        @Override
        public synchronized void onAlert(Alert alert) {
            String ip = alert.device() == null ? null : alert.device().ip();
            String role = ip == null || !ip.startsWith("10.") ? "other"
                : ScaleTrafficGenerator.ROLES[layout.role(ScaleTrafficGenerator.hostIndex(ip))];
            byTypeAndRole.merge(alert.type().name().toLowerCase(Locale.ROOT) + " on " + role, 1L, Long::sum);
            sample.putIfAbsent(alert.type(), alert.explanation());
        }

        @Override
        public synchronized String toString() {
            StringBuilder b = new StringBuilder(byTypeAndRole.isEmpty() ? "none" : byTypeAndRole.toString());
            sample.forEach((type, text) -> b.append(System.lineSeparator()).append("  e.g. ").append(text));
            return b.toString();
        }
    }
}
