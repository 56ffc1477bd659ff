package io.vigil.sensor.metrics;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A latency distribution recorded by several pipeline threads and read by the metrics endpoint.
 *
 * <p>Each recording thread gets its own {@link Writer} (an HdrHistogram {@link SingleWriterRecorder}):
 * recording is wait-free, takes no lock and allocates nothing, because the value range is fixed
 * (1 µs to one hour, two significant digits) and values beyond it are clamped rather than
 * resizing the histogram. The reader swaps each writer's interval histogram out and adds it to a
 * cumulative one (count and sum over the whole run) and to the current bucket of a sliding window
 * ({@link #recent}: quantiles of the last minute, say, not diluted by hours of history or
 * dominated by the JIT's first second).
 */
public final class LatencyHistogram {
    /** One hour in microseconds: anything slower is reported as one hour. */
    static final long HIGHEST_MICROS = 3_600_000_000L;
    /**
     * Two significant digits (1 %) is plenty for latency quantiles and keeps a histogram at about 25 KB;
     * three would make it about 360 KB, times two per recorder, times every worker.
     */
    private static final int SIGNIFICANT_DIGITS = 2;

    /** A window is this many buckets, the oldest dropped as a new one starts. */
    static final int BUCKETS = 6;

    private final List<Writer> writers = new ArrayList<>();
    private final Histogram total = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram[] buckets = new Histogram[BUCKETS];
    /** Zero until the first {@link #recent} call fixes the window. */
    private long bucketNanos;
    private long currentBucket;

    /** A writer for one thread; create them all before the threads start. */
    public synchronized Writer newWriter() {
        Writer w = new Writer();
        writers.add(w);
        return w;
    }

    /** Everything recorded so far, in microseconds (a copy; safe from any thread). */
    public synchronized Histogram snapshot() {
        harvest(System.nanoTime());
        return total.copy();
    }

    /**
     * What was recorded in about the last {@code windowNanos} (to one sixth of it), in microseconds.
     * Values are placed in the window when read, so a reader should call at least once per sixth
     * of the window for the edges to be sharp; the first call starts the window with everything
     * recorded before it. A reader uses one window length throughout.
     */
    public synchronized Histogram recent(long windowNanos, long nowNanos) {
        if (bucketNanos == 0) {
            bucketNanos = Math.max(1, windowNanos / BUCKETS);
            currentBucket = Math.floorDiv(nowNanos, bucketNanos);
            for (int i = 0; i < BUCKETS; i++) {
                buckets[i] = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
            }
        }
        harvest(nowNanos);
        Histogram window = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
        for (Histogram b : buckets) {
            window.add(b);
        }
        return window;
    }

    private void harvest(long nowNanos) {
        Histogram current = null;
        if (bucketNanos != 0) {
            long b = Math.floorDiv(nowNanos, bucketNanos);
            for (long k = currentBucket + 1; k <= b && k <= currentBucket + BUCKETS; k++) {
                buckets[(int) Math.floorMod(k, BUCKETS)].reset(); // a bucket that left the window
            }
            currentBucket = Math.max(currentBucket, b);
            current = buckets[(int) Math.floorMod(currentBucket, BUCKETS)];
        }
        for (Writer w : writers) {
            w.recycled = w.recorder.getIntervalHistogram(w.recycled);
            total.add(w.recycled);
            if (current != null) {
                current.add(w.recycled);
            }
        }
    }

    /** Records from one thread only. */
    public static final class Writer {
        private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
        /** The last interval histogram, handed back to the recorder to reuse (a recorder takes only its own). */
        private Histogram recycled;

        private Writer() {
        }

        /** Records a latency; negative ones (clocks that disagree) count as zero, huge ones as one hour. */
        public void recordNanos(long nanos) {
            long micros = nanos <= 0 ? 0 : Math.min(nanos / 1000, HIGHEST_MICROS);
            recorder.recordValue(micros);
        }
    }
}
