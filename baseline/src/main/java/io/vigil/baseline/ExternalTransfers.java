package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A device's traffic to external addresses: which ones it used while learning (up to
 * {@link #MAX_DESTINATIONS}) and the most it sent to external addresses in one clock hour; in
 * detection, the bytes it sent to up to {@link #RECENT} external addresses it never used, over
 * the last {@link #RECENT_SECONDS}, so an upload split over many connections adds up.
 *
 * <p>Memory {@link #bytes()}. The recent destinations and the current hour's sum are transient
 * and not saved by {@link #writeTo}.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class ExternalTransfers {
    public static final int MAX_DESTINATIONS = 256;
    public static final int RECENT = 8;
    public static final long RECENT_SECONDS = 3600;

    private final BoundedLongSet learned;
    private long learnedMaxHourBytes;
    private long hourIndex = Long.MIN_VALUE;
    private long hourBytes;

    private final long[] recentKey = new long[RECENT];
    private final long[] recentHi = new long[RECENT];
    private final long[] recentLo = new long[RECENT];
    private final long[] recentBytes = new long[RECENT];
    private final long[] recentFirstNanos = new long[RECENT];
    private final long[] recentLastNanos = new long[RECENT];
    private int recentSize;

    public ExternalTransfers() {
        this(new BoundedLongSet(MAX_DESTINATIONS));
    }

    private ExternalTransfers(BoundedLongSet learned) {
        this.learned = learned;
    }

    /** Learning: the device used this external address. */
    public void learnDestination(long destination) {
        learned.add(destination);
    }

    /** Learning: the device sent {@code bytes} to an external address. */
    public void learnBytes(long nowNanos, long bytes) {
        long hour = Math.floorDiv(nowNanos, 3_600_000_000_000L);
        if (hour != hourIndex) {
            hourIndex = hour;
            hourBytes = 0;
        }
        hourBytes += Math.max(0, bytes);
        learnedMaxHourBytes = Math.max(learnedMaxHourBytes, hourBytes);
    }

    public boolean used(long destination) {
        return learned.contains(destination);
    }

    /**
     * Detection: the device sent {@code bytes} to an external address it never used; returns the
     * entry whose {@link #recentBytes} now holds the sum over the last {@link #RECENT_SECONDS}.
     */
    public int sentToNew(long destination, long ipHi, long ipLo, long bytes, long nowNanos) {
        int i = -1;
        for (int j = 0; j < recentSize; j++) {
            if (recentKey[j] == destination) {
                i = j;
                break;
            }
        }
        if (i >= 0 && nowNanos - recentFirstNanos[i] > RECENT_SECONDS * 1_000_000_000L) {
            recentBytes[i] = 0;
            recentFirstNanos[i] = nowNanos;
        }
        if (i < 0) {
            i = recentSize < RECENT ? recentSize++ : leastRecent();
            recentKey[i] = destination;
            recentHi[i] = ipHi;
            recentLo[i] = ipLo;
            recentBytes[i] = 0;
            recentFirstNanos[i] = nowNanos;
        }
        recentBytes[i] += Math.max(0, bytes);
        recentLastNanos[i] = Math.max(recentLastNanos[i], nowNanos);
        return i;
    }

    private int leastRecent() {
        int lru = 0;
        for (int j = 1; j < recentSize; j++) {
            if (recentLastNanos[j] < recentLastNanos[lru]) {
                lru = j;
            }
        }
        return lru;
    }

    public long recentBytes(int i) {
        return recentBytes[i];
    }

    public long recentFirstNanos(int i) {
        return recentFirstNanos[i];
    }

    public long learnedMaxHourBytes() {
        return learnedMaxHourBytes;
    }

    public int learnedDestinations() {
        return learned.size();
    }

    /** True when more external addresses were used while learning than could be stored. */
    public boolean learnedOverflowed() {
        return learned.overflow() > 0;
    }

    public static long bytes() {
        return 16 + BoundedLongSet.bytesFor(MAX_DESTINATIONS) + 8 * 4 + RECENT * 6 * 8 + 6 * 16 + 4;
    }

    /** Saves what was learned (recent destinations and the current hour are transient). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(learnedMaxHourBytes);
        learned.writeTo(out);
    }

    public static ExternalTransfers readFrom(DataInput in) throws IOException {
        long maxHour = in.readLong();
        ExternalTransfers t = new ExternalTransfers(BoundedLongSet.readFrom(in));
        t.learnedMaxHourBytes = maxHour;
        return t;
    }
}
