package io.vigil.protocols.opcua;

import static io.vigil.protocols.opcua.Ua.body;
import static io.vigil.protocols.opcua.Ua.concat;
import static io.vigil.protocols.opcua.Ua.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OpcUaParserTest {
    private final OpcUaParser parser = new OpcUaParser();
    private final OpcUaMessage msg = new OpcUaMessage();
    private OpcUaFlowState state = new OpcUaFlowState();

    /** Parses and returns a snapshot line per message; the state carries over between calls. */
    private List<String> parse(byte[] b, boolean fromClient) {
        List<String> out = new ArrayList<>();
        assertEquals(b.length, parser.parse(b, 0, b.length, fromClient, msg, state, m -> out.add(m.toString())));
        return out;
    }

    /** Parses one message and leaves it in {@link #msg}. */
    private OpcUaMessage one(byte[] b, boolean fromClient) {
        int[] n = {0};
        assertEquals(b.length, parser.parse(b, 0, b.length, fromClient, msg, state, m -> n[0]++));
        assertEquals(1, n[0]);
        return msg;
    }

    private void openNoneChannel(long scid, int mode) {
        one(Ua.opnRequest(0, 1, mode), true);
        one(Ua.opnResponse(scid, 1, 7), false);
    }

    @Test
    void helloAckError() {
        OpcUaMessage m = one(Ua.hel("opc.tcp://plc:4840/ua"), true);
        assertEquals(OpcUaMessage.HEL, m.type);
        assertEquals('F', m.chunk);
        assertEquals(0, m.protocolVersion);
        assertEquals(65536, m.receiveBufferSize);
        assertEquals("opc.tcp://plc:4840/ua", m.endpointUrl());
        m = one(Ua.ack(), false);
        assertEquals("ACK", m.typeName());
        assertEquals(28, m.size);
        assertEquals(65535, m.sendBufferSize);
        assertEquals(2097152, m.maxMessageSize);
        assertEquals(64, m.maxChunkCount);
        m = one(Ua.err(0x807E0000L, "bad type"), false);
        assertEquals(0x807E0000L, m.errorCode);
        assertEquals("BadTcpMessageTypeInvalid", OpcUaNames.status(m.errorCode));
        assertEquals("bad type", m.reason());
        assertFalse(m.malformed);
    }

    @Test
    void openSecureChannelNone() {
        OpcUaMessage m = one(Ua.opnRequest(0, 1, OpcUaMessage.MODE_NONE), true);
        assertEquals(OpcUaMessage.OPN, m.type);
        assertEquals(0, m.secureChannelId);
        assertEquals(OpcUaMessage.POLICY_NONE, m.securityPolicy);
        assertEquals(Ua.NONE, m.policyUri());
        assertEquals(-1, m.senderCertificateLength);
        assertEquals(1, m.sequenceNumber);
        assertEquals(1, m.requestId);
        assertEquals(446, m.serviceId);
        assertEquals("OpenSecureChannelRequest", m.serviceName());
        assertEquals(OpcUaMessage.MODE_NONE, m.securityMode);
        assertEquals(0, m.requestType);
        assertEquals(600_000, m.requestedLifetime);
        assertFalse(m.encrypted);
        m = one(Ua.opnResponse(5, 1, 7), false);
        assertEquals(5, m.secureChannelId);
        assertEquals(7, m.tokenId);
        assertEquals(600_000, m.revisedLifetime);
        assertEquals(0, m.serviceResult);
        assertTrue(m.matched);
        assertEquals(446, m.requestServiceId);
        assertEquals(OpcUaMessage.MODE_NONE, state.channelMode(5));
    }

    @Test
    void readRequestAndResponse() {
        openNoneChannel(5, 1);
        state.setTime(10, 1_000);
        OpcUaMessage m = one(msg(5, 2, Ua.readRequest()), true);
        assertEquals("ReadRequest", m.serviceName());
        assertEquals(0x01, m.serviceEncoding);
        assertEquals(1, m.requestHandle);
        assertEquals(10_000, m.timeoutHint);
        assertEquals(2, m.timestampsToReturn);
        assertEquals(2, m.nodes.total);
        assertEquals(2, m.nodes.count);
        assertEquals(0, m.nodes.namespace[0]);
        assertEquals(2258, m.nodes.numeric[0]);
        assertEquals(13, m.nodes.attributeId[0]);
        assertEquals(OpcUaNodeIds.STRING, m.nodes.encoding[1]);
        assertEquals(2, m.nodes.namespace[1]);
        assertEquals("Temperature", m.string(m.nodes.offset[1], m.nodes.length[1]));
        assertEquals("ns=2;s=Temperature", m.nodes.toString(m.buf, 1));
        assertEquals("i=2258", m.nodes.toString(m.buf, 0));
        assertFalse(m.malformed);
        state.setTime(11, 5_000);
        m = one(msg(5, 2, Ua.readResponse()), false);
        assertEquals("ReadResponse", m.serviceName());
        assertEquals(0, m.serviceResult);
        assertEquals(2, m.statusTotal);
        assertEquals(2, m.statusCount);
        assertEquals(0, m.statusCodes[0]);
        assertEquals(OpcUaNames.BAD_NODE_ID_UNKNOWN, m.statusCodes[1]);
        assertTrue(m.matched);
        assertEquals(631, m.requestServiceId);
        assertEquals(10, m.requestFrame);
        assertEquals(4_000, m.latencyNanos);
        assertFalse(m.malformed, m.malformedReason);
    }

    @Test
    void writeCallBrowse() {
        openNoneChannel(5, 1);
        OpcUaMessage m = one(msg(5, 3, Ua.writeRequest()), true);
        assertEquals("WriteRequest", m.serviceName());
        assertEquals(1, m.nodes.count);
        assertEquals("ns=2;s=Setpoint", m.nodes.toString(m.buf, 0));
        assertEquals(13, m.nodes.attributeId[0]);
        assertEquals(OpcUaMessage.V_DOUBLE, m.valueType[0]);
        assertEquals(42.5, m.doubleValue(0));
        m = one(msg(5, 3, Ua.writeResponse()), false);
        assertEquals(1, m.statusCount);
        assertEquals("BadNotWritable", OpcUaNames.status(m.statusCodes[0]));
        m = one(msg(5, 4, Ua.callRequest()), true);
        assertEquals("CallRequest", m.serviceName());
        assertEquals(1, m.nodes.count);
        assertEquals(5, m.nodes.numeric[0]);
        assertEquals(2, m.nodes.namespace[0]);
        assertEquals(6, m.methods.numeric[0]);
        assertFalse(m.malformed, m.malformedReason);
        m = one(msg(5, 4, Ua.callResponse()), false);
        assertEquals(1, m.statusCount);
        assertEquals(0, m.statusCodes[0]);
        assertFalse(m.malformed, m.malformedReason);
        m = one(msg(5, 6, Ua.browseRequest()), true);
        assertEquals("BrowseRequest", m.serviceName());
        assertEquals(2, m.nodes.count);
        assertEquals(85, m.nodes.numeric[0]);
        assertEquals(84, m.nodes.numeric[1]);
        assertFalse(m.malformed, m.malformedReason);
    }

    @Test
    void sessionsAndServiceFault() {
        openNoneChannel(5, 1);
        OpcUaMessage m = one(msg(5, 2, body().service(461).requestHeader(1).str("urn:client").bytes()), true);
        assertEquals("CreateSessionRequest", m.serviceName());
        m = one(msg(5, 2, body().service(464).responseHeader(1, 0).raw(new byte[20]).bytes()), false);
        assertEquals("CreateSessionResponse", m.serviceName());
        assertTrue(m.matched);
        m = one(msg(5, 3, body().service(467).requestHeader(2).bytes()), true);
        assertEquals("ActivateSessionRequest", m.serviceName());
        m = one(msg(5, 3, body().service(470).responseHeader(2, 0).bytes()), false);
        assertEquals("ActivateSessionResponse", m.serviceName());
        one(msg(5, 4, Ua.readRequest()), true);
        m = one(msg(5, 4, Ua.serviceFault(OpcUaNames.BAD_NODE_ID_UNKNOWN)), false);
        assertTrue(m.isServiceFault());
        assertEquals("ServiceFault", m.serviceName());
        assertEquals("BadNodeIdUnknown", OpcUaNames.status(m.serviceResult));
        assertTrue(m.matched);
        assertEquals("ReadRequest", OpcUaNames.service(m.requestServiceId));
    }

    @Test
    void signAndEncryptChannelIsNeverParsed() {
        openNoneChannel(9, OpcUaMessage.MODE_SIGN_AND_ENCRYPT);
        assertEquals(OpcUaMessage.MODE_SIGN_AND_ENCRYPT, state.channelMode(9));
        // even a body that would pass the plaintext probe stays unread on a SignAndEncrypt channel
        OpcUaMessage m = one(msg(9, 2, Ua.readRequest()), true);
        assertTrue(m.encrypted);
        assertEquals(9, m.secureChannelId);
        assertEquals(1, m.tokenId);
        assertEquals(-1, m.sequenceNumber);
        assertEquals(-1, m.requestId);
        assertEquals(-1, m.serviceId);
        assertEquals(0, m.nodes.count);
    }

    @Test
    void unknownChannels() {
        // not seen opening: the probe reads a plaintext body, flags the inference, and remembers the channel
        OpcUaMessage m = one(msg(3, 2, Ua.readRequest()), true);
        assertFalse(m.encrypted);
        assertTrue(m.securityInferred);
        assertEquals("ReadRequest", m.serviceName());
        m = one(msg(3, 2, Ua.readResponse()), false);
        assertTrue(m.securityInferred);
        assertEquals("ReadResponse", m.serviceName());
        // ciphertext fails the probe
        byte[] noise = new byte[64];
        new SplittableRandom(1).nextBytes(noise);
        m = one(msg(4, 2, noise), true);
        assertTrue(m.encrypted);
        assertEquals(-1, m.serviceId);
        // strict mode: unknown means encrypted
        OpcUaParser strict = new OpcUaParser(false, 65536);
        byte[] b = msg(3, 2, Ua.readRequest());
        OpcUaFlowState fresh = new OpcUaFlowState();
        assertEquals(b.length, strict.parse(b, 0, b.length, true, msg, fresh, x -> { }));
        assertTrue(msg.encrypted);
        assertEquals(-1, msg.serviceId);
    }

    @Test
    void multiChunkReassembly() {
        openNoneChannel(5, 1);
        byte[] body = Ua.readRequest();
        int a = 10;
        int c = 30;
        List<String> out = new ArrayList<>();
        out.addAll(parse(msg('C', 5, 1, 2, 2, Arrays.copyOfRange(body, 0, a)), true));
        out.addAll(parse(msg('C', 5, 1, 3, 2, Arrays.copyOfRange(body, a, c)), true));
        assertEquals(2, out.size());
        assertEquals(-1, msg.serviceId); // intermediate chunks report the transport only
        OpcUaMessage m = one(msg('F', 5, 1, 4, 2, Arrays.copyOfRange(body, c, body.length)), true);
        assertTrue(m.reassembled);
        assertEquals(3, m.chunkCount);
        assertFalse(m.truncatedBody);
        assertEquals("ReadRequest", m.serviceName());
        assertEquals(2, m.nodes.count);
        assertEquals("ns=2;s=Temperature", m.nodes.toString(m.buf, 1));
    }

    @Test
    void abortChunkDiscardsPartialMessage() {
        openNoneChannel(5, 1);
        byte[] body = Ua.readRequest();
        parse(msg('C', 5, 1, 2, 2, Arrays.copyOfRange(body, 0, 20)), true);
        OpcUaMessage m = one(msg('A', 5, 1, 3, 2, body().u32(0x80AB0000L).str("cancelled").bytes()), true);
        assertEquals('A', m.chunk);
        assertEquals(0x80AB0000L, m.errorCode);
        assertEquals("cancelled", m.reason());
        assertEquals(1, state.abortedChunks());
        // a final chunk for the same request id now stands alone
        m = one(msg('F', 5, 1, 4, 2, Ua.writeRequest()), true);
        assertFalse(m.reassembled);
        assertEquals("WriteRequest", m.serviceName());
    }

    @Test
    void oversizedChunkIsReportedFromItsPrefixAndSkipped() {
        OpcUaParser small = new OpcUaParser(true, 1024);
        openNoneChannel(5, 1);
        byte[] pad = new byte[5000];
        byte[] big = msg(5, 2, concat(Ua.writeRequest(), pad));
        List<OpcUaMessage> seen = new ArrayList<>();
        int[] count = {0};
        int used = small.parse(big, 0, 1500, true, msg, state, m -> count[0]++);
        assertEquals(1500, used);
        assertEquals(1, count[0]);
        assertTrue(msg.truncatedBody);
        assertEquals("WriteRequest", msg.serviceName());
        byte[] rest = concat(Arrays.copyOfRange(big, 1500, big.length), Ua.hel("x"));
        used = small.parse(rest, 0, rest.length, true, msg, state, m -> count[0]++);
        assertEquals(rest.length, used);
        assertEquals(2, count[0]);
        assertEquals(OpcUaMessage.HEL, msg.type);
        assertEquals(0, small.skippedBytes());
        assertTrue(seen.isEmpty());
    }

    @Test
    void severalMessagesInOneBufferAndEverySplit() {
        byte[] stream = concat(Ua.hel("opc.tcp://h:4840"), Ua.opnRequest(0, 1, 1), msg(5, 2, Ua.readRequest()),
            msg(5, 3, Ua.writeRequest()), msg(5, 4, Ua.callRequest()));
        state = new OpcUaFlowState();
        List<String> whole = parse(stream, true);
        assertEquals(5, whole.size());
        for (int cut = 0; cut <= stream.length; cut++) {
            state = new OpcUaFlowState();
            List<String> out = new ArrayList<>();
            int used = parser.parse(stream, 0, cut, true, msg, state, m -> out.add(m.toString()));
            assertTrue(used <= cut);
            byte[] rest = Arrays.copyOfRange(stream, used, stream.length);
            assertEquals(rest.length, parser.parse(rest, 0, rest.length, true, msg, state, m -> out.add(m.toString())));
            assertEquals(whole, out, "split at " + cut);
        }
    }

    @Test
    void garbageResynchronises() {
        byte[] junk = new byte[37];
        new SplittableRandom(3).nextBytes(junk);
        junk[5] = 'M';
        junk[6] = 'S';
        junk[7] = 'G'; // a fake type with a random size must not swallow the real messages
        long before = parser.skippedBytes();
        List<String> out = parse(concat(junk, Ua.hel("u"), Ua.ack()), true);
        assertEquals(2, out.size());
        assertEquals(37, parser.skippedBytes() - before);
        assertTrue(parser.resyncs() >= 1);
    }

    @Test
    void hostileSizesAndCounts() {
        // size fields: negative as Int32, huge, below the minimum
        for (long size : new long[] {0xFFFFFFFFL, 0x80000000L, 0x7FFFFFFFL, 16L << 20 | 1, 3, 0}) {
            byte[] b = body().raw("MSGF".getBytes()).u32(size).raw(new byte[40]).bytes();
            int used = parser.parse(b, 0, b.length, true, msg, state, m -> { throw new AssertionError(m.toString()); });
            assertTrue(used <= b.length);
        }
        openNoneChannel(5, 1);
        // NodeId array counts of 2^31-1, -5 and -1 (null)
        for (long count : new long[] {0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFBL}) {
            OpcUaMessage m = one(msg(5, 2, body().service(631).requestHeader(1).dbl(0).u32(0).u32(count)
                .node(0, 2258).u32(13).bytes()), true);
            assertTrue(m.malformed);
            assertEquals("ReadRequest", m.serviceName());
        }
        OpcUaMessage m = one(msg(5, 2, body().service(631).requestHeader(1).dbl(0).u32(0).u32(0xFFFFFFFFL).bytes()),
            true);
        assertFalse(m.malformed);
        assertEquals(0, m.nodes.count);
        // string length beyond the message, deep Variant nesting
        m = one(msg(5, 3, body().service(673).requestHeader(1).u32(1).u8(3).u16(2).u32(0x7FFFFFF0L).bytes()), true);
        assertTrue(m.malformed);
        Ua deep = body().service(673).requestHeader(1).u32(1).node(2, 1).u32(13).str(null).u8(1);
        for (int i = 0; i < 10_000; i++) {
            deep.u8(24);
        }
        m = one(msg(5, 4, deep.bytes()), true);
        assertTrue(m.malformed);
        Ua diag = body().service(634).responseHeader(1, 0);
        byte[] b = diag.bytes();
        b[b.length - 8] = 0x40; // service diagnostics with inner infos
        m = one(msg(5, 4, concat(b, new byte[] {0x40, 0x40, 0x40})), false);
        assertTrue(m.malformed);
    }

    @Test
    void contentDetection() {
        byte[] hel = Ua.hel("opc.tcp://plc:4840");
        assertTrue(OpcUaParser.looksLikeOpcUa(hel, 0, hel.length));
        assertTrue(OpcUaParser.looksLikeOpcUa(hel, 0, 12));
        assertTrue(OpcUaParser.looksLikeOpcUa(Ua.ack(), 0, 28));
        byte[] opn = Ua.opnRequest(0, 1, 1);
        assertTrue(OpcUaParser.looksLikeOpcUa(opn, 0, opn.length));
        byte[] m = msg(5, 2, Ua.readRequest());
        assertTrue(OpcUaParser.looksLikeOpcUa(m, 0, m.length));
        assertTrue(OpcUaParser.looksLikeOpcUa(m, 0, 40));
        assertFalse(OpcUaParser.looksLikeOpcUa("GET / HTTP/1.1\r\n".getBytes(), 0, 16));
        assertFalse(OpcUaParser.looksLikeOpcUa(Ua.err(0, "x"), 0, 17));
        byte[] badVersion = hel.clone();
        badVersion[11] = 1;
        assertFalse(OpcUaParser.looksLikeOpcUa(badVersion, 0, badVersion.length));
        assertFalse(OpcUaParser.looksLikeOpcUa(null, 0, 8));
    }

    @Test
    void names() {
        assertEquals("ReadRequest", OpcUaNames.service(631));
        assertEquals("RepublishResponse", OpcUaNames.service(835));
        assertEquals(631, OpcUaNames.requestOf(634));
        assertEquals(12211, OpcUaNames.requestOf(12212));
        assertEquals(-1, OpcUaNames.requestOf(631));
        assertNull(OpcUaNames.service(1));
        assertEquals("BadUserAccessDenied", OpcUaNames.status(0x801F0000L));
        assertEquals("BadSecurityChecksFailed", OpcUaNames.status(0x80130000L));
        assertEquals("BadSessionIdInvalid", OpcUaNames.status(0x80250000L));
        assertEquals("Good", OpcUaNames.status(0x00000000L));
        byte[] uri = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256".getBytes();
        assertEquals(OpcUaMessage.POLICY_BASIC256SHA256, OpcUaParser.classifyPolicy(uri, 0, uri.length));
        assertEquals(OpcUaMessage.POLICY_OTHER, OpcUaParser.classifyPolicy(uri, 0, uri.length - 1));
    }
}
