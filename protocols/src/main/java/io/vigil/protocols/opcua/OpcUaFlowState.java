package io.vigil.protocols.opcua;

/**
 * Per-connection OPC UA state, shared by both directions: the security of each secure channel
 * (learnt from OPN), the multi-chunk reassembly of each direction, the rest of an oversized chunk
 * still to skip, and the outstanding requests by request id (to name responses and faults and to
 * measure latency). One object per flow; nothing is allocated per message, and the reassembly
 * buffers only when a flow first sends an intermediate chunk.
 *
 * <p>Request ids are per channel counters, so a direct-mapped table indexed by the low bits holds
 * the recent ones without probing; a slot is overwritten by the request 64 ids later, by which
 * time the older one has been answered unseen or never will be.
 */
public final class OpcUaFlowState {
    /** Reassembled body bytes kept per direction; a longer message is reported from its prefix. */
    public static final int MAX_REASSEMBLY = 64 * 1024;
    static final int CHANNELS = 8;
    static final int REQUESTS = 64;

    /** Channel security: MODE_* from OpcUaMessage, or these. */
    static final int MODE_UNKNOWN = -1;

    // ---- secure channels ----
    final long[] channelId = new long[CHANNELS];
    final int[] channelPolicy = new int[CHANNELS];
    final int[] channelMode = new int[CHANNELS];
    final boolean[] channelInferred = new boolean[CHANNELS];
    int channels;
    int nextChannelSlot;
    /** A client OPN request waiting for the response that names the channel. */
    long pendingOpnRequestId = -1;
    int pendingOpnPolicy = OpcUaMessage.POLICY_UNKNOWN;
    int pendingOpnMode = MODE_UNKNOWN;

    // ---- per direction (0 client, 1 server) ----
    final byte[][] asm = new byte[2][];
    final int[] asmLen = new int[2];
    final long[] asmRequestId = {-1, -1};
    final int[] asmType = new int[2];
    final int[] asmChunks = new int[2];
    final boolean[] asmOverflow = new boolean[2];
    final int[] asmOffset = new int[2];
    /** Bytes of an oversized chunk still to pass over. */
    final long[] skip = new long[2];

    // ---- requests ----
    private final long[] reqId = new long[REQUESTS];
    private final long[] reqService = new long[REQUESTS];
    private final long[] reqFrame = new long[REQUESTS];
    private final long[] reqTime = new long[REQUESTS];

    private long frame;
    private long nanos;

    long requests;
    long matchedResponses;
    long unmatchedResponses;
    long abortedChunks;
    long droppedAssemblies;

    public OpcUaFlowState() {
        java.util.Arrays.fill(reqId, -1);
    }

    /** Frame number and capture time of the bytes about to be parsed, for request matching. */
    public void setTime(long frameNumber, long timestampNanos) {
        this.frame = frameNumber;
        this.nanos = timestampNanos;
    }

    /** Forgets a direction's partial state after a stream gap: its bytes no longer line up. */
    public void onGap(boolean fromClient) {
        int d = fromClient ? 0 : 1;
        asmLen[d] = 0;
        asmRequestId[d] = -1;
        skip[d] = 0;
    }

    // ---- channels ----

    int findChannel(long id) {
        for (int i = 0; i < channels; i++) {
            if (channelId[i] == id) {
                return i;
            }
        }
        return -1;
    }

    int bindChannel(long id, int policy, int mode, boolean inferred) {
        int i = findChannel(id);
        if (i < 0) {
            if (channels < CHANNELS) {
                i = channels++;
            } else {
                i = nextChannelSlot;
                nextChannelSlot = (nextChannelSlot + 1) % CHANNELS;
            }
            channelId[i] = id;
        }
        channelPolicy[i] = policy;
        channelMode[i] = mode;
        channelInferred[i] = inferred;
        return i;
    }

    /** MODE_* of a channel, MODE_UNKNOWN when never seen. */
    public int channelMode(long id) {
        int i = findChannel(id);
        return i < 0 ? MODE_UNKNOWN : channelMode[i];
    }

    public int channelPolicy(long id) {
        int i = findChannel(id);
        return i < 0 ? OpcUaMessage.POLICY_UNKNOWN : channelPolicy[i];
    }

    // ---- requests ----

    void onRequest(long requestId, long serviceId) {
        int s = (int) (requestId & (REQUESTS - 1));
        reqId[s] = requestId;
        reqService[s] = serviceId;
        reqFrame[s] = frame;
        reqTime[s] = nanos;
        requests++;
    }

    void onResponse(OpcUaMessage m) {
        int s = (int) (m.requestId & (REQUESTS - 1));
        if (m.requestId < 0 || reqId[s] != m.requestId) {
            unmatchedResponses++;
            return;
        }
        reqId[s] = -1;
        m.matched = true;
        m.requestServiceId = reqService[s];
        m.requestFrame = reqFrame[s];
        m.latencyNanos = nanos - reqTime[s];
        matchedResponses++;
    }

    public long requests() {
        return requests;
    }

    public long matchedResponses() {
        return matchedResponses;
    }

    public long unmatchedResponses() {
        return unmatchedResponses;
    }

    public long abortedChunks() {
        return abortedChunks;
    }
}
