package io.vigil.protocols.mqtt;

import static io.vigil.protocols.mqtt.Packets.bytes;
import static io.vigil.protocols.mqtt.Packets.cat;
import static io.vigil.protocols.mqtt.Packets.connect;
import static io.vigil.protocols.mqtt.Packets.packet;
import static io.vigil.protocols.mqtt.Packets.publish;
import static io.vigil.protocols.mqtt.Packets.str;
import static io.vigil.protocols.mqtt.Packets.subscribe;
import static io.vigil.protocols.mqtt.Packets.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttParserTest {
    private final MqttParser parser = new MqttParser(4096);
    private final MqttMessage msg = new MqttMessage();
    private MqttFlowState state = new MqttFlowState();
    /** Rendered while the flyweight is valid: type, then what matters for the test. */
    private final List<String> seen = new ArrayList<>();
    private final List<MqttMessage> copies = new ArrayList<>();
    private final MqttMessageSink sink = m -> {
        seen.add(MqttMessage.typeName(m.type) + (m.malformed ? "!" : "") + (m.truncated ? "~" : ""));
        MqttMessage c = new MqttMessage();
        copyInto(m, c);
        copies.add(c);
    };

    /** A deep-enough copy: strings re-pointed into a private array. */
    private static void copyInto(MqttMessage m, MqttMessage c) {
        c.reset();
        c.data = m.data == null ? null : m.data.clone();
        c.type = m.type;
        c.flags = m.flags;
        c.qos = m.qos;
        c.retain = m.retain;
        c.dup = m.dup;
        c.remainingLength = m.remainingLength;
        c.protocolVersion = m.protocolVersion;
        c.protocolNameOffset = m.protocolNameOffset;
        c.protocolNameLength = m.protocolNameLength;
        c.keepAlive = m.keepAlive;
        c.clientIdOffset = m.clientIdOffset;
        c.clientIdLength = m.clientIdLength;
        c.willTopicOffset = m.willTopicOffset;
        c.willTopicLength = m.willTopicLength;
        c.usernameOffset = m.usernameOffset;
        c.usernameLength = m.usernameLength;
        c.hasUsername = m.hasUsername;
        c.hasPassword = m.hasPassword;
        c.packetId = m.packetId;
        c.topicOffset = m.topicOffset;
        c.topicLength = m.topicLength;
        c.payloadLength = m.payloadLength;
        c.topicCount = m.topicCount;
        c.topicTotal = m.topicTotal;
        System.arraycopy(m.topicOffsets, 0, c.topicOffsets, 0, MqttMessage.MAX_TOPICS);
        System.arraycopy(m.topicLengths, 0, c.topicLengths, 0, MqttMessage.MAX_TOPICS);
        System.arraycopy(m.requestedQos, 0, c.requestedQos, 0, MqttMessage.MAX_TOPICS);
        c.reasonCode = m.reasonCode;
        c.sessionPresent = m.sessionPresent;
        c.reasonCodeCount = m.reasonCodeCount;
        System.arraycopy(m.reasonCodes, 0, c.reasonCodes, 0, MqttMessage.MAX_TOPICS);
        c.propertiesLength = m.propertiesLength;
        c.truncated = m.truncated;
        c.malformed = m.malformed;
        c.malformedReason = m.malformedReason;
    }

    private int feed(boolean fromClient, byte[] b) {
        return parser.parse(b, 0, b.length, fromClient, msg, state, sink);
    }

    /** Sends setup packets whose messages the test does not look at. */
    private void setUp(byte[] b) {
        feed(true, b);
        seen.clear();
        copies.clear();
    }

    private MqttMessage one(boolean fromClient, byte[] b) {
        seen.clear();
        copies.clear();
        assertEquals(b.length, feed(fromClient, b));
        assertEquals(1, copies.size(), seen.toString());
        return copies.get(0);
    }

    @Test
    void connect311WithUserPasswordAndWill() {
        MqttMessage m = one(true, connect(4, "sensor-7", "alice", "s3cret", "dead/sensor-7"));
        assertEquals(MqttMessage.CONNECT, m.type);
        assertEquals("MQTT", m.protocolName());
        assertEquals(4, m.protocolVersion);
        assertEquals("sensor-7", m.clientId());
        assertEquals("alice", m.username());
        assertTrue(m.hasPassword);
        assertEquals("dead/sensor-7", m.text(m.willTopicOffset, m.willTopicLength));
        assertEquals(60, m.keepAlive);
        assertFalse(m.malformed);
        assertEquals(4, state.version());
        String all = new String(m.data, StandardCharsets.ISO_8859_1);
        assertTrue(all.contains("s3cret"), "the packet holds it ...");
        // ... but no field of the message points at it
        assertFalse(Arrays.asList(m.clientId(), m.username(), m.protocolName()).contains("s3cret"));
    }

    @Test
    void connect31AndFiveWithProperties() {
        MqttMessage m31 = one(true, connect(3, "paho", null, null, null));
        assertEquals("MQIsdp", m31.protocolName());
        assertEquals(3, m31.protocolVersion);
        assertFalse(m31.hasUsername);
        assertNull(m31.username());
        state = new MqttFlowState();
        MqttMessage m5 = one(true, connect(5, "", "user", "pass", "will"));
        assertEquals(5, m5.protocolVersion);
        assertEquals(5, m5.propertiesLength);
        assertEquals("", m5.clientId());
        assertEquals("user", m5.username());
        assertEquals("will", m5.text(m5.willTopicOffset, m5.willTopicLength));
        assertFalse(m5.malformed, m5.malformedReason);
    }

    @Test
    void publishQosRetainDupPacketIdAndPayload() {
        setUp(connect(4, "c", null, null, null));
        MqttMessage p = one(true, publish(1, true, "plant/line1/temp", 77, new byte[0], "21.5".getBytes()));
        assertEquals(1, p.qos);
        assertTrue(p.retain);
        assertEquals(77, p.packetId);
        assertEquals("plant/line1/temp", p.topic());
        assertEquals(4, p.payloadLength);
        byte[] dup = publish(2, false, "t", 5, new byte[0], new byte[3]);
        dup[0] |= 0x08;
        MqttMessage d = one(true, dup);
        assertTrue(d.dup);
        assertEquals(2, d.qos);
        MqttMessage q0 = one(true, publish(0, false, "t", 0, new byte[0], new byte[0]));
        assertEquals(-1, q0.packetId, "QoS 0 has no packet id");
        assertEquals(0, q0.payloadLength);
    }

    @Test
    void version5PropertiesAreSkippedOnLaterPackets() {
        setUp(connect(5, "c", null, null, null));
        // PUBLISH with 3 bytes of properties (topic alias 5)
        MqttMessage p = one(true, publish(1, false, "t/x", 9, bytes(3, 0x23, 0, 5), "abc".getBytes()));
        assertEquals(3, p.propertiesLength);
        assertEquals(3, p.payloadLength);
        // PUBACK with reason 16 (no matching subscribers) and empty properties
        MqttMessage ack = one(false, packet(4, 0, cat(u16(9), bytes(16, 0))));
        assertEquals(16, ack.reasonCode);
        assertEquals(9, ack.packetId);
        // PUBACK with the reason omitted reads as 0
        assertEquals(0, one(false, packet(4, 0, u16(10))).reasonCode);
        // SUBSCRIBE with properties, SUBACK with reason codes
        MqttMessage sub = one(true, subscribe(3, bytes(0), "a/#", "1", "b/+", "2"));
        assertEquals(2, sub.topicCount);
        assertEquals("a/#", sub.topicFilter(0));
        assertEquals(2, sub.requestedQos[1]);
        MqttMessage suback = one(false, packet(9, 0, cat(u16(3), bytes(0), bytes(1, 0x80))));
        assertEquals(2, suback.reasonCodeCount);
        assertEquals(0x80, suback.reasonCodes[1]);
        MqttMessage disc = one(true, packet(14, 0, bytes(4)));
        assertEquals(4, disc.reasonCode);
        MqttMessage auth = one(true, packet(15, 0, bytes(0x18, 0)));
        assertEquals(0x18, auth.reasonCode);
        assertFalse(auth.malformed);
    }

    @Test
    void everyOtherPacketType() {
        setUp(connect(4, "c", null, null, null));
        MqttMessage connack = one(false, packet(2, 0, bytes(1, 5)));
        assertTrue(connack.sessionPresent);
        assertEquals(5, connack.reasonCode, "not authorised");
        for (int type : new int[] {4, 5, 7}) {
            assertEquals(42, one(false, packet(type, 0, u16(42))).packetId);
        }
        assertEquals(42, one(true, packet(6, 2, u16(42))).packetId);
        MqttMessage unsub = one(true, packet(10, 2, cat(u16(8), str("a"), str("b"))));
        assertEquals(2, unsub.topicCount);
        assertEquals(8, one(false, packet(11, 0, u16(8))).packetId);
        assertEquals(MqttMessage.PINGREQ, one(true, packet(12, 0, new byte[0])).type);
        assertEquals(MqttMessage.PINGRESP, one(false, packet(13, 0, new byte[0])).type);
        MqttMessage suback = one(false, packet(9, 0, cat(u16(8), bytes(0, 1, 0x80))));
        assertEquals(3, suback.reasonCodeCount);
        assertEquals(-1, one(true, packet(14, 0, new byte[0])).reasonCode, "3.1.1 DISCONNECT has no reason");
    }

    @Test
    void brokenRulesAreMalformedCountedAndTheStreamStaysInStep() {
        setUp(connect(4, "c", null, null, null));
        byte[] stream = cat(publish(3, false, "t", 1, new byte[0], new byte[2]), // QoS 3
            packet(0, 0, new byte[24]),                                          // reserved type 0
            packet(15, 0, new byte[0]),                                          // AUTH before 5
            packet(8, 0, cat(u16(1), str("x"), bytes(0))),                       // SUBSCRIBE flags 0
            packet(8, 2, u16(2)),                                                // no topic filters
            packet(8, 2, cat(u16(3), str("x"), bytes(3))),                       // requested QoS 3
            packet(4, 0, cat(u16(1), bytes(9))),                                 // trailing byte (3.1.1)
            packet(3, 0, bytes(0, 9, 'a')),                                      // topic longer than packet
            packet(12, 0, new byte[0]));
        seen.clear();
        assertEquals(stream.length, feed(true, stream));
        assertEquals(List.of("PUBLISH!", "RESERVED_0!", "AUTH!", "SUBSCRIBE!", "SUBSCRIBE!", "SUBSCRIBE!",
            "PUBACK!", "PUBLISH!", "PINGREQ"), seen);
        List<String> reasons = copies.stream().map(c -> c.malformedReason).toList();
        assertEquals(List.of(MqttParser.R_QOS, MqttParser.R_TYPE_0, MqttParser.R_AUTH, MqttParser.R_FLAGS,
            MqttParser.R_NO_TOPICS, MqttParser.R_REQUESTED_QOS, MqttParser.R_TRAILING, MqttParser.R_FIELDS),
            reasons.subList(0, 8));
        assertEquals(8, parser.malformedMessages());
    }

    @Test
    void severalPacketsInOneSegmentAndOneAcrossSegments() {
        byte[] stream = cat(connect(4, "c", "u", "p", null), publish(1, false, "a/b", 1, new byte[0], new byte[200]),
            packet(12, 0, new byte[0]));
        for (int cut = 1; cut < stream.length; cut++) {
            state = new MqttFlowState();
            seen.clear();
            int used = parser.parse(stream, 0, cut, true, msg, state, sink);
            byte[] rest = Arrays.copyOfRange(stream, used, stream.length);
            assertEquals(rest.length, parser.parse(rest, 0, rest.length, true, msg, state, sink), "cut " + cut);
            assertEquals(List.of("CONNECT", "PUBLISH", "PINGREQ"), seen, "cut " + cut);
        }
        // a remaining length split after its first varint octet
        byte[] big = publish(0, false, "t", 0, new byte[0], new byte[300]);
        state = new MqttFlowState();
        seen.clear();
        assertEquals(0, parser.parse(big, 0, 2, true, msg, state, sink));
        assertEquals(big.length, feed(true, big));
        assertEquals(List.of("PUBLISH"), seen);
    }

    @Test
    void oversizedPacketIsSkippedWithoutBufferingAndReportedAtItsEnd() {
        setUp(connect(4, "cam", null, null, null));
        byte[] image = publish(1, false, "cam/1/jpeg", 7, new byte[0], new byte[100_000]);
        seen.clear();
        // the parser needs only the prefix; everything else is consumed as it arrives
        int used = parser.parse(image, 0, 2000, true, msg, state, sink);
        assertEquals(2000, used);
        assertTrue(seen.isEmpty(), "reported when complete");
        int pos = 2000;
        while (pos < image.length) {
            int n = Math.min(1460, image.length - pos);
            assertEquals(n, parser.parse(image, pos, n, true, msg, state, sink));
            pos += n;
        }
        assertEquals(List.of("PUBLISH~"), seen);
        MqttMessage p = copies.get(0);
        assertEquals("cam/1/jpeg", p.topic());
        assertEquals(7, p.packetId);
        assertEquals(100_000, p.payloadLength);
        assertFalse(p.malformed);
        assertEquals(1, parser.oversized());
        // the stream is still in step
        seen.clear();
        assertEquals(2, feed(true, packet(12, 0, new byte[0])));
        assertEquals(List.of("PINGREQ"), seen);
    }

    @Test
    void afterAGapOnlyAPlausiblePacketResynchronises() {
        setUp(connect(4, "c", null, null, null));
        state.onGap(true);
        byte[] stream = cat(bytes(0x37, 0x99, 0x00, 0xC0, 0x05), publish(0, false, "a/b", 0, new byte[0], new byte[4]),
            packet(12, 0, new byte[0]));
        seen.clear();
        assertEquals(stream.length, feed(true, stream));
        assertEquals(List.of("PUBLISH", "PINGREQ"), seen);
        assertEquals(1, parser.resyncs());
        assertTrue(parser.skippedBytes() >= 5);
    }

    @Test
    void midstreamPickupInfersVersionFiveFromConnack() {
        state.joinedMidstream();
        MqttMessage ack = one(false, packet(2, 0, bytes(0, 0, 3, 0x22, 0, 10)));
        assertEquals(5, state.version());
        assertEquals(3, ack.propertiesLength);
        assertFalse(ack.malformed);
    }

    @Test
    void varintLongerThanFourOctetsLosesStep() {
        byte[] b = cat(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), packet(12, 0, new byte[0]));
        seen.clear();
        assertEquals(b.length, feed(true, b));
        assertEquals(List.of("PINGREQ"), seen);
        assertTrue(state.resynchronising(true) == false);
    }

    @Test
    void contentDetection() {
        byte[] c = connect(4, "c", null, null, null);
        assertEquals(MqttParser.YES, MqttParser.detectConnect(c, 0, c.length));
        assertEquals(MqttParser.MAYBE, MqttParser.detectConnect(c, 0, 5));
        byte[] c3 = connect(3, "c", null, null, null);
        assertEquals(MqttParser.YES, MqttParser.detectConnect(c3, 0, c3.length));
        assertEquals(MqttParser.NO, MqttParser.detectConnect(packet(1, 0, cat(str("HTTP"), new byte[10])), 0, 18));
        assertEquals(MqttParser.NO, MqttParser.detectConnect("GET / HTTP/1.1".getBytes(), 0, 14));
        assertEquals(MqttParser.NO, MqttParser.detectConnect(bytes(0x10, 0x02, 0, 4), 0, 4), "too short for a CONNECT");
    }

    @Test
    void neverReadsOutsideTheGivenRange() {
        byte[] b = cat(bytes(0xFF), packet(12, 0, new byte[0]), bytes(0xFF));
        assertEquals(2, parser.parse(b, 1, 2, true, msg, state, sink));
        assertEquals(0, parser.parse(b, 3, 5, true, msg, state, sink));
        assertEquals(0, parser.parse(null, 0, 1, true, msg, state, sink));
        assertEquals(MqttParser.NO, MqttParser.detectConnect(b, 3, 5));
    }
}
