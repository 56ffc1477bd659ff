package io.vigil.protocols.tcp;

import static io.vigil.protocols.decode.DecodedPacket.TCP_FIN;
import static io.vigil.protocols.decode.DecodedPacket.TCP_RST;
import static io.vigil.protocols.decode.DecodedPacket.TCP_SYN;

import io.vigil.protocols.decode.DecodedPacket;

/**
 * TCP stream reassembly per flow slot and direction, feeding application-layer parsers an in-order
 * byte stream with explicit gaps. One thread owns it; nothing is synchronised.
 *
 * <h2>State</h2>
 * Per direction ({@code slot * 2 + (fromClient ? 0 : 1)}) three primitive/reference array entries:
 * the next expected sequence number, a few state bits, and a {@link StreamBuffer} that is null
 * whenever nothing is held. About 10 bytes per direction when idle; buffers come from a
 * {@link BufferPool} and go back to it the moment a direction holds nothing, so memory follows the
 * flows that actually have unconsumed or out-of-order data, not the flow count.
 *
 * <h2>Fast path</h2>
 * An in-order segment of a direction holding nothing is handed to the consumer straight from the
 * captured frame: no copy. Only what the consumer leaves unconsumed is copied, into a pooled buffer.
 *
 * <h2>Bounds</h2>
 * A direction holds at most {@code maxBufferPerDirection} bytes, unconsumed and out-of-order together
 * (positions are sequence offsets, so the bound is a receive window). Data that does not fit makes
 * the reassembler give up the oldest hole ({@link StreamConsumer#onGap}) rather than wait; a consumer
 * that leaves the whole window unconsumed has it flushed as a gap. All buffers together, idle ones
 * included, stay within {@code maxTotalBytes}; past it out-of-order data is dropped and unconsumed
 * data flushed as a gap.
 *
 * <h2>Not done</h2>
 * No timers: a hole waits until the window overflows or the direction closes, and {@link #release}
 * drops what is held without a callback. No ACK-based validation: a segment claiming a sequence number
 * far ahead is believed (a gap). FIN with a hole gives the hole up at once, even if the missing data
 * was merely reordered behind the FIN. A second SYN on an initialised direction is ignored: a new
 * connection on the same 5-tuple must come through {@link #release} (the flow table ends the flow).
 */
public final class TcpReassembler {
    private static final int INIT = 1;
    private static final int CLOSED = 2;
    /** The snap length cut the last delivered segment: the bytes at the next expected position are lost. */
    private static final int LOST = 4;

    private final int maxFlows;
    private final int window;
    private final int[] nextSeq;
    private final byte[] state;
    private final StreamBuffer[] buffers;
    private final BufferPool pool;

    // The segment being processed, kept in fields so the helpers need no long argument lists.
    private StreamConsumer consumer;
    private byte[] frame;
    private int slot;
    private boolean fromClient;
    private long frameNumber;
    private long timestamp;

    private long segments;
    private long bytesDelivered;
    private long outOfOrderSegments;
    private long retransmissions;
    private long overlaps;
    private long gaps;
    private long gapBytes;
    private long bufferOverflows;
    private long poolExhausted;
    private long midstreamPickups;
    private long bytesBuffered;
    private long bytesDroppedAtRelease;
    private long eagerResyncs;

    /**
     * @param maxFlows              flow slots (same capacity as the FlowTable)
     * @param maxBufferPerDirection bytes kept per direction (unconsumed + out-of-order), e.g. 64 KiB
     * @param maxTotalBytes         global bound over all flows (pool), e.g. 256 MiB; beyond it, out-of-order data is
     *                              dropped (counted) and unconsumed data is flushed as a gap
     */
    public TcpReassembler(int maxFlows, int maxBufferPerDirection, long maxTotalBytes) {
        if (maxFlows < 1 || maxFlows > (1 << 30)) {
            throw new IllegalArgumentException("maxFlows: " + maxFlows);
        }
        if (maxBufferPerDirection < 1 || maxBufferPerDirection > (1 << 30)) {
            throw new IllegalArgumentException("maxBufferPerDirection: " + maxBufferPerDirection);
        }
        if (maxTotalBytes < 0) {
            throw new IllegalArgumentException("maxTotalBytes: " + maxTotalBytes);
        }
        this.maxFlows = maxFlows;
        this.window = maxBufferPerDirection;
        this.nextSeq = new int[maxFlows * 2];
        this.state = new byte[maxFlows * 2];
        this.buffers = new StreamBuffer[maxFlows * 2];
        this.pool = new BufferPool(maxBufferPerDirection, maxTotalBytes);
    }

    /** One TCP packet of the flow in flowSlot (p decoded from frame[]; fromClient from the flow's orientation). */
    public void onSegment(int flowSlot, boolean fromClient, DecodedPacket p, byte[] frame, StreamConsumer consumer) {
        segments++;
        int d = flowSlot << 1 | (fromClient ? 0 : 1);
        int st = state[d];
        if ((st & CLOSED) != 0) {
            return; // retransmissions after FIN/RST, or junk: nothing left to deliver
        }
        int flags = p.tcpFlags;
        int seq = (int) p.tcpSeq;
        int len = p.payloadOffset < 0 ? 0 : p.payloadLength;
        if ((flags & TCP_SYN) != 0) {
            seq++; // the SYN occupies the ISN; any (fast open) data follows it
            if ((st & INIT) == 0) {
                nextSeq[d] = seq;
                state[d] = (byte) (st | INIT);
            }
        } else if ((st & INIT) == 0 && len == 0) {
            return; // a bare ACK/FIN/RST cannot anchor the stream: a keep-alive's seq is one short
        }
        StreamBuffer held = buffers[d];
        long before = held == null ? 0 : held.held();
        this.consumer = consumer;
        this.frame = frame;
        this.slot = flowSlot;
        this.fromClient = fromClient;
        this.frameNumber = p.frameNumber;
        this.timestamp = p.timestampNanos;
        if ((state[d] & INIT) == 0) {
            midstreamPickups++;
            nextSeq[d] = seq;
            state[d] = (byte) (st | INIT);
            gap(-1);
        }
        if (len > 0) {
            data(d, seq, p.payloadOffset, len);
            if (p.payloadTruncated && nextSeq[d] == seq + len) {
                state[d] |= LOST;
            }
        }
        if ((flags & (TCP_FIN | TCP_RST)) != 0) {
            close(d, flags, seq + len);
        }
        held = buffers[d];
        bytesBuffered += (held == null ? 0 : held.held()) - before;
        this.consumer = null;
        this.frame = null;
    }

    /**
     * The flow in this slot ended: release its buffers (the slot will be reused by another flow).
     * Held data is dropped without a callback. Not for an active-timeout restart, which continues the
     * same connection in the same slot.
     */
    public void release(int flowSlot) {
        for (int d = flowSlot << 1; d <= (flowSlot << 1 | 1); d++) {
            StreamBuffer b = buffers[d];
            if (b != null) {
                bytesBuffered -= b.held();
                bytesDroppedAtRelease += b.held();
                buffers[d] = null;
                pool.release(b);
            }
            state[d] = 0;
            nextSeq[d] = 0;
        }
    }

    // ------------------------------------------------------------------ data

    private void data(int d, int seq, int off, int len) {
        boolean trimmed = false;
        for (;;) {
            int ahead = seq - nextSeq[d]; // modular: correct across the 2^32 wrap
            if (ahead < 0) {
                if (ahead + len <= 0) {
                    if (!trimmed) {
                        retransmissions++;
                    }
                    return;
                }
                if (!trimmed) {
                    overlaps++;
                    trimmed = true;
                }
                off -= ahead;
                len += ahead;
                seq = nextSeq[d];
                ahead = 0;
            }
            StreamBuffer b = buffers[d];
            if (ahead > 0 && (state[d] & LOST) != 0) {
                // The bytes at the next expected position were cut by the snap length: no point waiting.
                state[d] &= ~LOST;
                skip(d, b == null || b.rangeCount == 0 ? ahead : Math.min(ahead, b.ranges[0]));
                continue;
            }
            state[d] &= ~LOST;
            int pending = b == null ? 0 : b.pending;
            if (ahead > 0 && pending == 0 && (b == null || b.rangeCount == 0)
                && consumer.resyncAt(slot, fromClient, frame, off, len)) {
                eagerResyncs++;
                skip(d, ahead);
                continue;
            }
            if (ahead == 0 && pending == 0) {
                deliverFrame(d, off, len);
                return;
            }
            boolean fits = (long) pending + ahead + len <= window
                    && (b == null || b.rangeCount < StreamBuffer.MAX_RANGES || (ahead == 0 && b.ranges[0] <= len));
            if (fits) {
                b = ensure(d, pending + ahead + len);
                if (b == null) {
                    poolExhausted++;
                    if (ahead > 0) {
                        return; // out-of-order data dropped; a retransmission or a later gap covers it
                    }
                    flushPending(d);
                    continue;
                }
                int copied = insert(b, ahead, off, len);
                if (ahead == 0) {
                    deliverBuffered(d);
                } else if (copied == 0) {
                    if (!trimmed) {
                        retransmissions++; // duplicates data already held out of order
                    }
                } else {
                    outOfOrderSegments++;
                    if (copied < len && !trimmed) {
                        overlaps++;
                    }
                }
                return;
            }
            if (ahead == 0) {
                // The consumer's leftover plus this segment exceed the window: the parser is stuck.
                bufferOverflows++;
                flushPending(d);
                continue;
            }
            // Out-of-order data that cannot be held: give up the oldest hole (or jump to this segment).
            skip(d, b == null || b.rangeCount == 0 ? ahead : Math.min(ahead, b.ranges[0]));
        }
    }

    /** In order, nothing unconsumed: hand the frame's bytes over directly, keep only the remainder. */
    private void deliverFrame(int d, int off, int len) {
        nextSeq[d] += len;
        bytesDelivered += len;
        StreamBuffer b = buffers[d];
        if (b != null) {
            dropAhead(b, len);
        }
        int used = offer(frame, off, len);
        if (used < len) {
            keep(d, off + used, len - used);
        }
        b = buffers[d];
        if (b != null) {
            if (b.rangeCount > 0 && b.ranges[0] == 0) {
                deliverBuffered(d);
            } else if (b.isEmpty()) {
                recycle(d);
            }
        }
    }

    /** Copies a consumer's leftover from the frame in front of any out-of-order data. */
    private void keep(int d, int off, int len) {
        StreamBuffer b = buffers[d];
        int ahead = b == null ? 0 : b.aheadEnd();
        if ((long) len + ahead > window) {
            bufferOverflows++;
            gap(len);
            return;
        }
        b = ensure(d, len + ahead);
        if (b == null) {
            poolExhausted++;
            gap(len);
            return;
        }
        if (ahead > 0) {
            System.arraycopy(b.data, 0, b.data, len, ahead);
        }
        System.arraycopy(frame, off, b.data, 0, len);
        b.pending = len;
    }

    /**
     * Offers unconsumed plus newly contiguous bytes from the buffer; precondition: the first
     * out-of-order island starts at the next expected byte.
     */
    private void deliverBuffered(int d) {
        StreamBuffer b = buffers[d];
        int[] r = b.ranges;
        int k = r[1];
        int n = b.rangeCount - 1;
        for (int i = 0; i < n * 2; i += 2) {
            r[i] = r[i + 2] - k;
            r[i + 1] = r[i + 3] - k;
        }
        b.rangeCount = n;
        int total = b.pending + k;
        nextSeq[d] += k;
        bytesDelivered += k;
        int used = offer(b.data, 0, total);
        int rest = total - used;
        int move = rest + b.aheadEnd();
        if (used > 0 && move > 0) {
            System.arraycopy(b.data, used, b.data, 0, move);
        }
        b.pending = rest;
        if (rest >= window) {
            bufferOverflows++;
            flushPending(d);
        } else if (b.isEmpty()) {
            recycle(d);
        }
    }

    /** Drops the consumer's leftover (a gap of its size) and keeps the out-of-order data. */
    private void flushPending(int d) {
        StreamBuffer b = buffers[d];
        int pending = b.pending;
        int ahead = b.aheadEnd();
        if (ahead > 0) {
            System.arraycopy(b.data, pending, b.data, 0, ahead);
        }
        b.pending = 0;
        if (b.isEmpty()) {
            recycle(d);
        }
        gap(pending);
    }

    /**
     * Gives up {@code hole} bytes (no more than the distance to the first island): the consumer's
     * leftover and the hole are reported as one gap, then whatever has become contiguous is delivered.
     */
    private void skip(int d, int hole) {
        StreamBuffer b = buffers[d];
        nextSeq[d] += hole;
        if (b == null) {
            gap(hole);
            return;
        }
        int pending = b.pending;
        int ahead = b.aheadEnd();
        if (ahead > hole) {
            System.arraycopy(b.data, pending + hole, b.data, 0, ahead - hole);
        }
        int[] r = b.ranges;
        for (int i = 0; i < b.rangeCount * 2; i++) {
            r[i] -= hole;
        }
        b.pending = 0;
        gap((long) pending + hole);
        if (b.rangeCount > 0 && r[0] == 0) {
            deliverBuffered(d);
        } else if (b.isEmpty()) {
            recycle(d);
        }
    }

    /** Forgets out-of-order data now behind the next expected byte (nothing unconsumed is held). */
    private static void dropAhead(StreamBuffer b, int n) {
        int end = b.aheadEnd();
        if (n >= end) {
            b.rangeCount = 0;
            return;
        }
        System.arraycopy(b.data, n, b.data, 0, end - n);
        int[] r = b.ranges;
        int w = 0;
        for (int i = 0; i < b.rangeCount * 2; i += 2) {
            if (r[i + 1] > n) {
                r[w] = Math.max(0, r[i] - n);
                r[w + 1] = r[i + 1] - n;
                w += 2;
            }
        }
        b.rangeCount = w >> 1;
    }

    /**
     * Places frame[off, off+len) at distance {@code ahead}, copying only into bytes not yet held (the
     * first copy wins) and merging islands. Returns how many bytes were new.
     */
    private int insert(StreamBuffer b, int ahead, int off, int len) {
        int[] r = b.ranges;
        int n = b.rangeCount;
        int start = ahead;
        int end = ahead + len;
        // frame index of distance x is x + off - ahead; buffer index is pending + x
        int i = 0;
        while (i < n && r[2 * i + 1] < start) {
            i++;
        }
        int j = i;
        int pos = start;
        int copied = 0;
        while (j < n && r[2 * j] <= end) {
            if (pos < r[2 * j]) {
                System.arraycopy(frame, pos + off - ahead, b.data, b.pending + pos, r[2 * j] - pos);
                copied += r[2 * j] - pos;
            }
            pos = Math.max(pos, r[2 * j + 1]);
            j++;
        }
        if (pos < end) {
            System.arraycopy(frame, pos + off - ahead, b.data, b.pending + pos, end - pos);
            copied += end - pos;
        }
        // islands i..j-1 (touching or overlapping the new data) become one
        int mergedStart = j > i ? Math.min(start, r[2 * i]) : start;
        int mergedEnd = j > i ? Math.max(end, r[2 * (j - 1) + 1]) : end;
        int removed = j - i;
        if (removed == 0) {
            System.arraycopy(r, 2 * i, r, 2 * i + 2, 2 * (n - i));
            b.rangeCount = n + 1;
        } else if (removed > 1) {
            System.arraycopy(r, 2 * j, r, 2 * i + 2, 2 * (n - j));
            b.rangeCount = n - removed + 1;
        }
        r[2 * i] = mergedStart;
        r[2 * i + 1] = mergedEnd;
        return copied;
    }

    /** The direction's buffer with room for {@code bytes}, grown into a larger class if needed; null when the pool is exhausted. */
    private StreamBuffer ensure(int d, int bytes) {
        StreamBuffer b = buffers[d];
        if (b != null && b.data.length >= bytes) {
            return b;
        }
        StreamBuffer nb = pool.acquire(bytes);
        if (nb == null) {
            return null;
        }
        if (b != null) {
            nb.copyFrom(b);
            pool.release(b);
        }
        buffers[d] = nb;
        return nb;
    }

    private void recycle(int d) {
        pool.release(buffers[d]);
        buffers[d] = null;
    }

    // ------------------------------------------------------------------ ends

    /** FIN/RST: what is held out of order is delivered across its holes; a FIN past the data is a final gap. */
    private void close(int d, int flags, int endSeq) {
        StreamBuffer b;
        while ((b = buffers[d]) != null && b.rangeCount > 0) {
            skip(d, b.ranges[0]);
        }
        if ((flags & TCP_FIN) != 0) {
            int missing = endSeq - nextSeq[d];
            if (missing > 0) {
                skip(d, missing);
            }
        }
        state[d] |= CLOSED;
        if (buffers[d] != null) {
            recycle(d); // a leftover partial PDU can never complete now
        }
    }

    // ------------------------------------------------------------------ consumer

    private int offer(byte[] buf, int off, int len) {
        int used = consumer.onData(slot, fromClient, buf, off, len, frameNumber, timestamp);
        return used < 0 ? 0 : Math.min(used, len);
    }

    private void gap(long missing) {
        gaps++;
        if (missing > 0) {
            gapBytes += missing;
        }
        consumer.onGap(slot, fromClient, missing);
    }

    // ------------------------------------------------------------------ counters

    public int maxFlows() {
        return maxFlows;
    }

    public long segments() {
        return segments;
    }

    /** Stream bytes made available to consumers (each byte once, however often it was re-offered). */
    public long bytesDelivered() {
        return bytesDelivered;
    }

    /** Segments buffered ahead of a hole. */
    public long outOfOrderSegments() {
        return outOfOrderSegments;
    }

    /** Segments whose data was all delivered or held already: ignored. */
    /** Holes given up at once because the consumer recognised a PDU start after them ({@link StreamConsumer#resyncAt}). */
    public long eagerResyncs() {
        return eagerResyncs;
    }

    public long retransmissions() {
        return retransmissions;
    }

    /** Segments partly duplicating delivered or held data: trimmed. */
    public long overlaps() {
        return overlaps;
    }

    /** {@link StreamConsumer#onGap} calls, mid-stream pickups included. */
    public long gaps() {
        return gaps;
    }

    /** Sum of the known {@code missing} values reported: lost holes plus dropped unconsumed bytes. */
    public long gapBytes() {
        return gapBytes;
    }

    /** Times a direction's window was full and its unconsumed data was flushed as a gap. */
    public long bufferOverflows() {
        return bufferOverflows;
    }

    /** Times the global bound refused a buffer: out-of-order data dropped or unconsumed data flushed. */
    public long poolExhausted() {
        return poolExhausted;
    }

    public long midstreamPickups() {
        return midstreamPickups;
    }

    /** Data bytes held now, unconsumed and out-of-order. */
    /**
     * Bytes still held (an incomplete PDU, or out-of-order data waiting for a hole that never
     * filled) when their flow ended without FIN or RST: dropped, and counted here so they are not
     * lost silently.
     */
    public long bytesDroppedAtRelease() {
        return bytesDroppedAtRelease;
    }

    public long bytesBuffered() {
        return bytesBuffered;
    }

    /** Bytes of buffers in existence, pooled ones included; never above maxTotalBytes. */
    public long poolBytes() {
        return pool.allocatedBytes();
    }

    /** Bytes of buffers held by directions now. */
    public long poolBytesInUse() {
        return pool.inUseBytes();
    }
}
