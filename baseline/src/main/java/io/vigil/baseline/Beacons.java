package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Connection timing per external destination of one device: how many connections, and the mean
 * and variance of the intervals between their starts (Welford's running form), for the
 * {@link #MAX_DESTINATIONS} destinations seen most recently. A beacon is many connections at a
 * steady interval; people and most software are not that regular.
 */
public final class Beacons {
    public static final int MAX_DESTINATIONS = 16;

    private final long[] destination = new long[MAX_DESTINATIONS];
    private final long[] lastStartNanos = new long[MAX_DESTINATIONS];
    private final long[] lastUsedNanos = new long[MAX_DESTINATIONS];
    private final int[] connections = new int[MAX_DESTINATIONS];
    private final double[] meanSeconds = new double[MAX_DESTINATIONS];
    private final double[] m2 = new double[MAX_DESTINATIONS];
    private int size;

    /** Records a connection start to {@code dest}; returns its entry. */
    public int connect(long dest, long nowNanos) {
        int i = find(dest);
        if (i < 0) {
            i = size < MAX_DESTINATIONS ? size++ : leastRecentlyUsed();
            destination[i] = dest;
            connections[i] = 1;
            meanSeconds[i] = 0;
            m2[i] = 0;
            lastStartNanos[i] = nowNanos;
            lastUsedNanos[i] = nowNanos;
            return i;
        }
        double interval = (nowNanos - lastStartNanos[i]) / 1e9;
        int n = connections[i]; // intervals so far = n - 1; this is interval number n
        double delta = interval - meanSeconds[i];
        meanSeconds[i] += delta / n;
        m2[i] += delta * (interval - meanSeconds[i]);
        connections[i] = n + 1;
        lastStartNanos[i] = nowNanos;
        lastUsedNanos[i] = nowNanos;
        return i;
    }

    private int find(long dest) {
        for (int i = 0; i < size; i++) {
            if (destination[i] == dest) {
                return i;
            }
        }
        return -1;
    }

    private int leastRecentlyUsed() {
        int lru = 0;
        for (int i = 1; i < size; i++) {
            if (lastUsedNanos[i] < lastUsedNanos[lru]) {
                lru = i;
            }
        }
        return lru;
    }

    public int connections(int i) {
        return connections[i];
    }

    public double meanIntervalSeconds(int i) {
        return meanSeconds[i];
    }

    /** Standard deviation of the intervals over their mean; NaN with fewer than two intervals. */
    public double jitter(int i) {
        int intervals = connections[i] - 1;
        if (intervals < 2 || meanSeconds[i] <= 0) {
            return Double.NaN;
        }
        return Math.sqrt(m2[i] / (intervals - 1)) / meanSeconds[i];
    }

    /** Writes the entries in order, so the least recently used one stays the same after a load. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(destination[i]);
            out.writeLong(lastStartNanos[i]);
            out.writeLong(lastUsedNanos[i]);
            out.writeInt(connections[i]);
            out.writeDouble(meanSeconds[i]);
            out.writeDouble(m2[i]);
        }
    }

    public static Beacons readFrom(DataInput in) throws IOException {
        Beacons b = new Beacons();
        int size = in.readUnsignedByte();
        if (size > MAX_DESTINATIONS) {
            throw new IOException("beacons with " + size + " destinations");
        }
        for (int i = 0; i < size; i++) {
            b.destination[i] = in.readLong();
            b.lastStartNanos[i] = in.readLong();
            b.lastUsedNanos[i] = in.readLong();
            b.connections[i] = in.readInt();
            b.meanSeconds[i] = in.readDouble();
            b.m2[i] = in.readDouble();
        }
        b.size = size;
        return b;
    }

    public static long bytes() {
        return 16 + MAX_DESTINATIONS * (8 + 8 + 8 + 4 + 8 + 8) + 6 * 16;
    }
}
