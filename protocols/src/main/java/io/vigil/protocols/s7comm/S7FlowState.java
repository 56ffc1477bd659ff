package io.vigil.protocols.s7comm;

/**
 * What one ISO-on-TCP connection must remember between segments: per direction the COTP data
 * fragments of a unit not yet ended (EOT), and whether the last S7comm-plus PDU went on without its
 * trailer (so the next unit is its continuation, not a new header); per connection the TSAPs of
 * its CR, which carry rack and slot (or the S7comm-plus endpoint name). The reassembly buffer is
 * allocated only when a direction first sends a fragment with data and grows by doubling up to
 * {@link #MAX_REASSEMBLY}, so the steady state allocates nothing and idle Step 7 connections (whose
 * empty EOT=0 units are common) hold no buffer at all.
 */
public final class S7FlowState {
    /** Largest reassembled COTP data unit; S7comm PDUs are at most the negotiated PDU size (&lt; 1 KiB typically). */
    public static final int MAX_REASSEMBLY = 64 * 1024;
    private static final int INITIAL = 1024;

    final byte[][] asm = new byte[2][];
    final int[] asmLen = new int[2];
    final int[] asmFragments = new int[2];
    final boolean[] asmOverflow = new boolean[2];
    final boolean[] plusContinues = new boolean[2];

    final byte[] srcTsap = new byte[S7Message.MAX_TSAP];
    int srcTsapLength;
    final byte[] dstTsap = new byte[S7Message.MAX_TSAP];
    int dstTsapLength;
    boolean tsapKnown;
    /** A multi-unit SZL response in progress: its id and index, and whether a follow-up request was sent. */
    int szlId = -1;
    int szlIndex = -1;
    boolean szlFollowUp;

    long reassembled;
    long overflows;

    /** Forgets a direction's partial units after a stream gap: its bytes no longer line up. */
    public void onGap(boolean fromClient) {
        int d = fromClient ? 0 : 1;
        asmLen[d] = 0;
        asmFragments[d] = 0;
        asmOverflow[d] = false;
        plusContinues[d] = false;
    }

    /** Appends a fragment's bytes, bounded; past the bound the unit is marked truncated and the rest dropped. */
    void append(int d, byte[] b, int off, int len) {
        asmFragments[d]++;
        if (len <= 0) {
            return;
        }
        int have = asmLen[d];
        int room = MAX_REASSEMBLY - have;
        if (len > room) {
            if (!asmOverflow[d]) {
                overflows++;
            }
            asmOverflow[d] = true;
            len = room;
            if (len <= 0) {
                return;
            }
        }
        byte[] a = asm[d];
        if (a == null || a.length < have + len) {
            int size = a == null ? INITIAL : a.length;
            while (size < have + len) {
                size <<= 1;
            }
            byte[] n = new byte[Math.min(size, MAX_REASSEMBLY)];
            if (a != null) {
                System.arraycopy(a, 0, n, 0, have);
            }
            asm[d] = n;
            a = n;
        }
        System.arraycopy(b, off, a, have, len);
        asmLen[d] = have + len;
    }

    void clearUnit(int d) {
        asmLen[d] = 0;
        asmFragments[d] = 0;
        asmOverflow[d] = false;
    }

    /** Learns the connection's TSAPs from a CR (calling = client's, called = server's). */
    void learnTsaps(S7Message m) {
        if (m.srcTsapLength == 0 && m.dstTsapLength == 0) {
            return;
        }
        System.arraycopy(m.srcTsap, 0, srcTsap, 0, m.srcTsapLength);
        srcTsapLength = m.srcTsapLength;
        System.arraycopy(m.dstTsap, 0, dstTsap, 0, m.dstTsapLength);
        dstTsapLength = m.dstTsapLength;
        tsapKnown = true;
    }

    /** Copies the connection's TSAPs onto a message, as numbers when they fit 8 bytes. */
    void tsapsTo(S7Message m) {
        if (!tsapKnown) {
            return;
        }
        m.connTsapKnown = true;
        m.connDstTsap = number(dstTsap, dstTsapLength);
        m.connSrcTsap = number(srcTsap, srcTsapLength);
    }

    private static long number(byte[] b, int n) {
        if (n > 8) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    public long reassembled() {
        return reassembled;
    }

    public long overflows() {
        return overflows;
    }
}
