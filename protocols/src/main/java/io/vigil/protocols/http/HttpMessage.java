package io.vigil.protocols.http;

/**
 * The head (start line + headers) of one HTTP/1.x request or response, as a reused flyweight.
 * Strings are offsets into {@link #data} (the caller's buffer, valid only inside the sink call);
 * absent ones have offset -1, absent numbers are -1.
 */
public final class HttpMessage {
    public byte[] data;
    public boolean isRequest;
    public boolean fromClient;
    public int methodOffset;
    public int methodLength;
    public int uriOffset;
    public int uriLength;
    /** Minor version of "HTTP/1.x"; -1 if the start line carried none we could read. */
    public int versionMinor;
    public int statusCode;
    public int hostOffset;
    public int hostLength;
    public int userAgentOffset;
    public int userAgentLength;
    /** Content-Length, -1 when absent or unreadable. */
    public long contentLength;
    public boolean chunked;
    public int headerCount;
    /** Bytes of the head including the blank line. */
    public int headLength;
    /** A header line without a colon, a bad or conflicting Content-Length, ... */
    public boolean malformed;

    public boolean methodEquals(String m) {
        return regionEquals(methodOffset, methodLength, m);
    }

    public boolean hostEquals(String h) {
        return regionEquals(hostOffset, hostLength, h);
    }

    private boolean regionEquals(int off, int len, String s) {
        if (off < 0 || len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((data[off + i] & 0xFF) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    void reset(byte[] buf, boolean fromClient) {
        data = buf;
        this.fromClient = fromClient;
        isRequest = false;
        methodOffset = -1;
        methodLength = 0;
        uriOffset = -1;
        uriLength = 0;
        versionMinor = -1;
        statusCode = -1;
        hostOffset = -1;
        hostLength = 0;
        userAgentOffset = -1;
        userAgentLength = 0;
        contentLength = -1;
        chunked = false;
        headerCount = 0;
        headLength = 0;
        malformed = false;
    }
}
