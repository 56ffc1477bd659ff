package io.vigil.protocols.dnp3;

/**
 * Per-flow DNP3 state: the transport-layer reassembly of each direction (one application fragment
 * in progress per direction, tied to the link addresses of its first segment) and whether the
 * parser is resynchronising after garbage. One object per flow, reused across the flows of a slot;
 * a direction's buffer is allocated only when it first sends a multi-segment fragment and grows,
 * within the parser's budget, up to {@link Dnp3Parser#MAX_FRAGMENT}.
 */
public final class Dnp3FlowState {
    /** First reassembly buffer size: most fragments fit the 2048 octets outstations are built for. */
    static final int INITIAL_BUFFER = 2048;

    // ---- per direction (0 from the client, 1 from the server) ----
    final byte[][] buffer = new byte[2][];
    final int[] length = new int[2];
    final boolean[] active = new boolean[2];
    final int[] nextSequence = new int[2];
    final int[] source = new int[2];
    final int[] destination = new int[2];
    final int[] segments = new int[2];
    /** The parser is skipping octets that do not start a valid frame. */
    final boolean[] skipping = new boolean[2];

    long fragments;
    long segmentsDropped;
    long sequenceBreaks;
    long abandoned;
    long overflows;

    /** Forgets a direction's partial fragment after a stream gap: its segments no longer line up. */
    public void onGap(boolean fromClient) {
        int d = fromClient ? 0 : 1;
        active[d] = false;
        length[d] = 0;
        skipping[d] = true;
    }

    /** Makes the state ready for another flow; buffers are returned through {@link Dnp3Parser#release}. */
    void clear() {
        for (int d = 0; d < 2; d++) {
            length[d] = 0;
            active[d] = false;
            nextSequence[d] = 0;
            source[d] = -1;
            destination[d] = -1;
            segments[d] = 0;
            skipping[d] = false;
        }
        fragments = 0;
        segmentsDropped = 0;
        sequenceBreaks = 0;
        abandoned = 0;
        overflows = 0;
    }

    /** Application fragments completed in this flow. */
    public long fragments() {
        return fragments;
    }

    /** Non-first segments that arrived with no fragment of their link in progress. */
    public long segmentsDropped() {
        return segmentsDropped;
    }

    /** Partial fragments dropped for a wrong transport sequence number. */
    public long sequenceBreaks() {
        return sequenceBreaks;
    }

    /** Partial fragments abandoned because a new first segment arrived. */
    public long abandoned() {
        return abandoned;
    }

    /** Fragments dropped for growing beyond the cap (or the parser's buffer budget). */
    public long overflows() {
        return overflows;
    }

    /** Octets of the fragment in progress in a direction (0 when none). */
    public int pending(boolean fromClient) {
        int d = fromClient ? 0 : 1;
        return active[d] ? length[d] : 0;
    }
}
