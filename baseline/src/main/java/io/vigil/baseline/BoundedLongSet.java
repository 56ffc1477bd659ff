package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A set of 64-bit keys (peer keys, addresses) that grows by doubling from 8 slots up to a fixed
 * number of keys and then stops storing new ones, counting them as {@link #overflow()}. Open
 * addressing over one primitive array: no allocation except when it grows.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class BoundedLongSet {
    private static final long EMPTY = 0L;
    private static final long EMPTY_STAND_IN = 0x9E3779B97F4A7C15L;
    private static final int INITIAL_SLOTS = 8;

    private final int maxKeys;
    private long[] keys = new long[INITIAL_SLOTS];
    private int size;
    private long overflow;

    public BoundedLongSet(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /** Adds {@code key}; returns true when it was not in the set before (also when it no longer fits). */
    public boolean add(long key) {
        long k = key == EMPTY ? EMPTY_STAND_IN : key;
        if (find(k) >= 0) {
            return false;
        }
        if (size >= maxKeys) {
            overflow++;
            return true;
        }
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        keys[insertSlot(k)] = k;
        size++;
        return true;
    }

    public boolean contains(long key) {
        return find(key == EMPTY ? EMPTY_STAND_IN : key) >= 0;
    }

    public int size() {
        return size;
    }

    public int maxKeys() {
        return maxKeys;
    }

    /** Keys that did not fit under the bound. */
    public long overflow() {
        return overflow;
    }

    /** Upper bound of the heap of a set of {@code maxKeys} keys: 8 bytes a slot at 3/4 load, plus headers. */
    public static long bytesFor(int maxKeys) {
        long slots = INITIAL_SLOTS;
        while (maxKeys * 4L > slots * 3) {
            slots <<= 1;
        }
        return 16 + 4 + 4 + 8 + 16 + slots * 8;
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(maxKeys);
        out.writeInt(size);
        out.writeLong(overflow);
        for (long k : keys) {
            if (k != EMPTY) {
                out.writeLong(k);
            }
        }
    }

    public static BoundedLongSet readFrom(DataInput in) throws IOException {
        int maxKeys = in.readInt();
        int n = in.readInt();
        if (maxKeys < 1 || n < 0 || n > maxKeys) {
            throw new IOException("corrupt set: " + n + " of " + maxKeys + " keys");
        }
        BoundedLongSet s = new BoundedLongSet(maxKeys);
        long overflow = in.readLong();
        for (int i = 0; i < n; i++) {
            s.add(in.readLong()); // stored keys are never EMPTY: the stand-in round-trips as itself
        }
        s.overflow = overflow;
        return s;
    }

    private int find(long k) {
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (true) {
            long at = keys[i];
            if (at == k) {
                return i;
            }
            if (at == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private int insertSlot(long k) {
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        for (long k : old) {
            if (k != EMPTY) {
                keys[insertSlot(k)] = k;
            }
        }
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
