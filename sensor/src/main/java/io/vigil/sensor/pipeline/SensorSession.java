package io.vigil.sensor.pipeline;

import io.vigil.baseline.DeviceInventory;
import io.vigil.export.flows.FlowLogWriter;
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
    private final FlowLogWriter flowLog;
    private final long startNanos = System.nanoTime();

    public SensorSession(PipelineConfig config, Path flowLogFile, int producers, FlowEndReason endReason)
        throws IOException {
        this.flowLog = flowLogFile == null ? null : new FlowLogWriter(flowLogFile);
        for (int i = 0; i < config.deviceShards(); i++) {
            inventories.add(new DeviceInventory(config.maxDevices()));
        }
        this.pipeline = new Pipeline(config, this::handlersFor, producers, endReason);
    }

    private List<ObservationHandler> handlersFor(int shard) {
        List<ObservationHandler> handlers = new ArrayList<>();
        handlers.add(inventories.get(shard));
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
