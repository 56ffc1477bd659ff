package io.vigil.detectors;

/** Receives alerts: the first occurrence of a cause, and its final state (count, last seen) when it repeated. */
public interface AlertSink {
    void onAlert(Alert alert);

    /** A cause already reported repeated: {@code alert} carries the updated count and last-seen time. */
    default void onUpdate(Alert alert) {
    }
}
