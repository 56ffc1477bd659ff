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
    public long latencyNanos;
    public boolean malformed;

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
        latencyNanos = o.latencyNanos;
        malformed = o.malformed;
    }
}
