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
 * cumulative one, so quantiles, count and sum cover the whole run.
 */
public final class LatencyHistogram {
    /** One hour in microseconds: anything slower is reported as one hour. */
    static final long HIGHEST_MICROS = 3_600_000_000L;
    /**
     * Two significant digits (1 %) is plenty for latency quantiles and keeps a histogram at about 25 KB;
     * three would make it about 360 KB, times two per recorder, times every worker.
     */
    private static final int SIGNIFICANT_DIGITS = 2;

    private final List<Writer> writers = new ArrayList<>();
    private final Histogram total = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);

    /** A writer for one thread; create them all before the threads start. */
    public synchronized Writer newWriter() {
        Writer w = new Writer();
        writers.add(w);
        return w;
    }

    /** Everything recorded so far, in microseconds (a copy; safe from any thread). */
    public synchronized Histogram snapshot() {
        for (Writer w : writers) {
            w.recycled = w.recorder.getIntervalHistogram(w.recycled);
            total.add(w.recycled);
        }
        return total.copy();
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
