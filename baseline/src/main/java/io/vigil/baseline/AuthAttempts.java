package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Connections a device accepts on its authentication services (SSH, Telnet, FTP, RDP, SMB, VNC),
 * per client and port: the starts of the last {@link #RING} within a sliding window, and the most
 * one client made within {@link #WINDOW_SECONDS} while learning. Each connection to a login
 * service is an attempt; a guesser makes many short ones.
 *
 * <p>Bounded: {@link #PAIRS} client/port pairs are followed at a time (least recently used goes),
 * {@link #LEARNED} learned maxima are kept (the smallest goes). Memory {@link #bytes()}. Only the
 * learned maxima are saved by {@link #writeTo}; the recent starts are transient.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class AuthAttempts {
    public static final int PAIRS = 8;
    public static final int RING = 16;
    public static final int LEARNED = 16;
    public static final long WINDOW_SECONDS = 120;

    private final long[] pair = new long[PAIRS];
    private final long[] lastNanos = new long[PAIRS];
    private final long[] starts = new long[PAIRS * RING];
    private final int[] count = new int[PAIRS];
    private final int[] next = new int[PAIRS];
    private int pairs;

    private final long[] learnedPair = new long[LEARNED];
    private final int[] learnedMax = new int[LEARNED];
    private int learnedSize;

    /** Key of a client on a port of this device. */
    public static long pairKey(long clientPeer, int port) {
        return FeatureKeys.mix(clientPeer ^ (long) port * 0x9E3779B97F4A7C15L);
    }

    /**
     * Counts one connection start; returns how many the pair made within {@link #WINDOW_SECONDS}
     * up to now, this one included. While {@code learning} the learned maximum of the pair rises.
     */
    public int attempt(long pairKey, long nowNanos, boolean learning) {
        int i = -1;
        for (int j = 0; j < pairs; j++) {
            if (pair[j] == pairKey) {
                i = j;
                break;
            }
        }
        if (i < 0) {
            i = pairs < PAIRS ? pairs++ : leastRecent();
            pair[i] = pairKey;
            count[i] = 0;
            next[i] = 0;
        }
        lastNanos[i] = nowNanos;
        starts[i * RING + next[i]] = nowNanos;
        next[i] = (next[i] + 1) % RING;
        if (count[i] < RING) {
            count[i]++;
        }
        long from = nowNanos - WINDOW_SECONDS * 1_000_000_000L;
        int within = 0;
        for (int k = 0; k < count[i]; k++) {
            if (starts[i * RING + k] > from) {
                within++;
            }
        }
        if (learning) {
            learn(pairKey, within);
        }
        return within;
    }

    private int leastRecent() {
        int lru = 0;
        for (int j = 1; j < pairs; j++) {
            if (lastNanos[j] < lastNanos[lru]) {
                lru = j;
            }
        }
        return lru;
    }

    private void learn(long pairKey, int within) {
        for (int j = 0; j < learnedSize; j++) {
            if (learnedPair[j] == pairKey) {
                learnedMax[j] = Math.max(learnedMax[j], within);
                return;
            }
        }
        int slot;
        if (learnedSize < LEARNED) {
            slot = learnedSize++;
        } else {
            slot = 0;
            for (int j = 1; j < LEARNED; j++) {
                if (learnedMax[j] < learnedMax[slot]) {
                    slot = j;
                }
            }
            if (learnedMax[slot] >= within) {
                return;
            }
        }
        learnedPair[slot] = pairKey;
        learnedMax[slot] = within;
    }

    /** Most attempts the pair made within the window while learning; 0 when never (or not kept). */
    public int learnedMax(long pairKey) {
        for (int j = 0; j < learnedSize; j++) {
            if (learnedPair[j] == pairKey) {
                return learnedMax[j];
            }
        }
        return 0;
    }

    /** Start of the oldest attempt within the window of the pair's entry, for explanations. */
    public long firstWithinNanos(long pairKey, long nowNanos) {
        long from = nowNanos - WINDOW_SECONDS * 1_000_000_000L;
        long first = nowNanos;
        for (int j = 0; j < pairs; j++) {
            if (pair[j] == pairKey) {
                for (int k = 0; k < count[j]; k++) {
                    long s = starts[j * RING + k];
                    if (s > from && s < first) {
                        first = s;
                    }
                }
            }
        }
        return first;
    }

    public static long bytes() {
        return 16 + PAIRS * (8 + 8 + 4 + 4) + PAIRS * RING * 8L + LEARNED * (8 + 4) + 7 * 16 + 8;
    }

    /** Saves the learned maxima. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(learnedSize);
        for (int j = 0; j < learnedSize; j++) {
            out.writeLong(learnedPair[j]);
            out.writeInt(learnedMax[j]);
        }
    }

    public static AuthAttempts readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > LEARNED) {
            throw new IOException("corrupt auth attempts: " + n + " pairs");
        }
        AuthAttempts a = new AuthAttempts();
        for (int j = 0; j < n; j++) {
            a.learnedPair[j] = in.readLong();
            a.learnedMax[j] = in.readInt();
        }
        a.learnedSize = n;
        return a;
    }
}
