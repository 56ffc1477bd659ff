package io.vigil.detectors;

import io.vigil.baseline.FeatureKeys;
import io.vigil.protocols.IpAddresses;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The OT subnets of a site as the sensor learned them: the /24 (IPv4) or /64 (IPv6) of every
 * device that sent or received an industrial request while learning. Shared by the device shards
 * of one run (a source and its subnet's OT devices may live in different shards): a fixed
 * lock-free open-addressing set, written while learning and read on the hot path without
 * allocating. Holds up to {@link #CAPACITY} subnets; more are ignored (and counted).
 */
public final class OtZones {
    public static final int CAPACITY = 4096;
    private static final int SLOTS = CAPACITY * 2;

    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);
    private volatile long overflow;

    /** Key of the subnet of an address: never 0. */
    public static long subnet(long ipHi, long ipLo) {
        long raw = IpAddresses.isV4Mapped(ipHi, ipLo) ? 0x4L << 60 | (ipLo & 0xFFFF_FFFFL) >>> 8 : 0x6L << 60 ^ ipHi;
        long k = FeatureKeys.mix(raw);
        return k == 0 ? 1 : k;
    }

    /** "10.30.0.0/24" or "its /64". */
    public static String subnetText(long ipHi, long ipLo) {
        if (IpAddresses.isV4Mapped(ipHi, ipLo)) {
            return IpAddresses.toString(ipHi, ipLo & ~0xFFL) + "/24";
        }
        return IpAddresses.toString(ipHi, 0) + "/64";
    }

    public void add(long subnetKey) {
        int mask = SLOTS - 1;
        int i = (int) (subnetKey ^ subnetKey >>> 32) & mask;
        for (int probes = 0; probes < SLOTS; probes++) {
            long at = slots.get(i);
            if (at == subnetKey) {
                return;
            }
            if (at == 0) {
                if (size() >= CAPACITY) {
                    overflow++;
                    return;
                }
                if (slots.compareAndSet(i, 0, subnetKey)) {
                    return;
                }
                continue; // another shard took the slot: look at it again
            }
            i = (i + 1) & mask;
        }
    }

    public boolean contains(long subnetKey) {
        int mask = SLOTS - 1;
        int i = (int) (subnetKey ^ subnetKey >>> 32) & mask;
        for (int probes = 0; probes < SLOTS; probes++) {
            long at = slots.get(i);
            if (at == subnetKey) {
                return true;
            }
            if (at == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private int size() {
        // Only reached when a new subnet is added: rare, so a scan is cheaper than a shared counter.
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) != 0) {
                n++;
            }
        }
        return n;
    }

    public long overflow() {
        return overflow;
    }

    /** Writes the subnets, for a model file (every shard's detector shares this set; reading it twice adds nothing). */
    public void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(size());
        for (int i = 0; i < SLOTS; i++) {
            long at = slots.get(i);
            if (at != 0) {
                out.writeLong(at);
            }
        }
    }

    /** Adds the subnets written by {@link #writeTo}. */
    public void readFrom(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > CAPACITY) {
            throw new java.io.IOException("OT zone set of " + n + " subnets, at most " + CAPACITY);
        }
        for (int i = 0; i < n; i++) {
            add(in.readLong());
        }
    }
}
