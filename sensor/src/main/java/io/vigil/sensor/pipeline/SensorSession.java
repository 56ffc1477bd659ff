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
import io.vigil.detectors.NewDeviceDetector;
import io.vigil.detectors.NewPeerDetector;
import io.vigil.detectors.NewServiceDetector;
import io.vigil.detectors.ValueRangeDetector;
import io.vigil.export.flows.FlowLogWriter;
import io.vigil.export.inventory.Inventory;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.sensor.stats.RunSummary;
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
    private final FlowLogWriter flowLog;
    private final long startNanos = System.nanoTime();

    public SensorSession(PipelineConfig config, Path flowLogFile, int producers, FlowEndReason endReason)
        throws IOException {
        this(config, flowLogFile, null, producers, endReason);
    }

    /** With {@code detection} null the run learns only: inventory and models are built, nothing is alerted. */
    public SensorSession(PipelineConfig config, Path flowLogFile, DetectionSetup detection, int producers,
                         FlowEndReason endReason) throws IOException {
        this.flowLog = flowLogFile == null ? null : new FlowLogWriter(flowLogFile);
        DetectionSetup learnOnly = new DetectionSetup(LearningPlan.learnOnly(), DetectionEngine.DEFAULT_MIN_SURPRISE_BITS,
            alert -> { });
        OtZones zones = new OtZones(); // one site, one set of OT subnets across the shards
        for (int i = 0; i < config.deviceShards(); i++) {
            DeviceInventory inventory = new DeviceInventory(config.maxDevices());
            inventories.add(inventory);
            DetectionSetup d = detection != null ? detection : learnOnly;
            engines.add(new DetectionEngine(inventory.table(), d.plan(), new AlertAggregator(i, d.sink()),
                detectors(inventory, zones), d.minSurpriseBits()));
        }
        this.pipeline = new Pipeline(config, this::handlersFor, producers, endReason);
    }

    /** Every detector of the product, in the order their alerts should appear for one observation. */
    private static List<Detector> detectors(DeviceInventory inventory, OtZones zones) {
        return List.of(new NewDeviceDetector(inventory.table()), new NewPeerDetector(), new CrossZoneDetector(zones),
            new IndustrialOperationDetector(), new ValueRangeDetector(), new ArpSpoofingDetector(), new ScanDetector(),
            new NewServiceDetector(), new ShadowAiDetector(), new InsecureSessionDetector(),
            new DnsAbuseDetector(), new BeaconDetector(), new BruteForceDetector(), new RequestFloodDetector(),
            new VolumeDetector(), new PollingDetector());
    }

    private List<ObservationHandler> handlersFor(int shard) {
        List<ObservationHandler> handlers = new ArrayList<>();
        handlers.add(inventories.get(shard));
        handlers.add(engines.get(shard)); // after the inventory, which creates the devices
        if (flowLog != null) {
            handlers.add(flowLog);
        }
        return handlers;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public void start() {
        pipeline.start();
    }

    /** Drains the pipeline and fills what it knows into the summary. */
    public void finish(RunSummary summary) throws InterruptedException {
        boolean drained = pipeline.finish(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        summary.wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        if (!drained) {
            summary.problems.add("pipeline did not drain within " + DRAIN_TIMEOUT_SECONDS + " s; counts are partial");
        }
        summary.packetsProcessed = pipeline.packetsProcessed();
        summary.decode = pipeline.decodeCounters();
        summary.app = pipeline.appCounters();
        summary.tcpReassembly = pipeline.tcpReassembly();
        summary.flows = pipeline.flowsStarted();
        summary.flowsActiveAtEnd = pipeline.activeFlows();
        summary.flowEvictions = pipeline.flowEvictions();
        summary.flowOverflows = pipeline.flowOverflows();
        summary.flowTableBytes = pipeline.flowTableBytes();
        summary.ringDrops = pipeline.ringDrops();
        summary.oversizedFrames = pipeline.oversizedFrames();
        summary.handlerErrors = pipeline.handlerErrors();
        summary.observations = pipeline.observations();
        long devices = 0;
        long overflows = 0;
        for (DeviceInventory inv : inventories) {
            devices += inv.table().size();
            overflows += inv.table().overflows();
        }
        summary.devices = devices;
        summary.deviceOverflows = overflows;
        long alerts = 0;
        for (DetectionEngine e : engines) {
            alerts += e.alerts().raised();
        }
        summary.alerts = alerts;
    }

    /** The asset inventory across all shards; call after {@link #finish}. */
    public Inventory inventory() {
        List<Device> all = new ArrayList<>();
        for (DeviceInventory inv : inventories) {
            all.addAll(inv.table().devices());
        }
        return new Inventory(all);
    }

    public List<DeviceInventory> inventories() {
        return inventories;
    }

    @Override
    public void close() throws IOException {
        if (flowLog != null) {
            flowLog.close();
        }
    }
}
