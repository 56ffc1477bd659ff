package io.vigil.sensor.pipeline;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceInventory;
import io.vigil.detectors.AlertAggregator;
import io.vigil.detectors.BeaconDetector;
import io.vigil.detectors.BruteForceDetector;
import io.vigil.detectors.CrossZoneDetector;
import io.vigil.detectors.OtZones;
import io.vigil.detectors.PollingDetector;
import io.vigil.detectors.RequestFloodDetector;
import io.vigil.detectors.VolumeDetector;
import io.vigil.detectors.ArpSpoofingDetector;
import io.vigil.detectors.ScanDetector;
import io.vigil.detectors.ShadowAiDetector;
import io.vigil.detectors.DetectionEngine;
import io.vigil.detectors.Detector;
import io.vigil.detectors.DnsAbuseDetector;
import io.vigil.detectors.IndustrialOperationDetector;
import io.vigil.detectors.InsecureSessionDetector;
import io.vigil.detectors.LearningPlan;
import io.vigil.detectors.NaiveNoveltyDetector;
import io.vigil.detectors.NewDeviceDetector;
import io.vigil.detectors.NewPeerDetector;
import io.vigil.detectors.NewServiceDetector;
import io.vigil.detectors.ProtocolExploitDetector;
import io.vigil.detectors.ValueRangeDetector;
import io.vigil.export.flows.FlowLogWriter;
import io.vigil.export.flows.FlowPublisher;
import io.vigil.export.inventory.AssetPublisher;
import io.vigil.export.inventory.Inventory;
import io.vigil.export.inventory.MacSharing;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.sensor.metrics.LatencyHistogram;
import io.vigil.sensor.metrics.ShardAlertCounter;
import io.vigil.sensor.model.LearningWindow;
import io.vigil.sensor.model.ModelFileException;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.stats.RunSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the sensor: the pipeline with its per-shard device inventories and optional flow
 * log, wired the same way for replay and live capture.
 */
public final class SensorSession implements AutoCloseable {
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    private final Pipeline pipeline;
    private final List<DeviceInventory> inventories = new ArrayList<>();
    private final List<DetectionEngine> engines = new ArrayList<>();
    /** One per shard when asset changes are published, else empty. */
    private final List<AssetPublisher> assetPublishers = new ArrayList<>();
    /** One per shard with --kafka-flows, else empty. */
    private final List<FlowPublisher> flowPublishers = new ArrayList<>();
    private final List<ShardAlertCounter> alertCounters = new ArrayList<>();
    private final LatencyHistogram captureToAlert = new LatencyHistogram();
    private final LatencyHistogram captureToOutput = new LatencyHistogram();
    private final AlertOutput alertOutput;
    private final FlowLogWriter flowLog;
    private final long startNanos = System.nanoTime();
    private final LearningPlan plan;
    /** What a loaded model had learned before this run, or null. */
    private LearningWindow prior;
    private boolean started;
    private boolean drained;

    public SensorSession(PipelineConfig config, Path flowLogFile, int producers, FlowEndReason endReason)
        throws IOException {
        this(config, flowLogFile, null, producers, endReason);
    }

    /** With {@code detection} null the run learns only: inventory and models are built, nothing is alerted. */
    public SensorSession(PipelineConfig config, Path flowLogFile, DetectionSetup detection, int producers,
                         FlowEndReason endReason) throws IOException {
        this(config, flowLogFile, detection, null, producers, endReason);
    }

    /**
     * With {@code kafka} non-null each shard publishes its devices as they appear or change (see
     * {@link AssetPublisher}) and, when it names a flows topic, its ended flows ({@link FlowPublisher}).
     */
    public SensorSession(PipelineConfig config, Path flowLogFile, DetectionSetup detection, KafkaRecords kafka,
                         int producers, FlowEndReason endReason) throws IOException {
        this.flowLog = flowLogFile == null ? null : new FlowLogWriter(flowLogFile);
        DetectionSetup d = detection != null ? detection
            : new DetectionSetup(LearningPlan.learnOnly(), DetectionEngine.DEFAULT_MIN_SURPRISE_BITS, alert -> { });
        this.plan = d.plan();
        OtZones zones = new OtZones(); // one site, one set of OT subnets across the shards
        this.alertOutput = new AlertOutput(d.sink(), captureToOutput);
        for (int i = 0; i < config.deviceShards(); i++) {
            DeviceInventory inventory = new DeviceInventory(config.maxDevices());
            inventories.add(inventory);
            ShardAlertCounter counter = new ShardAlertCounter(alertOutput, captureToAlert.newWriter());
            alertCounters.add(counter);
            engines.add(new DetectionEngine(inventory.table(), d.plan(), new AlertAggregator(i, counter),
                d.naive() ? List.of(new NaiveNoveltyDetector()) : detectors(inventory, zones), d.minSurpriseBits()));
        }
        if (kafka != null) {
            MacSharing sharing = new MacSharing(config.deviceShards());
            for (int i = 0; i < config.deviceShards(); i++) {
                assetPublishers.add(new AssetPublisher(i, inventories.get(i).table(), sharing, kafka.sink(),
                    kafka.assetsTopic(), kafka.intervalNanos()));
                if (kafka.flowsTopic() != null) {
                    flowPublishers.add(new FlowPublisher(kafka.sink(), kafka.flowsTopic()));
                }
            }
        }
        this.pipeline = new Pipeline(config, this::handlersFor, producers, endReason);
    }

    /** Every detector of the product, in the order their alerts should appear for one observation. */
    private static List<Detector> detectors(DeviceInventory inventory, OtZones zones) {
        return List.of(new NewDeviceDetector(inventory.table()), new NewPeerDetector(), new CrossZoneDetector(zones),
            new IndustrialOperationDetector(), new ValueRangeDetector(), new ArpSpoofingDetector(), new ScanDetector(),
            new NewServiceDetector(), new ShadowAiDetector(), new InsecureSessionDetector(),
            new DnsAbuseDetector(), new BeaconDetector(), new BruteForceDetector(), new RequestFloodDetector(),
            new VolumeDetector(), new PollingDetector(), new ProtocolExploitDetector());
    }

    private List<ObservationHandler> handlersFor(int shard) {
        List<ObservationHandler> handlers = new ArrayList<>();
        handlers.add(alertCounters.get(shard)); // first: notes the packet's arrival before any detector alerts
        handlers.add(inventories.get(shard));
        handlers.add(engines.get(shard)); // after the inventory, which creates the devices
        if (!assetPublishers.isEmpty()) {
            handlers.add(assetPublishers.get(shard)); // after the engine, whose models role inference reads
        }
        if (flowLog != null) {
            handlers.add(flowLog);
        }
        if (!flowPublishers.isEmpty()) {
            handlers.add(flowPublishers.get(shard));
        }
        return handlers;
    }

    /**
     * Makes alert ids unique to this run (a random 16-bit node in each id) instead of reproducible:
     * for live capture, whose ids must not repeat after a restart without a model file.
     */
    public void uniqueAlertIds(java.util.random.RandomGenerator random) {
        int node = 1 + random.nextInt(0xFFFF);
        for (DetectionEngine e : engines) {
            e.alerts().runNode(node);
        }
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Each device shard's alert counts, for the metrics endpoint. */
    public List<ShardAlertCounter> alertCounters() {
        return alertCounters;
    }

    /** From a packet's arrival in the sensor to the alert it raised, every alert a packet raised. */
    public LatencyHistogram captureToAlert() {
        return captureToAlert;
    }

    /** From a packet's arrival in the sensor to its alert written to every output (spool, file, console). */
    public LatencyHistogram captureToOutput() {
        return captureToOutput;
    }

    /**
     * Device-table entries over all shards while the run goes on: devices plus addresses only ever sent to.
     * Each table's size is a plain int written by its shard thread; a racy read is at worst a moment old.
     */
    public long deviceTableEntries() {
        long n = 0;
        for (DeviceInventory inv : inventories) {
            n += inv.table().size();
        }
        return n;
    }

    public void start() {
        started = true;
        alertOutput.start();
        pipeline.start();
    }

    /** Drains the pipeline and fills what it knows into the summary. */
    public void finish(RunSummary summary) throws InterruptedException {
        drained = pipeline.finish(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        summary.wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        if (!drained) {
            summary.problems.add("pipeline did not drain within " + DRAIN_TIMEOUT_SECONDS + " s; counts are partial");
        }
        if (!alertOutput.drain(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            summary.problems.add("alerts still being written after " + DRAIN_TIMEOUT_SECONDS + " s; outputs are partial");
        }
        if (alertOutput.failures() > 0) {
            summary.problems.add(alertOutput.failures() + " alert(s) not written to every output (first: "
                + alertOutput.firstFailure() + ")");
        }
        summary.packetsProcessed = pipeline.packetsProcessed();
        summary.decode = pipeline.decodeCounters();
        summary.app = pipeline.appCounters();
        summary.tcpReassembly = pipeline.tcpReassembly();
        summary.flows = pipeline.flowsStarted();
        summary.flowsActiveAtEnd = pipeline.activeFlows();
        summary.flowsPeak = pipeline.peakActiveFlows();
        summary.flowEvictions = pipeline.flowEvictions();
        summary.flowOverflows = pipeline.flowOverflows();
        summary.flowTableBytes = pipeline.flowTableBytes();
        summary.ringDrops = pipeline.ringDrops();
        summary.oversizedFrames = pipeline.oversizedFrames();
        summary.handlerErrors = pipeline.handlerErrors();
        summary.observations = pipeline.observations();
        long devices = 0;
        long silent = 0;
        long overflows = 0;
        for (DeviceInventory inv : inventories) {
            for (Device d : inv.table().devices()) {
                if (d.sentAnything()) {
                    devices++;
                } else {
                    silent++;
                }
            }
            overflows += inv.table().overflows();
        }
        summary.devices = devices;
        summary.silentAddresses = silent;
        summary.deviceOverflows = overflows;
        long alerts = 0;
        for (DetectionEngine e : engines) {
            alerts += e.alerts().raised();
        }
        summary.alerts = alerts;
        if (drained && !assetPublishers.isEmpty()) {
            // The shard threads are done (their writes visible through the drain): publish what changed
            // since their last walk, with roles from the exact cross-shard MAC counts.
            Inventory inventory = inventory();
            for (AssetPublisher p : assetPublishers) {
                p.flush(inventory);
            }
        } else if (!assetPublishers.isEmpty()) {
            summary.problems.add("asset changes since the shards' last walk not published: the pipeline did not drain");
        }
    }

    /** Asset records handed to the sink, across shards; after {@link #finish}. */
    public long assetRecordsSent() {
        long n = 0;
        for (AssetPublisher p : assetPublishers) {
            n += p.sent();
        }
        return n;
    }

    /** The asset inventory across all shards; call after {@link #finish}. */
    public Inventory inventory() {
        List<Device> all = new ArrayList<>();
        for (DeviceInventory inv : inventories) {
            all.addAll(inv.table().devices());
        }
        return new Inventory(all);
    }

    /**
     * Puts a loaded model's devices and shard-wide detector state in place; call before {@link #start}.
     * Each device goes to the shard that owns it under this run's shard count; detector state goes to
     * the same shard when the count is unchanged and is merged into every shard otherwise.
     */
    public void restore(SavedModel model) throws ModelFileException {
        if (started) {
            throw new IllegalStateException("restore before start: the shard threads own the tables");
        }
        int shards = inventories.size();
        for (Device d : model.devices()) {
            int shard = shardOf(d, shards);
            if (!inventories.get(shard).table().add(d)) {
                throw new ModelFileException("cannot load model: device " + d.id() + " does not fit (more than "
                    + "--max-devices per shard, or listed twice)");
            }
        }
        try {
            for (int i = 0; i < shards; i++) {
                if (model.shards() == shards) {
                    engines.get(i).readStateFrom(new DataInputStream(new ByteArrayInputStream(model.shardStates().get(i))));
                } else {
                    for (byte[] state : model.shardStates()) {
                        engines.get(i).readStateFrom(new DataInputStream(new ByteArrayInputStream(state)));
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelFileException("cannot load model: corrupt detector state (" + e.getMessage() + ")");
        }
        prior = model.learning();
    }

    /**
     * What the models have learned from, counting a loaded model's learning; call after {@link #finish}.
     * Learning counts as ended when this run judged observations; a run that saw nothing keeps the
     * loaded model's window as it was.
     */
    public LearningWindow learningWindow() {
        long last = LearningWindow.NONE;
        boolean detected = false;
        for (DetectionEngine e : engines) {
            last = Math.max(last, e.lastLearnedNanos());
            detected |= e.detected();
        }
        if (prior != null) {
            if (last == LearningWindow.NONE && !detected) {
                return prior;
            }
            last = Math.max(last, prior.lastLearnedNanos());
        }
        long start = plan.started() ? plan.startNanos() : LearningWindow.NONE;
        return new LearningWindow(start, last, plan.endNanos(), detected);
    }

    /** The shard that owns a device under {@code shards} device shards. */
    public static int shardOf(Device d, int shards) {
        return DeviceShard.shardOf(d.vlan(), d.ipHi(), d.ipLo(), shards);
    }

    /**
     * The learned state for a model file; call after {@link #finish}, when the shard threads are done
     * (their last writes are visible through the drain), and only if the pipeline drained.
     */
    public SavedModel model(String sensorVersion) throws ModelFileException {
        if (!drained) {
            throw new ModelFileException("model not saved: the pipeline did not drain, so the shards may still be "
                + "changing it");
        }
        List<byte[]> states = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        try {
            for (int i = 0; i < engines.size(); i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                engines.get(i).writeStateTo(new DataOutputStream(bytes));
                states.add(bytes.toByteArray());
                devices.addAll(inventories.get(i).table().devices());
            }
        } catch (IOException e) {
            throw new ModelFileException("model not saved: " + e.getMessage());
        }
        return new SavedModel(sensorVersion, System.currentTimeMillis(), learningWindow(), states, devices, 0);
    }

    public List<DeviceInventory> inventories() {
        return inventories;
    }

    @Override
    public void close() throws IOException {
        try {
            alertOutput.close(); // a session closed without finish(): still write what was raised
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (flowLog != null) {
            flowLog.close();
        }
    }
}
