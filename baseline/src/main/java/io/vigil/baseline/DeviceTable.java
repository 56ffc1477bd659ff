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
    private static final int EMPTY = -1;

    private final int maxDevices;
    private final int mask;
    private final int[] index;
    private final long[] keyHi;
    private final long[] keyLo;
    private final int[] keyVlan;
    private final Device[] devices;
    private int size;
    private long overflows;

    public DeviceTable(int maxDevices) {
        if (maxDevices < 1) {
            throw new IllegalArgumentException("maxDevices must be positive: " + maxDevices);
        }
        this.maxDevices = maxDevices;
        int buckets = Integer.highestOneBit(Math.max(2, maxDevices) * 2 - 1) << 1;
        this.mask = buckets - 1;
        this.index = new int[buckets];
        java.util.Arrays.fill(index, EMPTY);
        this.keyHi = new long[buckets];
        this.keyLo = new long[buckets];
        this.keyVlan = new int[buckets];
        this.devices = new Device[maxDevices];
    }

    /** The device, or null when unknown. */
    public Device find(int vlan, long ipHi, long ipLo) {
        int slot = slotOf(vlan, ipHi, ipLo);
        int i = index[slot];
        return i == EMPTY ? null : devices[i];
    }

    /** The device, created on first sight; null only when the table is full. */
    public Device findOrCreate(int vlan, long ipHi, long ipLo, long nowNanos) {
        int slot = slotOf(vlan, ipHi, ipLo);
        int i = index[slot];
        if (i != EMPTY) {
            return devices[i];
        }
        if (size == maxDevices) {
            overflows++;
            return null;
        }
        Device d = new Device(vlan, ipHi, ipLo, nowNanos);
        devices[size] = d;
        index[slot] = size++;
        keyHi[slot] = ipHi;
        keyLo[slot] = ipLo;
        keyVlan[slot] = vlan;
        return d;
    }

    /** Linear probing: the slot holding this key, or the empty slot where it belongs. */
    private int slotOf(int vlan, long ipHi, long ipLo) {
        int slot = hash(vlan, ipHi, ipLo) & mask;
        while (index[slot] != EMPTY && (keyLo[slot] != ipLo || keyHi[slot] != ipHi || keyVlan[slot] != vlan)) {
            slot = (slot + 1) & mask;
        }
        return slot;
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

    /** A copy of the device list, for reports; not for the hot path. */
    public List<Device> devices() {
        List<Device> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(devices[i]);
        }
        return list;
    }
}
