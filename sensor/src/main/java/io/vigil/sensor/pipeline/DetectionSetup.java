package io.vigil.sensor.pipeline;

import io.vigil.detectors.AlertSink;
import io.vigil.detectors.LearningPlan;

/**
 * How a run learns and detects: when learning ends, how surprising a novelty must be to alert
 * (bits, see {@link io.vigil.detectors.DetectionEngine}), where alerts go, and whether the product's
 * detectors run or the naive "anything never seen before" baseline that {@code vigil evaluate}
 * compares them with.
 */
public record DetectionSetup(LearningPlan plan, double minSurpriseBits, AlertSink sink, boolean naive) {
    public DetectionSetup(LearningPlan plan, double minSurpriseBits, AlertSink sink) {
        this(plan, minSurpriseBits, sink, false);
    }
}
