package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The distinct values one device has shown for one kind of feature (its peers, the services it
 * uses, the operations it performs, ...), each with how often it was seen, and the statistic
 * that makes a new value calibrated rather than merely unseen.
 *
 * <p>Calibration follows Good–Turing: the probability that the next observation shows a value
 * never seen before is estimated by the share of observations whose value was seen exactly once
 * ({@link #missingMass()}). A workstation that meets new DNS names every hour has many
 * singletons and a high missing mass, so one more new name says little; a PLC that talked to the
 * same three peers a hundred thousand times has none, so a fourth peer is a rare event.
 * {@link #surpriseBits()} turns that into bits (−log2 of the estimate).
 *
 * <p>Observations are counted per time bucket: a value counts at most once per
 * {@code bucketSeconds} of capture time, so the statistics are about how many minutes a value was
 * present rather than how many packets carried it. A PLC polled over one persistent connection
 * for six hours has 360 observations of its one peer, not one (the connection) nor a million
 * (the polls), and a peer seen in a single minute is a singleton however chatty it was.
 *
 * <p>Keys are 64-bit hashes chosen by the caller (a peer's address and port, a function code and
 * register block, ...). Open addressing over parallel primitive arrays; the table grows by
 * doubling up to {@code maxKeys} and then stops storing new keys, counting them as
 * {@link #overflow()} instead: memory per set is bounded by {@link #bytesFor(int)}.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class FeatureSet {
    /** Key value that marks an empty slot; a caller key equal to it is remapped. */
    private static final long EMPTY = 0L;
    private static final long EMPTY_STAND_IN = 0x9E3779B97F4A7C15L;
    private static final int INITIAL_SLOTS = 8;
    /** Largest bound a model file may declare: above every kind's, so a corrupt size cannot exhaust the heap. */
    private static final int MAX_READABLE_KEYS = 1 << 20;

    private final int maxKeys;
    private final int bucketSeconds;
    private long[] keys;
    private int[] counts;
    /** Capture time (seconds) each key was first seen, for "first seen" in explanations. */
    private int[] firstSeenSeconds;
    /** Bucket in which each key was last counted. */
    private int[] lastBucket;
    private int size;
    private long observations;
    private int singletons;
    private long overflow;

    /** A set counting every observation (no time buckets). */
    public FeatureSet(int maxKeys) {
        this(maxKeys, 0);
    }

    /** @param bucketSeconds a key counts at most once per this many seconds; 0 counts every observation */
    public FeatureSet(int maxKeys, int bucketSeconds) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.bucketSeconds = Math.max(0, bucketSeconds);
        allocate(INITIAL_SLOTS);
    }

    private void allocate(int slots) {
        keys = new long[slots];
        counts = new int[slots];
        firstSeenSeconds = new int[slots];
        lastBucket = new int[slots];
    }

    /**
     * Counts one observation of {@code key} (unless it was already counted in the current time
     * bucket) and returns how often it had been counted before: 0 means new. A new key that no longer fits is counted in {@link #overflow()} and reported as
     * new every time (the device keeps producing unseen values: that is what the caller should
     * hear).
     */
    public int observe(long key, long nowSeconds) {
        long k = key == EMPTY ? EMPTY_STAND_IN : key;
        int bucket = bucketSeconds == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, nowSeconds) / bucketSeconds);
        int slot = find(k);
        if (slot >= 0) {
            int before = counts[slot];
            if (bucketSeconds != 0 && lastBucket[slot] == bucket) {
                return before;
            }
            lastBucket[slot] = bucket;
            observations++;
            if (before == 1) {
                singletons--;
            }
            if (before < Integer.MAX_VALUE) {
                counts[slot] = before + 1;
            }
            return before;
        }
        observations++;
        if (size >= maxKeys) {
            overflow++;
            return 0;
        }
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        slot = insertSlot(k);
        keys[slot] = k;
        counts[slot] = 1;
        firstSeenSeconds[slot] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, nowSeconds));
        lastBucket[slot] = bucket;
        size++;
        singletons++;
        return 0;
    }

    /** How often {@code key} was seen; 0 when never (or not stored). */
    public int count(long key) {
        int slot = find(key == EMPTY ? EMPTY_STAND_IN : key);
        return slot < 0 ? 0 : counts[slot];
    }

    public boolean contains(long key) {
        return find(key == EMPTY ? EMPTY_STAND_IN : key) >= 0;
    }

    /** Capture second {@code key} was first seen, or -1. */
    public long firstSeenSeconds(long key) {
        int slot = find(key == EMPTY ? EMPTY_STAND_IN : key);
        return slot < 0 ? -1 : firstSeenSeconds[slot];
    }

    /**
     * Good–Turing estimate of the probability that the next observation is a new value, with
     * add-half smoothing so that a set with few observations is not yet sure of anything:
     * (singletons + overflow + 0.5) / (observations + 1). Observations of keys that did not fit
     * were of values unseen at the time and count as singletons: without them, a DNS server whose
     * 512 stored clients repeat while thousands more keep arriving would look ever more settled,
     * and every further new client would be reported as rare.
     */
    public double missingMass() {
        return Math.min(1.0, (singletons + overflow + 0.5) / (observations + 1.0));
    }

    /** −log2 {@link #missingMass()}: about 1 bit for a fresh set, 17 bits after 100 000 repeats of the same values. */
    public double surpriseBits() {
        return -Math.log(missingMass()) / Math.log(2);
    }

    public int size() {
        return size;
    }

    public long observations() {
        return observations;
    }

    public int singletons() {
        return singletons;
    }

    /** Observations of new keys that did not fit under the bound. */
    public long overflow() {
        return overflow;
    }

    public int maxKeys() {
        return maxKeys;
    }

    /** Visits every stored key with its count; for persistence and output, not the hot path. */
    public void forEach(KeyVisitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                visitor.visit(keys[i] == EMPTY_STAND_IN ? EMPTY : keys[i], counts[i], firstSeenSeconds[i]);
            }
        }
    }

    /** Callback of {@link #forEach}. */
    @FunctionalInterface
    public interface KeyVisitor {
        void visit(long key, int count, long firstSeenSeconds);
    }

    /** Upper bound of the heap a set of {@code maxKeys} keys can reach: 20 bytes per slot at 3/4 load, plus headers. */
    public static long bytesFor(int maxKeys) {
        long slots = INITIAL_SLOTS;
        while (maxKeys * 4L > slots * 3) {
            slots <<= 1;
        }
        return 64 + 4 * 16 + slots * (8 + 4 + 4 + 4);
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
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        int[] oldFirst = firstSeenSeconds;
        int[] oldBucket = lastBucket;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = insertSlot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
                firstSeenSeconds[slot] = oldFirst[i];
                lastBucket[slot] = oldBucket[i];
            }
        }
    }

    /**
     * Writes the set for a model file: its bounds, statistics and every stored key with its count,
     * first-seen second and last bucket (20 bytes a key; empty slots are not written).
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(maxKeys);
        out.writeInt(bucketSeconds);
        out.writeInt(size);
        out.writeLong(observations);
        out.writeInt(singletons);
        out.writeLong(overflow);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                out.writeLong(keys[i]);
                out.writeInt(counts[i]);
                out.writeInt(firstSeenSeconds[i]);
                out.writeInt(lastBucket[i]);
            }
        }
    }

    /** Reads a set written by {@link #writeTo}; a size beyond its own bound is a corrupt file. */
    public static FeatureSet readFrom(DataInput in) throws IOException {
        int maxKeys = in.readInt();
        int bucketSeconds = in.readInt();
        int size = in.readInt();
        if (maxKeys < 1 || maxKeys > MAX_READABLE_KEYS || size < 0 || size > maxKeys || bucketSeconds < 0) {
            throw new IOException("feature set with " + size + " of " + maxKeys + " keys");
        }
        FeatureSet s = new FeatureSet(maxKeys, bucketSeconds);
        s.observations = in.readLong();
        s.singletons = in.readInt();
        s.overflow = in.readLong();
        int slots = INITIAL_SLOTS;
        while (size * 4L > slots * 3L) {
            slots <<= 1;
        }
        s.allocate(slots);
        for (int n = 0; n < size; n++) {
            long k = in.readLong();
            if (k == EMPTY || s.find(k) >= 0) {
                throw new IOException("feature set with an empty or repeated key");
            }
            int slot = s.insertSlot(k);
            s.keys[slot] = k;
            s.counts[slot] = in.readInt();
            s.firstSeenSeconds[slot] = in.readInt();
            s.lastBucket[slot] = in.readInt();
        }
        s.size = size;
        return s;
    }

    /**
     * Adds another set's keys and counts to this one, as if its observations had been made here;
     * for merging shard-wide state saved under a different shard count, not the hot path.
     */
    public void absorb(FeatureSet other) {
        for (int i = 0; i < other.keys.length; i++) {
            long k = other.keys[i];
            if (k == EMPTY) {
                continue;
            }
            int slot = find(k);
            if (slot < 0) {
                if (size >= maxKeys) {
                    overflow += other.counts[i];
                    observations += other.counts[i];
                    continue;
                }
                if ((size + 1) * 4 > keys.length * 3) {
                    grow();
                }
                slot = insertSlot(k);
                keys[slot] = k;
                firstSeenSeconds[slot] = other.firstSeenSeconds[i];
                lastBucket[slot] = other.lastBucket[i];
                size++;
            } else {
                firstSeenSeconds[slot] = Math.min(firstSeenSeconds[slot], other.firstSeenSeconds[i]);
                lastBucket[slot] = Math.max(lastBucket[slot], other.lastBucket[i]);
            }
            if (counts[slot] == 1) {
                singletons--;
            }
            counts[slot] = (int) Math.min(Integer.MAX_VALUE, (long) counts[slot] + other.counts[i]);
            if (counts[slot] == 1) {
                singletons++;
            }
            observations += other.counts[i];
        }
        overflow += other.overflow;
    }

    /** Keys are often small integers or packed fields: spread them before masking. */
    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
