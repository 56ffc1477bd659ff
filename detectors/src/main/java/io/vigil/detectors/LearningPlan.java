package io.vigil.detectors;

/**
 * When learning ends and detection starts, in capture time: either a duration from the first
 * packet ({@code --learn 6h}) or an absolute instant ({@code --learn-until}). Shared by the
 * device shards of one run, so the first shard to see an observation fixes the start for all.
 */
public final class LearningPlan {
    private static final long UNSET = Long.MIN_VALUE;

    private final long durationNanos;
    private final long untilNanos;
    /** Start of learning in an earlier run whose model was loaded; UNSET when this run learns from scratch. */
    private final long priorStartNanos;
    /** A loaded model that needs no more learning: every observation is judged, whatever its time. */
    private final boolean detectAlways;
    private volatile long startNanos = UNSET;

    private LearningPlan(long durationNanos, long untilNanos) {
        this(durationNanos, untilNanos, UNSET, false);
    }

    private LearningPlan(long durationNanos, long untilNanos, long priorStartNanos, boolean detectAlways) {
        this.durationNanos = durationNanos;
        this.untilNanos = untilNanos;
        this.priorStartNanos = priorStartNanos;
        this.detectAlways = detectAlways;
    }

    /** Learn for this long from the first packet. */
    public static LearningPlan forDuration(long durationNanos) {
        if (durationNanos < 0) {
            throw new IllegalArgumentException("learning duration must not be negative");
        }
        return new LearningPlan(durationNanos, UNSET);
    }

    /** Learn until this capture time (epoch nanoseconds). */
    public static LearningPlan until(long epochNanos) {
        return new LearningPlan(-1, epochNanos);
    }

    /** Learn for the whole run and never detect: the inventory and models are built, nothing is alerted. */
    public static LearningPlan learnOnly() {
        return new LearningPlan(-1, Long.MAX_VALUE);
    }

    /** Detect from the first packet on: a model loaded from a file already knows what is normal. */
    public static LearningPlan none() {
        return new LearningPlan(0, UNSET);
    }

    /**
     * Detects from the first packet on with a model that learned from {@code startNanos} until just
     * before {@code endNanos} in an earlier run: explanations name that span, and a device first
     * seen before its end is not new.
     */
    public static LearningPlan resumed(long startNanos, long endNanos) {
        return new LearningPlan(-1, endNanos, startNanos, true);
    }

    /**
     * This plan on top of a model that started learning at {@code priorStartNanos}: learning goes on
     * as planned, and the learning span then reaches back to that start.
     */
    public LearningPlan continuing(long priorStartNanos) {
        return new LearningPlan(durationNanos, untilNanos, priorStartNanos, detectAlways);
    }

    /** Notes the capture time of an observation; the first one starts the clock. */
    public void observe(long timestampNanos) {
        if (startNanos == UNSET) {
            synchronized (this) {
                if (startNanos == UNSET) {
                    startNanos = timestampNanos;
                }
            }
        }
    }

    /** Capture time at which detection starts; Long.MAX_VALUE until the first observation. */
    public long endNanos() {
        if (untilNanos != UNSET) {
            return untilNanos;
        }
        long s = startNanos;
        return s == UNSET ? Long.MAX_VALUE : s + durationNanos;
    }

    /** Capture time learning started, in this run or the earlier one whose model was loaded; 0 before any. */
    public long startNanos() {
        if (priorStartNanos != UNSET) {
            return priorStartNanos;
        }
        long s = startNanos;
        return s == UNSET ? 0 : s;
    }

    /** True once an observation was seen (or a loaded model brought its own start). */
    public boolean started() {
        return priorStartNanos != UNSET || startNanos != UNSET;
    }

    public boolean detecting(long timestampNanos) {
        return detectAlways || timestampNanos >= endNanos();
    }

    /** "6 h", "45 min", "30 s": the learning span as an explanation names it. */
    public String spanText() {
        long end = endNanos();
        long span = end == Long.MAX_VALUE ? 0 : Math.max(0, end - startNanos());
        return duration(span);
    }

    static String duration(long nanos) {
        long s = nanos / 1_000_000_000L;
        if (s >= 2 * 86_400) {
            return (s / 86_400) + " days";
        }
        if (s >= 3_600) {
            long h = s / 3_600;
            long m = (s % 3_600) / 60;
            return m == 0 ? h + " h" : h + " h " + m + " min";
        }
        if (s >= 60) {
            return (s / 60) + " min";
        }
        if (s >= 1) {
            return s + " s";
        }
        return (nanos / 1_000_000) + " ms";
    }
}
