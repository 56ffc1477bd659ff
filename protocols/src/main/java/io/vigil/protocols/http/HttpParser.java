package io.vigil.protocols.http;

/**
 * HTTP/1.x parser for one TCP connection: delivers each request and response head as an
 * {@link HttpMessage} and skips bodies by Content-Length or chunked framing. Unlike the record
 * parsers it must remember, per direction, how much body is left (bodies are far larger than any
 * buffer a sensor would hold), so use one instance per connection; that state is a few fields.
 *
 * <p><b>Bounds.</b> A head must end within {@link #MAX_HEAD} bytes and a chunk-size or trailer
 * line within {@link #MAX_LINE}; beyond that, or on a start line that is not HTTP, the direction
 * is given up and all further bytes are consumed. After 101 Switching Protocols or a successful
 * CONNECT the connection carries another protocol and both directions are consumed as opaque.
 * Nothing throws on hostile input and nothing is allocated per message.
 */
public final class HttpParser {
    public static final int MAX_HEAD = 16 * 1024;
    public static final int MAX_LINE = 1024;

    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_CRLF = 4;
    private static final int TRAILER = 5;
    /** Body delimited by connection close, a tunnel, or a direction we lost track of. */
    private static final int OPAQUE = 6;

    private static final int KIND_OTHER = 0;
    private static final int KIND_HEAD = 1;
    private static final int KIND_CONNECT = 2;
    private static final int MAX_QUEUED = 32;

    private static final String[] METHODS = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
        "TRACE ", "PATCH "};

    private final int[] state = new int[2];
    private final long[] remaining = new long[2];
    /** Methods of requests awaiting a response, 2 bits each: a HEAD response has no body. */
    private long queue;
    private int queued;

    private long messages;
    private long malformed;
    private boolean gaveUp;

    /**
     * Parses {@code buf[off, off+len)} of one direction.
     *
     * @return bytes consumed; an incomplete head or line is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, HttpMessage out, HttpMessageSink sink) {
        if (buf == null || out == null || sink == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        final int d = fromClient ? 0 : 1;
        final int end = off + len;
        int pos = off;
        while (pos < end) {
            switch (state[d]) {
                case HEAD: {
                    // Tolerate stray CRLFs between messages (RFC 9112 2.2).
                    while (pos < end && (buf[pos] == '\r' || buf[pos] == '\n')) {
                        pos++;
                    }
                    if (pos == end) {
                        break;
                    }
                    int headEnd = findHeadEnd(buf, pos, Math.min(end, pos + MAX_HEAD));
                    if (headEnd < 0) {
                        if (end - pos >= MAX_HEAD) {
                            giveUp(d);
                            continue;
                        }
                        return pos - off;
                    }
                    out.reset(buf, fromClient);
                    if (!head(buf, pos, headEnd, out)) {
                        giveUp(d);
                        continue;
                    }
                    messages++;
                    if (out.malformed) {
                        malformed++;
                    }
                    frameBody(d, out);
                    sink.onMessage(out);
                    pos = headEnd;
                    break;
                }
                case BODY:
                case CHUNK_DATA: {
                    long n = Math.min(remaining[d], end - pos);
                    pos += (int) n;
                    remaining[d] -= n;
                    if (remaining[d] == 0) {
                        state[d] = state[d] == BODY ? HEAD : CHUNK_CRLF;
                    }
                    break;
                }
                case CHUNK_CRLF: {
                    if (buf[pos] == '\r') {
                        if (end - pos < 2) {
                            return pos - off;
                        }
                        pos++;
                    }
                    if (buf[pos] != '\n') {
                        giveUp(d);
                        continue;
                    }
                    pos++;
                    state[d] = CHUNK_SIZE;
                    break;
                }
                case CHUNK_SIZE:
                case TRAILER: {
                    int nl = indexOf(buf, pos, Math.min(end, pos + MAX_LINE), (byte) '\n');
                    if (nl < 0) {
                        if (end - pos >= MAX_LINE) {
                            giveUp(d);
                            continue;
                        }
                        return pos - off;
                    }
                    if (state[d] == CHUNK_SIZE) {
                        long size = chunkSize(buf, pos, nl);
                        if (size < 0) {
                            giveUp(d);
                            continue;
                        }
                        remaining[d] = size;
                        state[d] = size == 0 ? TRAILER : CHUNK_DATA;
                    } else if (nl == pos || (nl == pos + 1 && buf[pos] == '\r')) {
                        state[d] = HEAD; // blank line ends the trailer section
                    }
                    pos = nl + 1;
                    break;
                }
                default:
                    return len; // OPAQUE
            }
        }
        return pos - off;
    }

    /** Content detection: a known method followed by a space, or a status line "HTTP/1.". */
    public static boolean looksLikeHttp(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return false;
        }
        if (startsWith(buf, off, off + len, "HTTP/1.")) {
            return true;
        }
        for (String m : METHODS) {
            if (startsWith(buf, off, off + len, m)) {
                return true;
            }
        }
        return false;
    }

    public long messages() {
        return messages;
    }

    public long malformedMessages() {
        return malformed;
    }

    /** True once a direction was abandoned as not (or no longer parseable as) HTTP. */
    public boolean gaveUp() {
        return gaveUp;
    }

    private void giveUp(int d) {
        gaveUp = true;
        state[d] = OPAQUE;
    }

    /** Sets the direction's body state from the head just parsed and pairs responses with requests. */
    private void frameBody(int d, HttpMessage m) {
        int kind = KIND_OTHER;
        if (m.isRequest) {
            if (m.methodEquals("HEAD")) {
                kind = KIND_HEAD;
            } else if (m.methodEquals("CONNECT")) {
                kind = KIND_CONNECT;
            }
            if (queued < MAX_QUEUED) {
                queue |= (long) kind << (2 * queued);
                queued++;
            }
        } else {
            if (m.statusCode >= 100 && m.statusCode < 200 && m.statusCode != 101) {
                state[d] = HEAD; // interim response: the real one follows, same request
                return;
            }
            if (queued > 0) {
                kind = (int) (queue & 3);
                queue >>>= 2;
                queued--;
            }
            if (m.statusCode == 101 || (kind == KIND_CONNECT && m.statusCode >= 200 && m.statusCode < 300)) {
                state[0] = OPAQUE; // the connection now carries another protocol
                state[1] = OPAQUE;
                return;
            }
            if (kind == KIND_HEAD || m.statusCode == 204 || m.statusCode == 304) {
                state[d] = HEAD;
                return;
            }
        }
        if (m.chunked) {
            state[d] = CHUNK_SIZE;
        } else if (m.contentLength > 0) {
            state[d] = BODY;
            remaining[d] = m.contentLength;
        } else if (m.contentLength == 0 || m.isRequest) {
            state[d] = HEAD;
        } else {
            state[d] = OPAQUE; // response body delimited by connection close
        }
    }

    /** Parses the head [p, e) (ending with its blank line); false if the start line is not HTTP. */
    private static boolean head(byte[] b, int p, int e, HttpMessage m) {
        m.headLength = e - p;
        int nl = indexOf(b, p, e, (byte) '\n');
        int le = lineEnd(b, p, nl);
        if (startsWith(b, p, le, "HTTP/1.")) {
            m.isRequest = false;
            if (le - p < 12 || b[p + 8] != ' ' || !digit(b[p + 7]) || !digit(b[p + 9]) || !digit(b[p + 10])
                || !digit(b[p + 11]) || (le - p > 12 && b[p + 12] != ' ')) {
                return false;
            }
            m.versionMinor = b[p + 7] - '0';
            m.statusCode = (b[p + 9] - '0') * 100 + (b[p + 10] - '0') * 10 + (b[p + 11] - '0');
        } else {
            m.isRequest = true;
            int sp = indexOf(b, p, le, (byte) ' ');
            if (sp <= p || !token(b, p, sp)) {
                return false;
            }
            m.methodOffset = p;
            m.methodLength = sp - p;
            int sp2 = lastIndexOf(b, sp + 1, le, (byte) ' ');
            if (sp2 < 0 || !startsWith(b, sp2 + 1, le, "HTTP/1.") || le - sp2 - 1 != 8 || !digit(b[sp2 + 8])) {
                return false;
            }
            m.uriOffset = sp + 1;
            m.uriLength = sp2 - sp - 1;
            m.versionMinor = b[sp2 + 8] - '0';
        }
        for (p = nl + 1; p < e; ) {
            nl = indexOf(b, p, e, (byte) '\n');
            if (nl < 0) {
                break;
            }
            le = lineEnd(b, p, nl);
            if (le == p) {
                break; // blank line
            }
            header(b, p, le, m);
            p = nl + 1;
        }
        return true;
    }

    private static void header(byte[] b, int p, int e, HttpMessage m) {
        m.headerCount++;
        int colon = indexOf(b, p, e, (byte) ':');
        if (colon <= p) {
            m.malformed = true;
            return;
        }
        int vs = colon + 1;
        while (vs < e && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        int ve = e;
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        int nameLen = colon - p;
        if (nameIs(b, p, nameLen, "host")) {
            if (m.hostOffset < 0) {
                m.hostOffset = vs;
                m.hostLength = ve - vs;
            }
        } else if (nameIs(b, p, nameLen, "user-agent")) {
            if (m.userAgentOffset < 0) {
                m.userAgentOffset = vs;
                m.userAgentLength = ve - vs;
            }
        } else if (nameIs(b, p, nameLen, "content-length")) {
            long v = decimal(b, vs, ve);
            if (v < 0 || (m.contentLength >= 0 && m.contentLength != v)) {
                m.malformed = true; // request smuggling territory: report, keep the first value
            }
            if (m.contentLength < 0) {
                m.contentLength = v;
            }
        } else if (nameIs(b, p, nameLen, "transfer-encoding")) {
            // chunked must be the final coding (RFC 9112 6.1); only that makes the body chunked
            m.chunked = ve - vs >= 7 && nameIs(b, ve - 7, 7, "chunked");
        }
    }

    /** Chunk size in hex before any extension; -1 if unreadable or absurd. */
    private static long chunkSize(byte[] b, int p, int e) {
        long v = 0;
        int digits = 0;
        for (; p < e; p++) {
            int c = b[p];
            int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (h < 0) {
                break;
            }
            if (++digits > 15) {
                return -1;
            }
            v = v * 16 + h;
        }
        if (digits == 0) {
            return -1;
        }
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p == e || b[p] == ';' || b[p] == '\r' ? v : -1;
    }

    private static long decimal(byte[] b, int p, int e) {
        if (p == e || e - p > 18) {
            return -1;
        }
        long v = 0;
        for (; p < e; p++) {
            if (!digit(b[p])) {
                return -1;
            }
            v = v * 10 + (b[p] - '0');
        }
        return v;
    }

    /** End of the head: the position just past the first empty line, or -1. */
    private static int findHeadEnd(byte[] b, int p, int e) {
        for (int i = p; i < e; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (i + 1 < e && b[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < e && b[i + 1] == '\r' && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] b, int p, int nl) {
        return nl > p && b[nl - 1] == '\r' ? nl - 1 : nl;
    }

    private static boolean token(byte[] b, int p, int e) {
        for (; p < e; p++) {
            int c = b[p] & 0xFF;
            if (c <= 32 || c >= 127 || c == '(' || c == ')' || c == '<' || c == '>' || c == '@' || c == ','
                || c == ';' || c == ':' || c == '\\' || c == '"' || c == '/' || c == '[' || c == ']' || c == '?'
                || c == '=' || c == '{' || c == '}') {
                return false;
            }
        }
        return true;
    }

    private static boolean nameIs(byte[] b, int p, int len, String lower) {
        if (len != lower.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int c = b[p + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int p, int e, String s) {
        if (e - p < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int indexOf(byte[] b, int p, int e, byte c) {
        for (; p < e; p++) {
            if (b[p] == c) {
                return p;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int p, int e, byte c) {
        for (int i = e - 1; i >= p; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
