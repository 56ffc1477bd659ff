package io.vigil.protocols.mqtt;

/**
 * MQTT 3.1 / 3.1.1 / 5 stream parser: cuts the in-order byte stream of one direction into control
 * packets (fixed header: type and flags, remaining length as a 1-4 octet varint) and decodes each
 * into an {@link MqttMessage}. It keeps only counters and a decoding cursor, so one instance serves
 * every flow of a worker; the protocol level (from CONNECT: MQTT 5 puts properties into most
 * packets), the bytes still to pass over of an oversized packet and whether a direction is in
 * step live in the flow's {@link MqttFlowState}.
 *
 * <p><b>Bounded.</b> A packet larger than {@code maxBuffered} is not buffered: its first
 * {@value #PREFIX_KEEP} bytes (enough for the header, topic and packet id) are copied into the
 * flow state, the rest is passed over as it arrives, and the packet is decoded from the copy
 * (flagged {@code truncated}; a PUBLISH still reports its full payload length) and delivered when
 * its last byte has arrived, in the frame that completes it. Such packets are counted.
 *
 * <p><b>Framing.</b> MQTT has no sync marker: in step, every fixed header is taken as it comes,
 * and a packet that breaks the rules (reserved type 0, AUTH before MQTT 5, PUBLISH with QoS 3,
 * reserved flags, fields that do not fit) is delivered as malformed and skipped by its remaining
 * length, so the stream stays in step. A remaining length of more than four octets cannot be
 * framed; the direction then falls out of step, as after a TCP gap or a mid-stream pickup. Out of
 * step, the parser skips a byte at a time until a header passes a strict check: an assigned type
 * with the flags the type requires, a minimally encoded length, a body that fits what the type
 * needs (CONNECT names MQTT or MQIsdp, PINGREQ is empty, ...), the whole packet buffered, and
 * followed by the end of the data or another plausible header. With the level unknown (a capture
 * that missed CONNECT), packets are read as 3.1.1, except that a CONNACK longer than two octets
 * can only be MQTT 5 and sets the level.
 *
 * <p><b>Robustness.</b> Every read is bounded by the packet (or its buffered prefix); string and
 * property lengths are checked against what is left. Nothing throws on hostile input and nothing
 * is allocated per packet. The password is skipped, never stored.
 */
public final class MqttParser {
    public static final int DEFAULT_MAX_BUFFERED = 32 * 1024;
    /** Bytes of an oversized packet kept to decode it from. */
    public static final int PREFIX_KEEP = 1024;
    private static final int MIN_MAX_BUFFERED = 1024;

    /** {@link #detectConnect}: not a CONNECT. */
    public static final int NO = 0;
    /** {@link #detectConnect}: a CONNECT so far; more bytes needed to be sure. */
    public static final int MAYBE = 1;
    /** {@link #detectConnect}: a CONNECT naming MQTT or MQIsdp. */
    public static final int YES = 2;

    static final String R_TYPE_0 = "reserved packet type 0";
    static final String R_AUTH = "AUTH (type 15) before MQTT 5";
    static final String R_QOS = "PUBLISH with QoS 3";
    static final String R_FLAGS = "reserved fixed-header flags set";
    static final String R_FIELDS = "fields do not fit the remaining length";
    static final String R_TRAILING = "bytes after the packet's fields";
    static final String R_PROTOCOL = "CONNECT protocol name is not MQTT or MQIsdp";
    static final String R_LEVEL = "CONNECT protocol level is not 3, 4 or 5";
    static final String R_CONNECT_FLAGS = "CONNECT reserved flag set";
    static final String R_NO_TOPICS = "SUBSCRIBE/UNSUBSCRIBE without topic filters";
    static final String R_REQUESTED_QOS = "SUBSCRIBE requests QoS 3";

    private static final byte[] MQTT = {'M', 'Q', 'T', 'T'};
    private static final byte[] MQISDP = {'M', 'Q', 'I', 's', 'd', 'p'};

    private final int maxBuffered;

    private long messages;
    private long malformedMessages;
    private long oversized;
    private long skippedBytes;
    private long resyncs;

    // decoding cursor over one packet body: b[p, lim)
    private byte[] b;
    private int p;
    private int lim;
    private boolean bad;
    private int strLen;
    /** Remaining length of the header last read by {@link #header}. */
    private long rl;

    public MqttParser() {
        this(DEFAULT_MAX_BUFFERED);
    }

    /** @param maxBuffered the most bytes of one packet the caller keeps (at least {@value #PREFIX_KEEP}) */
    public MqttParser(int maxBuffered) {
        this.maxBuffered = Math.max(MIN_MAX_BUFFERED, maxBuffered);
    }

    /**
     * Parses every complete packet in {@code buf[off, off+len)} and hands each to {@code sink}.
     *
     * @param fromClient true for the client-to-broker direction
     * @return bytes consumed: whole packets, skipped bytes and the passed-over rest of an
     *     oversized packet; an incomplete trailing packet is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, MqttMessage msg, MqttFlowState state,
                     MqttMessageSink sink) {
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
            if (state.skip[d] == 0 && state.pending[d]) {
                state.pending[d] = false;
                int h = state.prefixHeader[d];
                decode(state.prefix[d], 0, h, state.prefixTotal[d] - h, state.prefixLength[d], fromClient, msg, state);
                deliver(msg, sink);
            }
        }
        boolean strict = state.resynchronising(fromClient);
        while (end - pos >= 2) {
            int h = header(buf, pos, end);
            if (h == 0) {
                break;
            }
            if (h < 0) {
                pos++;
                skippedBytes++;
                strict = true;
                continue;
            }
            long total = h + rl;
            if (strict) {
                int verdict = strictVerdict(buf, pos, h, rl, end, state.version);
                if (verdict == WAIT) {
                    break;
                }
                if (verdict == REJECT) {
                    pos++;
                    skippedBytes++;
                    continue;
                }
                resyncs++;
                strict = false;
            }
            int avail = end - pos;
            if (total > maxBuffered && avail < total) {
                int keep = (int) Math.min(PREFIX_KEEP, total);
                if (avail < keep) {
                    break;
                }
                // oversized: keep the prefix, pass over the rest as it arrives, report at its end
                oversized++;
                if (state.prefix[d] == null) {
                    state.prefix[d] = new byte[PREFIX_KEEP]; // once per flow and direction
                }
                System.arraycopy(buf, pos, state.prefix[d], 0, keep);
                state.prefixLength[d] = keep;
                state.prefixHeader[d] = h;
                state.prefixTotal[d] = total;
                state.pending[d] = true;
                state.skip[d] = total - avail;
                pos = end;
                break;
            }
            if (avail < total) {
                break;
            }
            decode(buf, pos, h, rl, (int) total, fromClient, msg, state);
            deliver(msg, sink);
            pos += (int) total;
        }
        state.resynchronising(fromClient, strict);
        return pos - off;
    }

    private void deliver(MqttMessage msg, MqttMessageSink sink) {
        messages++;
        if (msg.malformed) {
            malformedMessages++;
        }
        sink.onMessage(msg);
    }

    /** Fixed header length (2-5) with {@link #rl} set, 0 when incomplete, -1 when the varint exceeds 4 octets. */
    private int header(byte[] buf, int pos, int end) {
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            if (end - pos <= i) {
                return 0;
            }
            int c = buf[pos + i] & 0xFF;
            value |= (long) (c & 0x7F) << (7 * (i - 1));
            if ((c & 0x80) == 0) {
                rl = value;
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Content detection: a CONNECT (first octet 0x10, a valid remaining length) whose protocol name
     * is MQTT or MQIsdp. {@link #MAYBE} while what has arrived agrees.
     */
    public static int detectConnect(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
            return NO;
        }
        if ((buf[off] & 0xFF) != 0x10) {
            return NO;
        }
        int end = off + len;
        int q = off + 1;
        long value = 0;
        for (int i = 0; ; i++) {
            if (i == 4) {
                return NO;
            }
            if (q >= end) {
                return MAYBE;
            }
            int c = buf[q++] & 0xFF;
            value |= (long) (c & 0x7F) << (7 * i);
            if ((c & 0x80) == 0) {
                break;
            }
        }
        if (value < 12) { // name (2+4), level, flags, keepalive, client id length
            return NO;
        }
        if (end - q < 2) {
            return end - q == 1 && buf[q] != 0 ? NO : MAYBE;
        }
        int nameLen = ((buf[q] & 0xFF) << 8) | (buf[q + 1] & 0xFF);
        byte[] name = nameLen == 4 ? MQTT : nameLen == 6 ? MQISDP : null;
        if (name == null) {
            return NO;
        }
        q += 2;
        for (int i = 0; i < name.length; i++) {
            if (q + i >= end) {
                return MAYBE;
            }
            if (buf[q + i] != name[i]) {
                return NO;
            }
        }
        return YES;
    }

    private static final int ACCEPT = 0;
    private static final int REJECT = 1;
    private static final int WAIT = 2;
    /** Out of step, a packet other than PUBLISH must be this small to be waited for. */
    private static final int MAX_WAIT_OTHER = 1024;

    /**
     * Strict check of a header at pos while out of step (see the class comment). A PUBLISH may be
     * too long to buffer (a camera image on a topic): it is accepted on its visible topic name, a
     * non-empty run of printable characters without wildcards.
     */
    private int strictVerdict(byte[] buf, int pos, int h, long remaining, int end, int version) {
        if (h > 2 && buf[pos + h - 1] == 0) {
            return REJECT; // not minimally encoded
        }
        int octet = buf[pos] & 0xFF;
        if (!plausibleTypeAndFlags(octet, version)) {
            return REJECT;
        }
        long total = h + remaining;
        if (total <= end - pos && total <= maxBuffered) {
            return plausible(buf, pos, h, remaining, end, version) ? ACCEPT : REJECT;
        }
        if (octet >>> 4 == MqttMessage.PUBLISH) {
            int topic = plausibleTopic(buf, pos + h, end, remaining);
            if (topic == REJECT) {
                return REJECT;
            }
            return total > maxBuffered && topic == ACCEPT ? ACCEPT : topic == ACCEPT ? WAIT : topic;
        }
        return total <= MAX_WAIT_OTHER && total <= maxBuffered ? WAIT : REJECT;
    }

    /** A PUBLISH topic name at body: ACCEPT when wholly visible and plausible, WAIT while cut short. */
    private static int plausibleTopic(byte[] buf, int body, int end, long remaining) {
        if (end - body < 2) {
            return WAIT;
        }
        int len = ((buf[body] & 0xFF) << 8) | (buf[body + 1] & 0xFF);
        if (len == 0 || len > 1024 || len > remaining - 2) {
            return REJECT;
        }
        int n = Math.min(len, end - body - 2);
        for (int i = 0; i < n; i++) {
            int c = buf[body + 2 + i] & 0xFF;
            if (c < 0x20 || c == 0x7F || c == '+' || c == '#') {
                return REJECT;
            }
        }
        return n == len ? ACCEPT : WAIT;
    }

    /** Strict check of a complete, bufferable packet at pos. */
    private boolean plausible(byte[] buf, int pos, int h, long remaining, int end, int version) {
        long total = h + remaining;
        int type = (buf[pos] & 0xFF) >>> 4;
        int body = pos + h;
        int r = (int) remaining;
        boolean maybe5 = version == 5 || version == 0;
        boolean sized;
        switch (type) {
            case MqttMessage.CONNECT:
                sized = detectConnect(buf, pos, (int) total) == YES;
                break;
            case MqttMessage.CONNACK:
                sized = (maybe5 ? r >= 2 : r == 2) && (buf[body] & 0xFE) == 0;
                break;
            case MqttMessage.PUBLISH: {
                int qos = (buf[pos] >>> 1) & 3;
                int need = 2 + (qos > 0 ? 2 : 0);
                sized = r >= need && (((buf[body] & 0xFF) << 8) | (buf[body + 1] & 0xFF)) <= r - need
                    && plausibleTopic(buf, body, end, remaining) == ACCEPT;
                break;
            }
            case MqttMessage.PUBACK: case MqttMessage.PUBREC: case MqttMessage.PUBREL: case MqttMessage.PUBCOMP:
                sized = maybe5 ? r >= 2 : r == 2;
                break;
            case MqttMessage.SUBSCRIBE:
                sized = r >= 5;
                break;
            case MqttMessage.SUBACK:
                sized = r >= 3;
                break;
            case MqttMessage.UNSUBSCRIBE:
                sized = r >= 4;
                break;
            case MqttMessage.UNSUBACK:
                sized = maybe5 ? r >= 2 : r == 2;
                break;
            case MqttMessage.PINGREQ: case MqttMessage.PINGRESP:
                sized = r == 0;
                break;
            case MqttMessage.DISCONNECT:
                sized = maybe5 ? r < 1024 : r == 0;
                break;
            default: // AUTH, MQTT 5 only
                sized = true;
                break;
        }
        if (!sized) {
            return false;
        }
        int next = pos + (int) total;
        return next >= end || plausibleTypeAndFlags(buf[next] & 0xFF, version);
    }

    private static boolean plausibleTypeAndFlags(int octet, int version) {
        int type = octet >>> 4;
        int flags = octet & 0x0F;
        if (type == 0 || type == MqttMessage.AUTH && version != 5) {
            return false;
        }
        if (type == MqttMessage.PUBLISH) {
            return (flags & 0x06) != 0x06;
        }
        boolean two = type == MqttMessage.PUBREL || type == MqttMessage.SUBSCRIBE || type == MqttMessage.UNSUBSCRIBE;
        return flags == (two ? 2 : 0);
    }

    // ------------------------------------------------------------------ packets

    /** Decodes one packet at pos with header length h; {@code have} of its bytes are in the buffer. */
    private void decode(byte[] buf, int pos, int h, long remaining, int have, boolean fromClient, MqttMessage m,
                        MqttFlowState st) {
        m.reset();
        m.data = buf;
        m.fromClient = fromClient;
        int octet = buf[pos] & 0xFF;
        int type = octet >>> 4;
        m.type = type;
        m.flags = octet & 0x0F;
        m.remainingLength = remaining;
        boolean cut = have < h + remaining;
        m.truncated = cut;
        begin(buf, pos + h, pos + have);
        if (type == MqttMessage.CONNACK && st.version == 0 && remaining > 2) {
            st.version = 5; // only MQTT 5 gives CONNACK properties
            st.versionInferred = true;
        }
        int version = st.version;
        m.protocolVersion = version;
        boolean v5 = version == 5;
        if (type == MqttMessage.PUBLISH) {
            m.dup = (m.flags & 8) != 0;
            m.qos = (m.flags >>> 1) & 3;
            m.retain = (m.flags & 1) != 0;
            if (m.qos == 3) {
                malformed(m, R_QOS);
            }
        } else if (type != 0 && version != 3) {
            // 3.1 let SUBSCRIBE/UNSUBSCRIBE/PUBREL carry DUP and QoS; 3.1.1 and 5 fix the flags.
            boolean two = type == MqttMessage.PUBREL || type == MqttMessage.SUBSCRIBE
                || type == MqttMessage.UNSUBSCRIBE;
            if (m.flags != (two ? 2 : 0)) {
                malformed(m, R_FLAGS);
            }
        }
        switch (type) {
            case 0:
                malformed(m, R_TYPE_0);
                return;
            case MqttMessage.CONNECT:
                connect(m, st);
                break;
            case MqttMessage.CONNACK:
                m.sessionPresent = (u8() & 1) != 0;
                m.reasonCode = u8();
                if (v5 && p < lim) {
                    m.propertiesLength = properties();
                }
                break;
            case MqttMessage.PUBLISH: {
                m.topicLength = string();
                m.topicOffset = strOffset();
                if (m.qos > 0) {
                    m.packetId = u16();
                }
                if (v5) {
                    m.propertiesLength = properties();
                }
                if (!bad) {
                    m.payloadLength = remaining - (p - (pos + h));
                }
                p = lim; // the rest is the application message
                break;
            }
            case MqttMessage.PUBACK: case MqttMessage.PUBREC: case MqttMessage.PUBREL: case MqttMessage.PUBCOMP:
                m.packetId = u16();
                if (v5) {
                    m.reasonCode = 0; // MQTT 5: an omitted reason code means 0x00 (success)
                }
                if (v5 && p < lim) {
                    m.reasonCode = u8();
                    if (p < lim) {
                        m.propertiesLength = properties();
                    }
                }
                break;
            case MqttMessage.SUBSCRIBE:
            case MqttMessage.UNSUBSCRIBE:
                m.packetId = u16();
                if (v5) {
                    m.propertiesLength = properties();
                }
                topicFilters(m, type == MqttMessage.SUBSCRIBE);
                break;
            case MqttMessage.SUBACK:
            case MqttMessage.UNSUBACK:
                m.packetId = u16();
                if (v5) {
                    m.propertiesLength = properties();
                }
                if (type == MqttMessage.SUBACK || v5) {
                    while (p < lim && !bad) {
                        int code = u8();
                        if (m.reasonCodeCount < MqttMessage.MAX_TOPICS) {
                            m.reasonCodes[m.reasonCodeCount++] = code;
                        }
                    }
                }
                break;
            case MqttMessage.PINGREQ:
            case MqttMessage.PINGRESP:
                break;
            case MqttMessage.DISCONNECT:
            case MqttMessage.AUTH:
                if (type == MqttMessage.AUTH && !v5) {
                    malformed(m, R_AUTH);
                    return;
                }
                if (v5) {
                    m.reasonCode = 0; // omitted: normal disconnection / success
                }
                if (v5 && p < lim) {
                    m.reasonCode = u8();
                    if (p < lim) {
                        m.propertiesLength = properties();
                    }
                }
                break;
            default:
                break;
        }
        if (bad) {
            if (!cut) {
                malformed(m, R_FIELDS);
            }
        } else if (p != lim && !cut) {
            malformed(m, R_TRAILING);
        }
    }

    private void connect(MqttMessage m, MqttFlowState st) {
        m.protocolNameLength = string();
        m.protocolNameOffset = strOffset();
        int level = u8();
        int flags = u8();
        m.keepAlive = u16();
        if (bad) {
            return;
        }
        m.connectFlags = flags;
        if (!(equals(b, m.protocolNameOffset, m.protocolNameLength, MQTT)
            || equals(b, m.protocolNameOffset, m.protocolNameLength, MQISDP))) {
            malformed(m, R_PROTOCOL);
        }
        if (level < 3 || level > 5) {
            malformed(m, R_LEVEL);
        }
        st.version = level;
        st.versionInferred = false;
        m.protocolVersion = level;
        if ((flags & 1) != 0) {
            malformed(m, R_CONNECT_FLAGS);
        }
        m.hasUsername = (flags & 0x80) != 0;
        m.hasPassword = (flags & 0x40) != 0;
        if (level == 5) {
            m.propertiesLength = properties();
        }
        m.clientIdLength = string();
        m.clientIdOffset = strOffset();
        if ((flags & 0x04) != 0) {
            if (level == 5) {
                properties(); // will properties
            }
            m.willTopicLength = string();
            m.willTopicOffset = strOffset();
            skip(u16()); // will payload
        }
        if (m.hasUsername) {
            m.usernameLength = string();
            m.usernameOffset = strOffset();
        }
        if (m.hasPassword) {
            skip(u16()); // never stored or reported
        }
    }

    private void topicFilters(MqttMessage m, boolean subscribe) {
        while (p < lim && !bad) {
            int len = string();
            int off = strOffset();
            int options = subscribe ? u8() : 0;
            if (bad) {
                return;
            }
            if (m.topicCount < MqttMessage.MAX_TOPICS) {
                m.topicOffsets[m.topicCount] = off;
                m.topicLengths[m.topicCount] = len;
                m.requestedQos[m.topicCount] = subscribe ? options & 3 : -1;
                m.topicCount++;
            }
            m.topicTotal++;
            if (subscribe && (options & 3) == 3) {
                malformed(m, R_REQUESTED_QOS);
            }
        }
        if (m.topicTotal == 0 && !bad && !m.truncated) {
            malformed(m, R_NO_TOPICS);
        }
    }

    // ------------------------------------------------------------------ cursor

    private void begin(byte[] buf, int from, int to) {
        b = buf;
        p = from;
        lim = to;
        bad = false;
    }

    private int u8() {
        if (lim - p < 1) {
            bad = true;
            p = lim;
            return -1;
        }
        return b[p++] & 0xFF;
    }

    private int u16() {
        if (lim - p < 2) {
            bad = true;
            p = lim;
            return -1;
        }
        int v = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
        p += 2;
        return v;
    }

    private void skip(int n) {
        if (n < 0 || lim - p < n) {
            bad = true;
            p = lim;
            return;
        }
        p += n;
    }

    /** A two-octet length and that many bytes; returns the length (offset via strOffset), -1 when bad. */
    private int string() {
        int n = u16();
        if (n < 0 || lim - p < n) {
            bad = true;
            p = lim;
            strLen = -1;
            return 0;
        }
        strLen = n;
        p += n;
        return n;
    }

    private int strOffset() {
        return strLen < 0 ? -1 : p - strLen;
    }

    /** MQTT 5 properties: a varint length and that many bytes, skipped; returns the length, -1 when bad. */
    private long properties() {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int c = u8();
            if (c < 0) {
                return -1;
            }
            value |= (long) (c & 0x7F) << (7 * i);
            if ((c & 0x80) == 0) {
                if (value > lim - p) {
                    bad = true;
                    p = lim;
                    return -1;
                }
                p += (int) value;
                return value;
            }
        }
        bad = true;
        p = lim;
        return -1;
    }

    private static boolean equals(byte[] buf, int off, int len, byte[] want) {
        if (off < 0 || len != want.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != want[i]) {
                return false;
            }
        }
        return true;
    }

    private static void malformed(MqttMessage m, String reason) {
        if (!m.malformed) {
            m.malformed = true;
            m.malformedReason = reason;
        }
    }

    /** Packets decoded (malformed and truncated ones included). */
    public long messages() {
        return messages;
    }

    public long malformedMessages() {
        return malformedMessages;
    }

    /** Packets larger than the buffering limit, decoded from a prefix. */
    public long oversized() {
        return oversized;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public long resyncs() {
        return resyncs;
    }
}
