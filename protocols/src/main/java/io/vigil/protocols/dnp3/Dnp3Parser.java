package io.vigil.protocols.dnp3;

/**
 * DNP3 (IEEE 1815) over TCP or UDP: cuts the in-order bytes of one direction into link frames,
 * checks their CRCs, reassembles transport segments into application fragments and decodes each
 * completed fragment ({@link Dnp3Application}). The parser keeps counters, a scratch buffer and the
 * reassembly budget; what a flow must remember lives in its {@link Dnp3FlowState}, so one parser
 * serves every flow of a worker. Unconsumed bytes (a frame not yet complete) stay with the caller,
 * who offers them again with the next segment.
 *
 * <p><b>Framing.</b> A frame starts with 0x05 0x64 and a header (length, control, destination,
 * source) whose CRC matches; it is {@code 10 + n + 2·ceil(n/16)} octets long for {@code n = length
 * - 5} user-data octets. Anything else is garbage: the parser skips to the next start octets with
 * a valid header CRC (a false match needs a 2^-32 coincidence) and counts what it skipped. A header
 * that starts where the previous frame ended but fails its CRC, or whose length is below 5, is
 * reported once as a malformed frame before the skipping. Several frames in one segment and one
 * frame across segments are both normal.
 *
 * <p><b>CRCs.</b> A user-data block with a bad CRC makes the frame malformed; its segment is not
 * reassembled (an outstation would discard it), and parsing goes on with the next frame.
 *
 * <p><b>Transport.</b> Per flow and direction one fragment is in progress at a time, tied to the
 * link addresses of its first segment. FIR starts a fragment (abandoning, and counting, one in
 * progress), each further segment must carry the next sequence number (modulo 64) or the partial
 * fragment is dropped, FIN completes it. A fragment is capped at {@link #MAX_FRAGMENT} octets — the
 * transport sequence space of 63 full segments — and all reassembly buffers of a parser at a budget;
 * beyond either the fragment is dropped, the frame reported malformed and the overflow counted.
 *
 * <p>Nothing throws on hostile input and nothing is allocated per frame.
 */
public final class Dnp3Parser {
    /** The registered port, TCP and UDP. */
    public static final int PORT = 20000;
    public static final int LINK_HEADER = 10;
    /** Largest frame: length 255 gives 250 user-data octets in 16 blocks. */
    public static final int MAX_FRAME = 292;
    public static final int MAX_USER_DATA = 250;
    /** Largest application fragment reassembled: 63 segments of 255 octets (Suricata's bound too). */
    public static final int MAX_FRAGMENT = 63 * 255;
    /** Reassembly buffers one parser may hold across all its flows. */
    public static final long DEFAULT_BUDGET = 64L << 20;

    static final String R_HEADER_CRC = "link header CRC error";
    static final String R_LENGTH = "link length below 5";
    static final String R_DATA_CRC = "user data CRC error";
    static final String R_TRUNCATED = "frame truncated";
    static final String R_OVERFLOW = "application fragment longer than 16065 octets";
    static final String R_BUDGET = "reassembly budget exhausted";

    private static final int START_0 = 0x05;
    private static final int START_1 = 0x64;

    private final byte[] user = new byte[MAX_USER_DATA];
    private final long budget;
    private long buffered;

    private long frames;
    private long malformedFrames;
    private long headerCrcErrors;
    private long dataCrcErrors;
    private long skippedBytes;
    private long resyncs;
    private long fragments;
    private long overflows;

    public Dnp3Parser() {
        this(DEFAULT_BUDGET);
    }

    /** @param budget octets of reassembly buffers this parser may hold across all flows */
    public Dnp3Parser(long budget) {
        this.budget = Math.max(0, budget);
    }

    /**
     * Content detection: a link header with the start octets, a length of at least 5 and a valid
     * CRC at {@code buf[off]}. Needs {@link #LINK_HEADER} octets.
     */
    public static boolean looksLikeDnp3(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < LINK_HEADER || off > buf.length - len) {
            return false;
        }
        return (buf[off] & 0xFF) == START_0 && (buf[off + 1] & 0xFF) == START_1 && (buf[off + 2] & 0xFF) >= 5
            && Dnp3Crc.check(buf, off, 8);
    }

    /** True when the first two octets are the start octets (so the stream may become DNP3 once 10 octets are in). */
    public static boolean startsLikeDnp3(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 2 || off > buf.length - len) {
            return false;
        }
        return (buf[off] & 0xFF) == START_0 && (buf[off + 1] & 0xFF) == START_1;
    }

    /** Octets of a frame whose LENGTH octet is {@code length} (at least 5). */
    public static int frameLength(int length) {
        int n = length - 5;
        return LINK_HEADER + n + 2 * ((n + 15) / 16);
    }

    /**
     * Parses every complete frame of a TCP stream in {@code buf[off, off+len)}, handing each to
     * {@code sink}.
     *
     * @param fromClient the flow direction (the reassembly and resynchronisation state are per direction)
     * @return octets consumed: whole frames and skipped garbage; an incomplete trailing frame is left
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, Dnp3Message msg, Dnp3FlowState state,
                     Dnp3MessageSink sink) {
        if (buf == null || msg == null || state == null || sink == null || off < 0 || len <= 0
            || off > buf.length - len) {
            return 0;
        }
        int d = fromClient ? 0 : 1;
        int end = off + len;
        int pos = off;
        while (end - pos >= LINK_HEADER) {
            int next = header(buf, pos, d, fromClient, msg, state, sink);
            if (next < 0) {
                pos++;
                continue;
            }
            int size = frameLength(buf[pos + 2] & 0xFF);
            if (end - pos < size) {
                break;
            }
            frame(buf, pos, size, fromClient, msg, state, sink);
            pos += size;
        }
        return pos - off;
    }

    /**
     * Parses one UDP datagram: every frame in it, then a truncated trailing frame (reported
     * malformed when it starts in step) or garbage (skipped and counted).
     */
    public void parseDatagram(byte[] buf, int off, int len, boolean fromClient, Dnp3Message msg, Dnp3FlowState state,
                              Dnp3MessageSink sink) {
        if (buf == null || msg == null || state == null || sink == null || off < 0 || len <= 0
            || off > buf.length - len) {
            return;
        }
        int d = fromClient ? 0 : 1;
        state.skipping[d] = false; // every datagram starts afresh
        int end = off + len;
        int pos = off;
        while (end - pos >= LINK_HEADER) {
            if (header(buf, pos, d, fromClient, msg, state, sink) < 0) {
                pos++;
                continue;
            }
            int size = frameLength(buf[pos + 2] & 0xFF);
            if (end - pos < size) {
                msg.reset();
                link(buf, pos, msg);
                msg.frameLength = end - pos;
                msg.malformed(R_TRUNCATED);
                deliver(msg, sink);
                return;
            }
            frame(buf, pos, size, fromClient, msg, state, sink);
            pos += size;
        }
        if (pos < end) {
            skippedBytes += end - pos;
        }
    }

    /**
     * Judges the header at {@code pos}: returns 0 for a valid one, -1 for garbage (one octet is
     * counted as skipped). A header in step that fails its CRC or length is reported once.
     */
    private int header(byte[] buf, int pos, int d, boolean fromClient, Dnp3Message msg, Dnp3FlowState state,
                       Dnp3MessageSink sink) {
        boolean start = (buf[pos] & 0xFF) == START_0 && (buf[pos + 1] & 0xFF) == START_1;
        if (start) {
            boolean crcOk = Dnp3Crc.check(buf, pos, 8);
            int length = buf[pos + 2] & 0xFF;
            if (crcOk && length >= 5) {
                if (state.skipping[d]) {
                    state.skipping[d] = false;
                    resyncs++;
                }
                return 0;
            }
            if (!state.skipping[d]) {
                msg.reset();
                link(buf, pos, msg);
                msg.frameLength = LINK_HEADER;
                msg.headerCrcOk = crcOk;
                if (!crcOk) {
                    headerCrcErrors++;
                }
                msg.malformed(crcOk ? R_LENGTH : R_HEADER_CRC);
                deliver(msg, sink);
            }
        }
        state.skipping[d] = true;
        skippedBytes++;
        return -1;
    }

    private static void link(byte[] b, int p, Dnp3Message m) {
        m.frameOffset = p;
        m.linkLength = b[p + 2] & 0xFF;
        int c = b[p + 3] & 0xFF;
        m.control = c;
        m.dir = (c & 0x80) != 0;
        m.prm = (c & 0x40) != 0;
        m.fcb = m.prm && (c & 0x20) != 0;
        m.fcvDfc = (c & 0x10) != 0;
        m.linkFunction = c & 0x0F;
        m.destination = (b[p + 4] & 0xFF) | (b[p + 5] & 0xFF) << 8;
        m.source = (b[p + 6] & 0xFF) | (b[p + 7] & 0xFF) << 8;
    }

    /** Decodes one complete frame with a valid header at {@code pos}. */
    private void frame(byte[] buf, int pos, int size, boolean fromClient, Dnp3Message m, Dnp3FlowState st,
                       Dnp3MessageSink sink) {
        m.reset();
        link(buf, pos, m);
        m.frameLength = size;
        int n = m.linkLength - 5;
        m.userDataLength = n;
        int p = pos + LINK_HEADER;
        int copied = 0;
        int bad = 0;
        while (copied < n) {
            int block = Math.min(16, n - copied);
            if (!Dnp3Crc.check(buf, p, block)) {
                bad++;
            }
            System.arraycopy(buf, p, user, copied, block);
            copied += block;
            p += block + 2;
        }
        if (bad > 0) {
            m.badDataBlocks = bad;
            dataCrcErrors++;
            m.transportEvent = Dnp3Message.TR_CRC;
            m.malformed(R_DATA_CRC);
        } else if (n > 0 && m.prm && (m.linkFunction == 3 || m.linkFunction == 4)) {
            transport(n, fromClient, m, st);
        }
        deliver(m, sink);
    }

    /** Feeds the segment in {@code user[0, n)} to the direction's reassembly. */
    private void transport(int n, boolean fromClient, Dnp3Message m, Dnp3FlowState st) {
        int d = fromClient ? 0 : 1;
        int th = user[0] & 0xFF;
        m.hasTransport = true;
        m.transportFin = (th & 0x80) != 0;
        m.transportFir = (th & 0x40) != 0;
        m.transportSequence = th & 0x3F;
        int payload = n - 1;
        if (m.transportFir) {
            if (st.active[d]) {
                st.abandoned++;
                m.transportEvent = Dnp3Message.TR_RESTARTED;
            }
            st.active[d] = false;
            st.length[d] = 0;
            if (m.transportFin) {
                complete(user, 1, payload, 1, m, st);
                return;
            }
            if (!append(d, payload, m, st)) {
                return;
            }
            st.active[d] = true;
            st.source[d] = m.source;
            st.destination[d] = m.destination;
            st.segments[d] = 1;
            st.nextSequence[d] = (m.transportSequence + 1) & 0x3F;
            return;
        }
        if (!st.active[d] || st.source[d] != m.source || st.destination[d] != m.destination) {
            st.segmentsDropped++;
            m.transportEvent = Dnp3Message.TR_NO_FIRST;
            return;
        }
        if (m.transportSequence != st.nextSequence[d]) {
            st.sequenceBreaks++;
            st.active[d] = false;
            st.length[d] = 0;
            m.transportEvent = Dnp3Message.TR_OUT_OF_SEQUENCE;
            return;
        }
        if (!append(d, payload, m, st)) {
            st.active[d] = false;
            return;
        }
        st.segments[d]++;
        st.nextSequence[d] = (m.transportSequence + 1) & 0x3F;
        if (m.transportFin) {
            st.active[d] = false;
            complete(st.buffer[d], 0, st.length[d], st.segments[d], m, st);
            st.length[d] = 0;
        }
    }

    /** Appends {@code user[1, 1+payload)} to the direction's buffer; false (and an overflow) when it would not fit. */
    private boolean append(int d, int payload, Dnp3Message m, Dnp3FlowState st) {
        int needed = st.length[d] + payload;
        if (needed > MAX_FRAGMENT) {
            overflow(d, m, st, R_OVERFLOW);
            return false;
        }
        byte[] b = st.buffer[d];
        if (b == null || b.length < needed) {
            int size = b == null ? Dnp3FlowState.INITIAL_BUFFER : b.length;
            while (size < needed) {
                size = Math.min(size * 2, MAX_FRAGMENT);
            }
            int old = b == null ? 0 : b.length;
            if (buffered + size - old > budget) {
                overflow(d, m, st, R_BUDGET);
                return false;
            }
            byte[] grown = new byte[size];
            if (b != null) {
                System.arraycopy(b, 0, grown, 0, st.length[d]);
            }
            buffered += size - old;
            st.buffer[d] = grown;
            b = grown;
        }
        System.arraycopy(user, 1, b, st.length[d], payload);
        st.length[d] = needed;
        return true;
    }

    private void overflow(int d, Dnp3Message m, Dnp3FlowState st, String reason) {
        overflows++;
        st.overflows++;
        st.active[d] = false;
        st.length[d] = 0;
        m.transportEvent = Dnp3Message.TR_OVERFLOW;
        m.malformed(reason);
    }

    private void complete(byte[] b, int off, int len, int segments, Dnp3Message m, Dnp3FlowState st) {
        fragments++;
        st.fragments++;
        Dnp3Application.decode(b, off, len, m);
        m.segments = segments;
    }

    private void deliver(Dnp3Message m, Dnp3MessageSink sink) {
        frames++;
        if (m.malformed) {
            malformedFrames++;
        }
        sink.onMessage(m);
    }

    /** Returns a flow's reassembly buffers to the budget and readies the state for another flow. */
    public void release(Dnp3FlowState state) {
        if (state == null) {
            return;
        }
        for (int d = 0; d < 2; d++) {
            byte[] b = state.buffer[d];
            if (b != null) {
                buffered -= b.length;
                state.buffer[d] = null;
            }
        }
        state.clear();
    }

    /** Frames delivered (malformed ones included). */
    public long frames() {
        return frames;
    }

    public long malformedFrames() {
        return malformedFrames;
    }

    public long headerCrcErrors() {
        return headerCrcErrors;
    }

    public long dataCrcErrors() {
        return dataCrcErrors;
    }

    /** Octets passed over because they did not start a valid frame. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Times the parser found a valid frame again after skipping. */
    public long resyncs() {
        return resyncs;
    }

    /** Application fragments completed and decoded. */
    public long fragments() {
        return fragments;
    }

    /** Fragments dropped for exceeding the cap or the budget. */
    public long overflows() {
        return overflows;
    }

    /** Octets of reassembly buffers held now. */
    public long bufferedBytes() {
        return buffered;
    }
}
