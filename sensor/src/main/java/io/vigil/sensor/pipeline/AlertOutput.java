package io.vigil.sensor.pipeline;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;
import io.vigil.sensor.metrics.LatencyHistogram;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes alerts (spool, JSON lines, console) on a thread of its own, so that formatting and writing
 * them never holds up the device shard that raised them. On the shard, an alert cost 0.1-1 ms to
 * serialise and write (rare code the JIT has not compiled), and a burst of a dozen kept every packet
 * behind it waiting for milliseconds (bench/RESULTS.md, live capture).
 *
 * <p>Alerts are rare next to packets, so each is handed over as a copy: the shard's aggregator goes on
 * folding repeats into its own. The queue is bounded and a full one makes the shard wait; an alert is
 * never dropped here. A sink that throws (a full disk under the JSON file) costs that alert its output,
 * counted and named in the run summary, and the thread goes on with the next.
 */
public final class AlertOutput implements AutoCloseable {
    /** Alerts waiting for output; a burst larger than this is a run that alerts on everything. */
    static final int CAPACITY = 16_384;

    private final AlertSink sink;
    private final LatencyHistogram.Writer captureToOutput;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private final AtomicLong queueFullWaits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String firstFailure;
    private volatile boolean closed;

    /** {@code ingestNanos} 0: an alert no packet raised (found by the clock), not timed. */
    private record Item(Alert alert, boolean update, long ingestNanos) {
    }

    private static final Item END = new Item(null, false, 0);

    /**
     * @param captureToOutput records, for each alert a packet raised, the time from that packet's
     *                        arrival to the alert being written to every output
     */
    public AlertOutput(AlertSink sink, LatencyHistogram captureToOutput) {
        this.sink = sink;
        this.captureToOutput = captureToOutput.newWriter();
        this.thread = new Thread(this::run, "vigil-alert-output");
        thread.setDaemon(true);
    }

    /**
     * Starts the thread; called when the pipeline starts, so a session built and never run (a
     * refused option, a test) leaves no thread behind holding its sink.
     */
    public void start() {
        thread.start();
    }

    /** A first occurrence; called by a shard thread. */
    public void onAlert(Alert alert, long ingestNanos) {
        hand(new Item(alert.copy(), false, ingestNanos));
    }

    /** A repeat's final state; called by a shard thread. */
    public void onUpdate(Alert alert) {
        hand(new Item(alert.copy(), true, 0));
    }

    private void hand(Item item) {
        if (closed) { // a shard still running after a drain that timed out
            fail(item, "raised after the alert output closed");
            return;
        }
        if (queue.offer(item)) {
            return;
        }
        queueFullWaits.incrementAndGet();
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a shutdown signal: this alert is still written, the flag kept
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() ends the thread, after the queue is empty
            }
            if (item == END) {
                return;
            }
            try {
                if (item.update()) {
                    sink.onUpdate(item.alert());
                } else {
                    sink.onAlert(item.alert());
                }
                if (item.ingestNanos() != 0) {
                    captureToOutput.recordNanos(System.nanoTime() - item.ingestNanos());
                }
            } catch (RuntimeException e) {
                fail(item, e.toString());
            }
        }
    }

    private void fail(Item item, String why) {
        if (failures.getAndIncrement() == 0) {
            firstFailure = item.alert().type().label() + " alert " + item.alert().uid() + ": " + why;
        }
    }

    /**
     * Writes every alert handed over so far, then stops the thread; call once the shards are done.
     *
     * @return false if the thread did not finish within the timeout (its output is incomplete)
     */
    public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        if (!thread.isAlive() && queue.isEmpty()) {
            closed = true; // never started, or already drained
            return true;
        }
        if (!closed) {
            closed = true;
            queue.put(END);
        }
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    /** Alerts (first occurrences and updates) that a sink failed to write. */
    public long failures() {
        return failures.get();
    }

    /** The first failure, for the run summary; null when none. */
    public String firstFailure() {
        return firstFailure;
    }

    /** Times a shard found the queue full and waited for the output thread. */
    public long queueFullWaits() {
        return queueFullWaits.get();
    }

    @Override
    public void close() throws InterruptedException {
        drain(30, TimeUnit.SECONDS);
    }
}
