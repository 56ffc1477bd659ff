package io.vigil.protocols.enip;

import static io.vigil.protocols.enip.Eip.attr;
import static io.vigil.protocols.enip.Eip.bytes;
import static io.vigil.protocols.enip.Eip.cls;
import static io.vigil.protocols.enip.Eip.concat;
import static io.vigil.protocols.enip.Eip.inst;
import static io.vigil.protocols.enip.Eip.le16;
import static io.vigil.protocols.enip.Eip.le32;
import static io.vigil.protocols.enip.Eip.path;
import static io.vigil.protocols.enip.Eip.request;
import static io.vigil.protocols.enip.Eip.response;
import static io.vigil.protocols.enip.Eip.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.observe.IcsOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnipParserTest {
    private final EnipParser parser = new EnipParser();
    private final EnipFlowState state = new EnipFlowState();
    private final EnipMessage msg = new EnipMessage();

    /** Snapshot of what a sink sees, since the flyweight is overwritten. */
    private record Seen(int command, long session, boolean response, int service, int cls, long instance,
                        int attribute, String tag, boolean malformed, String reason, int embeddedService,
                        int serviceCount, boolean matched, long connectionId, int cipSequence, int connectionClass) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final EnipMessageSink sink = m -> seen.add(new Seen(m.command, m.session, m.isResponse, m.service,
        m.cipClass, m.instance, m.attribute, m.tag(), m.malformed, m.malformedReason, m.embeddedService,
        m.serviceCount, m.matched, m.connectionId, m.cipSequence, m.connectionClass));

    private int parse(byte[] b, boolean fromClient) {
        return parser.parseStream(b, 0, b.length, fromClient, msg, state, sink);
    }

    @Test
    void headerFields() {
        byte[] b = Eip.registerSession(0x11020100L);
        assertEquals(b.length, parse(b, true));
        assertEquals(1, seen.size());
        assertEquals(EnipMessage.REGISTER_SESSION, msg.command);
        assertEquals(4, msg.encapLength);
        assertEquals(0x11020100L, msg.session);
        assertEquals(0, msg.status);
        assertEquals(0, msg.options);
        assertEquals(1, msg.protocolVersion);
        assertFalse(msg.hasCip);
        assertFalse(msg.malformed);
    }

    @Test
    void senderContextKeepsWireOrder() {
        byte[] b = Eip.encap(EnipMessage.LIST_IDENTITY, 0, 0, bytes(0, 0, 0, 0, 0xC1, 0xDE, 0xBE, 0xD1), new byte[0]);
        parse(b, true);
        assertEquals(0x00000000C1DEBED1L, msg.senderContext);
    }

    @Test
    void nonZeroOptionsAreMalformedButDecoded() {
        byte[] b = Eip.registerSession(7);
        b[20] = 1;
        parse(b, true);
        assertTrue(msg.malformed);
        assertEquals(EnipParser.R_OPTIONS, msg.malformedReason);
        assertEquals(1, msg.protocolVersion);
    }

    @Test
    void listIdentityResponse() {
        byte[] b = Eip.listIdentityResponse("1756-ENBT/A");
        assertTrue(parser.parseDatagram(b, 0, b.length, false, msg));
        assertEquals(1, msg.itemCount);
        assertEquals(1, msg.protocolVersion);
        assertEquals(1, msg.vendorId);
        assertEquals(12, msg.deviceType);
        assertEquals(58, msg.productCode);
        assertEquals(4, msg.revisionMajor);
        assertEquals(3, msg.revisionMinor);
        assertEquals(0x30, msg.deviceStatus);
        assertEquals(0x00524D8EL, msg.serialNumber);
        assertEquals("1756-ENBT/A", msg.productName());
        assertEquals(3, msg.deviceState);
        assertEquals(44818, msg.socketPort);
        assertEquals(0x0A0101A4L, msg.socketAddress);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(0x10000 | 0x63, op.function);
        assertEquals(IcsOp.KIND_DIAGNOSTIC, op.kind);
        assertEquals("1756-ENBT/A", op.nameString());
    }

    @Test
    void listIdentityNameLongerThanItemIsMalformed() {
        byte[] b = Eip.listIdentityResponse("ABC");
        int nameLenAt = 24 + 2 + 4 + 2 + 16 + 14;
        b[nameLenAt] = (byte) 200;
        assertTrue(parser.parseDatagram(b, 0, b.length, false, msg));
        assertTrue(msg.malformed);
        assertTrue(msg.productNameLength <= b.length - msg.productNameOffset);
    }

    @Test
    void getAttributeSingleRequestAndMatchedResponse() {
        byte[] req = Eip.rr(5, 0x1122334455667788L, request(0x0E, path(cls(1), inst(1), attr(7)), new byte[0]));
        byte[] resp = Eip.rr(5, 0x1122334455667788L, response(0x0E, 0, bytes(0x0B, 'a', 'b')));
        parse(req, true);
        assertEquals(0x0E, msg.service);
        assertEquals(1, msg.cipClass);
        assertEquals(1, msg.instance);
        assertEquals(7, msg.attribute);
        assertEquals(0xB2, msg.dataType);
        assertEquals(0, msg.addressType);
        state.setTime(2, 5_000);
        parse(resp, false);
        assertTrue(msg.isResponse);
        assertEquals(0x8E, msg.service);
        assertEquals(0, msg.generalStatus);
        assertTrue(msg.matched);
        assertEquals(1, msg.cipClass);
        assertEquals(7, msg.attribute);
        assertEquals(1, state.matchedResponses());
    }

    @Test
    void errorResponseWithExtendedStatus() {
        parse(Eip.rr(5, 1, request(0x10, path(cls(0xF5), inst(1), attr(3)), bytes(1, 2))), true);
        parse(Eip.rr(5, 1, Eip.responseExt(0x10, 0x1F, 0x0102, new byte[0])), false);
        assertEquals(0x1F, msg.generalStatus);
        assertEquals(0x0102, msg.extendedStatus);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertTrue(op.isResponse && op.isError);
        assertEquals(0x1F, op.status);
        assertEquals(0x90, op.function);
        assertEquals(IcsOp.KIND_WRITE, op.kind);
        assertEquals(0xF5, op.objectClass);
    }

    @Test
    void sixteenAndThirtyTwoBitSegments() {
        parse(Eip.rr(1, 1, request(0x0E, path(cls(0x0304), inst(0x2420), attr(1)), new byte[0])), true);
        assertEquals(0x0304, msg.cipClass);
        assertEquals(0x2420, msg.instance);
        parse(Eip.rr(1, 2, request(0x0E, path(cls(0x68), inst(0x12345678L)), new byte[0])), true);
        assertEquals(0x12345678L, msg.instance);
        assertFalse(msg.malformed);
    }

    @Test
    void nestedLogixPathKeepsSecondPair() {
        parse(Eip.rr(1, 1, request(0x03, path(cls(0x69), inst(1), cls(0x7E), inst(0)), concat(le16(1), le16(1)))),
            true);
        assertEquals(0x69, msg.cipClass);
        assertEquals(1, msg.instance);
        assertEquals(0x7E, msg.nestedClass);
        assertEquals(0, msg.nestedInstance);
        assertEquals(1, msg.attributeCount);
    }

    @Test
    void portSegmentsElectronicKeyAndMemberAreSkipped() {
        byte[] key = bytes(0x34, 0x04, 1, 0, 12, 0, 58, 0, 4, 3);
        byte[] port = bytes(0x01, 0x00);
        byte[] extPort = bytes(0x12, 0x04, 10, 1, 1, 164); // extended link address "10.1.1.164"-ish, 4 bytes
        parse(Eip.rr(1, 1, request(0x0E, path(port, extPort, key, cls(2), inst(1), Eip.member(3), attr(4)),
            new byte[0])), true);
        assertFalse(msg.malformed, msg.malformedReason);
        assertEquals(2, msg.cipClass);
        assertEquals(3, msg.member);
        assertEquals(4, msg.attribute);
    }

    @Test
    void writeTagWithSymbolicPathAndValues() {
        byte[] data = concat(le16(0xC4), le16(2), le32(-5), le32(70000));
        parse(Eip.rr(1, 9, request(0x4D, path(sym("Program:Main"), sym("Speed")), data)), true);
        assertEquals("Program:Main.Speed", msg.tag());
        assertEquals(0xC4, msg.dataTypeCode);
        assertEquals(2, msg.elementCount);
        assertEquals(2, msg.valueCount);
        assertEquals(-5.0, msg.values[0]);
        assertEquals(70000.0, msg.values[1]);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(IcsOp.KIND_WRITE, op.kind);
        assertEquals("Program:Main.Speed", op.nameString());
        assertEquals(2, op.valueCount);
        assertEquals(-5.0, op.values[0]);
    }

    @Test
    void readTagRequestAndTypedResponse() {
        parse(Eip.rr(1, 3, request(0x4C, path(sym("Tank_Level")), le16(1))), true);
        assertEquals("Tank_Level", msg.tag());
        assertEquals(1, msg.elementCount);
        byte[] real = le32(Float.floatToIntBits(42.5f));
        parse(Eip.rr(1, 3, response(0x4C, 0, concat(le16(0xCA), real))), false);
        assertTrue(msg.matched);
        assertEquals("Tank_Level", msg.tag());
        assertEquals(1, msg.valueCount);
        assertEquals(42.5, msg.values[0]);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(IcsOp.KIND_READ, op.kind);
        assertEquals("Tank_Level", op.nameString());
    }

    @Test
    void vendorServiceOnNonSymbolClassIsNotATag() {
        parse(Eip.unit(1, 0x1234, 7, request(0x4C, path(cls(0x8E), inst(1)), bytes(1, 0))), true);
        assertNull(msg.tag());
        assertEquals(-1, msg.elementCount);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(IcsOp.KIND_OTHER, op.kind);
        assertEquals(7, op.sequence);
    }

    @Test
    void setAttributeSingleValueAndKinds() {
        parse(Eip.rr(1, 4, request(0x10, path(cls(0xF5), inst(1), attr(3)), le16(0x1234))), true);
        assertEquals(1, msg.valueCount);
        assertEquals(0x1234, msg.values[0]);
        assertEquals(IcsOp.KIND_WRITE, EnipOps.kindOf(0x10, 0xF5, false));
        assertEquals(IcsOp.KIND_CONTROL, EnipOps.kindOf(0x10, 0x01, false));
        assertEquals(IcsOp.KIND_TIME, EnipOps.kindOf(0x04, 0x8B, false));
        assertEquals(IcsOp.KIND_PROGRAM, EnipOps.kindOf(0x4F, 0x37, false));
        assertEquals(IcsOp.KIND_PROGRAM, EnipOps.kindOf(0x08, 0x68, false));
        assertEquals(IcsOp.KIND_CONTROL, EnipOps.kindOf(0x05, 0x01, false));
        assertEquals(IcsOp.KIND_CONTROL, EnipOps.kindOf(0x07, 0x8E, false));
        assertEquals(IcsOp.KIND_READ, EnipOps.kindOf(0x01, 0x01, false));
        assertEquals(IcsOp.KIND_SESSION, EnipOps.kindOf(0x54, 0x06, false));
        assertEquals(IcsOp.KIND_READ, EnipOps.kindOf(0x52, 0x6B, false));
        assertEquals(IcsOp.KIND_OTHER, EnipOps.kindOf(0x52, 0x8E, false));
    }

    @Test
    void unconnectedSendIsUnwrappedAndRoutePathDropped() {
        byte[] embedded = request(0x01, path(cls(1), inst(1)), new byte[0]);
        byte[] req = Eip.rr(5, 0xB39B02002008E100L, Eip.unconnectedSend(embedded, 0));
        parse(req, true);
        assertEquals(EnipMessage.UNCONNECTED_SEND, msg.service);
        assertEquals(6, msg.cipClass);
        assertTrue(msg.hasEmbedded);
        assertEquals(0x01, msg.embeddedService);
        assertEquals(1, msg.embeddedClass);
        assertEquals(1, msg.embeddedInstance);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(0x01, op.function);
        assertEquals(0x52, op.subFunction);
        assertEquals(1, op.objectClass);
        assertEquals(IcsOp.KIND_READ, op.kind);
        // the target answers with the embedded service's response
        parse(Eip.rr(5, 0xB39B02002008E100L, response(0x01, 0, bytes(1, 0, 12, 0))), false);
        assertTrue(msg.matched);
        assertEquals(6, msg.cipClass);
        assertEquals(0x81, msg.embeddedService);
        assertEquals(1, msg.embeddedClass);
        EnipOps.fill(op, msg);
        assertEquals(0x81, op.function);
        assertEquals(1, op.objectClass);
    }

    @Test
    void unconnectedSendOfStopIsControl() {
        parse(Eip.rr(5, 1, Eip.unconnectedSend(request(0x07, path(cls(0x8E), inst(1)), new byte[0]), 0)), true);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(0x07, op.function);
        assertEquals(IcsOp.KIND_CONTROL, op.kind);
        assertEquals(0x8E, op.objectClass);
    }

    @Test
    void unconnectedSendWithOversizedEmbeddedLengthIsMalformed() {
        byte[] b = Eip.rr(5, 1, Eip.unconnectedSend(request(0x01, path(cls(1), inst(1)), new byte[0]), 0));
        int sizeAt = 24 + 16 + 5 + 2; // header, CPF up to the data, service + path, priority + ticks
        b[sizeAt] = (byte) 0xFF;
        b[sizeAt + 1] = 0x7F;
        parse(b, true);
        assertTrue(msg.malformed);
        assertEquals(EnipParser.R_SERVICE_DATA, msg.malformedReason);
        assertFalse(msg.hasEmbedded);
    }

    @Test
    void multipleServicePacketRequestAndResponse() {
        byte[] a = request(0x03, path(cls(1), inst(1)), concat(le16(2), le16(5), le16(11)));
        byte[] b = request(0x0E, path(cls(0x8B), inst(1), attr(6)), new byte[0]);
        byte[] c = request(0x07, path(cls(0x8E), inst(1)), new byte[0]);
        parse(Eip.unit(1, 0x00790301L, 1929, Eip.msp(a, b, c)), true);
        assertEquals(3, msg.serviceCount);
        assertEquals(0x03, msg.services[0]);
        assertEquals(1, msg.serviceClass[0]);
        assertEquals(0x8B, msg.serviceClass[1]);
        assertEquals(6, msg.serviceAttribute[1]);
        assertEquals(2, msg.serviceAttributeCount[0]);
        assertEquals(11, msg.attributes[1]);
        assertEquals(2, msg.cipClass);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(IcsOp.KIND_CONTROL, op.kind); // the stop outweighs the reads
        assertEquals(3, op.objectCount);
        assertEquals((0x07 << 16) | 0x8E, op.objects[2]);
        parse(Eip.unit(1, 0x80FE0013L, 1929, Eip.mspResponse(response(0x03, 0, new byte[0]),
            response(0x0E, 0x14, new byte[0]), response(0x07, 0, new byte[0]))), false);
        assertEquals(3, msg.serviceCount);
        assertEquals(0x14, msg.serviceStatus[1]);
        assertEquals(0x8E, msg.services[1]);
        assertTrue(msg.matched);
    }

    @Test
    void multipleServicePacketWithHostileOffsets() {
        byte[] a = request(0x0E, path(cls(1), inst(1), attr(1)), new byte[0]);
        byte[] cip = Eip.msp(a, a);
        cip[1 + 5 + 4] = (byte) 0xF0; // second offset far beyond the packet: the first has no end either
        parse(Eip.rr(1, 1, cip), true);
        assertTrue(msg.malformed);
        assertEquals(EnipParser.R_MSP, msg.malformedReason);
        assertEquals(0, msg.serviceCount);
        byte[] back = Eip.msp(a, a);
        back[1 + 5 + 4] = 2; // second offset points back into the offset table
        parse(Eip.rr(1, 2, back), true);
        assertTrue(msg.malformed);
        assertEquals(0, msg.serviceCount);
        byte[] huge = concat(bytes(0x0A), path(cls(2), inst(1)), le16(0xFFFF));
        parse(Eip.rr(1, 3, huge), true);
        assertTrue(msg.malformed);
        assertEquals(0, msg.serviceCount);
    }

    @Test
    void forwardOpenCloseAndConnectedMessages() {
        byte[] connPath = path(bytes(0x01, 0x00), cls(2), inst(1));
        parse(Eip.rr(7, 0x21, Eip.forwardOpen(0x80000014L, 0x80FE0013L, 0x14, 8_000_000, 8_000_000, connPath)), true);
        assertEquals(0x80000014L, msg.otConnectionId);
        assertEquals(0x80FE0013L, msg.toConnectionId);
        assertEquals(0x14, msg.connectionSerial);
        assertEquals(0x4D, msg.originatorVendor);
        assertEquals(0x32952BF3L, msg.originatorSerial);
        assertEquals(8_000_000, msg.otRpi);
        assertEquals(8_000_000, msg.toRpi);
        assertEquals(2, msg.connPathClass);
        assertEquals(1, msg.connPathInstance);
        IcsOp op = new IcsOp();
        EnipOps.fill(op, msg);
        assertEquals(IcsOp.KIND_SESSION, op.kind);
        parse(Eip.rr(7, 0x21, Eip.forwardOpenResponse(0x00790301L, 0x80FE0013L, 0x14, 8_000_000, 8_000_000)), false);
        assertEquals(0x00790301L, msg.otConnectionId);
        assertEquals(2, msg.connPathClass);
        // connected messages now name the object their connection reaches
        parse(Eip.unit(7, 0x00790301L, 2, request(0x03, path(cls(1), inst(1)), concat(le16(1), le16(1)))), true);
        assertEquals(2, msg.connectionClass);
        assertEquals(1, msg.connectionInstance);
        assertEquals(2, msg.cipSequence);
        parse(Eip.unit(7, 0x80FE0013L, 2, response(0x03, 0, new byte[0])), false);
        assertEquals(2, msg.connectionClass);
        assertTrue(msg.matched);
        assertEquals(1, msg.cipClass);
        parse(Eip.rr(7, 0x22, Eip.forwardClose(0x14, connPath)), true);
        assertEquals(0x14, msg.connectionSerial);
        assertEquals(2, msg.connPathClass);
        assertFalse(msg.malformed, msg.malformedReason);
    }

    @Test
    void severalMessagesInOneSegment() {
        byte[] b = concat(Eip.registerSession(1), Eip.rr(1, 1, request(0x01, path(cls(1), inst(1)), new byte[0])),
            Eip.encap(EnipMessage.NOP, 1, 0, Eip.ctx(0), new byte[3]));
        assertEquals(b.length, parse(b, true));
        assertEquals(3, seen.size());
        assertEquals(EnipMessage.REGISTER_SESSION, seen.get(0).command());
        assertEquals(0x01, seen.get(1).service());
        assertEquals(EnipMessage.NOP, seen.get(2).command());
    }

    @Test
    void oneMessageAcrossSegments() {
        byte[] b = Eip.rr(1, 1, request(0x0E, path(cls(1), inst(1), attr(7)), new byte[0]));
        assertEquals(0, parse(java.util.Arrays.copyOf(b, 10), true));
        assertEquals(0, parse(java.util.Arrays.copyOf(b, b.length - 1), true));
        assertTrue(seen.isEmpty());
        assertEquals(b.length, parse(b, true));
        assertEquals(7, seen.get(0).attribute());
    }

    @Test
    void garbageIsSkippedUntilAPlausibleHeader() {
        byte[] junk = bytes(0xDE, 0xAD, 0xBE, 0xEF, 0x16, 0x03, 0x01, 0x00, 0x55);
        byte[] b = concat(junk, new byte[24], Eip.registerSession(3));
        // after the junk, 24 zero bytes are a well-formed NOP: the parser resynchronises on it
        int used = parse(b, true);
        assertEquals(b.length, used);
        assertTrue(parser.skippedBytes() >= junk.length);
        assertEquals(1, parser.resyncs());
        assertEquals(EnipMessage.REGISTER_SESSION, seen.get(seen.size() - 1).command());
    }

    @Test
    void hostileLengthsAreBoundedByTheMessage() {
        // CPF item claiming more than the message holds
        byte[] b = Eip.rr(1, 1, request(0x01, path(cls(1), inst(1)), new byte[0]));
        b[24 + 6 + 2 + 4 + 2] = (byte) 0xFF; // data item length
        parse(b, true);
        assertTrue(msg.malformed);
        // path size beyond the CIP message
        byte[] c = Eip.rr(1, 2, concat(bytes(0x0E, 0x7F), cls(1)));
        parse(c, true);
        assertTrue(msg.malformed);
        assertEquals(EnipParser.R_PATH, msg.malformedReason);
        // item count far above what the data holds
        byte[] d = Eip.rr(1, 3, bytes(0x01));
        d[24 + 6] = (byte) 0xFF;
        d[24 + 7] = (byte) 0xFF;
        parse(d, true);
        assertTrue(msg.malformed);
        // encapsulation length above the maximum: not a header at all
        byte[] e = Eip.registerSession(1);
        e[2] = (byte) 0xFF;
        e[3] = (byte) 0xFF;
        assertFalse(EnipParser.looksLikeEnip(e, 0, e.length));
    }

    @Test
    void truncatedCipHeaderIsMalformed() {
        parse(Eip.rr(1, 1, bytes(0x8E, 0)), false);
        assertTrue(msg.malformed);
        assertEquals(EnipParser.R_CIP, msg.malformedReason);
        parse(Eip.rr(1, 1, bytes(0x8E, 0, 0, 5, 1, 2)), false);
        assertTrue(msg.malformed);
    }

    @Test
    void implicitIoDatagram() {
        byte[] b = Eip.io(0x004B0603L, 4166875, bytes(0xA5, 0x87, 0xE8, 0x0F, 3, 0));
        assertTrue(parser.parseIo(b, 0, b.length, msg));
        assertEquals(EnipMessage.KIND_IO, msg.kind);
        assertEquals(0x004B0603L, msg.connectionId);
        assertEquals(4166875, msg.encapSequence);
        assertEquals(6, msg.ioDataLength);
        assertFalse(msg.malformed);
        assertFalse(parser.parseIo(bytes(1, 0, 0xB2, 0, 0, 0), 0, 6, msg));
        byte[] cut = java.util.Arrays.copyOf(b, 12);
        assertTrue(parser.parseIo(cut, 0, cut.length, msg));
        assertTrue(msg.malformed);
    }

    @Test
    void contentDetection() {
        byte[] reg = Eip.registerSession(0);
        assertTrue(EnipParser.looksLikeEnip(reg, 0, reg.length));
        byte[] two = concat(reg, Eip.rr(0, 0, request(0x01, path(cls(1), inst(1)), new byte[0])));
        assertTrue(EnipParser.looksLikeEnip(two, 0, two.length));
        byte[] longRr = Eip.rr(0, 0, request(0x4D, path(sym("X")), concat(le16(0xC4), le16(1), new byte[400])));
        assertTrue(EnipParser.looksLikeEnip(longRr, 0, 100), "a long SendRRData may spill over");
        assertFalse(EnipParser.looksLikeEnip(new byte[24], 0, 24), "zeros are a NOP, not evidence");
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        assertFalse(EnipParser.looksLikeEnip(http, 0, http.length));
        byte[] badLen = Eip.encap(EnipMessage.REGISTER_SESSION, 0, 0, Eip.ctx(0), new byte[6]);
        assertFalse(EnipParser.looksLikeEnip(badLen, 0, badLen.length));
        byte[] opts = Eip.registerSession(0);
        opts[21] = 1;
        assertFalse(EnipParser.looksLikeEnip(opts, 0, opts.length));
    }

    @Test
    void outOfBoundsArgumentsAreRejected() {
        byte[] b = Eip.registerSession(0);
        assertEquals(0, parser.parseStream(b, -1, 4, true, msg, state, sink));
        assertEquals(0, parser.parseStream(b, 10, b.length, true, msg, state, sink));
        assertEquals(0, parser.parseStream(null, 0, 0, true, msg, state, sink));
        assertFalse(parser.parseDatagram(b, 0, 10, true, msg));
        assertFalse(EnipParser.looksLikeEnip(b, 5, b.length));
    }
}
