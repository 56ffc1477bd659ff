package io.vigil.protocols.tcp;

/**
 * The held bytes of one direction: unconsumed bytes at [0, pending), then out-of-order data placed at
 * pending + (its distance ahead of the next expected sequence number). Which of the bytes past pending
 * hold data is described by {@link #ranges}: sorted, disjoint, non-touching [start, end) pairs of
 * distances ahead. Placing data at its sequence offset makes filling a hole a plain copy and
 * delivery a single contiguous slice, at the price of a memmove when the front is consumed.
 *
 * <p>Pooled with its range table, so a flow that starts buffering costs no allocation once the pool
 * is warm.
 */
final class StreamBuffer {
    /** Out-of-order islands per direction; one more and the oldest hole is given up (a gap). */
    static final int MAX_RANGES = 32;

    final byte[] data;
    final int sizeClass;
    final int[] ranges = new int[MAX_RANGES * 2];
    int rangeCount;
    int pending;
    /** Free-list link while pooled; intrusive so that returning a buffer allocates nothing. */
    StreamBuffer nextFree;

    StreamBuffer(int capacity, int sizeClass) {
        this.data = new byte[capacity];
        this.sizeClass = sizeClass;
    }

    /** Distance ahead of the next expected byte where the last out-of-order island ends; 0 when none. */
    int aheadEnd() {
        return rangeCount == 0 ? 0 : ranges[rangeCount * 2 - 1];
    }

    /** Bytes of real data held: unconsumed plus out-of-order. */
    int held() {
        int n = pending;
        for (int i = 0; i < rangeCount * 2; i += 2) {
            n += ranges[i + 1] - ranges[i];
        }
        return n;
    }

    boolean isEmpty() {
        return pending == 0 && rangeCount == 0;
    }

    void clear() {
        pending = 0;
        rangeCount = 0;
    }

    /** Takes over another buffer's contents (when growing into a larger size class). */
    void copyFrom(StreamBuffer b) {
        System.arraycopy(b.data, 0, data, 0, b.pending + b.aheadEnd());
        System.arraycopy(b.ranges, 0, ranges, 0, b.rangeCount * 2);
        rangeCount = b.rangeCount;
        pending = b.pending;
    }
}
