package io.vigil.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * Devices of one shard, found by (VLAN, IP) through an open-addressed primitive index so that a
 * lookup allocates nothing; only a device's first appearance allocates its {@link Device}.
 *
 * <p>Bounded: at {@code maxDevices} new addresses are counted in {@link #overflows()} and not
 * tracked, so a spoofed-source flood cannot exhaust the heap.
 */
public final class DeviceTable {
    /** Longs per bucket: address low word, address high word, VLAN and device index + 1 (0 = empty). */
    private static final int STRIDE = 3;

    private final int maxDevices;
    private final int mask;
    /** One bucket's key and value share a cache line, so a probe costs one miss, not four. */
    private final long[] buckets;
    private final Device[] devices;
    private int size;
    private long overflows;
    /**
     * The last two devices found or created. The inventory looks up an observation's source and
     * destination, then the detection engine looks up the same two: with 256 k devices the bucket
     * array is 12 MB, and each repeated probe was a cache miss. Safe because entries are never
     * removed or replaced.
     */
    private Device recent;
    private Device previous;

    public DeviceTable(int maxDevices) {
        if (maxDevices < 1) {
            throw new IllegalArgumentException("maxDevices must be positive: " + maxDevices);
        }
        this.maxDevices = maxDevices;
        int count = Integer.highestOneBit(Math.max(2, maxDevices) * 2 - 1) << 1;
        this.mask = count - 1;
        this.buckets = new long[count * STRIDE];
        this.devices = new Device[maxDevices];
    }

    /** The device, or null when unknown. */
    public Device find(int vlan, long ipHi, long ipLo) {
        Device r = recent;
        if (r != null && r.ipLo() == ipLo && r.ipHi() == ipHi && r.vlan() == vlan) {
            return r;
        }
        Device p = previous;
        if (p != null && p.ipLo() == ipLo && p.ipHi() == ipHi && p.vlan() == vlan) {
            return p;
        }
        int b = bucketOf(vlan, ipHi, ipLo);
        long meta = buckets[b + 2];
        return meta == 0 ? null : remember(devices[(int) meta - 1]);
    }

    private Device remember(Device d) {
        previous = recent;
        recent = d;
        return d;
    }

    /** The device, created on first sight; null only when the table is full. */
    public Device findOrCreate(int vlan, long ipHi, long ipLo, long nowNanos) {
        int b = bucketOf(vlan, ipHi, ipLo);
        long meta = buckets[b + 2];
        if (meta != 0) {
            return remember(devices[(int) meta - 1]);
        }
        if (size == maxDevices) {
            overflows++;
            return null;
        }
        Device d = new Device(vlan, ipHi, ipLo, nowNanos);
        devices[size++] = d;
        buckets[b] = ipLo;
        buckets[b + 1] = ipHi;
        buckets[b + 2] = ((long) vlan << 32) | size;
        return remember(d);
    }

    /**
     * Adds a device read from a model file; false when the table is full or already holds its
     * address (the caller reports that). Not for the hot path.
     */
    public boolean add(Device d) {
        int b = bucketOf(d.vlan(), d.ipHi(), d.ipLo());
        if (buckets[b + 2] != 0 || size == maxDevices) {
            return false;
        }
        devices[size++] = d;
        buckets[b] = d.ipLo();
        buckets[b + 1] = d.ipHi();
        buckets[b + 2] = ((long) d.vlan() << 32) | size;
        return true;
    }

    /** Linear probing: the bucket holding this key, or the empty bucket where it belongs (an array index). */
    private int bucketOf(int vlan, long ipHi, long ipLo) {
        int slot = hash(vlan, ipHi, ipLo) & mask;
        while (true) {
            int b = slot * STRIDE;
            long meta = buckets[b + 2];
            if (meta == 0 || (buckets[b] == ipLo && buckets[b + 1] == ipHi && (int) (meta >>> 32) == vlan)) {
                return b;
            }
            slot = (slot + 1) & mask;
        }
    }

    static int hash(int vlan, long ipHi, long ipLo) {
        long h = ipLo * 0x9E3779B97F4A7C15L ^ ipHi * 0xC2B2AE3D27D4EB4FL ^ vlan * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    public int size() {
        return size;
    }

    public long overflows() {
        return overflows;
    }

    /** The device at {@code index} (0 to {@link #size()} - 1, in order of appearance); stable for the table's life. */
    public Device device(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return devices[index];
    }

    /** A copy of the device list, for reports; not for the hot path. */
    public List<Device> devices() {
        List<Device> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(devices[i]);
        }
        return list;
    }
}
