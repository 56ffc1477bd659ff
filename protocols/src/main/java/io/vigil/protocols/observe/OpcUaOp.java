package io.vigil.protocols.observe;

import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaNodeIds;

/**
 * The part of an OPC UA message a device model needs: which service on which secure channel,
 * with what security, touching which numeric nodes, with what result. String, GUID and opaque
 * node ids are counted but not copied (they are offsets into a reused buffer).
 */
public final class OpcUaOp {
    /** Numeric node ids kept per observation. */
    public static final int MAX_NODES = 8;

    public int messageType;
    public char chunk;
    public long secureChannelId;
    public long requestId;
    public int securityPolicy;
    public int securityMode;
    public boolean encrypted;
    public int serviceNamespace;
    /** Numeric service type id (e.g. 631 ReadRequest), -1 when none or encrypted. */
    public long serviceId;
    public long serviceResult;
    public int nodeTotal;
    public final int[] nodeNamespace = new int[MAX_NODES];
    public final long[] nodeNumeric = new long[MAX_NODES];
    public int nodeCount;
    /**
     * A 64-bit key for each of the first {@link #MAX_NODES} node ids of any encoding (numeric: namespace and id;
     * string, GUID, opaque: a hash of namespace, encoding and bytes), so models can tell nodes apart without copying
     * their text.
     */
    public final long[] nodeKey = new long[MAX_NODES];
    public int nodeKeyCount;
    public long latencyNanos;
    public boolean malformed;
    /** Longer endpoint URLs are cut here. */
    public static final int MAX_ENDPOINT_URL = 256;
    /** A Hello's EndpointUrl (the server's address as its client names it), UTF-8; length 0 otherwise. */
    public final byte[] endpointUrl = new byte[MAX_ENDPOINT_URL];
    public int endpointUrlLength;

    /** The Hello's endpoint URL as text, null when this is not a Hello or it named none. */
    public String endpointUrlText() {
        return endpointUrlLength == 0 ? null
            : new String(endpointUrl, 0, endpointUrlLength, java.nio.charset.StandardCharsets.UTF_8);
    }

    public void copyFrom(OpcUaMessage m) {
        messageType = m.type;
        chunk = m.chunk;
        secureChannelId = m.secureChannelId;
        requestId = m.requestId;
        securityPolicy = m.securityPolicy;
        securityMode = m.securityMode;
        encrypted = m.encrypted;
        serviceNamespace = m.serviceNamespace;
        serviceId = m.serviceId;
        serviceResult = m.serviceResult;
        OpcUaNodeIds nodes = m.nodes;
        nodeTotal = nodes.total;
        nodeCount = 0;
        nodeKeyCount = 0;
        for (int i = 0; i < nodes.count && nodeKeyCount < MAX_NODES; i++) {
            nodeKey[nodeKeyCount++] = nodeKey(nodes, i, m.buf);
        }
        for (int i = 0; i < nodes.count && nodeCount < MAX_NODES; i++) {
            int e = nodes.encoding[i];
            if (e == OpcUaNodeIds.TWO_BYTE || e == OpcUaNodeIds.FOUR_BYTE || e == OpcUaNodeIds.NUMERIC) {
                nodeNamespace[nodeCount] = nodes.namespace[i];
                nodeNumeric[nodeCount] = nodes.numeric[i];
                nodeCount++;
            }
        }
        latencyNanos = m.matched ? m.latencyNanos : -1;
        malformed = m.malformed;
        endpointUrlLength = 0;
        if (m.type == OpcUaMessage.HEL && m.endpointUrlOffset >= 0 && m.endpointUrlLength > 0
            && m.endpointUrlOffset <= m.buf.length - m.endpointUrlLength) {
            endpointUrlLength = Math.min(m.endpointUrlLength, MAX_ENDPOINT_URL);
            System.arraycopy(m.buf, m.endpointUrlOffset, endpointUrl, 0, endpointUrlLength);
        }
    }

    private static long nodeKey(OpcUaNodeIds nodes, int i, byte[] buf) {
        int e = nodes.encoding[i];
        long ns = nodes.namespace[i] & 0xFFFFL;
        if (e == OpcUaNodeIds.TWO_BYTE || e == OpcUaNodeIds.FOUR_BYTE || e == OpcUaNodeIds.NUMERIC) {
            return ns << 32 | (nodes.numeric[i] & 0xFFFFFFFFL);
        }
        // FNV-1a over the identifier bytes, seeded with encoding and namespace; top bit set keeps it apart from numerics
        long h = 0xCBF29CE484222325L ^ (e * 31L + ns);
        int off = nodes.offset[i];
        int len = nodes.length[i];
        if (buf != null && off >= 0 && len > 0 && off <= buf.length - len) {
            for (int k = off; k < off + len; k++) {
                h = (h ^ (buf[k] & 0xFF)) * 0x100000001B3L;
            }
        }
        return h | Long.MIN_VALUE;
    }

    public void copyFrom(OpcUaOp o) {
        messageType = o.messageType;
        chunk = o.chunk;
        secureChannelId = o.secureChannelId;
        requestId = o.requestId;
        securityPolicy = o.securityPolicy;
        securityMode = o.securityMode;
        encrypted = o.encrypted;
        serviceNamespace = o.serviceNamespace;
        serviceId = o.serviceId;
        serviceResult = o.serviceResult;
        nodeTotal = o.nodeTotal;
        nodeCount = o.nodeCount;
        System.arraycopy(o.nodeNamespace, 0, nodeNamespace, 0, nodeCount);
        System.arraycopy(o.nodeNumeric, 0, nodeNumeric, 0, nodeCount);
        nodeKeyCount = o.nodeKeyCount;
        System.arraycopy(o.nodeKey, 0, nodeKey, 0, nodeKeyCount);
        latencyNanos = o.latencyNanos;
        malformed = o.malformed;
        endpointUrlLength = o.endpointUrlLength;
        System.arraycopy(o.endpointUrl, 0, endpointUrl, 0, endpointUrlLength);
    }
}
