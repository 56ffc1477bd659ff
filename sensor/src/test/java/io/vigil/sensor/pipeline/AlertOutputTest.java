package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertAggregator;
import io.vigil.detectors.AlertSink;
import io.vigil.detectors.AlertType;
import io.vigil.sensor.metrics.LatencyHistogram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The alert output thread: what the shard hands over is what gets written, in order, all of it. */
class AlertOutputTest {
    private static Alert alert(int n) {
        return new Alert("uid-" + n, AlertType.NEW_PEER, "cause-" + n, 3, 50, 50, "because " + n,
            new Alert.Endpoint("10.0.0.1", 0, 0, null), null, null, "tcp", null,
            new Alert.Evidence(n, 1_000_000_000L * n, "10.0.0.2", 40000, "10.0.0.1", 502, "first"));
    }

    /** A sink recording what it was given, on which thread, and each alert's count when given. */
    private static final class Recording implements AlertSink {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onAlert(Alert a) {
            lines.add("alert " + a.uid() + " x" + a.count() + " evidence " + a.evidence().size());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onUpdate(Alert a) {
            lines.add("update " + a.uid() + " x" + a.count() + " evidence " + a.evidence().size());
            threads.add(Thread.currentThread().getName());
        }
    }

    @Test
    @Timeout(60)
    void writesACopyOnItsOwnThreadSoLaterRepeatsDoNotChangeTheFirstOccurrence() throws Exception {
        Recording sink = new Recording();
        LatencyHistogram captureToOutput = new LatencyHistogram();
        AlertOutput output = new AlertOutput(sink, captureToOutput);
        output.start();
        // The shard's aggregator, as in the sensor: it keeps folding repeats into its own alert.
        AlertAggregator aggregator = new AlertAggregator(0, new AlertSink() {
            @Override
            public void onAlert(Alert a) {
                output.onAlert(a, System.nanoTime());
            }

            @Override
            public void onUpdate(Alert a) {
                output.onUpdate(a);
            }
        });
        aggregator.raise(alert(1));
        for (int i = 0; i < 9; i++) {
            assertTrue(aggregator.repeat("cause-1", new Alert.Evidence(100 + i, 2_000_000_000L + i, "10.0.0.2", 40000,
                "10.0.0.1", 502, "again")));
        }
        aggregator.raise(alert(2));
        aggregator.flush();
        assertTrue(output.drain(30, TimeUnit.SECONDS));
        assertEquals(List.of("alert uid-1 x1 evidence 1", "alert uid-2 x1 evidence 1", "update uid-1 x10 evidence 5"),
            sink.lines, "the first occurrence as raised, then its final state");
        assertEquals(List.of("vigil-alert-output", "vigil-alert-output", "vigil-alert-output"), sink.threads);
        assertEquals(2, captureToOutput.snapshot().getTotalCount(), "both first occurrences timed, not the update");
        assertEquals(0, output.failures());
        assertNull(output.firstFailure());
    }

    @Test
    @Timeout(60)
    void aSinkThatFailsCostsThatAlertOnlyAndIsCounted() throws Exception {
        Recording written = new Recording();
        AlertOutput output = new AlertOutput(new AlertSink() {
            @Override
            public void onAlert(Alert a) {
                if (a.uid().equals("uid-2")) {
                    throw new IllegalStateException("disk full");
                }
                written.onAlert(a);
            }
        }, new LatencyHistogram());
        output.start();
        for (int i = 1; i <= 3; i++) {
            output.onAlert(alert(i), 0);
        }
        assertTrue(output.drain(30, TimeUnit.SECONDS));
        assertEquals(List.of("alert uid-1 x1 evidence 1", "alert uid-3 x1 evidence 1"), written.lines);
        assertEquals(1, output.failures());
        assertTrue(output.firstFailure().contains("new_peer alert uid-2") && output.firstFailure().contains("disk full"),
            output.firstFailure());
        output.onAlert(alert(4), 0); // a shard still running after a drain that timed out
        assertEquals(2, output.failures(), "counted, not thrown into the shard");
    }

    @Test
    @Timeout(120)
    void aFullQueueMakesTheShardWaitAndLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recording written = new Recording();
        AlertOutput output = new AlertOutput(new AlertSink() {
            @Override
            public void onAlert(Alert a) {
                try {
                    release.await(); // a stalled disk under the alert file
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.onAlert(a);
            }
        }, new LatencyHistogram());
        output.start();
        int n = AlertOutput.CAPACITY + 100;
        Thread shard = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                output.onAlert(alert(i), 0);
            }
        });
        shard.start();
        shard.join(2_000);
        assertTrue(shard.isAlive(), "the shard waits on the full queue");
        assertNotEquals(0, output.queueFullWaits());
        release.countDown();
        shard.join(60_000);
        assertTrue(output.drain(60, TimeUnit.SECONDS));
        assertEquals(n, written.lines.size());
        assertEquals("alert uid-" + (n - 1) + " x1 evidence 1", written.lines.get(n - 1), "in the order handed over");
        assertEquals(0, output.failures());
    }
}
