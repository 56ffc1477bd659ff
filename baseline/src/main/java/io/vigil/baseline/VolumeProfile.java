package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What a device sends per {@link #WINDOW_SECONDS} of capture time — bytes, packets, flows it
 * opened, distinct peers it opened them to — and the largest window of each while learning,
 * overall and per hour of the day (UTC), so a night-time burst is judged against the nights
 * once learning has covered a day.
 *
 * <p>Bytes arrive with flow records (FLOW_PROGRESS while a flow runs, FLOW_END for the rest),
 * so a window holds what flows reported in it; learning sees the same lumps, which keeps the
 * comparison fair. Distinct peers are a 256-bit linear-counting sketch (about 2 % error up to
 * a few hundred peers).
 *
 * <p>Memory {@link #bytes()}. The current window is transient and not saved by {@link #writeTo}.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class VolumeProfile {
    public static final int WINDOW_SECONDS = 300;
    public static final int BYTES = 0;
    public static final int PACKETS = 1;
    public static final int FLOWS = 2;
    public static final int PEERS = 3;
    public static final int MEASURES = 4;
    static final int HOURS = 24;
    private static final int SKETCH_BITS = 256;

    private long windowIndex = Long.MIN_VALUE;
    private final long[] current = new long[MEASURES];
    private final long[] peerBits = new long[SKETCH_BITS / 64];
    private final long[] learnedMax = new long[MEASURES];
    private final long[] hourMax = new long[HOURS * MEASURES];
    private final int[] hourWindows = new int[HOURS];
    private long learnedWindows;
    /** Bit per measure already reported in the current window (transient). */
    private int reported;

    /**
     * Adds what the device sent ({@code peer} 0 when the observation opened no flow). A window that
     * closes is learned when it lay before the one holding {@code learnedUntilNanos}.
     */
    public void add(long nowNanos, long bytes, long packets, int flows, long peer, long learnedUntilNanos) {
        long index = Math.floorDiv(nowNanos, WINDOW_SECONDS * 1_000_000_000L);
        if (index > windowIndex) {
            if (windowIndex != Long.MIN_VALUE
                && windowIndex < Math.floorDiv(learnedUntilNanos, WINDOW_SECONDS * 1_000_000_000L)) {
                learn();
            }
            windowIndex = index;
            reported = 0;
            java.util.Arrays.fill(current, 0);
            java.util.Arrays.fill(peerBits, 0);
        }
        current[BYTES] += Math.max(0, bytes);
        current[PACKETS] += Math.max(0, packets);
        current[FLOWS] += flows;
        if (peer != 0) {
            int bit = (int) (FeatureKeys.mix(peer) >>> 56);
            peerBits[bit >>> 6] |= 1L << (bit & 63);
        }
    }

    private void learn() {
        int hour = hourOf(windowIndex * WINDOW_SECONDS);
        hourWindows[hour]++;
        learnedWindows++;
        for (int m = 0; m < MEASURES; m++) {
            long v = current(m);
            learnedMax[m] = Math.max(learnedMax[m], v);
            hourMax[hour * MEASURES + m] = Math.max(hourMax[hour * MEASURES + m], v);
        }
    }

    /** Hour of the day (UTC) of a capture time in seconds. */
    public static int hourOf(long epochSeconds) {
        return (int) Math.floorMod(Math.floorDiv(epochSeconds, 3600), HOURS);
    }

    /** The current window's value of a measure (peers estimated). */
    public long current(int measure) {
        if (measure != PEERS) {
            return current[measure];
        }
        int zeros = 0;
        for (long w : peerBits) {
            zeros += Long.bitCount(~w);
        }
        if (zeros == 0) {
            return Math.round(SKETCH_BITS * Math.log(SKETCH_BITS));
        }
        return Math.round(-SKETCH_BITS * Math.log((double) zeros / SKETCH_BITS));
    }

    /** Whether a spike of this measure was already reported in the current window. */
    public boolean reported(int measure) {
        return (reported & 1 << measure) != 0;
    }

    public void markReported(int measure) {
        reported |= 1 << measure;
    }

    /** Start of the current window, in capture seconds. */
    public long windowStartSeconds() {
        return windowIndex * WINDOW_SECONDS;
    }

    public long learnedMax(int measure) {
        return learnedMax[measure];
    }

    public long hourMax(int hour, int measure) {
        return hourMax[hour * MEASURES + measure];
    }

    /** Windows with traffic learned in this hour of the day. */
    public int hourWindows(int hour) {
        return hourWindows[hour];
    }

    public long learnedWindows() {
        return learnedWindows;
    }

    public static long bytes() {
        return 16 + 8 + 8 + 4 * 16 + MEASURES * 8 + SKETCH_BITS / 8 + MEASURES * 8 + HOURS * MEASURES * 8 + HOURS * 4;
    }

    /** Saves what was learned (the current window is transient). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(learnedWindows);
        for (long v : learnedMax) {
            out.writeLong(v);
        }
        for (long v : hourMax) {
            out.writeLong(v);
        }
        for (int v : hourWindows) {
            out.writeInt(v);
        }
    }

    public static VolumeProfile readFrom(DataInput in) throws IOException {
        VolumeProfile p = new VolumeProfile();
        p.learnedWindows = in.readLong();
        for (int i = 0; i < p.learnedMax.length; i++) {
            p.learnedMax[i] = in.readLong();
        }
        for (int i = 0; i < p.hourMax.length; i++) {
            p.hourMax[i] = in.readLong();
        }
        for (int i = 0; i < p.hourWindows.length; i++) {
            p.hourWindows[i] = in.readInt();
        }
        return p;
    }
}
