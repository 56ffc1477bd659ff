package io.vigil.protocols.opcua;

/**
 * OPC UA binary (UA TCP + UA Secure Conversation) stream parser: cuts the in-order byte stream of
 * one direction into message chunks and decodes each into an {@link OpcUaMessage}. The parser
 * keeps only counters and a decoding cursor, so one instance serves every flow of a worker; what
 * a flow must remember (channel security, partial multi-chunk messages, outstanding requests)
 * lives in its {@link OpcUaFlowState}. Unconsumed bytes (a chunk not yet complete) stay with the
 * caller, who offers them again with the next segment.
 *
 * <p><b>Framing.</b> A chunk is accepted where the header has a known type (HEL ACK OPN CLO MSG ERR
 * RHE), a chunk type the type allows (F only for the connection messages; F, C or A for
 * OPN/CLO/MSG) and a size between the type's minimum and 16 MiB. Anything else is garbage: the
 * parser skips a byte at a time until a header passes again, and counts the skipped bytes. While
 * skipping it also requires the size to fit the buffering limit, so random bytes that spell "MSG"
 * cannot make it wait for megabytes. A chunk larger than the buffering limit is decoded from its
 * first {@code maxBuffered} bytes (flagged {@code truncatedBody}) and the rest is passed over as
 * it arrives, so a caller never needs more than {@code maxBuffered} bytes per direction.
 *
 * <p><b>Security.</b> Nothing after the security header is decoded unless the channel is known
 * to be plaintext: an OPN with policy None (mode None or Sign), or — with {@code probeUnknownChannels}
 * — a channel whose OPN was not seen (the sensor started after the handshake; OPC UA channels
 * live for days) or was asymmetrically secured, when the chunk passes a plaintext probe: sequence
 * header followed by a four-byte/numeric NodeId in namespace 0 naming a known service. Ciphertext
 * passes that by chance with probability about 2^-32. A channel known to be SignAndEncrypt is never
 * probed; everything that is not decoded is reported {@code encrypted}.
 *
 * <p><b>Robustness.</b> Every read is bounded by the chunk; counts are checked against the bytes
 * left (each array element needs at least one byte, so hostile counts of 2^31 end at the chunk's
 * end); nesting (Variant in Variant, inner DiagnosticInfo) is capped. A body that does not decode
 * is delivered with {@code malformed} and a constant reason. Nothing throws on hostile input and
 * nothing is allocated per message.
 */
public final class OpcUaParser {
    static final int HEADER = 8;
    /** Larger sizes are not OPC UA (the specification leaves limits to negotiation; stacks use far less). */
    public static final long MAX_SIZE = 16L << 20;
    private static final int MAX_DEPTH = 16;

    static final String R_HEADER = "message header fields do not fit the message";
    static final String R_SERVICE_NODE = "service type NodeId does not fit";
    static final String R_BODY = "service body does not decode";

    private static final byte[][] POLICY_SUFFIX = {bytes("None"), bytes("Basic128Rsa15"), bytes("Basic256"),
        bytes("Basic256Sha256"), bytes("Aes128_Sha256_RsaOaep"), bytes("Aes256_Sha256_RsaPss")};
    private static final byte[] POLICY_PREFIX = bytes("http://opcfoundation.org/UA/SecurityPolicy#");

    /** Per namespace-0 id below KIND.length: 1 request, 2 response, 3 fault; 0 not a service. */
    private static final byte[] KIND = new byte[1024];

    static {
        for (int i = 0; i < KIND.length; i++) {
            String n = OpcUaNames.service(i);
            if (n != null) {
                KIND[i] = (byte) (n.endsWith("Request") ? 1 : n.endsWith("Response") ? 2 : 3);
            }
        }
    }

    private final boolean probeUnknownChannels;
    private final int maxBuffered;

    private long messages;
    private long skippedBytes;
    private long resyncs;
    private long malformedMessages;
    private long encryptedMessages;

    // decoding cursor over one body: b[p, lim)
    private byte[] b;
    private int p;
    private int lim;
    private boolean bad;
    private int depth;
    private int strOff;

    /** Probes unknown channels and buffers up to {@link OpcUaFlowState#MAX_REASSEMBLY} bytes per direction. */
    public OpcUaParser() {
        this(true, OpcUaFlowState.MAX_REASSEMBLY);
    }

    /**
     * @param probeUnknownChannels decode chunks of channels whose OPN was not seen (or was secured)
     *     when they pass the plaintext probe; false reports every such chunk as encrypted
     * @param maxBuffered the most bytes of one chunk the caller keeps (at least 1024); longer
     *     chunks are decoded from this prefix and the rest skipped
     */
    public OpcUaParser(boolean probeUnknownChannels, int maxBuffered) {
        this.probeUnknownChannels = probeUnknownChannels;
        this.maxBuffered = Math.max(1024, maxBuffered);
    }

    /**
     * Parses every complete chunk in {@code buf[off, off+len)} and hands each to {@code sink}.
     *
     * @param fromClient true for the client-to-server direction
     * @return bytes consumed: whole chunks, skipped garbage and the passed-over rest of an oversized
     *     chunk; an incomplete trailing chunk is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, OpcUaMessage msg, OpcUaFlowState state,
                     OpcUaMessageSink sink) {
        if (buf == null || msg == null || state == null || sink == null || off < 0 || len <= 0
            || off > buf.length - len) {
            return 0;
        }
        final int d = fromClient ? 0 : 1;
        final int end = off + len;
        int pos = off;
        if (state.skip[d] > 0) {
            int n = (int) Math.min(state.skip[d], len);
            state.skip[d] -= n;
            pos += n;
        }
        boolean skipping = false;
        while (end - pos >= HEADER) {
            int type = typeAt(buf, pos);
            long size = u32(buf, pos + 4);
            if (type == OpcUaMessage.UNKNOWN || !plausible(type, buf[pos + 3], size)
                || (skipping && size > maxBuffered)) {
                pos++;
                skippedBytes++;
                skipping = true;
                continue;
            }
            if (skipping) {
                resyncs++;
                skipping = false;
            }
            int avail = end - pos;
            if (avail < size) {
                if (size <= maxBuffered || avail < maxBuffered) {
                    break;
                }
                // oversized: decode the prefix now, pass over the rest as it arrives
                decode(buf, pos, maxBuffered, true, fromClient, msg, state);
                state.skip[d] = size - avail;
                deliver(msg, sink);
                pos = end;
                break;
            }
            decode(buf, pos, (int) size, false, fromClient, msg, state);
            deliver(msg, sink);
            pos += (int) size;
        }
        return pos - off;
    }

    private void deliver(OpcUaMessage msg, OpcUaMessageSink sink) {
        messages++;
        if (msg.malformed) {
            malformedMessages++;
        }
        if (msg.encrypted) {
            encryptedMessages++;
        }
        sink.onMessage(msg);
    }

    /**
     * Content detection for a stream on a port other than 4840: a HEL with chunk F, a plausible size
     * and protocol version 0, an ACK of exactly 28 bytes, an OPN whose policy URI is the OPC UA one,
     * or a MSG that passes the plaintext probe or fills the segment exactly.
     */
    public static boolean looksLikeOpcUa(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < HEADER || off > buf.length - len) {
            return false;
        }
        int type = typeAt(buf, off);
        long size = u32(buf, off + 4);
        if (type == OpcUaMessage.UNKNOWN || !plausible(type, buf[off + 3], size)) {
            return false;
        }
        switch (type) {
            case OpcUaMessage.HEL:
                if (len < 12 || u32(buf, off + 8) > 0xFF) {
                    return false;
                }
                if (len >= 32) {
                    long urlLen = u32(buf, off + 28);
                    return urlLen <= 4096 && urlLen + 32 <= size;
                }
                return true;
            case OpcUaMessage.ACK:
                return size == 28 && buf[off + 3] == 'F' && (len < 12 || u32(buf, off + 8) <= 0xFF);
            case OpcUaMessage.OPN: {
                if (len < 16) {
                    return false;
                }
                long uriLen = u32(buf, off + 12);
                if (uriLen < POLICY_PREFIX.length || uriLen > 255) {
                    return false;
                }
                int n = (int) Math.min(POLICY_PREFIX.length, len - 16);
                for (int i = 0; i < n; i++) {
                    if (buf[off + 16 + i] != POLICY_PREFIX[i]) {
                        return false;
                    }
                }
                return n > 0;
            }
            case OpcUaMessage.MSG:
                return size == len || (len >= 28 && probe(buf, off + 16, off + len));
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ framing

    private static int typeAt(byte[] b, int p) {
        int c0 = b[p];
        int c1 = b[p + 1];
        int c2 = b[p + 2];
        switch (c0) {
            case 'H': return c1 == 'E' && c2 == 'L' ? OpcUaMessage.HEL : OpcUaMessage.UNKNOWN;
            case 'A': return c1 == 'C' && c2 == 'K' ? OpcUaMessage.ACK : OpcUaMessage.UNKNOWN;
            case 'O': return c1 == 'P' && c2 == 'N' ? OpcUaMessage.OPN : OpcUaMessage.UNKNOWN;
            case 'C': return c1 == 'L' && c2 == 'O' ? OpcUaMessage.CLO : OpcUaMessage.UNKNOWN;
            case 'M': return c1 == 'S' && c2 == 'G' ? OpcUaMessage.MSG : OpcUaMessage.UNKNOWN;
            case 'E': return c1 == 'R' && c2 == 'R' ? OpcUaMessage.ERR : OpcUaMessage.UNKNOWN;
            case 'R': return c1 == 'H' && c2 == 'E' ? OpcUaMessage.RHE : OpcUaMessage.UNKNOWN;
            default: return OpcUaMessage.UNKNOWN;
        }
    }

    /** Chunk type and size the message type allows; minimum sizes are the fixed fields. */
    private static boolean plausible(int type, byte chunk, long size) {
        if (size > MAX_SIZE) {
            return false;
        }
        switch (type) {
            case OpcUaMessage.HEL: return chunk == 'F' && size >= 32;
            case OpcUaMessage.ACK: return chunk == 'F' && size >= 28;
            case OpcUaMessage.ERR: return chunk == 'F' && size >= 16;
            case OpcUaMessage.RHE: return chunk == 'F' && size >= 16;
            case OpcUaMessage.OPN: return (chunk == 'F' || chunk == 'C' || chunk == 'A') && size >= 32;
            default: return (chunk == 'F' || chunk == 'C' || chunk == 'A') && size >= 24;
        }
    }

    /**
     * Plaintext probe at a sequence header: after SequenceNumber and RequestId, a four-byte or numeric
     * NodeId in namespace 0 that names a service.
     */
    static boolean probe(byte[] b, int seqHeader, int end) {
        int q = seqHeader + 8;
        if (end - q < 4) {
            return false;
        }
        int enc = b[q] & 0xFF;
        if (enc == 0x01) {
            return b[q + 1] == 0 && OpcUaNames.isService(u16(b, q + 2));
        }
        if (enc == 0x02 && end - q >= 7) {
            return b[q + 1] == 0 && b[q + 2] == 0 && OpcUaNames.isService(u32(b, q + 3));
        }
        return false;
    }

    // ------------------------------------------------------------------ chunks

    private void decode(byte[] buf, int start, int have, boolean cut, boolean fromClient, OpcUaMessage m,
                        OpcUaFlowState st) {
        m.reset();
        m.buf = buf;
        m.messageOffset = start;
        m.type = typeAt(buf, start);
        m.chunk = (char) buf[start + 3];
        m.size = u32(buf, start + 4);
        m.fromClient = fromClient;
        m.truncatedBody = cut;
        begin(buf, start + HEADER, start + have);
        switch (m.type) {
            case OpcUaMessage.HEL:
                m.protocolVersion = u32();
                m.receiveBufferSize = u32();
                m.sendBufferSize = u32();
                m.maxMessageSize = u32();
                m.maxChunkCount = u32();
                m.endpointUrlLength = string();
                m.endpointUrlOffset = strOff;
                break;
            case OpcUaMessage.ACK:
                m.protocolVersion = u32();
                m.receiveBufferSize = u32();
                m.sendBufferSize = u32();
                m.maxMessageSize = u32();
                m.maxChunkCount = u32();
                break;
            case OpcUaMessage.ERR:
                m.errorCode = u32();
                m.reasonLength = string();
                m.reasonOffset = strOff;
                break;
            case OpcUaMessage.RHE:
                string(); // ServerUri
                m.endpointUrlLength = string();
                m.endpointUrlOffset = strOff;
                break;
            case OpcUaMessage.OPN:
                openSecureChannel(buf, start, have, fromClient, m, st);
                return;
            default:
                secureMessage(buf, start, have, fromClient, m, st);
                return;
        }
        if (bad) {
            malformed(m, R_HEADER);
        }
    }

    private void openSecureChannel(byte[] buf, int start, int have, boolean fromClient, OpcUaMessage m,
                                   OpcUaFlowState st) {
        m.secureChannelId = u32();
        m.policyUriLength = string();
        m.policyUriOffset = strOff;
        m.senderCertificateLength = string();
        m.receiverThumbprintLength = string();
        if (bad) {
            malformed(m, R_HEADER);
            return;
        }
        m.securityPolicy = classifyPolicy(buf, m.policyUriOffset, m.policyUriLength);
        if (m.securityPolicy != OpcUaMessage.POLICY_NONE) {
            // asymmetric security: the sequence header and body are encrypted, or signed in a way we cannot tell
            m.encrypted = true;
            if (fromClient) {
                st.pendingOpnRequestId = -1;
                st.pendingOpnPolicy = m.securityPolicy;
                st.pendingOpnMode = OpcUaFlowState.MODE_UNKNOWN;
                if (m.secureChannelId != 0) {
                    st.bindChannel(m.secureChannelId, m.securityPolicy, OpcUaFlowState.MODE_UNKNOWN, false);
                }
            } else {
                st.bindChannel(m.secureChannelId, m.securityPolicy, OpcUaFlowState.MODE_UNKNOWN, false);
            }
            return;
        }
        m.sequenceNumber = u32();
        m.requestId = u32();
        if (bad) {
            malformed(m, R_HEADER);
            return;
        }
        body(buf, start, have, fromClient, m, st);
        if (fromClient) {
            int mode = m.securityMode > 0 ? m.securityMode : OpcUaMessage.MODE_NONE;
            if (m.secureChannelId != 0) { // renewal of a channel
                st.bindChannel(m.secureChannelId, OpcUaMessage.POLICY_NONE, mode, false);
            }
            st.pendingOpnRequestId = m.requestId;
            st.pendingOpnPolicy = OpcUaMessage.POLICY_NONE;
            st.pendingOpnMode = mode;
        } else if (m.chunk == 'F') {
            int mode = st.pendingOpnPolicy == OpcUaMessage.POLICY_NONE && st.pendingOpnMode > 0
                ? st.pendingOpnMode : OpcUaMessage.MODE_NONE;
            st.bindChannel(m.secureChannelId, OpcUaMessage.POLICY_NONE, mode, false);
            m.securityMode = mode;
            st.pendingOpnRequestId = -1;
            st.pendingOpnMode = OpcUaFlowState.MODE_UNKNOWN;
        }
    }

    private void secureMessage(byte[] buf, int start, int have, boolean fromClient, OpcUaMessage m,
                               OpcUaFlowState st) {
        m.secureChannelId = u32();
        m.tokenId = u32();
        if (bad) {
            malformed(m, R_HEADER);
            return;
        }
        int slot = st.findChannel(m.secureChannelId);
        int mode = slot < 0 ? OpcUaFlowState.MODE_UNKNOWN : st.channelMode[slot];
        m.securityPolicy = slot < 0 ? OpcUaMessage.POLICY_UNKNOWN : st.channelPolicy[slot];
        boolean plain = mode == OpcUaMessage.MODE_NONE || mode == OpcUaMessage.MODE_SIGN;
        if (plain) {
            m.securityMode = mode;
            m.securityInferred = st.channelInferred[slot];
        } else if (mode == OpcUaFlowState.MODE_UNKNOWN && probeUnknownChannels && m.chunk != 'A'
            && probe(buf, p, start + have)) {
            plain = true;
            m.securityInferred = true;
            // None or Sign, we cannot tell which; either way the chunks are readable
            st.bindChannel(m.secureChannelId, m.securityPolicy, OpcUaMessage.MODE_SIGN, true);
            m.securityMode = -1;
        } else {
            m.securityMode = mode;
        }
        if (!plain) {
            m.encrypted = true;
            return;
        }
        m.sequenceNumber = u32();
        m.requestId = u32();
        if (bad) {
            malformed(m, R_HEADER);
            return;
        }
        body(buf, start, have, fromClient, m, st);
    }

    /** The part after the sequence header, at the cursor: abort, intermediate or final chunk. */
    private void body(byte[] buf, int start, int have, boolean fromClient, OpcUaMessage m, OpcUaFlowState st) {
        final int d = fromClient ? 0 : 1;
        final int from = p;
        final int to = start + have;
        switch (m.chunk) {
            case 'A':
                if (st.asmRequestId[d] == m.requestId) {
                    st.asmRequestId[d] = -1;
                    st.asmLen[d] = 0;
                }
                st.abortedChunks++;
                m.errorCode = u32();
                m.reasonLength = string();
                m.reasonOffset = strOff;
                if (bad) {
                    malformed(m, R_BODY);
                }
                return;
            case 'C':
                if (st.asmRequestId[d] != m.requestId || st.asmType[d] != m.type) {
                    if (st.asmRequestId[d] >= 0) {
                        st.droppedAssemblies++;
                    }
                    st.asmRequestId[d] = m.requestId;
                    st.asmType[d] = m.type;
                    st.asmLen[d] = 0;
                    st.asmChunks[d] = 0;
                    st.asmOverflow[d] = false;
                }
                append(st, d, buf, from, to, m.truncatedBody);
                m.chunkCount = st.asmChunks[d];
                return;
            default:
                break;
        }
        if (st.asmRequestId[d] >= 0 && st.asmRequestId[d] == m.requestId && st.asmType[d] == m.type) {
            append(st, d, buf, from, to, m.truncatedBody);
            m.reassembled = true;
            m.chunkCount = st.asmChunks[d];
            m.truncatedBody = st.asmOverflow[d];
            m.buf = st.asm[d];
            st.asmRequestId[d] = -1;
            service(st.asm[d], 0, st.asmLen[d], m, st);
            st.asmLen[d] = 0;
            return;
        }
        if (st.asmRequestId[d] >= 0) { // the final chunk of another request: the old one never ended
            st.droppedAssemblies++;
            st.asmRequestId[d] = -1;
            st.asmLen[d] = 0;
        }
        service(buf, from, to, m, st);
    }

    private static void append(OpcUaFlowState st, int d, byte[] buf, int from, int to, boolean cut) {
        if (st.asm[d] == null) {
            st.asm[d] = new byte[OpcUaFlowState.MAX_REASSEMBLY]; // once per flow and direction, on its first C chunk
        }
        int n = to - from;
        int room = st.asm[d].length - st.asmLen[d];
        if (n > room || cut) {
            st.asmOverflow[d] = true;
        }
        n = Math.min(n, room);
        System.arraycopy(buf, from, st.asm[d], st.asmLen[d], n);
        st.asmLen[d] += n;
        st.asmChunks[d]++;
    }

    // ------------------------------------------------------------------ services

    private void service(byte[] body, int from, int to, OpcUaMessage m, OpcUaFlowState st) {
        begin(body, from, to);
        int enc = u8();
        int form = enc & 0x3F;
        int ns;
        long id = -1;
        switch (form) {
            case 0: ns = 0; id = u8(); break;
            case 1: ns = u8(); id = u16(); break;
            case 2: ns = u16(); id = u32(); break;
            case 3: case 5: ns = u16(); string(); break;
            case 4: ns = u16(); skip(16); break;
            default: ns = -1; bad = true; break;
        }
        if ((enc & 0x80) != 0) {
            string();
        }
        if ((enc & 0x40) != 0) {
            u32();
        }
        if (bad) {
            malformed(m, R_SERVICE_NODE);
            return;
        }
        m.serviceEncoding = enc;
        m.serviceNamespace = ns;
        m.serviceId = id;
        if (ns != 0 || id < 0) {
            return;
        }
        int kind = id < KIND.length ? KIND[(int) id] : OpcUaNames.requestOf(id) >= 0 ? 2 : OpcUaNames.isService(id) ? 1 : 0;
        if (kind == 1) {
            if (m.requestId >= 0) {
                st.onRequest(m.requestId, id);
            }
            requestHeader(m);
            requestBody(id, m);
        } else if (kind >= 2) {
            st.onResponse(m);
            responseHeader(m);
            responseBody(id, m);
        }
        if (bad) {
            malformed(m, R_BODY);
        }
    }

    private void requestHeader(OpcUaMessage m) {
        nodeId(null, false); // authentication token: a session secret, never reported
        m.timestamp = i64();
        m.requestHandle = u32();
        m.returnDiagnostics = u32();
        string(); // audit entry id
        m.timeoutHint = u32();
        extensionObject();
    }

    private void responseHeader(OpcUaMessage m) {
        m.timestamp = i64();
        m.requestHandle = u32();
        m.serviceResult = u32();
        diagnosticInfo();
        int n = arrayLength();
        for (int i = 0; i < n && !bad; i++) {
            string();
        }
        extensionObject();
    }

    private void requestBody(long id, OpcUaMessage m) {
        switch ((int) id) {
            case OpcUaNames.READ_REQUEST: {
                m.maxAge = Double.longBitsToDouble(i64());
                m.timestampsToReturn = i32();
                int n = arrayLength();
                m.nodes.total = n;
                for (int i = 0; i < n && !bad; i++) {
                    readValueId(m);
                }
                break;
            }
            case OpcUaNames.WRITE_REQUEST: {
                int n = arrayLength();
                m.nodes.total = n;
                for (int i = 0; i < n && !bad; i++) {
                    int slot = nodeId(m.nodes, false);
                    int attr = (int) u32();
                    if (slot >= 0) {
                        m.nodes.attributeId[slot] = attr;
                        m.valueType[slot] = -1;
                    }
                    string(); // index range
                    dataValue(m, slot);
                }
                break;
            }
            case OpcUaNames.CALL_REQUEST: {
                int n = arrayLength();
                m.nodes.total = n;
                m.methods.total = n;
                for (int i = 0; i < n && !bad; i++) {
                    int slot = nodeId(m.nodes, false);
                    nodeId(m.methods, false);
                    if (slot >= 0) {
                        m.nodes.attributeId[slot] = -1;
                    }
                    int args = arrayLength();
                    for (int a = 0; a < args && !bad; a++) {
                        variant(null, -1);
                    }
                }
                break;
            }
            case OpcUaNames.BROWSE_REQUEST: {
                nodeId(null, false); // view id
                i64();
                u32();
                u32(); // requested max references per node
                int n = arrayLength();
                m.nodes.total = n;
                for (int i = 0; i < n && !bad; i++) {
                    int slot = nodeId(m.nodes, false);
                    if (slot >= 0) {
                        m.nodes.attributeId[slot] = -1;
                    }
                    i32(); // browse direction
                    nodeId(null, false); // reference type
                    u8();
                    u32();
                    u32();
                }
                break;
            }
            case OpcUaNames.CREATE_MONITORED_ITEMS_REQUEST: {
                // What an HMI or historian subscribes to is as telling as what it reads.
                u32(); // subscription id
                i32(); // timestamps to return
                int n = arrayLength();
                m.nodes.total = n;
                for (int i = 0; i < n && !bad; i++) {
                    readValueId(m);
                    i32(); // monitoring mode
                    u32(); // client handle
                    i64(); // sampling interval
                    extensionObject(); // filter
                    u32(); // queue size
                    u8(); // discard oldest
                }
                break;
            }
            case OpcUaNames.OPEN_SECURE_CHANNEL_REQUEST:
                u32(); // client protocol version
                m.requestType = i32();
                m.securityMode = i32();
                string(); // client nonce
                m.requestedLifetime = u32();
                if (bad) {
                    m.securityMode = -1;
                }
                break;
            default:
                break;
        }
    }

    /** A ReadValueId (Read and CreateMonitoredItems): its NodeId and attribute kept, index range and encoding skipped. */
    private void readValueId(OpcUaMessage m) {
        int slot = nodeId(m.nodes, false);
        int attr = (int) u32();
        if (slot >= 0) {
            m.nodes.attributeId[slot] = attr;
        }
        string(); // index range
        u16(); // data encoding: QualifiedName
        string();
    }

    /** Keeps a per-operation status code of a response, up to MAX_STATUS and only while the body is sound. */
    private void recordStatus(OpcUaMessage m, long status) {
        if (m.statusCount < OpcUaMessage.MAX_STATUS && !bad) {
            m.statusCodes[m.statusCount++] = status;
        }
    }

    private void responseBody(long id, OpcUaMessage m) {
        switch ((int) id) {
            case OpcUaNames.READ_RESPONSE: {
                int n = arrayLength();
                m.statusTotal = n;
                for (int i = 0; i < n && !bad; i++) {
                    long status = dataValue(null, -1);
                    recordStatus(m, status);
                }
                break;
            }
            case OpcUaNames.WRITE_RESPONSE: {
                int n = arrayLength();
                m.statusTotal = n;
                for (int i = 0; i < n && !bad; i++) {
                    long status = u32();
                    recordStatus(m, status);
                }
                break;
            }
            case OpcUaNames.CALL_RESPONSE: {
                int n = arrayLength();
                m.statusTotal = n;
                for (int i = 0; i < n && !bad; i++) {
                    long status = u32();
                    recordStatus(m, status);
                    int k = arrayLength(); // input argument results
                    skipFixed(k, 4);
                    k = arrayLength();
                    for (int j = 0; j < k && !bad; j++) {
                        diagnosticInfo();
                    }
                    k = arrayLength();
                    for (int j = 0; j < k && !bad; j++) {
                        variant(null, -1);
                    }
                }
                break;
            }
            case OpcUaNames.OPEN_SECURE_CHANNEL_RESPONSE:
                u32(); // server protocol version
                u32(); // channel id, as in the header
                m.tokenId = u32();
                i64(); // created at
                m.revisedLifetime = u32();
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ built-in types

    /** Reads a NodeId, storing it in {@code into} when there is room; returns the slot or -1. */
    private int nodeId(OpcUaNodeIds into, boolean expanded) {
        int enc = u8();
        int ns = 0;
        long id = -1;
        int off = -1;
        int len = -1;
        switch (enc & 0x3F) {
            case 0: id = u8(); break;
            case 1: ns = u8(); id = u16(); break;
            case 2: ns = u16(); id = u32(); break;
            case 3: case 5: ns = u16(); len = string(); off = strOff; break;
            case 4: ns = u16(); off = p; len = 16; skip(16); break;
            default: bad = true; break;
        }
        if (expanded) {
            if ((enc & 0x80) != 0) {
                string();
            }
            if ((enc & 0x40) != 0) {
                u32();
            }
        }
        if (into == null || bad || into.count >= OpcUaNodeIds.CAPACITY) {
            return -1;
        }
        int i = into.count++;
        into.encoding[i] = enc & 0x3F;
        into.namespace[i] = ns;
        into.numeric[i] = id;
        into.offset[i] = off;
        into.length[i] = len;
        into.attributeId[i] = -1;
        return i;
    }

    /** Reads a DataValue, capturing a scalar value into write slot {@code slot}; returns its status (Good if absent). */
    private long dataValue(OpcUaMessage m, int slot) {
        if (++depth > MAX_DEPTH) {
            bad = true;
        }
        int mask = u8();
        if ((mask & 0x01) != 0) {
            variant(m, slot);
        }
        long status = (mask & 0x02) != 0 ? u32() : OpcUaNames.GOOD;
        if ((mask & 0x04) != 0) {
            i64();
        }
        if ((mask & 0x10) != 0) {
            u16();
        }
        if ((mask & 0x08) != 0) {
            i64();
        }
        if ((mask & 0x20) != 0) {
            u16();
        }
        depth--;
        return status;
    }

    private void variant(OpcUaMessage m, int slot) {
        if (++depth > MAX_DEPTH) {
            bad = true;
            depth--;
            return;
        }
        int mask = u8();
        int t = mask & 0x3F;
        if ((mask & 0x80) != 0) {
            int n = arrayLength();
            int fixed = fixedSize(t);
            if (fixed > 0) {
                skipFixed(n, fixed);
            } else {
                for (int i = 0; i < n && !bad; i++) {
                    scalar(t, null, -1);
                }
            }
            if ((mask & 0x40) != 0) {
                skipFixed(arrayLength(), 4);
            }
        } else {
            scalar(t, m, slot);
        }
        depth--;
    }

    private static int fixedSize(int t) {
        switch (t) {
            case 1: case 2: case 3: return 1;
            case 4: case 5: return 2;
            case 6: case 7: case 10: case 19: return 4;
            case 8: case 9: case 11: case 13: return 8;
            case 14: return 16;
            default: return 0;
        }
    }

    private void scalar(int t, OpcUaMessage m, int slot) {
        long v = 0;
        switch (t) {
            case 0: break;
            case OpcUaMessage.V_BOOLEAN: v = u8() != 0 ? 1 : 0; break;
            case OpcUaMessage.V_SBYTE: v = (byte) u8(); break;
            case OpcUaMessage.V_BYTE: v = u8(); break;
            case OpcUaMessage.V_INT16: v = (short) u16(); break;
            case OpcUaMessage.V_UINT16: v = u16(); break;
            case OpcUaMessage.V_INT32: v = i32(); break;
            case OpcUaMessage.V_UINT32: case OpcUaMessage.V_FLOAT: case 19: v = u32(); break;
            case OpcUaMessage.V_INT64: case OpcUaMessage.V_UINT64: case OpcUaMessage.V_DOUBLE: case 13: v = i64(); break;
            case OpcUaMessage.V_STRING: {
                int len = string();
                if (m != null && slot >= 0 && !bad) {
                    m.valueType[slot] = t;
                    m.valueOffset[slot] = strOff;
                    m.valueLength[slot] = len;
                }
                return;
            }
            case 14: skip(16); break;
            case 15: case 16: string(); break;
            case 17: nodeId(null, false); break;
            case 18: nodeId(null, true); break;
            case 20: u16(); string(); break;
            case 21: {
                int mask = u8();
                if ((mask & 1) != 0) {
                    string();
                }
                if ((mask & 2) != 0) {
                    string();
                }
                break;
            }
            case 22: extensionObject(); break;
            case 23: dataValue(null, -1); break;
            case 24: variant(null, -1); break;
            case 25: diagnosticInfo(); break;
            default: bad = true; return;
        }
        if (m != null && slot >= 0 && !bad && t >= OpcUaMessage.V_BOOLEAN && t <= OpcUaMessage.V_DOUBLE) {
            m.valueType[slot] = t;
            m.valueBits[slot] = v;
        }
    }

    private void diagnosticInfo() {
        int levels = 0;
        while (!bad) { // inner infos iteratively, so hostile nesting costs no stack
            int mask = u8();
            skip(4 * Integer.bitCount(mask & 0x0F));
            if ((mask & 0x10) != 0) {
                string();
            }
            if ((mask & 0x20) != 0) {
                u32();
            }
            if ((mask & 0x40) == 0 || ++levels > 64) {
                return;
            }
        }
    }

    private void extensionObject() {
        nodeId(null, false);
        int enc = u8();
        if (enc == 1 || enc == 2) {
            string();
        } else if (enc != 0) {
            bad = true;
        }
    }

    // ------------------------------------------------------------------ cursor

    private void begin(byte[] buf, int from, int to) {
        b = buf;
        p = from;
        lim = to;
        bad = false;
        depth = 0;
        strOff = -1;
    }

    private boolean need(int n) {
        if (bad || lim - p < n) {
            bad = true;
            return false;
        }
        return true;
    }

    private int u8() {
        return need(1) ? b[p++] & 0xFF : 0;
    }

    private int u16() {
        if (!need(2)) {
            return 0;
        }
        int v = u16(b, p);
        p += 2;
        return v;
    }

    private long u32() {
        if (!need(4)) {
            return 0;
        }
        long v = u32(b, p);
        p += 4;
        return v;
    }

    private int i32() {
        return (int) u32();
    }

    private long i64() {
        if (!need(8)) {
            return 0;
        }
        long v = u32(b, p) | (u32(b, p + 4) << 32);
        p += 8;
        return v;
    }

    private void skip(int n) {
        if (need(n)) {
            p += n;
        }
    }

    private void skipFixed(int count, int size) {
        if ((long) count * size > lim - p) {
            bad = true;
        } else {
            p += count * size;
        }
    }

    /** String/ByteString: returns the length (-1 for null) and leaves the bytes' offset in strOff. */
    private int string() {
        int len = i32();
        strOff = -1;
        if (bad || len < -1) {
            bad = true;
            return -1;
        }
        if (len == -1) {
            return -1;
        }
        if (!need(len)) {
            return -1;
        }
        strOff = p;
        p += len;
        return len;
    }

    /** Array length: -1 (null) reads as 0; below -1 or longer than the bytes left is malformed. */
    private int arrayLength() {
        int n = i32();
        if (bad || n < -1 || n > lim - p) {
            bad = true;
            return 0;
        }
        return Math.max(n, 0);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (long) (b[p + 3] & 0xFF) << 24);
    }

    private static void malformed(OpcUaMessage m, String reason) {
        if (!m.malformed) {
            m.malformed = true;
            m.malformedReason = reason;
        }
    }

    static int classifyPolicy(byte[] b, int off, int len) {
        if (off < 0 || len <= 0) {
            return OpcUaMessage.POLICY_UNKNOWN;
        }
        if (len <= POLICY_PREFIX.length || !regionEquals(b, off, POLICY_PREFIX, POLICY_PREFIX.length)) {
            return OpcUaMessage.POLICY_OTHER;
        }
        int s = off + POLICY_PREFIX.length;
        int n = len - POLICY_PREFIX.length;
        for (int i = 0; i < POLICY_SUFFIX.length; i++) {
            if (POLICY_SUFFIX[i].length == n && regionEquals(b, s, POLICY_SUFFIX[i], n)) {
                return i;
            }
        }
        return OpcUaMessage.POLICY_OTHER;
    }

    private static boolean regionEquals(byte[] b, int off, byte[] c, int n) {
        for (int i = 0; i < n; i++) {
            if (b[off + i] != c[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    public long messages() {
        return messages;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public long resyncs() {
        return resyncs;
    }

    public long malformedMessages() {
        return malformedMessages;
    }

    public long encryptedMessages() {
        return encryptedMessages;
    }
}
