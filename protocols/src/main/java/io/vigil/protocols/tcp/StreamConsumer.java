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
}
