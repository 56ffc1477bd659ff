package io.vigil.sensor.ring;

/**
 * One pre-allocated entry of the packet ring. The capture thread copies a frame into
 * {@link #data}; the array grows only when a frame larger than any before it in this slot
 * arrives, so a steady state allocates nothing.
 */
public final class PacketSlot {
    public static final int KIND_PACKET = 0;
    /** No frame: lets workers expire idle flows by the clock when the network is quiet. */
    public static final int KIND_TICK = 1;
    /** No frame: the source has ended; workers flush their flows. */
    public static final int KIND_END = 2;

    /** Initial bytes per slot: holds a full 1500-byte Ethernet frame with tags and tunnel headers. */
    public static final int INITIAL_CAPACITY = 2048;
    /** pcapng allows bigger blocks, but no link layer we decode carries frames beyond this. */
    public static final int MAX_CAPACITY = 262_144;

    public int kind;
    public long frameNumber;
    public long timestampNanos;
    /** System.nanoTime() when the frame entered the ring, for capture-to-alert latency. */
    public long ingestNanos;
    public int captureLength;
    public int originalLength;
    public int linkType;
    public int interfaceId;
    public byte[] data = new byte[INITIAL_CAPACITY];

    /** Makes room for n bytes; returns the usable length (n, or MAX_CAPACITY when n is larger). */
    public int ensureCapacity(int n) {
        int wanted = Math.min(n, MAX_CAPACITY);
        if (data.length < wanted) {
            data = new byte[Math.max(wanted, Math.min(MAX_CAPACITY, data.length * 2))];
        }
        return wanted;
    }
}
