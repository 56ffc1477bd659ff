package io.vigil.protocols.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * One MQTT control packet (3.1, 3.1.1 or 5), decoded into a mutable flyweight reused for every
 * packet. Strings are offsets and lengths into {@link #data}, valid during the sink callback only;
 * absent numbers are -1 and absent strings have offset -1. The password is never kept: only
 * whether one is present.
 */
public final class MqttMessage {
    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int UNSUBSCRIBE = 10;
    public static final int UNSUBACK = 11;
    public static final int PINGREQ = 12;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;
    public static final int AUTH = 15;

    /** Topic filters and return codes kept per packet; more are counted, not kept. */
    public static final int MAX_TOPICS = 16;

    private static final String[] NAMES = {"RESERVED_0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC",
        "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT",
        "AUTH"};

    /** The buffer the offsets refer to. */
    public byte[] data;
    public boolean fromClient;

    // ---- fixed header ----
    public int type;
    /** The low nibble of the first octet. */
    public int flags;
    public boolean dup;
    /** PUBLISH QoS (0-2; 3 is malformed); -1 for other packets. */
    public int qos;
    public boolean retain;
    public long remainingLength;
    /** Protocol level the packet was parsed with: 3, 4, 5, or 0 while unknown. */
    public int protocolVersion;

    // ---- CONNECT ----
    public int protocolNameOffset;
    public int protocolNameLength;
    public int connectFlags;
    public int keepAlive;
    public int clientIdOffset;
    public int clientIdLength;
    public int willTopicOffset;
    public int willTopicLength;
    public int usernameOffset;
    public int usernameLength;
    public boolean hasUsername;
    public boolean hasPassword;

    // ---- packet id, topics, codes ----
    public int packetId;
    /** PUBLISH topic name. */
    public int topicOffset;
    public int topicLength;
    /** PUBLISH application message bytes (whole message, also when only a prefix was buffered). */
    public long payloadLength;
    /** SUBSCRIBE/UNSUBSCRIBE topic filters (SUBSCRIBE: with the requested QoS of each). */
    public final int[] topicOffsets = new int[MAX_TOPICS];
    public final int[] topicLengths = new int[MAX_TOPICS];
    public final int[] requestedQos = new int[MAX_TOPICS];
    public int topicCount;
    public int topicTotal;
    /**
     * CONNACK: return code (3.x) or reason code (5); PUBACK..PUBCOMP, DISCONNECT, AUTH: reason code
     * (5; 0 when the packet omits it, as the specification reads an omitted code); -1 otherwise.
     */
    public int reasonCode;
    /** CONNACK session present. */
    public boolean sessionPresent;
    /** SUBACK return codes / granted QoS, UNSUBACK reason codes (5). */
    public final int[] reasonCodes = new int[MAX_TOPICS];
    public int reasonCodeCount;
    /** MQTT 5 property length of the packet (CONNECT: its own properties), -1 when none. */
    public long propertiesLength;

    /** Larger than the parser buffers: decoded from its first bytes, the rest passed over unread. */
    public boolean truncated;
    public boolean malformed;
    public String malformedReason;

    public void reset() {
        data = null;
        fromClient = false;
        type = 0;
        flags = 0;
        dup = false;
        qos = -1;
        retain = false;
        remainingLength = 0;
        protocolVersion = 0;
        protocolNameOffset = -1;
        protocolNameLength = 0;
        connectFlags = -1;
        keepAlive = -1;
        clientIdOffset = -1;
        clientIdLength = 0;
        willTopicOffset = -1;
        willTopicLength = 0;
        usernameOffset = -1;
        usernameLength = 0;
        hasUsername = false;
        hasPassword = false;
        packetId = -1;
        topicOffset = -1;
        topicLength = 0;
        payloadLength = -1;
        topicCount = 0;
        topicTotal = 0;
        reasonCode = -1;
        sessionPresent = false;
        reasonCodeCount = 0;
        propertiesLength = -1;
        truncated = false;
        malformed = false;
        malformedReason = null;
    }

    /** "PUBLISH" etc.; "RESERVED_0" for type 0. */
    public static String typeName(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : null;
    }

    /** The offsets as text (allocates: output and tests only); null when absent. */
    public String text(int offset, int length) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length) {
            return null;
        }
        return new String(data, offset, length, StandardCharsets.UTF_8);
    }

    public String topic() {
        return text(topicOffset, topicLength);
    }

    public String clientId() {
        return text(clientIdOffset, clientIdLength);
    }

    public String username() {
        return text(usernameOffset, usernameLength);
    }

    public String protocolName() {
        return text(protocolNameOffset, protocolNameLength);
    }

    public String topicFilter(int i) {
        return i < topicCount ? text(topicOffsets[i], topicLengths[i]) : null;
    }

    @Override
    public String toString() {
        return "MQTT " + typeName(type) + (malformed ? " malformed: " + malformedReason : "");
    }
}
