package io.vigil.protocols.smb;

/**
 * One SMB message, decoded in place: a mutable flyweight the parser overwrites for every message, so parsing allocates
 * nothing. One NetBIOS session message may yield several: each element of an SMB2 compound chain (NextCommand) is
 * delivered on its own, with {@link #compoundIndex}. Names are copied ({@link SmbText}); SMB1 dialect strings stay
 * offsets into {@link #data}, valid only inside the sink call. Absent numbers are -1.
 *
 * <p>Kinds, by the protocol identifier after the NetBIOS header:
 * <ul>
 * <li>0xFE 'SMB': SMB2/3 header, {@link #version} {@link #SMB2} or {@link #SMB3} (3 once the flow negotiated a 3.x
 *     dialect, which the header itself does not say);</li>
 * <li>0xFD 'SMB': SMB3 transform header: {@link #encrypted}, with the session id and original size; the command
 *     inside is ciphertext and never guessed ({@link #command} -1);</li>
 * <li>0xFC 'SMB': SMB 3.1.1 compression transform: {@link #compressed}, with OriginalCompressedSegmentSize and the
 *     offset (unchained) or first payload length (chained); when the uncompressed prefix holds an SMB2 header, its
 *     fields are decoded too;</li>
 * <li>0xFF 'SMB': SMB1, {@link #version} {@link #SMB1}, {@link #command} the SMB1 command byte.</li>
 * </ul>
 */
public final class SmbMessage {
    public static final int SMB1 = 1;
    public static final int SMB2 = 2;
    public static final int SMB3 = 3;

    public static final int NEGOTIATE = 0x00;
    public static final int SESSION_SETUP = 0x01;
    public static final int LOGOFF = 0x02;
    public static final int TREE_CONNECT = 0x03;
    public static final int TREE_DISCONNECT = 0x04;
    public static final int CREATE = 0x05;
    public static final int CLOSE = 0x06;
    public static final int FLUSH = 0x07;
    public static final int READ = 0x08;
    public static final int WRITE = 0x09;
    public static final int LOCK = 0x0A;
    public static final int IOCTL = 0x0B;
    public static final int CANCEL = 0x0C;
    public static final int ECHO = 0x0D;
    public static final int QUERY_DIRECTORY = 0x0E;
    public static final int CHANGE_NOTIFY = 0x0F;
    public static final int QUERY_INFO = 0x10;
    public static final int SET_INFO = 0x11;
    public static final int OPLOCK_BREAK = 0x12;

    public static final int SMB1_NEGOTIATE = 0x72;
    public static final int SMB1_SESSION_SETUP_ANDX = 0x73;
    public static final int SMB1_TREE_CONNECT_ANDX = 0x75;
    public static final int SMB1_NT_CREATE_ANDX = 0xA2;

    /** SMB2 header flags. */
    public static final int FLAG_RESPONSE = 0x1;
    public static final int FLAG_ASYNC = 0x2;
    public static final int FLAG_RELATED = 0x4;
    public static final int FLAG_SIGNED = 0x8;

    public static final int MAX_DIALECTS = 16;
    public static final int MAX_ALGORITHMS = 8;
    public static final int MAX_ANDX = 8;

    private static final String[] SMB2_NAMES = {"NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT",
        "TREE_DISCONNECT", "CREATE", "CLOSE", "FLUSH", "READ", "WRITE", "LOCK", "IOCTL", "CANCEL", "ECHO",
        "QUERY_DIRECTORY", "CHANGE_NOTIFY", "QUERY_INFO", "SET_INFO", "OPLOCK_BREAK"};

    /** Buffer the SMB1 dialect-string offsets refer to. */
    public byte[] data;
    public boolean fromClient;
    /** NetBIOS length of the session message that carried this one (all compound elements share it). */
    public int messageLength;
    /** The session message was longer than the parser buffers: decoded from its first bytes, the rest skipped. */
    public boolean truncated;

    public int version;
    /** An SMB1 or SMB2 header was decoded (not for an encrypted message): the header fields below are meaningful. */
    public boolean hasHeader;
    /** SMB2 command (0..0x12), SMB1 command byte, or -1 (encrypted, or a compressed message without a readable header). */
    public int command;
    public boolean isResponse;
    /**
     * NTSTATUS of a response (SMB2), or of an SMB1 message whose FLAGS2 says NT status; -1 otherwise (an SMB2 request
     * carries ChannelSequence there, not a status).
     */
    public long status;
    /** SMB1 DOS error (class in the low byte, code in the high 16 bits, as on the wire) when not NT status, else -1. */
    public long dosError;
    /** SMB2 header Flags; SMB1: Flags | Flags2 << 8. */
    public int flags;
    public boolean async;
    public boolean related;
    public boolean signed;
    public long messageId;
    /** SMB2/transform SessionId; SMB1 UID. */
    public long sessionId;
    /** SMB2 TreeId (synchronous messages) or SMB1 TID; -1 when absent. */
    public long treeId;
    public long asyncId;
    /** SMB2 ProcessId (synchronous) or SMB1 PID (high and low); -1 when absent. */
    public long processId;
    public int creditCharge;
    /** CreditRequest (requests) or CreditResponse (responses). */
    public int credits;
    public long nextCommand;
    /** Position in an SMB2 compound chain, 0 for the first (or only) message. */
    public int compoundIndex;

    /** Dialect the NEGOTIATE response selects (SMB2 DialectRevision) or the flow negotiated earlier; -1 unknown. */
    public int dialect;
    /** NEGOTIATE request dialects (SMB2), in wire order; {@link #dialectCount} counts them all. */
    public final int[] dialects = new int[MAX_DIALECTS];
    public int dialectCount;
    /** SMB1 NEGOTIATE request dialect strings as offsets into {@link #data}. */
    public final int[] dialectNameOffset = new int[MAX_DIALECTS];
    public final int[] dialectNameLength = new int[MAX_DIALECTS];
    public int dialectNameCount;
    /** SMB1 NEGOTIATE response: index of the chosen dialect string; -1 otherwise. */
    public int dialectIndex;

    /** SMB 3.1.1 negotiate contexts (request or response). */
    public int negotiateContextCount;
    public final int[] hashAlgorithms = new int[MAX_ALGORITHMS];
    public int hashAlgorithmCount;
    public final int[] ciphers = new int[MAX_ALGORITHMS];
    public int cipherCount;
    public final int[] compressionAlgorithms = new int[MAX_ALGORITHMS];
    public int compressionAlgorithmCount;
    public final int[] signingAlgorithms = new int[MAX_ALGORITHMS];
    public int signingAlgorithmCount;

    /** Share path carried by a TREE_CONNECT request (SMB2) or TREE_CONNECT_ANDX (SMB1). */
    public final SmbText tree = new SmbText();
    /** File name carried by a CREATE request (SMB2) or NT_CREATE_ANDX (SMB1). */
    public final SmbText filename = new SmbText();
    /** The share this message's tree id was connected to, when the flow saw the TREE_CONNECT. */
    public final SmbText share = new SmbText();
    /** The name this message's file id was opened with, when the flow saw the CREATE. */
    public final SmbText file = new SmbText();
    /** From an NTLMSSP AUTHENTICATE message (or an SMB1 cleartext session setup). */
    public final SmbText user = new SmbText();
    public final SmbText domain = new SmbText();
    public final SmbText workstation = new SmbText();

    /** READ/WRITE request Length, READ response DataLength, WRITE response Count; -1 otherwise. */
    public long length;
    /** READ/WRITE request file offset. */
    public long offset;
    /** IOCTL CtlCode. */
    public long ctlCode;
    /** TREE_CONNECT response ShareType (1 disk, 2 pipe, 3 print); -1 otherwise. */
    public int shareType;
    /** FileId (persistent then volatile, 16 bytes) of messages that carry one. */
    public final byte[] fileId = new byte[16];
    public boolean hasFileId;

    /** SMB3 transform header: the rest is ciphertext. */
    public boolean encrypted;
    public long originalMessageSize;
    /** Transform header Flags (SMB 3.1.1; 1 = encrypted) or EncryptionAlgorithm (3.0). */
    public int transformFlags;

    /** SMB 3.1.1 compression transform header. */
    public boolean compressed;
    public long originalCompressedSegmentSize;
    public int compressionAlgorithm;
    /** 0 unchained, 1 chained. */
    public int compressionFlags;
    /** Unchained: Offset of the compressed data; chained: Length of the first payload. */
    public long compressionOffset;
    /**
     * OriginalCompressedSegmentSize + Offset does not fit 32 bits, or Offset points past the message: the arithmetic
     * CVE-2020-0796 (SMBGhost) abuses. No legitimate client sends it.
     */
    public boolean compressionOverflow;

    /** SMB1 AndX chain: the AndXCommand of each block in order (0xFF ends the chain, as on the wire). */
    public final int[] andx = new int[MAX_ANDX];
    public int andxCount;

    public boolean malformed;
    /** Why, as a constant string of {@link SmbParser}; null when well-formed. */
    public String malformedReason;

    void reset(byte[] buf, boolean fromClient, int messageLength, boolean truncated) {
        data = buf;
        this.fromClient = fromClient;
        this.messageLength = messageLength;
        this.truncated = truncated;
        version = 0;
        hasHeader = false;
        command = -1;
        isResponse = false;
        status = -1;
        dosError = -1;
        flags = 0;
        async = related = signed = false;
        messageId = -1;
        sessionId = -1;
        treeId = -1;
        asyncId = -1;
        processId = -1;
        creditCharge = 0;
        credits = 0;
        nextCommand = 0;
        compoundIndex = 0;
        dialect = -1;
        dialectCount = 0;
        dialectNameCount = 0;
        dialectIndex = -1;
        negotiateContextCount = 0;
        hashAlgorithmCount = cipherCount = compressionAlgorithmCount = signingAlgorithmCount = 0;
        tree.clear();
        filename.clear();
        share.clear();
        file.clear();
        user.clear();
        domain.clear();
        workstation.clear();
        length = -1;
        offset = -1;
        ctlCode = -1;
        shareType = -1;
        hasFileId = false;
        encrypted = false;
        originalMessageSize = -1;
        transformFlags = -1;
        compressed = false;
        originalCompressedSegmentSize = -1;
        compressionAlgorithm = -1;
        compressionFlags = -1;
        compressionOffset = -1;
        compressionOverflow = false;
        andxCount = 0;
        malformed = false;
        malformedReason = null;
    }

    void malformed(String reason) {
        if (!malformed) {
            malformed = true;
            malformedReason = reason;
        }
    }

    /** "NEGOTIATE", "SMB1 NEGOTIATE", ...; null for an encrypted message. */
    public String commandName() {
        if (command < 0) {
            return null;
        }
        if (version == SMB1) {
            return smb1Name(command);
        }
        return command < SMB2_NAMES.length ? SMB2_NAMES[command] : "UNKNOWN_0x" + Integer.toHexString(command);
    }

    public static String smb1Name(int c) {
        switch (c) {
            case 0x04: return "SMB1_CLOSE";
            case 0x06: return "SMB1_DELETE";
            case 0x10: return "SMB1_CHECK_DIRECTORY";
            case 0x24: return "SMB1_LOCKING_ANDX";
            case 0x25: return "SMB1_TRANSACTION";
            case 0x2B: return "SMB1_ECHO";
            case 0x2D: return "SMB1_OPEN_ANDX";
            case 0x2E: return "SMB1_READ_ANDX";
            case 0x2F: return "SMB1_WRITE_ANDX";
            case 0x32: return "SMB1_TRANSACTION2";
            case 0x71: return "SMB1_TREE_DISCONNECT";
            case 0x72: return "SMB1_NEGOTIATE";
            case 0x73: return "SMB1_SESSION_SETUP_ANDX";
            case 0x74: return "SMB1_LOGOFF_ANDX";
            case 0x75: return "SMB1_TREE_CONNECT_ANDX";
            case 0xA0: return "SMB1_NT_TRANSACT";
            case 0xA2: return "SMB1_NT_CREATE_ANDX";
            case 0xA4: return "SMB1_NT_CANCEL";
            default: return "SMB1_0x" + Integer.toHexString(c);
        }
    }

    /** "smb1", "smb2", "smb3". */
    public String versionName() {
        return version == SMB1 ? "smb1" : version == SMB3 ? "smb3" : "smb2";
    }

    /** The i-th SMB1 dialect string (allocates: output and tests only). */
    public String dialectName(int i) {
        return new String(data, dialectNameOffset[i], dialectNameLength[i], java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the offered dialects as ASCII into {@code to} ("0x0202,0x0311" or the SMB1 strings joined by ','),
     * without allocating; returns the length written (at most {@code to.length}).
     */
    public int dialectsText(byte[] to) {
        int n = 0;
        if (dialectCount > 0) {
            for (int i = 0; i < Math.min(dialectCount, MAX_DIALECTS) && n + 7 <= to.length; i++) {
                if (i > 0) {
                    to[n++] = ',';
                }
                to[n++] = '0';
                to[n++] = 'x';
                for (int s = 12; s >= 0; s -= 4) {
                    to[n++] = (byte) Character.forDigit((dialects[i] >> s) & 0xF, 16);
                }
            }
            return n;
        }
        for (int i = 0; i < dialectNameCount; i++) {
            if (i > 0 && n < to.length) {
                to[n++] = ',';
            }
            int l = Math.min(dialectNameLength[i], to.length - n);
            System.arraycopy(data, dialectNameOffset[i], to, n, l);
            n += l;
        }
        return n;
    }

    @Override
    public String toString() {
        return versionName() + " " + (encrypted ? "encrypted" : commandName()) + (isResponse ? " response" : "")
            + " mid " + messageId + (malformed ? " malformed: " + malformedReason : "");
    }
}
