package io.vigil.protocols.tcp;

/**
 * Recycles {@link StreamBuffer}s in size classes of powers of two from {@value #MIN_SIZE} bytes up to
 * the per-direction bound (the last class is the bound itself when it is no power of two). Every byte
 * array created counts against {@code maxTotalBytes} until it is dropped, idle ones included, so the
 * bound is on real memory, not on what happens to be in use. Single-threaded.
 */
final class BufferPool {
    static final int MIN_SIZE = 2048;

    private final int[] classSize;
    private final StreamBuffer[] free;
    private final long maxTotalBytes;
    private long allocatedBytes;
    private long inUseBytes;
    private long allocations;

    BufferPool(int maxSize, long maxTotalBytes) {
        int n = 1;
        for (long s = MIN_SIZE; s < maxSize; s <<= 1) {
            n++;
        }
        classSize = new int[n];
        for (int i = 0; i < n; i++) {
            classSize[i] = (int) Math.min((long) MIN_SIZE << i, maxSize);
        }
        classSize[n - 1] = maxSize;
        free = new StreamBuffer[n];
        this.maxTotalBytes = maxTotalBytes;
    }

    private int classFor(int bytes) {
        int c = bytes <= MIN_SIZE ? 0 : 32 - Integer.numberOfLeadingZeros(bytes - 1) - 11;
        return Math.min(c, classSize.length - 1);
    }

    /** A cleared buffer of at least {@code bytes} (at most the largest class), or null when the bound forbids one. */
    StreamBuffer acquire(int bytes) {
        int c = classFor(bytes);
        StreamBuffer b = pop(c);
        if (b == null) {
            int size = classSize[c];
            if (allocatedBytes + size > maxTotalBytes) {
                // A larger idle buffer wastes some of itself but costs no new memory.
                for (int k = c + 1; k < classSize.length && b == null; k++) {
                    b = pop(k);
                }
                // Otherwise give idle buffers of other classes back to the GC to make room.
                for (int k = classSize.length - 1; k >= 0 && b == null && allocatedBytes + size > maxTotalBytes; k--) {
                    while (free[k] != null && allocatedBytes + size > maxTotalBytes) {
                        StreamBuffer dropped = free[k];
                        free[k] = dropped.nextFree;
                        dropped.nextFree = null;
                        allocatedBytes -= dropped.data.length;
                    }
                }
            }
            if (b == null) {
                if (allocatedBytes + size > maxTotalBytes) {
                    return null;
                }
                b = new StreamBuffer(size, c);
                allocatedBytes += size;
                allocations++;
                inUseBytes += size;
            }
        }
        b.clear();
        return b;
    }

    private StreamBuffer pop(int c) {
        StreamBuffer b = free[c];
        if (b != null) {
            free[c] = b.nextFree;
            b.nextFree = null;
            inUseBytes += b.data.length;
        }
        return b;
    }

    void release(StreamBuffer b) {
        b.clear();
        b.nextFree = free[b.sizeClass];
        free[b.sizeClass] = b;
        inUseBytes -= b.data.length;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }

    long inUseBytes() {
        return inUseBytes;
    }

    long allocations() {
        return allocations;
    }
}
