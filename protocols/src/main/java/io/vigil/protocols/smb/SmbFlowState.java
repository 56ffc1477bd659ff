package io.vigil.protocols.smb;

/**
 * What one SMB connection remembers between messages: the negotiated dialect (the SMB2 header does not say whether it
 * is SMB 2 or 3), per direction the bytes of an oversized message still to skip and whether the parser is hunting
 * for the next header after garbage or a gap, and small maps that name later messages: tree id to share path and
 * file id to file name (learnt from TREE_CONNECT and CREATE request/response pairs, matched by message id).
 *
 * <p>Memory is bounded and allocated once per connection: {@link #TREES} shares, {@link #FILES} files and
 * {@link #PENDING} outstanding requests, each name at most {@link SmbText#MAX} bytes (about 11 KiB in all). When a map
 * is full the oldest entry is overwritten, so a client opening thousands of files costs nothing more and only loses
 * names of files long opened.
 */
public final class SmbFlowState {
    static final int TREES = 8;
    static final int FILES = 16;
    static final int PENDING = 16;

    /** SMB2 dialect the NEGOTIATE response selected; 0 while unknown. */
    int dialect;
    final long[] skip = new long[2];
    final boolean[] resync = new boolean[2];

    private final long[] treeIds = new long[TREES];
    private final SmbText[] treeNames = texts(TREES);
    private int treeNext;

    private final long[] fileHi = new long[FILES];
    private final long[] fileLo = new long[FILES];
    private final boolean[] fileUsed = new boolean[FILES];
    private final SmbText[] fileNames = texts(FILES);
    private int fileNext;

    private final long[] pendingId = new long[PENDING];
    private final byte[] pendingKind = new byte[PENDING];
    private final SmbText[] pendingNames = texts(PENDING);
    private int pendingNext;

    public SmbFlowState() {
        java.util.Arrays.fill(treeIds, -1);
    }

    private static SmbText[] texts(int n) {
        SmbText[] t = new SmbText[n];
        for (int i = 0; i < n; i++) {
            t[i] = new SmbText();
        }
        return t;
    }

    /** The dialect negotiated on this connection, 0 while unknown. */
    public int dialect() {
        return dialect;
    }

    /** Bytes were lost in one direction: what was being skipped or gathered there is meaningless now. */
    public void onGap(boolean fromClient) {
        int d = fromClient ? 0 : 1;
        skip[d] = 0;
        resync[d] = true;
    }

    /** Remembers the name a TREE_CONNECT or CREATE request carried until its response names the id. */
    void expect(int command, long messageId, SmbText name) {
        int i = pendingNext;
        pendingNext = (pendingNext + 1) % PENDING;
        pendingId[i] = messageId;
        pendingKind[i] = (byte) command;
        pendingNames[i].copyFrom(name);
    }

    /** The pending request's name for this response, or null; the entry is consumed. */
    SmbText answered(int command, long messageId) {
        for (int i = 0; i < PENDING; i++) {
            if (pendingKind[i] == command && pendingId[i] == messageId && pendingNames[i].present()) {
                pendingKind[i] = -1;
                return pendingNames[i];
            }
        }
        return null;
    }

    void tree(long treeId, SmbText name) {
        int i = indexOfTree(treeId);
        if (i < 0) {
            i = treeNext;
            treeNext = (treeNext + 1) % TREES;
        }
        treeIds[i] = treeId;
        treeNames[i].copyFrom(name);
    }

    SmbText tree(long treeId) {
        int i = indexOfTree(treeId);
        return i < 0 ? null : treeNames[i];
    }

    void forgetTree(long treeId) {
        int i = indexOfTree(treeId);
        if (i >= 0) {
            treeIds[i] = -1;
        }
    }

    private int indexOfTree(long treeId) {
        if (treeId < 0) {
            return -1;
        }
        for (int i = 0; i < TREES; i++) {
            if (treeIds[i] == treeId) {
                return i;
            }
        }
        return -1;
    }

    void file(byte[] b, int p, SmbText name) {
        int i = indexOfFile(b, p);
        if (i < 0) {
            i = fileNext;
            fileNext = (fileNext + 1) % FILES;
        }
        fileHi[i] = SmbParser.u64le(b, p);
        fileLo[i] = SmbParser.u64le(b, p + 8);
        fileUsed[i] = true;
        fileNames[i].copyFrom(name);
    }

    SmbText file(byte[] b, int p) {
        int i = indexOfFile(b, p);
        return i < 0 ? null : fileNames[i];
    }

    void forgetFile(byte[] b, int p) {
        int i = indexOfFile(b, p);
        if (i >= 0) {
            fileUsed[i] = false;
        }
    }

    private int indexOfFile(byte[] b, int p) {
        long hi = SmbParser.u64le(b, p);
        long lo = SmbParser.u64le(b, p + 8);
        for (int i = 0; i < FILES; i++) {
            if (fileUsed[i] && fileHi[i] == hi && fileLo[i] == lo) {
                return i;
            }
        }
        return -1;
    }
}
