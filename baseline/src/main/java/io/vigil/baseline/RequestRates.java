package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Requests a device receives (connections opened to it, industrial requests) per 1 s and per 10 s
 * of capture time, in total and from its busiest peer, with the maxima those windows reached while
 * learning: what a request flood is judged against.
 *
 * <p>Windows are aligned to the second and to ten seconds. Per window at most {@link #PEERS} peers
 * are counted apart (a flood from thousands of spoofed sources shows in the total instead).
 * Memory {@link #bytes()}. The current windows are transient and not saved by {@link #writeTo}.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class RequestRates {
    public static final int PEERS = 8;
    static final long SHORT_NANOS = 1_000_000_000L;
    static final long LONG_NANOS = 10_000_000_000L;

    private final Window shortWindow = new Window(SHORT_NANOS);
    private final Window longWindow = new Window(LONG_NANOS);
    private long learnedShortMax;
    private long learnedShortPeerMax;
    private long learnedLongMax;
    private long learnedLongPeerMax;
    /** Windows of one second with at least one request while learning: how much the maxima rest on. */
    private long learnedBusySeconds;

    /**
     * Counts one request from {@code peer} at {@code nowNanos}. A window that closes raises the
     * learned maxima when it lay before the window holding {@code learnedUntilNanos} (the end of
     * learning): the window straddling it may already hold the first requests of an attack.
     */
    public void add(long peer, long nowNanos, long learnedUntilNanos) {
        close(shortWindow, nowNanos, learnedUntilNanos);
        close(longWindow, nowNanos, learnedUntilNanos);
        shortWindow.add(peer);
        longWindow.add(peer);
    }

    private void close(Window w, long nowNanos, long learnedUntilNanos) {
        long index = Math.floorDiv(nowNanos, w.lengthNanos);
        if (index == w.index) {
            return;
        }
        if (w.index != Long.MIN_VALUE && w.index < Math.floorDiv(learnedUntilNanos, w.lengthNanos)) {
            foldIntoLearned(w);
        }
        w.reset(index);
    }

    private void foldIntoLearned(Window w) {
        if (w.total == 0) {
            return;
        }
        if (w == shortWindow) {
            learnedShortMax = Math.max(learnedShortMax, w.total);
            learnedShortPeerMax = Math.max(learnedShortPeerMax, w.peerMax());
            learnedBusySeconds++;
        } else {
            learnedLongMax = Math.max(learnedLongMax, w.total);
            learnedLongPeerMax = Math.max(learnedLongPeerMax, w.peerMax());
        }
    }

    /** Whether a flood was already reported in the current 10 s window (transient). */
    public boolean reportedInWindow() {
        return longWindow.reported;
    }

    public void markReported() {
        longWindow.reported = true;
    }

    public long shortTotal() {
        return shortWindow.total;
    }

    public long longTotal() {
        return longWindow.total;
    }

    /** Requests from {@code peer} in the current 1 s window (0 when it is not among the counted peers). */
    public long shortFrom(long peer) {
        return shortWindow.from(peer);
    }

    public long longFrom(long peer) {
        return longWindow.from(peer);
    }

    public long learnedShortMax() {
        return learnedShortMax;
    }

    public long learnedShortPeerMax() {
        return learnedShortPeerMax;
    }

    public long learnedLongMax() {
        return learnedLongMax;
    }

    public long learnedLongPeerMax() {
        return learnedLongPeerMax;
    }

    public long learnedBusySeconds() {
        return learnedBusySeconds;
    }

    public static long bytes() {
        return 16 + 2 * (16 + 8 + 8 + 8 + 4 + 16 + PEERS * 8 + 16 + PEERS * 8) + 5 * 8;
    }

    /** Saves the learned maxima (the current windows are transient). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(learnedShortMax);
        out.writeLong(learnedShortPeerMax);
        out.writeLong(learnedLongMax);
        out.writeLong(learnedLongPeerMax);
        out.writeLong(learnedBusySeconds);
    }

    public static RequestRates readFrom(DataInput in) throws IOException {
        RequestRates r = new RequestRates();
        r.learnedShortMax = in.readLong();
        r.learnedShortPeerMax = in.readLong();
        r.learnedLongMax = in.readLong();
        r.learnedLongPeerMax = in.readLong();
        r.learnedBusySeconds = in.readLong();
        return r;
    }

    /** One aligned window: the total and the first {@link #PEERS} peers' counts. */
    private static final class Window {
        final long lengthNanos;
        long index = Long.MIN_VALUE;
        long total;
        int peers;
        boolean reported;
        final long[] peer = new long[PEERS];
        final long[] count = new long[PEERS];

        Window(long lengthNanos) {
            this.lengthNanos = lengthNanos;
        }

        void reset(long newIndex) {
            index = newIndex;
            reported = false;
            total = 0;
            peers = 0;
        }

        void add(long p) {
            total++;
            for (int i = 0; i < peers; i++) {
                if (peer[i] == p) {
                    count[i]++;
                    return;
                }
            }
            if (peers < PEERS) {
                peer[peers] = p;
                count[peers++] = 1;
            }
        }

        long from(long p) {
            for (int i = 0; i < peers; i++) {
                if (peer[i] == p) {
                    return count[i];
                }
            }
            return 0;
        }

        long peerMax() {
            long m = 0;
            for (int i = 0; i < peers; i++) {
                m = Math.max(m, count[i]);
            }
            return m;
        }
    }
}
