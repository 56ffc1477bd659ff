package io.vigil.sensor.metrics;

import io.vigil.detectors.AlertType;
import io.vigil.export.ExportStatus;
import io.vigil.export.alerts.OcsfAlerts;
import io.vigil.protocols.app.AppCounters;
import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.sensor.capture.live.LiveCapture;
import io.vigil.sensor.pipeline.Pipeline;
import io.vigil.sensor.pipeline.SensorSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * What {@code /metrics} and {@code /ready} report about one sensor run, read from the HTTP thread
 * while the pipeline runs.
 *
 * <p>Thread safety without slowing the hot path: the pipeline's per-packet counters (packets, bytes,
 * decode, application, flow-table counts) are plain longs and ints, each written by one worker
 * thread and summed here with racy reads. A 64-bit JVM does not tear them, so a scrape sees each
 * counter as it was a moment ago, never a value it did not have; counters that cross threads
 * (ring drops, alerts) are atomics, and latency histograms are swapped out of per-thread recorders.
 */
public final class SensorMetrics {
    /** Whether packets are flowing, for readiness. */
    public enum CaptureState { STARTING, RUNNING, FINISHED }

    public static final long DEFAULT_WINDOW_NANOS = 60_000_000_000L;

    private final SensorSession session;
    private final ExportStatus export;
    private final Supplier<List<LiveCapture.InterfaceStats>> interfaces;
    private final long windowNanos;
    private volatile CaptureState state = CaptureState.STARTING;
    private volatile String stateDetail = "not started yet";

    /**
     * @param export     the Kafka export's status, or null when the run does not export to Kafka
     * @param interfaces libpcap's per-interface counts for live capture, or null for a replay
     */
    public SensorMetrics(SensorSession session, ExportStatus export,
                         Supplier<List<LiveCapture.InterfaceStats>> interfaces) {
        this(session, export, interfaces, DEFAULT_WINDOW_NANOS);
    }

    /** @param windowNanos how far back the latency quantiles look (their counts and sums cover the run) */
    public SensorMetrics(SensorSession session, ExportStatus export,
                         Supplier<List<LiveCapture.InterfaceStats>> interfaces, long windowNanos) {
        this.session = session;
        this.export = export;
        this.interfaces = interfaces;
        this.windowNanos = windowNanos;
    }

    public void running() {
        stateDetail = "running";
        state = CaptureState.RUNNING;
    }

    /** The source has ended (end of the captures, or a stop was asked for). */
    public void finished(String why) {
        stateDetail = why;
        state = CaptureState.FINISHED;
    }

    /** Empty when ready; otherwise one line per failing check. */
    public List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        CaptureState s = state;
        if (s != CaptureState.RUNNING) {
            reasons.add("capture: " + s.name().toLowerCase(Locale.ROOT) + " (" + stateDetail + ")");
        }
        if (export != null) {
            boolean writable = export.spoolWritable();
            if (!writable) {
                reasons.add("spool: not writable");
            }
            if (!export.kafkaReachable() && !writable) {
                reasons.add("kafka: unreachable and the spool cannot keep alerts meanwhile");
            }
        }
        return reasons;
    }

    /** The whole exposition, built on each scrape. */
    public String render() {
        PrometheusText t = new PrometheusText();
        Pipeline p = session.pipeline();
        t.counter("vigil_packets_total", "Frames decoded by the flow workers.", p.packetsProcessed());
        t.counter("vigil_bytes_total", "Bytes of the frames decoded (original lengths on the wire).",
            p.bytesProcessed());
        t.counter("vigil_ring_drops_total", "Frames dropped because the packet ring was full.", p.ringDrops());
        t.counter("vigil_oversized_frames_total", "Frames larger than a ring slot can hold, cut short.",
            p.oversizedFrames());
        t.counter("vigil_handler_errors_total", "Pipeline events skipped because a handler failed (a bug).",
            p.handlerErrors());
        interfaceDrops(t);
        decode(t, p.decodeCounters());
        app(t, p.appCounters());
        flows(t, p);
        t.gauge("vigil_devices", "Device-table entries: devices plus addresses only ever sent to.",
            session.deviceTableEntries());
        t.counter("vigil_observations_total", "Observations handed to the device models.", p.observations());
        alerts(t);
        long now = System.nanoTime();
        String window = " Quantiles over about the last " + windowNanos / 1_000_000_000L + " s.";
        // The window first (its first read starts it with everything recorded so far), then one copy of
        // each run-long histogram per scrape, so a summary's _count and its histogram agree.
        Histogram decodeRecent = p.captureToDecode().recent(windowNanos, now);
        Histogram alertRecent = session.captureToAlert().recent(windowNanos, now);
        Histogram outputRecent = session.captureToOutput().recent(windowNanos, now);
        Histogram decode = p.captureToDecode().snapshot();
        Histogram alert = session.captureToAlert().snapshot();
        Histogram output = session.captureToOutput().snapshot();
        t.summary("vigil_capture_to_decode_seconds", "From capture to decode by a flow worker, one packet in 64 per "
            + "worker: live, the packet's capture timestamp against the wall clock; replay, time since the packet was "
            + "read." + window, decodeRecent, decode);
        t.summary("vigil_capture_to_alert_seconds", "From a packet's arrival in the sensor to the alert it raised."
            + window, alertRecent, alert);
        t.summary("vigil_capture_to_output_seconds", "From a packet's arrival in the sensor to the alert it raised "
            + "written to every output (spool, JSON lines, console) by the alert output thread." + window,
            outputRecent, output);
        t.histogram("vigil_capture_to_decode_histogram_seconds", "From capture to decode by a flow worker (as "
            + "vigil_capture_to_decode_seconds), over the whole run, in buckets.", decode);
        t.histogram("vigil_capture_to_alert_histogram_seconds", "From a packet's arrival in the sensor to the alert "
            + "it raised, over the whole run, in buckets.", alert);
        t.histogram("vigil_capture_to_output_histogram_seconds", "From a packet's arrival in the sensor to the "
            + "alert it raised written to every output, over the whole run, in buckets.", output);
        export(t);
        t.gauge("vigil_ready", "1 when /ready answers 200: capture running, spool writable, Kafka reachable or "
            + "spooling.", notReadyReasons().isEmpty() ? 1 : 0);
        return t.toString();
    }

    private void interfaceDrops(PrometheusText t) {
        if (interfaces == null) {
            return;
        }
        List<LiveCapture.InterfaceStats> stats = interfaces.get();
        t.counter("vigil_kernel_drops_total",
            "Packets libpcap reports the kernel dropped (buffer full), per interface.");
        for (LiveCapture.InterfaceStats s : stats) {
            t.sample("vigil_kernel_drops_total", Math.max(0, s.kernelDrops()), "interface", s.name());
        }
        t.counter("vigil_interface_drops_total", "Packets the network interface or its driver dropped, per interface.");
        for (LiveCapture.InterfaceStats s : stats) {
            t.sample("vigil_interface_drops_total", Math.max(0, s.interfaceDrops()), "interface", s.name());
        }
    }

    private static void decode(PrometheusText t, DecodeCounters c) {
        t.counter("vigil_decoded_total", "Frames that carried each protocol or encapsulation.");
        for (Map.Entry<String, Long> e : c.protocolCounts().entrySet()) {
            t.sample("vigil_decoded_total", e.getValue(), "protocol", e.getKey());
        }
        t.counter("vigil_malformed_total", "Frames whose header at this layer was invalid.");
        for (int layer = 1; layer < DecodeCounters.layerCount(); layer++) {
            t.sample("vigil_malformed_total", c.malformedAt(layer), "layer", DecodeCounters.layerName(layer));
        }
        t.counter("vigil_truncated_total", "Frames cut short (capture length) inside this layer's header.");
        for (int layer = 1; layer < DecodeCounters.layerCount(); layer++) {
            t.sample("vigil_truncated_total", c.truncatedAt(layer), "layer", DecodeCounters.layerName(layer));
        }
    }

    private static void app(PrometheusText t, AppCounters c) {
        Map<String, long[]> byProtocol = c.byProtocol();
        t.counter("vigil_app_pdus_total", "Application-layer messages decoded, per protocol.");
        for (Map.Entry<String, long[]> e : byProtocol.entrySet()) {
            t.sample("vigil_app_pdus_total", e.getValue()[0], "protocol", e.getKey());
        }
        t.counter("vigil_app_malformed_total", "Application-layer messages that failed to decode, per protocol.");
        for (Map.Entry<String, long[]> e : byProtocol.entrySet()) {
            t.sample("vigil_app_malformed_total", e.getValue()[1], "protocol", e.getKey());
        }
    }

    private static void flows(PrometheusText t, Pipeline p) {
        t.counter("vigil_flows_total", "Flows started.", p.flowsStarted());
        t.gauge("vigil_flows_active", "Flows in the flow tables now.", p.activeFlows());
        t.counter("vigil_flow_evictions_total", "Flows evicted to make room (least recently seen first).",
            p.flowEvictions());
        t.counter("vigil_flow_table_full_total", "Packets of a new flow not tracked because the table was full.",
            p.flowOverflows());
    }

    private void alerts(PrometheusText t) {
        t.counter("vigil_alerts_total", "Alerts raised (first occurrence of a cause), by type and OCSF severity.");
        for (AlertType type : AlertType.values()) {
            for (int severity = 0; severity < ShardAlertCounter.SEVERITIES; severity++) {
                long n = 0;
                for (ShardAlertCounter c : session.alertCounters()) {
                    n += c.raised(type, severity);
                }
                if (n > 0) {
                    t.sample("vigil_alerts_total", n, "type", type.name().toLowerCase(Locale.ROOT),
                        "severity", OcsfAlerts.severityName(severity).toLowerCase(Locale.ROOT));
                }
            }
        }
        t.counter("vigil_alert_updates_total", "Repeats of an alerted cause, passed on as updates, by type.");
        for (AlertType type : AlertType.values()) {
            long n = 0;
            for (ShardAlertCounter c : session.alertCounters()) {
                n += c.updates(type);
            }
            if (n > 0) {
                t.sample("vigil_alert_updates_total", n, "type", type.name().toLowerCase(Locale.ROOT));
            }
        }
    }

    private void export(PrometheusText t) {
        t.gauge("vigil_export_enabled", "1 when alerts are exported to Kafka; without it the vigil_export_* and "
            + "vigil_alert_to_ack_seconds metrics are absent.", export == null ? 0 : 1);
        if (export == null) {
            return;
        }
        t.gauge("vigil_export_spool_depth", "Records in the spool not yet acknowledged by Kafka.", export.spoolDepth());
        t.gauge("vigil_export_spool_oldest_age_seconds", "Age of the oldest unacknowledged record, 0 when none.",
            export.spoolOldestAgeMillis() / 1000.0);
        t.gauge("vigil_export_spool_bytes", "Bytes the spool occupies on disk.", export.spoolBytes());
        t.counter("vigil_export_spool_dropped_total", "Records dropped because the spool was full.",
            export.spoolDropped());
        t.counter("vigil_export_acknowledged_total", "Records Kafka acknowledged.", export.acknowledged());
        t.counter("vigil_export_send_errors_total", "Sends to Kafka that failed.", export.sendErrors());
        t.counter("vigil_export_retries_total", "Sends to Kafka retried.", export.retries());
        t.gauge("vigil_export_spool_writable", "1 when the spool can take records.", export.spoolWritable() ? 1 : 0);
        t.gauge("vigil_export_kafka_reachable", "1 when the last contact with the broker succeeded.",
            export.kafkaReachable() ? 1 : 0);
        t.summary("vigil_alert_to_ack_seconds", "From an alert's append to the spool to Kafka's acknowledgement.",
            export.ackLatencyMicros());
    }
}
