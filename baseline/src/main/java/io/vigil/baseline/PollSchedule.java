package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The polls a device receives: for each (master, protocol, function, target) seen while learning,
 * the inter-arrival mean and standard deviation (Welford's running form), the longest gap, and
 * the last poll; in detection, the last {@link #RECENT} intervals, whose median is the period now.
 *
 * <p>Learning clips outliers: once {@link #MIN_INTERVALS_TO_CLIP} intervals are known, an interval
 * longer than {@link #OUTLIER_FACTOR} times the mean (a restart, a paused master) does not move
 * the mean and jitter but is kept as the longest gap, so the model knows the device's own pauses.
 *
 * <p>Bounded: at most {@link #MAX_POLLS} entries per device (the first ones learned); memory
 * {@link #bytes()}. The recent intervals and the alert marks are transient detection state and are
 * not saved by {@link #writeTo}: after a restart the period is judged again from fresh polls.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class PollSchedule {
    public static final int MAX_POLLS = 16;
    public static final int RECENT = 8;
    /** A device silent this long between responses (a restart) starts a new run of answering. */
    public static final long ANSWER_GAP_NANOS = 5_000_000_000L;
    static final int MIN_INTERVALS_TO_CLIP = 5;
    static final double OUTLIER_FACTOR = 5;

    private final long[] key = new long[MAX_POLLS];
    private final int[] masterVlan = new int[MAX_POLLS];
    private final long[] masterHi = new long[MAX_POLLS];
    private final long[] masterLo = new long[MAX_POLLS];
    private final byte[] protocol = new byte[MAX_POLLS];
    private final int[] function = new int[MAX_POLLS];
    private final long[] address = new long[MAX_POLLS];
    private final int[] intervals = new int[MAX_POLLS];
    private final double[] meanSeconds = new double[MAX_POLLS];
    private final double[] m2 = new double[MAX_POLLS];
    private final double[] longestGapSeconds = new double[MAX_POLLS];
    private final long[] firstNanos = new long[MAX_POLLS];
    private final long[] lastNanos = new long[MAX_POLLS];
    private final float[] recent = new float[MAX_POLLS * RECENT];
    private final byte[] recentCount = new byte[MAX_POLLS];
    private final byte[] recentNext = new byte[MAX_POLLS];
    /** Bit 0: stop reported; bit 1: period change reported (transient). */
    private final byte[] marks = new byte[MAX_POLLS];
    private final float[] sortScratch = new float[RECENT];
    private int size;
    /** Whether a detector's clock already walks this schedule (transient). */
    private boolean watched;
    /** Capture time of the device's latest response in a polled protocol; 0 when none was seen (transient). */
    private long lastAnsweredNanos;
    /** Start of the device's current run of responses without a gap over {@link #ANSWER_GAP_NANOS} (transient). */
    private long answeringSinceNanos;

    /** Entry of {@code pollKey}, -1 when not tracked. */
    public int indexOf(long pollKey) {
        for (int i = 0; i < size; i++) {
            if (key[i] == pollKey) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A poll seen while learning: creates its entry (while there is room) and learns the interval
     * since the last one. Returns the entry, -1 when it does not fit.
     */
    public int learn(long pollKey, int vlan, long ipHi, long ipLo, int protocolOrdinal, int functionCode, long addr,
                     long nowNanos) {
        int i = indexOf(pollKey);
        if (i < 0) {
            if (size == MAX_POLLS) {
                return -1;
            }
            i = size++;
            key[i] = pollKey;
            masterVlan[i] = vlan;
            masterHi[i] = ipHi;
            masterLo[i] = ipLo;
            protocol[i] = (byte) protocolOrdinal;
            function[i] = functionCode;
            address[i] = addr;
            firstNanos[i] = nowNanos;
            lastNanos[i] = nowNanos;
            return i;
        }
        double interval = (nowNanos - lastNanos[i]) / 1e9;
        if (interval < 0) {
            return i; // a reordered observation says nothing about the period
        }
        lastNanos[i] = nowNanos;
        if (interval > longestGapSeconds[i]) {
            longestGapSeconds[i] = interval;
        }
        if (intervals[i] >= MIN_INTERVALS_TO_CLIP && interval > OUTLIER_FACTOR * meanSeconds[i]) {
            return i;
        }
        int n = ++intervals[i];
        double delta = interval - meanSeconds[i];
        meanSeconds[i] += delta / n;
        m2[i] += delta * (interval - meanSeconds[i]);
        return i;
    }

    /** A poll seen while detecting: notes its interval among the recent ones. Returns the interval in s, or -1. */
    public double observe(int i, long nowNanos) {
        double interval = (nowNanos - lastNanos[i]) / 1e9;
        if (interval < 0) {
            return -1;
        }
        lastNanos[i] = nowNanos;
        int slot = i * RECENT + recentNext[i];
        recent[slot] = (float) interval;
        recentNext[i] = (byte) ((recentNext[i] + 1) % RECENT);
        if (recentCount[i] < RECENT) {
            recentCount[i]++;
        }
        return interval;
    }

    /** Median of the recent intervals (robust to one restart gap among them); NaN until {@link #RECENT} are known. */
    public double recentPeriodSeconds(int i) {
        if (recentCount[i] < RECENT) {
            return Double.NaN;
        }
        System.arraycopy(recent, i * RECENT, sortScratch, 0, RECENT);
        java.util.Arrays.sort(sortScratch);
        return (sortScratch[RECENT / 2 - 1] + sortScratch[RECENT / 2]) / 2.0;
    }

    /**
     * Whether the median of the recent intervals is known and certainly within {@code [lo, hi]},
     * decided without sorting: a median above {@code hi} needs half the intervals above it, one below
     * {@code lo} half below. Called for every poll, so it saves {@link #recentPeriodSeconds}' sort
     * in the common case of an unchanged period.
     */
    public boolean recentMedianWithin(int i, double lo, double hi) {
        if (recentCount[i] < RECENT) {
            return false;
        }
        int above = 0;
        int below = 0;
        for (int k = i * RECENT, end = k + RECENT; k < end; k++) {
            float v = recent[k];
            if (v > hi) {
                above++;
            } else if (v < lo) {
                below++;
            }
        }
        return above < RECENT / 2 && below < RECENT / 2;
    }

    /** Forgets the recent intervals (after a gap they would mix two regimes). */
    public void clearRecent(int i) {
        recentCount[i] = 0;
        recentNext[i] = 0;
    }

    public int size() {
        return size;
    }

    /** Marks the schedule as walked by a detector's clock; true when it was not yet. */
    public boolean watch() {
        boolean first = !watched;
        watched = true;
        return first;
    }

    public long key(int i) {
        return key[i];
    }

    public int masterVlan(int i) {
        return masterVlan[i];
    }

    public long masterHi(int i) {
        return masterHi[i];
    }

    public long masterLo(int i) {
        return masterLo[i];
    }

    public int protocolOrdinal(int i) {
        return protocol[i];
    }

    public int function(int i) {
        return function[i];
    }

    /** First address of the target (a register, an object instance); -1 when none. */
    public long address(int i) {
        return address[i];
    }

    /** Intervals learned (outliers excluded). */
    public int intervals(int i) {
        return intervals[i];
    }

    public double meanSeconds(int i) {
        return meanSeconds[i];
    }

    /** Standard deviation of the learned intervals in seconds; 0 with fewer than two. */
    public double jitterSeconds(int i) {
        return intervals[i] < 2 ? 0 : Math.sqrt(Math.max(0, m2[i]) / (intervals[i] - 1));
    }

    /** Longest interval seen while learning, outliers included. */
    public double longestGapSeconds(int i) {
        return longestGapSeconds[i];
    }

    public long firstNanos(int i) {
        return firstNanos[i];
    }

    public long lastNanos(int i) {
        return lastNanos[i];
    }

    /** Records a response the polled device sent in one of its polls' protocols. */
    public void answered(long nowNanos) {
        if (nowNanos > lastAnsweredNanos) {
            if (nowNanos - lastAnsweredNanos > ANSWER_GAP_NANOS) {
                answeringSinceNanos = nowNanos;
            }
            lastAnsweredNanos = nowNanos;
        }
    }

    /** Whether the device was answering without a gap at capture time {@code nanos}, and still is since. */
    public boolean answeringThrough(long nanos) {
        return lastAnsweredNanos != 0 && answeringSinceNanos <= nanos && lastAnsweredNanos > nanos;
    }

    /** Capture time of the device's latest response, 0 when its responses are not seen. */
    public long lastAnsweredNanos() {
        return lastAnsweredNanos;
    }

    /** Whether any poll is in the protocol of this AppProtocol ordinal. */
    public boolean polls(int protocolOrdinal) {
        for (int i = 0; i < size; i++) {
            if (protocol[i] == protocolOrdinal) {
                return true;
            }
        }
        return false;
    }

    public boolean stopReported(int i) {
        return (marks[i] & 1) != 0;
    }

    public void markStopReported(int i, boolean reported) {
        marks[i] = (byte) (reported ? marks[i] | 1 : marks[i] & ~1);
    }

    public boolean changeReported(int i) {
        return (marks[i] & 2) != 0;
    }

    public void markChangeReported(int i) {
        marks[i] |= 2;
    }

    /** Heap of one instance, for {@link DeviceModel#maxBytes()}. */
    public static long bytes() {
        return 16 + MAX_POLLS * (8 + 4 + 8 + 8 + 1 + 4 + 8 + 4 + 8 + 8 + 8 + 8 + 8 + RECENT * 4 + 1 + 1 + 1)
            + RECENT * 4 + 19 * 16 + 4;
    }

    /** Saves the learned polls (not the recent intervals and alert marks, which are detection state). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(key[i]);
            out.writeInt(masterVlan[i]);
            out.writeLong(masterHi[i]);
            out.writeLong(masterLo[i]);
            out.writeByte(protocol[i]);
            out.writeInt(function[i]);
            out.writeLong(address[i]);
            out.writeInt(intervals[i]);
            out.writeDouble(meanSeconds[i]);
            out.writeDouble(m2[i]);
            out.writeDouble(longestGapSeconds[i]);
            out.writeLong(firstNanos[i]);
            out.writeLong(lastNanos[i]);
        }
    }

    public static PollSchedule readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_POLLS) {
            throw new IOException("corrupt poll schedule: " + n + " polls");
        }
        PollSchedule s = new PollSchedule();
        for (int i = 0; i < n; i++) {
            s.key[i] = in.readLong();
            s.masterVlan[i] = in.readInt();
            s.masterHi[i] = in.readLong();
            s.masterLo[i] = in.readLong();
            s.protocol[i] = in.readByte();
            s.function[i] = in.readInt();
            s.address[i] = in.readLong();
            s.intervals[i] = in.readInt();
            s.meanSeconds[i] = in.readDouble();
            s.m2[i] = in.readDouble();
            s.longestGapSeconds[i] = in.readDouble();
            s.firstNanos[i] = in.readLong();
            s.lastNanos[i] = in.readLong();
        }
        s.size = n;
        return s;
    }
}
