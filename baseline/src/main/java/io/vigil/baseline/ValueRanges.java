package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The range of values written to each target of a device (a register block, a BACnet object
 * property, an OPC UA node): minimum, maximum and count, so that a set-point written far outside
 * what operators have ever written is visible. Bounded at {@link #MAX_TARGETS} targets (further
 * targets are counted, not stored).
 */
public final class ValueRanges {
    public static final int MAX_TARGETS = 128;
    private static final int SLOTS = 256;

    private final long[] target = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final double[] min = new double[SLOTS];
    private final double[] max = new double[SLOTS];
    private final long[] count = new long[SLOTS];
    private int size;
    private long overflow;

    /** Adds one written value; NaN and infinities are ignored. */
    public void add(long key, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        int i = slot(key);
        if (!used[i]) {
            if (size == MAX_TARGETS) {
                overflow++;
                return;
            }
            used[i] = true;
            target[i] = key;
            min[i] = value;
            max[i] = value;
            size++;
        } else {
            min[i] = Math.min(min[i], value);
            max[i] = Math.max(max[i], value);
        }
        count[i]++;
    }

    /** Slot of a stored target, -1 when not stored. */
    public int find(long key) {
        int i = slot(key);
        return used[i] ? i : -1;
    }

    public double min(int slot) {
        return min[slot];
    }

    public double max(int slot) {
        return max[slot];
    }

    public long count(int slot) {
        return count[slot];
    }

    public int size() {
        return size;
    }

    public long overflow() {
        return overflow;
    }

    private int slot(long key) {
        int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 56);
        while (used[i] && target[i] != key) {
            i = (i + 1) & (SLOTS - 1);
        }
        return i;
    }

    /** Writes the stored targets only (the table is mostly empty). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(size);
        out.writeLong(overflow);
        for (int i = 0; i < SLOTS; i++) {
            if (used[i]) {
                out.writeLong(target[i]);
                out.writeDouble(min[i]);
                out.writeDouble(max[i]);
                out.writeLong(count[i]);
            }
        }
    }

    public static ValueRanges readFrom(DataInput in) throws IOException {
        ValueRanges r = new ValueRanges();
        int size = in.readInt();
        if (size < 0 || size > MAX_TARGETS) {
            throw new IOException("value ranges with " + size + " targets");
        }
        r.overflow = in.readLong();
        for (int n = 0; n < size; n++) {
            long key = in.readLong();
            int i = r.slot(key);
            if (r.used[i]) {
                throw new IOException("value ranges with a repeated target");
            }
            r.used[i] = true;
            r.target[i] = key;
            r.min[i] = in.readDouble();
            r.max[i] = in.readDouble();
            r.count[i] = in.readLong();
        }
        r.size = size;
        return r;
    }

    public static long bytes() {
        return 16 + SLOTS * (8 + 1 + 8 + 8 + 8) + 5 * 16;
    }
}
