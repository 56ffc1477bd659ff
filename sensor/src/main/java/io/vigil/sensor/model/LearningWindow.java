package io.vigil.sensor.model;

import java.time.Instant;

/**
 * What a model has learned from, in capture time: the first observation learned (or
 * {@link #NONE}), the latest one, when learning was planned to end ({@link Long#MAX_VALUE} for a
 * learn-only run) and whether it did end (some observation was judged).
 */
public record LearningWindow(long startNanos, long lastLearnedNanos, long plannedEndNanos, boolean ended) {
    public static final long NONE = Long.MIN_VALUE;

    /**
     * Where detection starts when the model is loaded without more learning: where it did start,
     * or just after the last observation learned.
     */
    public long endNanos() {
        if (ended) {
            return plannedEndNanos;
        }
        return lastLearnedNanos == NONE ? NONE : lastLearnedNanos + 1;
    }

    /** "2025-11-24T16:00:00Z to 2025-11-24T16:12:00Z", or "nothing". */
    public String text() {
        if (startNanos == NONE || lastLearnedNanos == NONE) {
            return "nothing";
        }
        return instant(startNanos) + " to " + instant(lastLearnedNanos) + (ended ? " (then detected)" : "");
    }

    private static String instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
            .toString();
    }
}
