package io.vigil.protocols.smb;

/**
 * SMB stream parser for one direction of an in-order TCP stream (TCP 445 direct hosting, or TCP 139 NetBIOS session
 * service): cuts it into NetBIOS session messages and decodes each SMB1, SMB2/3, transform or compression-transform
 * message into an {@link SmbMessage}. Keeps only counters, so one instance serves every flow of a worker; a
 * connection's memory is its {@link SmbFlowState}. Unconsumed bytes (a message not yet complete) stay with the caller.
 * Follows MS-SMB2 (v20240423) and MS-CIFS/MS-SMB for SMB1, MS-NLMP for NTLMSSP, RFC 1002 for the session service.
 *
 * <p><b>Framing.</b> Every message starts with a 4-byte header: a type byte and a length. Direct hosting uses a 24-bit
 * length, the NetBIOS session service a 17-bit one (7 flag bits, of which only the top length bit may be set); a
 * 24-bit read covers both. Type 0 (session message) must be followed by a protocol identifier 0xFF/0xFE/0xFD/0xFC
 * "SMB" and a length at least that header's size; types 0x81-0x85 (session request, responses, retarget,
 * keep-alive) of at most {@link #MAX_CONTROL} bytes are skipped. Anything else is garbage: the parser then advances a
 * byte at a time until a type-0 header with an SMB identifier passes, counting what it skipped; after a gap or a
 * mid-stream start it does the same, since it may have landed inside a message. A message longer than
 * {@code maxBuffered} is decoded from its first {@code maxBuffered} bytes (flagged {@code truncated}: every header and
 * fixed field sits there, only READ/WRITE data is cut) and the rest is passed over as it arrives, so a caller never
 * needs to hold more.
 *
 * <p><b>Robustness.</b> Every field read is bounded by the message (and an SMB2 compound element by its NextCommand);
 * offsets and lengths from the wire are checked before use; chains (SMB2 compounds, SMB1 AndX) are capped and must
 * move forward. What does not fit is reported {@code malformed} with a constant reason. Nothing throws on hostile
 * input and nothing is allocated per message.
 */
public final class SmbParser {
    /** NetBIOS session service; direct hosting is {@code AppProtocol.SMB.port()} (445). */
    public static final int NETBIOS_PORT = 139;
    public static final int DIRECT_PORT = 445;
    /** Default for the most bytes of one message the caller is asked to hold. */
    public static final int MAX_BUFFERED = 32 * 1024;
    /** NetBIOS control messages are tiny (a session request carries two 34-byte names). */
    static final int MAX_CONTROL = 256;
    static final int MAX_COMPOUND = 64;

    static final String R_SMB2_HEADER = "SMB2 header cut short";
    static final String R_SMB1_HEADER = "SMB1 header cut short";
    static final String R_TRANSFORM = "transform header cut short";
    static final String R_COMPRESSION = "compression transform header cut short";
    static final String R_COMPRESSION_OFFSET = "compression offset beyond the message";
    static final String R_NEXT_COMMAND = "NextCommand outside the message";
    static final String R_COMPOUND_MAGIC = "compound element without an SMB2 header";
    static final String R_COMPOUND_LONG = "compound chain too long";
    static final String R_BODY = "command body cut short";
    static final String R_FIELD = "offset/length field outside the message";
    static final String R_CONTEXT = "negotiate context outside the message";
    static final String R_NTLMSSP = "NTLMSSP field outside the security buffer";
    static final String R_SMB1_WORDS = "SMB1 parameter or data block outside the message";
    static final String R_ANDX = "SMB1 AndX offset not forward or outside the message";

    private static final int MAGIC_NONE = 0;

    private final int maxBuffered;

    private long messages;
    private long malformedMessages;
    private long encryptedMessages;
    private long compressedMessages;
    private long controlMessages;
    private long skippedBytes;
    private long resyncs;

    public SmbParser() {
        this(MAX_BUFFERED);
    }

    /** @param maxBuffered the most bytes of one message the caller keeps (at least 1024) */
    public SmbParser(int maxBuffered) {
        this.maxBuffered = Math.max(1024, maxBuffered);
    }

    /**
     * Parses every complete message in {@code buf[off, off+len)} and hands each SMB message to {@code sink}.
     *
     * @param fromClient the direction, as the caller keeps it (selects the per-direction state)
     * @return bytes consumed: whole messages, skipped garbage and the passed-over rest of an oversized message; an
     *     incomplete trailing message is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, SmbMessage msg, SmbFlowState state,
                     SmbMessageSink sink) {
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
        boolean hunting = state.resync[d];
        while (end - pos >= 4) {
            int type = buf[pos] & 0xFF;
            int mlen = u24(buf, pos + 1);
            if (type == 0) {
                if (end - pos < 8) {
                    break;
                }
                int magic = magic(buf, pos + 4);
                if (magic != MAGIC_NONE && mlen >= minLength(magic)) {
                    if (hunting) {
                        resyncs++;
                        hunting = false;
                    }
                    int total = 4 + mlen;
                    if (end - pos >= total) {
                        decode(buf, pos + 4, pos + total, mlen, false, fromClient, msg, state, sink);
                        pos += total;
                        continue;
                    }
                    if (mlen <= maxBuffered || end - pos < maxBuffered) {
                        break;
                    }
                    decode(buf, pos + 4, end, mlen, true, fromClient, msg, state, sink);
                    state.skip[d] = total - (end - pos);
                    pos = end;
                    break;
                }
            } else if (!hunting && type >= 0x81 && type <= 0x85 && mlen <= MAX_CONTROL) {
                if (end - pos < 4 + mlen) {
                    break;
                }
                controlMessages++;
                pos += 4 + mlen;
                continue;
            }
            pos++;
            skippedBytes++;
            hunting = true;
        }
        state.resync[d] = hunting;
        return pos - off;
    }

    /**
     * Content detection: a NetBIOS session message carrying an SMB1/SMB2/transform/compression header. With
     * {@code sessionService} (TCP 139), a stream may also start with a NetBIOS session request or response.
     */
    public static boolean looksLikeSmb(byte[] buf, int off, int len, boolean sessionService) {
        if (buf == null || off < 0 || len < 4 || off > buf.length - len) {
            return false;
        }
        int type = buf[off] & 0xFF;
        int mlen = u24(buf, off + 1);
        if (type == 0) {
            if (len < 8) {
                return false;
            }
            int magic = magic(buf, off + 4);
            return magic != MAGIC_NONE && mlen >= minLength(magic);
        }
        return sessionService && type >= 0x81 && type <= 0x85 && mlen <= MAX_CONTROL;
    }

    public long messages() {
        return messages;
    }

    public long malformedMessages() {
        return malformedMessages;
    }

    public long encryptedMessages() {
        return encryptedMessages;
    }

    public long compressedMessages() {
        return compressedMessages;
    }

    /** NetBIOS session requests, responses and keep-alives passed over. */
    public long controlMessages() {
        return controlMessages;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public long resyncs() {
        return resyncs;
    }

    // ------------------------------------------------------------------ framing

    /** 0xFF, 0xFE, 0xFD or 0xFC followed by "SMB", else MAGIC_NONE. */
    private static int magic(byte[] b, int p) {
        int m = b[p] & 0xFF;
        if (m < 0xFC || b[p + 1] != 'S' || b[p + 2] != 'M' || b[p + 3] != 'B') {
            return MAGIC_NONE;
        }
        return m;
    }

    private static int minLength(int magic) {
        switch (magic) {
            case 0xFE: return 64;
            case 0xFD: return 52;
            case 0xFC: return 16;
            default: return 32;
        }
    }

    /** One session message b[m, e): e is its end, or the end of the buffered prefix when truncated. */
    private void decode(byte[] b, int m, int e, int mlen, boolean truncated, boolean fromClient, SmbMessage msg,
                        SmbFlowState st, SmbMessageSink sink) {
        switch (b[m] & 0xFF) {
            case 0xFE:
                compound(b, m, e, mlen, truncated, fromClient, msg, st, sink);
                return;
            case 0xFD:
                msg.reset(b, fromClient, mlen, truncated);
                msg.dialect = st.dialect > 0 ? st.dialect : -1;
                transform(b, m, e, msg);
                deliver(msg, sink);
                return;
            case 0xFC:
                msg.reset(b, fromClient, mlen, truncated);
                msg.dialect = st.dialect > 0 ? st.dialect : -1;
                compression(b, m, e, msg, st);
                deliver(msg, sink);
                return;
            default:
                msg.reset(b, fromClient, mlen, truncated);
                smb1(b, m, e, msg, st);
                deliver(msg, sink);
        }
    }

    private void deliver(SmbMessage msg, SmbMessageSink sink) {
        messages++;
        if (msg.malformed) {
            malformedMessages++;
        }
        if (msg.encrypted) {
            encryptedMessages++;
        }
        if (msg.compressed) {
            compressedMessages++;
        }
        sink.onMessage(msg);
    }

    /** SMB2 messages chained by NextCommand, each delivered on its own. */
    private void compound(byte[] b, int m, int e, int mlen, boolean truncated, boolean fromClient, SmbMessage msg,
                          SmbFlowState st, SmbMessageSink sink) {
        int p = m;
        for (int index = 0; ; index++) {
            msg.reset(b, fromClient, mlen, truncated);
            msg.compoundIndex = index;
            if (index >= MAX_COMPOUND) {
                msg.malformed(R_COMPOUND_LONG);
                deliver(msg, sink);
                return;
            }
            if (e - p < 4 || magic(b, p) != 0xFE) {
                msg.malformed(R_COMPOUND_MAGIC);
                deliver(msg, sink);
                return;
            }
            long next = e - p >= 24 ? u32le(b, p + 20) : 0;
            int elementEnd = e;
            boolean stop = next == 0;
            if (next != 0) {
                if (next >= 64 && next <= e - p - 4) {
                    elementEnd = p + (int) next;
                } else {
                    stop = true;
                    if (!truncated) {
                        msg.malformed(R_NEXT_COMMAND);
                    }
                }
            }
            smb2(b, p, elementEnd, msg, st);
            deliver(msg, sink);
            if (stop) {
                return;
            }
            p = elementEnd;
        }
    }

    // ------------------------------------------------------------------ SMB2

    /** One SMB2 message b[p, e): header, then the fields of its command. */
    private static void smb2(byte[] b, int p, int e, SmbMessage msg, SmbFlowState st) {
        msg.version = st.dialect >= 0x0300 ? SmbMessage.SMB3 : SmbMessage.SMB2;
        msg.dialect = st.dialect > 0 ? st.dialect : -1;
        if (e - p < 64) {
            msg.malformed(R_SMB2_HEADER);
            if (e - p >= 14) {
                msg.command = u16le(b, p + 12);
            }
            return;
        }
        header2(b, p, msg);
        if (!msg.async) {
            SmbText share = st.tree(msg.treeId);
            if (share != null) {
                msg.share.copyFrom(share);
            }
        }
        body2(b, p, p + 64, e, msg, st);
    }

    private static void header2(byte[] b, int p, SmbMessage msg) {
        msg.hasHeader = true;
        msg.creditCharge = u16le(b, p + 6);
        long status = u32le(b, p + 8);
        msg.command = u16le(b, p + 12);
        msg.credits = u16le(b, p + 14);
        msg.flags = (int) u32le(b, p + 16);
        msg.isResponse = (msg.flags & SmbMessage.FLAG_RESPONSE) != 0;
        msg.async = (msg.flags & SmbMessage.FLAG_ASYNC) != 0;
        msg.related = (msg.flags & SmbMessage.FLAG_RELATED) != 0;
        msg.signed = (msg.flags & SmbMessage.FLAG_SIGNED) != 0;
        msg.nextCommand = u32le(b, p + 20);
        msg.messageId = u64le(b, p + 24);
        if (msg.async) {
            msg.asyncId = u64le(b, p + 32);
        } else {
            msg.processId = u32le(b, p + 32);
            msg.treeId = u32le(b, p + 36);
        }
        msg.sessionId = u64le(b, p + 40);
        if (msg.isResponse) {
            msg.status = status;
        }
    }

    /** The command's fixed fields; offsets in them count from the header at p. */
    private static void body2(byte[] b, int p, int q, int e, SmbMessage msg, SmbFlowState st) {
        if (e - q < 2) {
            msg.malformed(R_BODY);
            return;
        }
        int size = u16le(b, q);
        boolean resp = msg.isResponse;
        if (resp && size == 9 && msg.status != 0 && msg.command != SmbMessage.SESSION_SETUP) {
            return; // ERROR response: no command fields
        }
        switch (msg.command) {
            case SmbMessage.NEGOTIATE:
                if (resp) {
                    negotiateResponse(b, p, q, e, msg, st);
                } else {
                    negotiateRequest(b, p, q, e, msg);
                }
                break;
            case SmbMessage.SESSION_SETUP:
                if (!resp && need(e - q, 16, msg)) {
                    int so = u16le(b, q + 12);
                    int sl = u16le(b, q + 14);
                    if (sl > 0 && checkRange(p, so, sl, e, msg)) {
                        ntlmssp(b, p + so, p + so + sl, msg);
                    }
                }
                break;
            case SmbMessage.TREE_CONNECT:
                if (resp) {
                    if (need(e - q, 3, msg)) {
                        msg.shareType = b[q + 2] & 0xFF;
                    }
                    SmbText name = st.answered(SmbMessage.TREE_CONNECT, msg.messageId);
                    if (name != null && msg.treeId >= 0) {
                        st.tree(msg.treeId, name);
                        msg.share.copyFrom(name);
                    }
                } else if (need(e - q, 8, msg)) {
                    int po = u16le(b, q + 4);
                    int pl = u16le(b, q + 6);
                    if (checkRange(p, po, pl, e, msg)) {
                        msg.tree.utf16(b, p + po, pl);
                        st.expect(SmbMessage.TREE_CONNECT, msg.messageId, msg.tree);
                    }
                }
                break;
            case SmbMessage.TREE_DISCONNECT:
                if (resp && msg.status == 0) {
                    st.forgetTree(msg.treeId); // after the response, so that it is still named
                }
                break;
            case SmbMessage.CREATE:
                if (resp) {
                    if (need(e - q, 80, msg)) {
                        fileId(b, q + 64, msg, st);
                        SmbText name = st.answered(SmbMessage.CREATE, msg.messageId);
                        if (name != null) {
                            st.file(b, q + 64, name);
                            msg.file.copyFrom(name);
                        }
                    }
                } else if (need(e - q, 48, msg)) {
                    int no = u16le(b, q + 44);
                    int nl = u16le(b, q + 46);
                    if (nl == 0) {
                        msg.filename.length = 0; // the share's root
                        st.expect(SmbMessage.CREATE, msg.messageId, msg.filename);
                    } else if (checkRange(p, no, nl, e, msg)) {
                        msg.filename.utf16(b, p + no, nl);
                        st.expect(SmbMessage.CREATE, msg.messageId, msg.filename);
                    }
                }
                break;
            case SmbMessage.CLOSE:
                if (!resp && need(e - q, 24, msg)) {
                    fileId(b, q + 8, msg, st);
                    st.forgetFile(b, q + 8);
                }
                break;
            case SmbMessage.FLUSH:
            case SmbMessage.LOCK:
            case SmbMessage.CHANGE_NOTIFY:
            case SmbMessage.OPLOCK_BREAK:
            case SmbMessage.QUERY_DIRECTORY:
                if (!resp && need(e - q, 24, msg)) {
                    fileId(b, q + 8, msg, st);
                }
                break;
            case SmbMessage.READ:
            case SmbMessage.WRITE:
                if (resp) {
                    if (need(e - q, 8, msg)) {
                        msg.length = u32le(b, q + 4);
                    }
                } else if (need(e - q, 32, msg)) {
                    msg.length = u32le(b, q + 4);
                    msg.offset = u64le(b, q + 8);
                    fileId(b, q + 16, msg, st);
                }
                break;
            case SmbMessage.IOCTL:
                if (need(e - q, 24, msg)) {
                    msg.ctlCode = u32le(b, q + 4);
                    fileId(b, q + 8, msg, st);
                }
                break;
            case SmbMessage.QUERY_INFO:
                if (!resp && need(e - q, 40, msg)) {
                    fileId(b, q + 24, msg, st);
                }
                break;
            case SmbMessage.SET_INFO:
                if (!resp && need(e - q, 32, msg)) {
                    fileId(b, q + 16, msg, st);
                }
                break;
            default:
                break; // LOGOFF, CANCEL, ECHO: header only
        }
    }

    private static void fileId(byte[] b, int at, SmbMessage msg, SmbFlowState st) {
        System.arraycopy(b, at, msg.fileId, 0, 16);
        msg.hasFileId = true;
        SmbText name = st.file(b, at);
        if (name != null) {
            msg.file.copyFrom(name);
        }
    }

    private static void negotiateRequest(byte[] b, int p, int q, int e, SmbMessage msg) {
        if (!need(e - q, 36, msg)) {
            return;
        }
        int count = u16le(b, q + 2);
        int ctxOffset = (int) Math.min(u32le(b, q + 28), Integer.MAX_VALUE);
        int ctxCount = u16le(b, q + 32);
        int at = q + 36;
        boolean smb311 = false;
        for (int i = 0; i < count; i++, at += 2) {
            if (e - at < 2) {
                msg.malformed(R_BODY);
                break;
            }
            int dialect = u16le(b, at);
            if (i < SmbMessage.MAX_DIALECTS) {
                msg.dialects[i] = dialect;
            }
            msg.dialectCount++;
            smb311 |= dialect == 0x0311;
        }
        if (smb311 && ctxCount > 0) {
            contexts(b, p, ctxOffset, ctxCount, e, msg);
        }
    }

    private static void negotiateResponse(byte[] b, int p, int q, int e, SmbMessage msg, SmbFlowState st) {
        if (!need(e - q, 64, msg)) {
            return;
        }
        int dialect = u16le(b, q + 4);
        msg.dialect = dialect;
        // 0x02FF answers an SMB1 multi-protocol NEGOTIATE: "speak SMB2", the real choice follows in a second round.
        if (dialect != 0x02FF) {
            st.dialect = dialect;
            msg.version = dialect >= 0x0300 ? SmbMessage.SMB3 : SmbMessage.SMB2;
        }
        int ctxCount = u16le(b, q + 6);
        if (dialect == 0x0311 && ctxCount > 0) {
            contexts(b, p, (int) Math.min(u32le(b, q + 60), Integer.MAX_VALUE), ctxCount, e, msg);
        }
    }

    /** SMB 3.1.1 negotiate contexts, each 8-byte aligned from the header. */
    private static void contexts(byte[] b, int p, int offset, int count, int e, SmbMessage msg) {
        if (offset < 64 || offset > e - p) {
            msg.malformed(R_CONTEXT);
            return;
        }
        int c = p + offset;
        for (int i = 0; i < count; i++) {
            c = p + ((c - p + 7) & ~7);
            if (c < p || e - c < 8) {
                msg.malformed(R_CONTEXT);
                return;
            }
            int type = u16le(b, c);
            int dl = u16le(b, c + 2);
            int data = c + 8;
            if (dl > e - data) {
                msg.malformed(R_CONTEXT);
                return;
            }
            msg.negotiateContextCount++;
            switch (type) {
                case 1: // PREAUTH_INTEGRITY_CAPABILITIES: HashAlgorithmCount, SaltLength, algorithms
                    if (dl >= 4) {
                        msg.hashAlgorithmCount = list(b, data + 4, data + dl, u16le(b, data), msg.hashAlgorithms);
                    }
                    break;
                case 2: // ENCRYPTION_CAPABILITIES: CipherCount, ciphers
                    if (dl >= 2) {
                        msg.cipherCount = list(b, data + 2, data + dl, u16le(b, data), msg.ciphers);
                    }
                    break;
                case 3: // COMPRESSION_CAPABILITIES: count, padding, flags, algorithms
                    if (dl >= 8) {
                        msg.compressionAlgorithmCount = list(b, data + 8, data + dl, u16le(b, data),
                            msg.compressionAlgorithms);
                    }
                    break;
                case 8: // SIGNING_CAPABILITIES: count, algorithms
                    if (dl >= 2) {
                        msg.signingAlgorithmCount = list(b, data + 2, data + dl, u16le(b, data), msg.signingAlgorithms);
                    }
                    break;
                default:
                    break;
            }
            c = data + dl;
        }
    }

    /** Up to to.length 16-bit values of a counted list within [q, e); returns how many were kept. */
    private static int list(byte[] b, int q, int e, int count, int[] to) {
        int n = 0;
        for (int i = 0; i < count && e - q >= 2 && n < to.length; i++, q += 2) {
            to[n++] = u16le(b, q);
        }
        return n;
    }

    /**
     * The user, domain and workstation of an NTLMSSP AUTHENTICATE message in a security buffer [s, e), raw or wrapped
     * in SPNEGO: found by its signature rather than by walking the ASN.1, which tolerates every GSS wrapping.
     */
    private static void ntlmssp(byte[] b, int s, int e, SmbMessage msg) {
        int q = -1;
        for (int i = s; e - i >= 12; i++) {
            if (b[i] == 'N' && b[i + 1] == 'T' && b[i + 2] == 'L' && b[i + 3] == 'M' && b[i + 4] == 'S'
                && b[i + 5] == 'S' && b[i + 6] == 'P' && b[i + 7] == 0) {
                q = i;
                break;
            }
        }
        if (q < 0 || u32le(b, q + 8) != 3) {
            return; // SPNEGO/Kerberos, or NEGOTIATE/CHALLENGE: no names in clear
        }
        if (e - q < 52) {
            msg.malformed(R_NTLMSSP);
            return;
        }
        boolean unicode = e - q < 64 || (b[q + 60] & 1) != 0;
        ntlmField(b, q, q + 28, e, unicode, msg.domain, msg);
        ntlmField(b, q, q + 36, e, unicode, msg.user, msg);
        ntlmField(b, q, q + 44, e, unicode, msg.workstation, msg);
    }

    private static void ntlmField(byte[] b, int q, int f, int e, boolean unicode, SmbText out, SmbMessage msg) {
        int len = u16le(b, f);
        long off = u32le(b, f + 4);
        if (len == 0) {
            out.length = 0;
            return;
        }
        if (off > e - q || len > e - q - off) {
            msg.malformed(R_NTLMSSP);
            return;
        }
        if (unicode) {
            out.utf16(b, q + (int) off, len);
        } else {
            out.oem(b, q + (int) off, len);
        }
    }

    // ------------------------------------------------------------------ SMB3 transforms

    private static void transform(byte[] b, int m, int e, SmbMessage msg) {
        msg.version = SmbMessage.SMB3;
        msg.encrypted = true;
        if (e - m < 52) {
            msg.malformed(R_TRANSFORM);
            return;
        }
        msg.originalMessageSize = u32le(b, m + 36);
        msg.transformFlags = u16le(b, m + 42);
        msg.sessionId = u64le(b, m + 44);
    }

    /**
     * MS-SMB2 2.2.42: unchained (Flags 0: Offset = bytes of uncompressed data before the compressed segment) or
     * chained (Flags 1: the first payload header follows OriginalCompressedSegmentSize). An uncompressed prefix that
     * holds an SMB2 header is decoded, so the message keeps its command.
     */
    private static void compression(byte[] b, int m, int e, SmbMessage msg, SmbFlowState st) {
        msg.version = SmbMessage.SMB3;
        msg.compressed = true;
        if (e - m < 16) {
            msg.malformed(R_COMPRESSION);
            return;
        }
        long original = u32le(b, m + 4);
        msg.originalCompressedSegmentSize = original;
        msg.compressionAlgorithm = u16le(b, m + 8);
        msg.compressionFlags = u16le(b, m + 10);
        long offset = u32le(b, m + 12);
        msg.compressionOffset = offset;
        int data = m + 16;
        int available = msg.truncated ? msg.messageLength - 16 : e - data;
        if (msg.compressionFlags == 0) {
            if (original + offset > 0xFFFFFFFFL) {
                msg.compressionOverflow = true;
            }
            if (offset > available) {
                msg.compressionOverflow = true;
                msg.malformed(R_COMPRESSION_OFFSET);
                return;
            }
            inner(b, data, (int) Math.min(data + offset, e), msg, st);
        } else if (msg.compressionAlgorithm == 0 && offset <= available) {
            // chained, first payload uncompressed (algorithm NONE): its Length bytes follow directly
            inner(b, data, (int) Math.min(data + offset, e), msg, st);
        }
    }

    private static void inner(byte[] b, int p, int e, SmbMessage msg, SmbFlowState st) {
        if (e - p >= 64 && magic(b, p) == 0xFE) {
            header2(b, p, msg);
            body2(b, p, p + 64, e, msg, st);
            if (msg.malformed && msg.malformedReason != R_COMPRESSION_OFFSET) {
                // the body continues in the compressed segment: a short prefix is expected, not malformed
                msg.malformed = false;
                msg.malformedReason = null;
            }
        }
    }

    // ------------------------------------------------------------------ SMB1

    private static void smb1(byte[] b, int m, int e, SmbMessage msg, SmbFlowState st) {
        msg.version = SmbMessage.SMB1;
        if (e - m < 32) {
            msg.malformed(R_SMB1_HEADER);
            if (e - m >= 5) {
                msg.command = b[m + 4] & 0xFF;
            }
            return;
        }
        msg.hasHeader = true;
        msg.command = b[m + 4] & 0xFF;
        long status = u32le(b, m + 5);
        int flags = b[m + 9] & 0xFF;
        int flags2 = u16le(b, m + 10);
        msg.flags = flags | flags2 << 8;
        msg.isResponse = (flags & 0x80) != 0;
        msg.signed = (flags2 & 0x0004) != 0;
        if ((flags2 & 0x4000) != 0) {
            msg.status = status;
        } else if (status != 0) {
            msg.dosError = status;
        }
        msg.processId = (long) u16le(b, m + 12) << 16 | u16le(b, m + 26);
        msg.treeId = u16le(b, m + 24);
        msg.sessionId = u16le(b, m + 28);
        msg.messageId = u16le(b, m + 30);
        boolean unicode = (flags2 & 0x8000) != 0;
        int block = m + 32;
        int command = msg.command;
        for (int hop = 0; ; hop++) {
            if (e - block < 1) {
                msg.malformed(R_SMB1_WORDS);
                return;
            }
            int wc = b[block] & 0xFF;
            int words = block + 1;
            int bcAt = words + 2 * wc;
            if (e - bcAt < 2) {
                if (!(msg.isResponse && wc == 0 && e - bcAt >= 0)) {
                    msg.malformed(R_SMB1_WORDS);
                }
                return;
            }
            int bc = u16le(b, bcAt);
            int bytes = bcAt + 2;
            int bytesEnd = bc > e - bytes ? e : bytes + bc;
            if (bc > e - bytes && !msg.truncated) {
                msg.malformed(R_SMB1_WORDS);
            }
            smb1Command(b, m, command, wc, words, bytes, bytesEnd, unicode, msg);
            if (!isAndX(command) || wc < 2 || hop + 1 >= SmbMessage.MAX_ANDX) {
                return;
            }
            int next = b[words] & 0xFF;
            msg.andx[msg.andxCount++] = next;
            if (next == 0xFF) {
                return;
            }
            int nextBlock = m + u16le(b, words + 2);
            if (nextBlock <= block || nextBlock >= e) {
                msg.malformed(R_ANDX);
                return;
            }
            block = nextBlock;
            command = next;
        }
    }

    private static boolean isAndX(int c) {
        switch (c) {
            case 0x24: case 0x2D: case 0x2E: case 0x2F: case 0x73: case 0x74: case 0x75: case 0xA2:
                return true;
            default:
                return false;
        }
    }

    /** The fields vigil keeps of one SMB1 command block (words at w, count wc; data bytes [d, de)). */
    private static void smb1Command(byte[] b, int m, int command, int wc, int w, int d, int de, boolean unicode,
                                    SmbMessage msg) {
        boolean resp = msg.isResponse;
        switch (command) {
            case SmbMessage.SMB1_NEGOTIATE:
                if (resp) {
                    if (wc >= 1) {
                        msg.dialectIndex = u16le(b, w);
                    }
                    return;
                }
                for (int q = d; q < de; ) {
                    if (b[q] != 0x02) {
                        msg.malformed(R_SMB1_WORDS);
                        return;
                    }
                    int s = q + 1;
                    int z = s;
                    while (z < de && b[z] != 0) {
                        z++;
                    }
                    if (msg.dialectNameCount < SmbMessage.MAX_DIALECTS) {
                        msg.dialectNameOffset[msg.dialectNameCount] = s;
                        msg.dialectNameLength[msg.dialectNameCount] = z - s;
                        msg.dialectNameCount++;
                    }
                    q = z + 1;
                }
                return;
            case SmbMessage.SMB1_SESSION_SETUP_ANDX:
                if (resp) {
                    return;
                }
                if (wc == 12) {
                    int blob = u16le(b, w + 14);
                    ntlmssp(b, d, Math.min(de, d + blob), msg);
                } else if (wc == 13) {
                    // pre-NTLMSSP: passwords, then account and primary domain in clear
                    int q = d + u16le(b, w + 14) + u16le(b, w + 16);
                    q = smb1String(b, m, q, de, unicode, msg.user);
                    smb1String(b, m, q, de, unicode, msg.domain);
                }
                return;
            case SmbMessage.SMB1_TREE_CONNECT_ANDX:
                if (!resp && wc == 4) {
                    smb1String(b, m, d + u16le(b, w + 6), de, unicode, msg.tree);
                }
                return;
            case SmbMessage.SMB1_NT_CREATE_ANDX:
                if (!resp && wc == 24) {
                    smb1String(b, m, d, de, unicode, msg.filename);
                }
                return;
            default:
                return;
        }
    }

    /**
     * A NUL-terminated SMB1 string at q (Unicode ones aligned to 2 bytes from the SMB header at m); returns where the
     * next string starts, or de when the string ran to the end of the data.
     */
    private static int smb1String(byte[] b, int m, int q, int de, boolean unicode, SmbText out) {
        if (q < 0 || q >= de) {
            return de;
        }
        if (unicode) {
            if (((q - m) & 1) != 0) {
                q++;
            }
            int z = q;
            while (de - z >= 2 && (b[z] != 0 || b[z + 1] != 0)) {
                z += 2;
            }
            out.utf16(b, q, z - q);
            return Math.min(de, z + 2);
        }
        int z = q;
        while (z < de && b[z] != 0) {
            z++;
        }
        out.oem(b, q, z - q);
        return Math.min(de, z + 1);
    }

    // ------------------------------------------------------------------ helpers

    private static boolean need(int available, int n, SmbMessage msg) {
        if (available < n) {
            msg.malformed(R_BODY);
            return false;
        }
        return true;
    }

    /** An (offset from the header, length) pair that must lie inside the message. */
    private static boolean checkRange(int p, int off, int len, int e, SmbMessage msg) {
        if (off < 64 || off > e - p || len > e - p - off) {
            msg.malformed(R_FIELD);
            return false;
        }
        return true;
    }

    static int u24(byte[] b, int p) {
        return (b[p] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF);
    }

    static int u16le(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    static long u32le(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    static long u64le(byte[] b, int p) {
        return u32le(b, p) | u32le(b, p + 4) << 32;
    }
}
