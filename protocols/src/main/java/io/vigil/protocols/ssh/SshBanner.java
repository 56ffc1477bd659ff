package io.vigil.protocols.ssh;

/**
 * An SSH identification string "SSH-protoversion-softwareversion SP comments CR LF" (RFC 4253
 * 4.2) as offsets into {@link #data}, valid only inside the sink call. Absent parts have offset -1.
 */
public final class SshBanner {
    public byte[] data;
    public boolean fromClient;
    /** The whole line without CR LF. */
    public int lineOffset;
    public int lineLength;
    /** "2.0", "1.99", ... */
    public int protoVersionOffset;
    public int protoVersionLength;
    public int softwareVersionOffset;
    public int softwareVersionLength;
    public int commentsOffset;
    public int commentsLength;
    /** Lines the server sent before its identification string (RFC 4253 allows them). */
    public int linesBefore;
    /**
     * The line ended in a bare LF instead of CR LF: allowed in practice (RFC 4253 4.2 compatibility, OpenSSH accepts
     * it), so not malformed, but a trait of the implementation.
     */
    public boolean bareLf;
    /** No "-" after the protocol version. */
    public boolean malformed;

    public boolean softwareVersionStartsWith(String prefix) {
        if (softwareVersionOffset < 0 || softwareVersionLength < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if ((data[softwareVersionOffset + i] & 0xFF) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    void reset(byte[] buf, boolean fromClient) {
        data = buf;
        this.fromClient = fromClient;
        lineOffset = -1;
        lineLength = 0;
        protoVersionOffset = -1;
        protoVersionLength = 0;
        softwareVersionOffset = -1;
        softwareVersionLength = 0;
        commentsOffset = -1;
        commentsLength = 0;
        linesBefore = 0;
        bareLf = false;
        malformed = false;
    }
}
