package io.vigil.sensor.pipeline;

import io.vigil.detectors.AlertSink;
import io.vigil.detectors.LearningPlan;

/**
 * How a run learns and detects: when learning ends, how surprising a novelty must be to alert
 * (bits, see {@link io.vigil.detectors.DetectionEngine}), and where alerts go.
 */
public record DetectionSetup(LearningPlan plan, double minSurpriseBits, AlertSink sink) {
}
