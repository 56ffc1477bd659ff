package io.vigil.protocols.opcua;

import java.nio.charset.StandardCharsets;

/**
 * One OPC UA binary message chunk (UA TCP header + UASC), decoded into a mutable flyweight that a
 * worker reuses for every message so that parsing allocates nothing. Strings (endpoint URL, policy
 * URI, error reason, string NodeIds, written strings) are offset/length pairs into {@link #buf};
 * output code decodes them with {@link #string(int, int)} while the message is current.
 *
 * <p>Numbers are as on the wire (UInt32 as non-negative long). Fields a message does not carry
 * stay at -1, so a consumer never mistakes an absent request id for request id 0.
 */
public final class OpcUaMessage {
    public static final int UNKNOWN = 0;
    public static final int HEL = 1;
    public static final int ACK = 2;
    public static final int OPN = 3;
    public static final int CLO = 4;
    public static final int MSG = 5;
    public static final int ERR = 6;
    public static final int RHE = 7;
    private static final String[] TYPE_NAMES = {"???", "HEL", "ACK", "OPN", "CLO", "MSG", "ERR", "RHE"};

    /** Security policies, classified from the URI after '#'. */
    public static final int POLICY_UNKNOWN = -1;
    public static final int POLICY_NONE = 0;
    public static final int POLICY_BASIC128RSA15 = 1;
    public static final int POLICY_BASIC256 = 2;
    public static final int POLICY_BASIC256SHA256 = 3;
    public static final int POLICY_AES128_SHA256_RSAOAEP = 4;
    public static final int POLICY_AES256_SHA256_RSAPSS = 5;
    public static final int POLICY_OTHER = 6;
    private static final String[] POLICY_NAMES = {"None", "Basic128Rsa15", "Basic256", "Basic256Sha256",
        "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss", "other"};

    /** MessageSecurityMode as on the wire. */
    public static final int MODE_NONE = 1;
    public static final int MODE_SIGN = 2;
    public static final int MODE_SIGN_AND_ENCRYPT = 3;

    /** Variant built-in type ids the write decoder keeps (others leave valueType at the id, no value). */
    public static final int V_BOOLEAN = 1;
    public static final int V_SBYTE = 2;
    public static final int V_BYTE = 3;
    public static final int V_INT16 = 4;
    public static final int V_UINT16 = 5;
    public static final int V_INT32 = 6;
    public static final int V_UINT32 = 7;
    public static final int V_INT64 = 8;
    public static final int V_UINT64 = 9;
    public static final int V_FLOAT = 10;
    public static final int V_DOUBLE = 11;
    public static final int V_STRING = 12;

    public static final int MAX_STATUS = 32;

    /** The array every offset in this message indexes: the caller's buffer or the flow's reassembly buffer. */
    public byte[] buf;
    /** Offset of the message header in the buffer handed to the parser (first chunk's for a reassembled one). */
    public int messageOffset;

    // ---- UA TCP header ----
    public int type;
    /** 'F' final, 'C' intermediate, 'A' abort. */
    public char chunk;
    /** MessageSize from the header: the whole chunk including the header. */
    public long size;
    public boolean fromClient;

    // ---- HEL / ACK ----
    public long protocolVersion;
    public long receiveBufferSize;
    public long sendBufferSize;
    public long maxMessageSize;
    public long maxChunkCount;
    public int endpointUrlOffset;
    /** -1 when absent or null. */
    public int endpointUrlLength;

    // ---- ERR, and the error of an abort chunk ----
    public long errorCode;
    public int reasonOffset;
    public int reasonLength;

    // ---- secure conversation (OPN, CLO, MSG) ----
    public long secureChannelId;
    public long tokenId;
    public long sequenceNumber;
    public long requestId;
    public int policyUriOffset;
    public int policyUriLength;
    /** POLICY_* of an OPN, and of the channel for MSG/CLO when known. */
    public int securityPolicy;
    public int senderCertificateLength;
    public int receiverThumbprintLength;
    /** MODE_* requested in a plaintext OPN request, or the channel's mode for MSG/CLO; -1 unknown. */
    public int securityMode;
    /** OPN request: 0 Issue, 1 Renew; -1 absent. */
    public int requestType;
    public long requestedLifetime;
    public long revisedLifetime;
    /**
     * The body is not readable: the channel is SignAndEncrypt, or its mode is unknown and the
     * plaintext probe failed, or an OPN with a policy other than None. Nothing after the
     * security header is decoded.
     */
    public boolean encrypted;
    /** The channel's mode was not seen in an OPN but inferred: the body decoded as a known service. */
    public boolean securityInferred;

    // ---- multi-chunk ----
    /** The decoded body was reassembled from C chunks (this is the final chunk). */
    public boolean reassembled;
    /** Reassembly overflowed (or the chunk was too large to buffer): the service comes from a prefix. */
    public boolean truncatedBody;
    /** Number of chunks in the reassembled message. */
    public int chunkCount;

    // ---- service ----
    /** NodeId encoding byte of the service type id (0x01 four-byte, ...), -1 when not decoded. */
    public int serviceEncoding;
    public int serviceNamespace;
    /** Numeric service type id (e.g. 631 ReadRequest), -1 when not decoded or not numeric. */
    public long serviceId;
    /** RequestHeader / ResponseHeader. */
    public long timestamp;
    public long requestHandle;
    public long returnDiagnostics;
    public long timeoutHint;
    /** ResponseHeader service result, -1 for requests. */
    public long serviceResult;

    /** Read/Write/Browse: nodes; Call: object ids. */
    public final OpcUaNodeIds nodes = new OpcUaNodeIds();
    /** Call: method ids, parallel to {@link #nodes}. */
    public final OpcUaNodeIds methods = new OpcUaNodeIds();
    /** Write: per node, the Variant type id (V_*), -1 when no value / array. */
    public final int[] valueType = new int[OpcUaNodeIds.CAPACITY];
    /** Write: integers as long (UInt64 as raw bits), Float/Double as raw IEEE bits; see {@link #doubleValue}. */
    public final long[] valueBits = new long[OpcUaNodeIds.CAPACITY];
    public final int[] valueOffset = new int[OpcUaNodeIds.CAPACITY];
    public final int[] valueLength = new int[OpcUaNodeIds.CAPACITY];
    /** Read: MaxAge and TimestampsToReturn; -1 absent. */
    public double maxAge;
    public int timestampsToReturn;

    /** Responses: per-operation status codes (Read: DataValue status, Good when absent). */
    public final long[] statusCodes = new long[MAX_STATUS];
    public int statusCount;
    /** Results on the wire, -1 when absent. */
    public int statusTotal;

    // ---- request/response matching (OpcUaFlowState) ----
    public boolean matched;
    /** Service id of the matched request, -1 when unmatched or a request. */
    public long requestServiceId;
    public long requestFrame;
    public long latencyNanos;

    /** The body does not decode; a constant reason. */
    public boolean malformed;
    public String malformedReason;

    public void reset() {
        buf = null;
        messageOffset = 0;
        type = UNKNOWN;
        chunk = 0;
        size = -1;
        fromClient = false;
        protocolVersion = -1;
        receiveBufferSize = -1;
        sendBufferSize = -1;
        maxMessageSize = -1;
        maxChunkCount = -1;
        endpointUrlOffset = -1;
        endpointUrlLength = -1;
        errorCode = -1;
        reasonOffset = -1;
        reasonLength = -1;
        secureChannelId = -1;
        tokenId = -1;
        sequenceNumber = -1;
        requestId = -1;
        policyUriOffset = -1;
        policyUriLength = -1;
        securityPolicy = POLICY_UNKNOWN;
        senderCertificateLength = -1;
        receiverThumbprintLength = -1;
        securityMode = -1;
        requestType = -1;
        requestedLifetime = -1;
        revisedLifetime = -1;
        encrypted = false;
        securityInferred = false;
        reassembled = false;
        truncatedBody = false;
        chunkCount = 1;
        resetBody();
        matched = false;
        requestServiceId = -1;
        requestFrame = -1;
        latencyNanos = -1;
        malformed = false;
        malformedReason = null;
    }

    void resetBody() {
        serviceEncoding = -1;
        serviceNamespace = -1;
        serviceId = -1;
        timestamp = -1;
        requestHandle = -1;
        returnDiagnostics = -1;
        timeoutHint = -1;
        serviceResult = -1;
        nodes.clear();
        methods.clear();
        maxAge = -1;
        timestampsToReturn = -1;
        statusCount = 0;
        statusTotal = -1;
    }

    public String typeName() {
        return typeName(type);
    }

    public static String typeName(int type) {
        return type >= 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : TYPE_NAMES[0];
    }

    public static String policyName(int policy) {
        return policy >= 0 && policy < POLICY_NAMES.length ? POLICY_NAMES[policy] : "unknown";
    }

    /** Service name from the namespace-0 table, null when not decoded or not a standard service. */
    public String serviceName() {
        return serviceNamespace == 0 ? OpcUaNames.service(serviceId) : null;
    }

    public boolean isServiceFault() {
        return serviceNamespace == 0 && serviceId == OpcUaNames.SERVICE_FAULT;
    }

    /** A written Float/Double (or integer) value as a double, NaN when the value is not numeric. */
    public double doubleValue(int i) {
        switch (valueType[i]) {
            case V_FLOAT: return Float.intBitsToFloat((int) valueBits[i]);
            case V_DOUBLE: return Double.longBitsToDouble(valueBits[i]);
            case V_UINT64: return valueBits[i] >= 0 ? valueBits[i] : Math.pow(2, 64) + valueBits[i];
            case V_BOOLEAN: case V_SBYTE: case V_BYTE: case V_INT16: case V_UINT16: case V_INT32: case V_UINT32:
            case V_INT64:
                return valueBits[i];
            default:
                return Double.NaN;
        }
    }

    /** Decodes a UTF-8 string field of this message; output code only (allocates). Null for -1 lengths. */
    public String string(int offset, int length) {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            return null;
        }
        return new String(buf, offset, length, StandardCharsets.UTF_8);
    }

    public String endpointUrl() {
        return string(endpointUrlOffset, endpointUrlLength);
    }

    public String policyUri() {
        return string(policyUriOffset, policyUriLength);
    }

    public String reason() {
        return string(reasonOffset, reasonLength);
    }

    @Override
    public String toString() { // diagnostics and test failure messages only
        StringBuilder sb = new StringBuilder("OpcUaMessage{").append(typeName()).append(chunk)
            .append(" size=").append(size);
        if (secureChannelId >= 0) {
            sb.append(" scid=").append(secureChannelId).append(" token=").append(tokenId).append(" seq=")
                .append(sequenceNumber).append(" rqid=").append(requestId);
        }
        if (encrypted) {
            sb.append(" encrypted");
        }
        if (serviceId >= 0) {
            sb.append(" service=").append(serviceName() != null ? serviceName() : serviceId);
        }
        if (serviceResult >= 0) {
            sb.append(" result=0x").append(Long.toHexString(serviceResult));
        }
        if (nodes.total >= 0) {
            sb.append(" nodes=").append(nodes.total);
        }
        if (errorCode >= 0) {
            sb.append(" error=0x").append(Long.toHexString(errorCode));
        }
        if (truncatedBody) {
            sb.append(" truncated");
        }
        if (malformed) {
            sb.append(" malformed=").append(malformedReason);
        }
        return sb.append('}').toString();
    }
}
