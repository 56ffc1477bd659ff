package io.vigil.protocols.enip;

/**
 * Per-connection EtherNet/IP state: the outstanding CIP requests, so that a response, which carries
 * no request path, can be reported with the path (class, instance, attribute, tag) it answers, and
 * its latency measured. Unconnected requests (SendRRData) are matched by sender context, connected
 * ones (SendUnitData) by the connection's sequence count: a target echoes both. A direct-mapped
 * table indexed by the low bits of the key holds the recent ones without probing; a request
 * unanswered by the time another lands in its slot is simply forgotten.
 *
 * <p>One object per flow, allocated when the flow is first seen as ENIP; nothing per message.
 */
public final class EnipFlowState {
    static final int SLOTS = 16;
    private static final int MAX_TAG = EnipMessage.MAX_TAG;

    private final long[] key = new long[SLOTS];
    /** 0 for a free slot, else the kindOf of its request. */
    private final int[] keyKind = new int[SLOTS];
    private final int[] service = new int[SLOTS];
    private final int[] cipClass = new int[SLOTS];
    private final long[] instance = new long[SLOTS];
    private final int[] attribute = new int[SLOTS];
    private final boolean[] embedded = new boolean[SLOTS];
    private final int[] embeddedService = new int[SLOTS];
    private final int[] embeddedClass = new int[SLOTS];
    private final long[] embeddedInstance = new long[SLOTS];
    private final int[] embeddedAttribute = new int[SLOTS];
    private final byte[] tags = new byte[SLOTS * MAX_TAG];
    private final int[] tagLength = new int[SLOTS];
    private final int[] connPathClass = new int[SLOTS];
    private final long[] connPathInstance = new long[SLOTS];
    private final long[] frame = new long[SLOTS];
    private final long[] nanos = new long[SLOTS];

    // connections opened by a Forward Open on this flow: both ids, and the object they reach
    static final int CONNECTIONS = 8;
    private final long[] otId = new long[CONNECTIONS];
    private final long[] toId = new long[CONNECTIONS];
    private final int[] connectionClass = new int[CONNECTIONS];
    private final long[] connectionInstance = new long[CONNECTIONS];
    private int connections;
    private int nextConnection;
    /** The connection path of the Forward Open whose response is being decoded. */
    private int pendingConnectionClass = -1;
    private long pendingConnectionInstance = -1;

    private long currentFrame;
    private long currentNanos;

    long requests;
    long matchedResponses;
    long unmatchedResponses;

    /** Frame number and capture time of the bytes about to be parsed. */
    public void setTime(long frameNumber, long timestampNanos) {
        this.currentFrame = frameNumber;
        this.currentNanos = timestampNanos;
    }

    /** 1 for SendRRData (keyed by sender context), 2 for SendUnitData (by sequence count), 0 unmatched. */
    static int kindOf(EnipMessage m) {
        if (m.command == EnipMessage.SEND_RR_DATA) {
            return 1;
        }
        return m.command == EnipMessage.SEND_UNIT_DATA && m.cipSequence >= 0 ? 2 : 0;
    }

    static long keyOf(EnipMessage m, int kind) {
        return kind == 1 ? m.senderContext : m.cipSequence;
    }

    private static int slotOf(int kind, long k) {
        long h = (k + kind) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 60) & (SLOTS - 1);
    }

    void onRequest(EnipMessage m) {
        int kind = kindOf(m);
        if (kind == 0) {
            return;
        }
        long k = keyOf(m, kind);
        int s = slotOf(kind, k);
        key[s] = k;
        keyKind[s] = kind;
        service[s] = m.service;
        cipClass[s] = m.cipClass;
        instance[s] = m.instance;
        attribute[s] = m.attribute;
        embedded[s] = m.hasEmbedded;
        embeddedService[s] = m.embeddedService;
        embeddedClass[s] = m.embeddedClass;
        embeddedInstance[s] = m.embeddedInstance;
        embeddedAttribute[s] = m.embeddedAttribute;
        tagLength[s] = m.tagLength;
        System.arraycopy(m.tag, 0, tags, s * MAX_TAG, m.tagLength);
        connPathClass[s] = m.connPathClass;
        connPathInstance[s] = m.connPathInstance;
        frame[s] = currentFrame;
        nanos[s] = currentNanos;
        requests++;
    }

    /**
     * Fills the response's path from its request. An Unconnected Send is answered by the embedded
     * service's own response, so the response keeps its wire service as the embedded one.
     */
    void onResponse(EnipMessage m) {
        int kind = kindOf(m);
        if (kind == 0) {
            return;
        }
        long k = keyOf(m, kind);
        int s = slotOf(kind, k);
        if (keyKind[s] != kind || key[s] != k) {
            unmatchedResponses++;
            return;
        }
        keyKind[s] = 0;
        m.matched = true;
        m.requestFrame = frame[s];
        m.latencyNanos = currentNanos - nanos[s];
        m.cipClass = cipClass[s];
        m.instance = instance[s];
        m.attribute = attribute[s];
        if (embedded[s]) {
            m.hasEmbedded = true;
            m.embeddedService = m.service;
            m.embeddedClass = embeddedClass[s];
            m.embeddedInstance = embeddedInstance[s];
            m.embeddedAttribute = embeddedAttribute[s];
        }
        m.tagLength = tagLength[s];
        System.arraycopy(tags, s * MAX_TAG, m.tag, 0, m.tagLength);
        matchedResponses++;
        int svc = m.service & 0x7F;
        if (m.cipClass == EnipMessage.CLASS_CONNECTION_MANAGER && m.generalStatus == 0
            && (svc == EnipMessage.FORWARD_OPEN || svc == EnipMessage.LARGE_FORWARD_OPEN)) {
            pendingConnectionClass = connPathClass[s];
            pendingConnectionInstance = connPathInstance[s];
        } else {
            pendingConnectionClass = -1;
        }
    }

    /**
     * After a successful Forward Open response has been decoded (its connection ids known): remembers
     * the connection, so that its connected messages can name the object it reaches.
     */
    void onForwardOpenResponse(EnipMessage m) {
        if (pendingConnectionClass < 0) {
            return;
        }
        int i = find(m.otConnectionId, m.toConnectionId);
        if (i < 0) {
            if (connections < CONNECTIONS) {
                i = connections++;
            } else {
                i = nextConnection;
                nextConnection = (nextConnection + 1) % CONNECTIONS;
            }
        }
        otId[i] = m.otConnectionId;
        toId[i] = m.toConnectionId;
        connectionClass[i] = pendingConnectionClass;
        connectionInstance[i] = pendingConnectionInstance;
        m.connPathClass = pendingConnectionClass;
        m.connPathInstance = pendingConnectionInstance;
        pendingConnectionClass = -1;
    }

    private int find(long ot, long to) {
        for (int i = 0; i < connections; i++) {
            if (otId[i] == ot && toId[i] == to) {
                return i;
            }
        }
        return -1;
    }

    /** Names the object a connected message's connection reaches, when its Forward Open was seen. */
    void onConnected(EnipMessage m) {
        if (m.connectionId < 0) {
            return;
        }
        for (int i = 0; i < connections; i++) {
            if (otId[i] == m.connectionId || toId[i] == m.connectionId) {
                m.connectionClass = connectionClass[i];
                m.connectionInstance = connectionInstance[i];
                return;
            }
        }
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
}
