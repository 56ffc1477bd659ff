package io.vigil.protocols.tcp;

/**
 * Receives the in-order byte stream of one direction of one flow from a {@link TcpReassembler}, on
 * the reassembler's thread. The buffer is only valid during the call (it is either the captured
 * frame or a pooled buffer): copy what must outlive it. Implementations must not call back into the
 * reassembler: {@code release} from inside a callback would pull the buffer out from under it.
 */
public interface StreamConsumer {
    /**
     * Contiguous, in-order bytes of one direction: buf[off, off+len) is everything not yet consumed in this direction
     * (earlier unconsumed bytes followed by the new ones). Return how many bytes were consumed (complete PDUs);
     * the reassembler keeps the rest (bounded) and offers it again with more data appended. Returning len consumes all.
     * frameNumber/timestampNanos are those of the segment that completed this data.
     */
    int onData(int flowSlot, boolean fromClient, byte[] buf, int off, int len, long frameNumber, long timestampNanos);

    /**
     * Bytes were lost before the next onData in this direction (a gap the window could not fill, a buffer overflow,
     * or data before a mid-stream pickup); parsers must discard partial state and resynchronise on the next PDU
     * boundary. missing = number of bytes skipped, or -1 when unknown.
     */
    void onGap(int flowSlot, boolean fromClient, long missing);

    /**
     * Asked when a segment arrives beyond a hole while the consumer holds nothing unconsumed (it is at a
     * PDU boundary): true if the segment itself starts with a PDU header the consumer trusts, so the hole
     * is more likely lost (a capture filtered to the protocol's packets, a drop on the SPAN port) than
     * reordered, and waiting for it would hold every later PDU until the window fills. The reassembler then
     * gives the hole up as a gap at once. Default: false, wait for the hole. Must not call back into the
     * reassembler.
     */
    default boolean resyncAt(int flowSlot, boolean fromClient, byte[] buf, int off, int len) {
        return false;
    }
}
