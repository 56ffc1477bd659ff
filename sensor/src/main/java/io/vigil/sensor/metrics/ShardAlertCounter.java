package io.vigil.sensor.metrics;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;
import io.vigil.detectors.AlertType;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.sensor.pipeline.AlertOutput;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts one device shard's alerts by type and severity and times them from the packet's arrival,
 * then hands them to the output thread. It sits twice in the shard: first among its observation
 * handlers, to note when the packet behind the observation entered the sensor, and as the shard's
 * alert sink, which the detectors call while handling that same observation on the same thread.
 *
 * <p>Counts are atomics because the metrics endpoint reads them from another thread; they change
 * once per alert, not per packet, so their cost does not matter.
 */
public final class ShardAlertCounter implements AlertSink, ObservationHandler {
    /** OCSF severity_id 0..5 (Unknown .. Critical). */
    static final int SEVERITIES = 6;

    private final AlertOutput next;
    private final AtomicLongArray raised = new AtomicLongArray(AlertType.values().length * SEVERITIES);
    private final AtomicLongArray updates = new AtomicLongArray(AlertType.values().length);
    private final LatencyHistogram.Writer captureToAlert;
    /** Written and read by the shard thread only. */
    private long currentIngestNanos;
    private long currentFrame;

    public ShardAlertCounter(AlertOutput next, LatencyHistogram.Writer captureToAlert) {
        this.next = next;
        this.captureToAlert = captureToAlert;
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        currentIngestNanos = o.ingestNanos;
        currentFrame = o.frameNumber;
    }

    @Override
    public void onAlert(Alert alert) {
        raised.incrementAndGet(alert.type().ordinal() * SEVERITIES + severityIndex(alert.severity()));
        // Only an alert the current packet raised: an absence (a poll that stopped, a quiet window)
        // is found by the clock, and the packet that moved the clock is not its cause.
        long ingestNanos = 0;
        if (currentIngestNanos != 0 && currentFrame != 0 && !alert.evidence().isEmpty()
            && alert.evidence().get(0).frame() == currentFrame) {
            ingestNanos = currentIngestNanos;
            captureToAlert.recordNanos(System.nanoTime() - ingestNanos);
        }
        next.onAlert(alert, ingestNanos);
    }

    @Override
    public void onUpdate(Alert alert) {
        updates.incrementAndGet(alert.type().ordinal());
        next.onUpdate(alert);
    }

    /** First occurrences of a type at a severity so far. */
    public long raised(AlertType type, int severity) {
        return raised.get(type.ordinal() * SEVERITIES + severityIndex(severity));
    }

    /** Repeats of a cause already reported, passed on as updates. */
    public long updates(AlertType type) {
        return updates.get(type.ordinal());
    }

    private static int severityIndex(int severity) {
        return severity < 0 || severity >= SEVERITIES ? 0 : severity;
    }
}
