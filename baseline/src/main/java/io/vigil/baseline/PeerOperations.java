package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.vigil.protocols.app.AppProtocol;

/**
 * What each peer has asked of a device, per industrial protocol: the kinds of operation (read,
 * write, control, ...) as a bit mask and the first few function codes. Small on purpose: it is
 * what an alert names as the learned behaviour ("which in 6 h only read with FC3"), not the model
 * itself (that is the {@link FeatureSet} of operations).
 *
 * <p>At most {@link #MAX_PEERS} peer/protocol pairs and {@link #MAX_FUNCTIONS} function codes
 * each; beyond that, kinds are still merged into the last entry's mask so "only read" stays true
 * or false correctly for stored peers.
 */
public final class PeerOperations {
    public static final int MAX_PEERS = 32;
    public static final int MAX_FUNCTIONS = 8;

    private final long[] peer = new long[MAX_PEERS];
    private final byte[] protocol = new byte[MAX_PEERS];
    private final int[] kinds = new int[MAX_PEERS];
    private final int[] functions = new int[MAX_PEERS * MAX_FUNCTIONS];
    private final byte[] functionCount = new byte[MAX_PEERS];
    private final long[] count = new long[MAX_PEERS];
    private final long[] firstSeenNanos = new long[MAX_PEERS];
    private int size;
    private long overflow;

    /** Records one operation of {@code peerKey}; returns the entry index, -1 when the table is full. */
    public int record(long peerKey, AppProtocol p, int kind, int function, long nowNanos) {
        int i = indexOf(peerKey, p);
        if (i < 0) {
            if (size == MAX_PEERS) {
                overflow++;
                return -1;
            }
            i = size++;
            peer[i] = peerKey;
            protocol[i] = (byte) p.ordinal();
            firstSeenNanos[i] = nowNanos;
        }
        kinds[i] |= 1 << kind;
        count[i]++;
        int base = i * MAX_FUNCTIONS;
        int n = functionCount[i];
        for (int f = 0; f < n; f++) {
            if (functions[base + f] == function) {
                return i;
            }
        }
        if (n < MAX_FUNCTIONS) {
            functions[base + n] = function;
            functionCount[i] = (byte) (n + 1);
        }
        return i;
    }

    /** Entry of a peer and protocol, -1 when never seen (or not stored). */
    public int indexOf(long peerKey, AppProtocol p) {
        for (int i = 0; i < size; i++) {
            if (peer[i] == peerKey && protocol[i] == p.ordinal()) {
                return i;
            }
        }
        return -1;
    }

    /** Bit mask of the kinds (1 &lt;&lt; IcsOp.KIND_*) seen in entry {@code i}. */
    public int kinds(int i) {
        return kinds[i];
    }

    public int functionCount(int i) {
        return functionCount[i];
    }

    public int function(int i, int f) {
        return functions[i * MAX_FUNCTIONS + f];
    }

    public long count(int i) {
        return count[i];
    }

    public long firstSeenNanos(int i) {
        return firstSeenNanos[i];
    }

    public int size() {
        return size;
    }

    public long overflow() {
        return overflow;
    }

    /** Writes the entries in order (their index is what callers hold), with their function codes. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(size);
        out.writeLong(overflow);
        for (int i = 0; i < size; i++) {
            out.writeLong(peer[i]);
            out.writeByte(protocol[i]);
            out.writeInt(kinds[i]);
            out.writeLong(count[i]);
            out.writeLong(firstSeenNanos[i]);
            out.writeByte(functionCount[i]);
            for (int f = 0; f < functionCount[i]; f++) {
                out.writeInt(functions[i * MAX_FUNCTIONS + f]);
            }
        }
    }

    public static PeerOperations readFrom(DataInput in) throws IOException {
        PeerOperations p = new PeerOperations();
        int size = in.readInt();
        if (size < 0 || size > MAX_PEERS) {
            throw new IOException("peer operations with " + size + " entries");
        }
        p.overflow = in.readLong();
        for (int i = 0; i < size; i++) {
            p.peer[i] = in.readLong();
            p.protocol[i] = in.readByte();
            p.kinds[i] = in.readInt();
            p.count[i] = in.readLong();
            p.firstSeenNanos[i] = in.readLong();
            int n = in.readByte();
            if (n < 0 || n > MAX_FUNCTIONS) {
                throw new IOException("peer operation with " + n + " function codes");
            }
            p.functionCount[i] = (byte) n;
            for (int f = 0; f < n; f++) {
                p.functions[i * MAX_FUNCTIONS + f] = in.readInt();
            }
        }
        p.size = size;
        return p;
    }

    /** Bytes of one instance, for the memory documentation. */
    public static long bytes() {
        return 16 + MAX_PEERS * (8 + 1 + 4 + 1 + 8 + 8) + MAX_PEERS * MAX_FUNCTIONS * 4L + 7 * 16;
    }
}
