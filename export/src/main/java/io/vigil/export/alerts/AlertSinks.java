package io.vigil.export.alerts;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;

/** Combining alert outputs. */
public final class AlertSinks {
    private AlertSinks() {
    }

    /**
     * Both sinks, {@code first} first: the durable one (the spool) goes first, so an alert a reader
     * saw in the second (the JSON file) was certainly spooled, even if the process dies in between.
     */
    public static AlertSink both(AlertSink first, AlertSink second) {
        return new AlertSink() {
            @Override
            public void onAlert(Alert alert) {
                first.onAlert(alert);
                second.onAlert(alert);
            }

            @Override
            public void onUpdate(Alert alert) {
                first.onUpdate(alert);
                second.onUpdate(alert);
            }
        };
    }
}
