package io.vigil.protocols.s7comm;

import static io.vigil.protocols.s7comm.S7Frames.ackData;
import static io.vigil.protocols.s7comm.S7Frames.concat;
import static io.vigil.protocols.s7comm.S7Frames.cr;
import static io.vigil.protocols.s7comm.S7Frames.dt;
import static io.vigil.protocols.s7comm.S7Frames.hex;
import static io.vigil.protocols.s7comm.S7Frames.item;
import static io.vigil.protocols.s7comm.S7Frames.job;
import static io.vigil.protocols.s7comm.S7Frames.plus;
import static io.vigil.protocols.s7comm.S7Frames.readVar;
import static io.vigil.protocols.s7comm.S7Frames.s7;
import static io.vigil.protocols.s7comm.S7Frames.setup;
import static io.vigil.protocols.s7comm.S7Frames.udData;
import static io.vigil.protocols.s7comm.S7Frames.userdata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.observe.IcsOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class S7ParserTest {
    private final S7Parser parser = new S7Parser();
    private final S7FlowState state = new S7FlowState();
    private final S7Message msg = new S7Message();
    private final List<String> seen = new ArrayList<>();
    private final List<S7Message> copies = new ArrayList<>();
    private final IcsOp op = new IcsOp();

    /** Keeps a summary and the IcsOp of each message (the flyweight is overwritten). */
    private final S7MessageSink sink = m -> {
        seen.add(m.toString());
        S7IcsOps.fill(op, m);
        copies.add(snapshot(m));
    };

    private static S7Message snapshot(S7Message m) {
        S7Message c = new S7Message();
        c.cotpType = m.cotpType;
        c.payload = m.payload;
        c.rosctr = m.rosctr;
        c.pduRef = m.pduRef;
        c.function = m.function;
        c.kind = m.kind;
        c.malformed = m.malformed;
        c.malformedReason = m.malformedReason;
        c.fragments = m.fragments;
        c.plusVersion = m.plusVersion;
        c.plusOpcode = m.plusOpcode;
        c.plusFunction = m.plusFunction;
        c.plusContinuation = m.plusContinuation;
        c.udGroup = m.udGroup;
        c.udSubfunction = m.udSubfunction;
        c.szlId = m.szlId;
        c.truncated = m.truncated;
        return c;
    }

    private int feed(byte[] b, boolean fromClient) {
        return parser.parse(b, 0, b.length, fromClient, msg, state, sink);
    }

    /** Parses one complete message and returns the flyweight (valid until the next parse). */
    private S7Message one(byte[] b, boolean fromClient) {
        S7Message[] last = {null};
        int before = seen.size();
        assertEquals(b.length, parser.parse(b, 0, b.length, fromClient, msg, state, m -> {
            sink.onMessage(m);
            last[0] = m;
        }));
        assertEquals(before + 1, seen.size(), seen.toString());
        return last[0];
    }

    @Test
    void connectionRequestKeepsTsapsForTheConnection() {
        S7Message m = one(cr(), true);
        assertEquals(S7Message.COTP_CR, m.cotpType);
        assertEquals(7, m.srcRef);
        assertEquals(0, m.dstRef);
        assertEquals(0, m.cotpClass);
        assertEquals(1024, m.tpduSize);
        assertEquals("0100", m.srcTsapString());
        assertEquals("0102", m.dstTsapString());
        assertEquals(IcsOp.KIND_SESSION, m.kind);
        assertEquals(0x400E0, op.function);
        assertEquals(0x0102, op.unit, "called TSAP: rack 0, slot 2");
        m = one(setup(), true);
        assertTrue(m.connTsapKnown);
        assertEquals(0x0102, m.connDstTsap);
        assertEquals(0x0100, op.peerUnit);
    }

    @Test
    void textTsapsOfS7commPlus() {
        S7Message m = one(S7Frames.connect(0xE0, hex("0600"), "SIMATIC-ROOT-ES".getBytes()), true);
        assertEquals("SIMATIC-ROOT-ES", m.dstTsapString());
        assertEquals("SIMATIC-ROOT-ES", op.nameString());
        assertEquals(-1, op.unit, "a text TSAP does not fit a number");
    }

    @Test
    void setupCommunication() {
        S7Message m = one(setup(), true);
        assertTrue(m.isS7comm());
        assertEquals(S7Message.JOB, m.rosctr);
        assertEquals(0x0200, m.pduRef);
        assertEquals(0xF0, m.function);
        assertEquals(1, m.maxAmqCalling);
        assertEquals(1, m.maxAmqCalled);
        assertEquals(480, m.pduSize);
        assertEquals(IcsOp.KIND_SESSION, m.kind);
        assertFalse(m.isResponse);
        assertEquals(0xF0, op.function);
        assertEquals(1, op.subFunction);
        assertEquals(0x0200, op.sequence);
    }

    @Test
    void readVarItems() {
        S7Message m = one(readVar(5, item(0x04, 1, 1, 0x84, 10, 0), item(0x01, 1, 0, 0x83, 5, 3),
            item(0x1D, 1, 0, 0x1D, 7, 0)), true);
        assertEquals(0x04, m.function);
        assertEquals(3, m.itemCount);
        assertEquals(3, m.items);
        assertEquals(0x10, m.itemSyntax[0]);
        assertEquals(0x04, m.itemTransportSize[0]);
        assertEquals(1, m.itemLength[0]);
        assertEquals(1, m.itemDb[0]);
        assertEquals(0x84, m.itemArea[0]);
        assertEquals(10, m.itemAddress[0]);
        assertEquals(0, m.itemBit[0]);
        assertEquals(0x83, m.itemArea[1]);
        assertEquals(5, m.itemAddress[1]);
        assertEquals(3, m.itemBit[1]);
        assertEquals(7 << 3, m.itemAddress[2], "timers are numbered: the raw address");
        assertEquals(-1, m.itemBit[2]);
        assertEquals(IcsOp.KIND_READ, m.kind);
        assertEquals(3, op.objectCount);
        assertEquals(0x84, op.objects[0]);
        assertEquals(0x1D, op.objects[2]);
        assertEquals(1, op.instance);
        assertEquals(10, op.address);
        assertEquals(1, op.count);
        assertFalse(m.malformed);
    }

    @Test
    void readVarResponseReturnCodes() {
        // one item of 2 bytes (WORD, length in bits), one failed item (0x0A object does not exist)
        S7Message m = one(ackData(5, hex("04 02"), hex("ff 04 0010 1234 0a 00 0000")), false);
        assertTrue(m.isResponse);
        assertEquals(0, m.errorClass);
        assertEquals(2, m.dataItems);
        assertEquals(0xFF, m.dataReturnCode[0]);
        assertEquals(2, m.dataByteLength[0]);
        assertEquals(0x0A, m.dataReturnCode[1]);
        assertTrue(m.isError);
        assertEquals(IcsOp.KIND_READ, m.kind);
    }

    @Test
    void writeVarValuesByTransportSize() {
        byte[] param = concat(hex("05 03"), item(0x05, 1, 1, 0x84, 0, 0), item(0x08, 1, 1, 0x84, 2, 0),
            item(0x01, 1, 0, 0x82, 0, 1));
        // INT -2 (length 16 bits), REAL 1.5 (4 bytes, ts 0x07), BIT 1 (1 bit, odd: fill byte before the next... last)
        byte[] data = hex("00 05 0010 fffe  00 07 0004 3fc00000  00 03 0001 01");
        S7Message m = one(job(9, param, data), true);
        assertEquals(0x05, m.function);
        assertEquals(IcsOp.KIND_WRITE, m.kind);
        assertEquals(3, m.dataItems);
        assertEquals(3, m.valueCount, Arrays.toString(m.values));
        assertEquals(-2, m.values[0]);
        assertEquals(1.5, m.values[1]);
        assertEquals(1, m.values[2]);
        assertEquals(3, op.valueCount);
        assertEquals(1.5, op.values[1]);
        assertFalse(m.malformed, m.malformedReason);
    }

    @Test
    void writeVarOddItemsHaveAFillByte() {
        byte[] param = concat(hex("05 02"), item(0x02, 1, 1, 0x84, 0, 0), item(0x02, 1, 1, 0x84, 1, 0));
        byte[] data = hex("00 04 0008 2a 00  00 04 0008 2b");
        S7Message m = one(job(9, param, data), true);
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(2, m.valueCount);
        assertEquals(0x2a, m.values[0]);
        assertEquals(0x2b, m.values[1]);
    }

    @Test
    void writeVarResponseAndHeaderError() {
        S7Message m = one(ackData(9, hex("05 02"), hex("ff 05")), false);
        assertEquals(2, m.dataItems);
        assertEquals(0x05, m.dataReturnCode[1]);
        assertTrue(m.isError);
        m = one(dt(s7(3, 9, hex("05 01"), hex("ff"), 0x81, 0x04)), false);
        assertEquals(0x81, m.errorClass);
        assertEquals(0x04, m.errorCode);
        assertTrue(m.isError);
        assertEquals(0x8104, op.status);
        m = one(dt(s7(2, 9, new byte[0], new byte[0], 0xD2, 0x41)), false);
        assertEquals(S7Message.ACK, m.rosctr);
        assertEquals(-1, m.function);
        assertEquals(-1, op.function);
        assertEquals(IcsOp.KIND_OTHER, m.kind);
    }

    @Test
    void piServicesAndPlcStop() {
        byte[] inse = hex("28 000000000000fd 000a 01 00 3041303030303150 05 5f494e5345");
        S7Message m = one(job(1, inse, new byte[0]), true);
        assertEquals("_INSE", m.piServiceString());
        assertEquals("DB1", m.blockString());
        assertEquals("0A00001P", m.fileNameString());
        assertEquals(IcsOp.KIND_PROGRAM, m.kind);
        assertEquals("_INSE", op.nameString());
        byte[] start = hex("28 000000000000fd 0000 09 505f50524f4752414d");
        m = one(job(2, start, new byte[0]), true);
        assertEquals("P_PROGRAM", m.piServiceString());
        assertEquals(IcsOp.KIND_CONTROL, m.kind);
        byte[] stop = hex("29 0000000000 09 505f50524f4752414d");
        m = one(job(3, stop, new byte[0]), true);
        assertEquals(0x29, m.function);
        assertEquals("P_PROGRAM", m.piServiceString());
        assertEquals(IcsOp.KIND_CONTROL, m.kind);
        m = one(ackData(3, hex("29"), new byte[0]), false);
        assertEquals(IcsOp.KIND_CONTROL, m.kind);
        assertTrue(m.isResponse);
    }

    @Test
    void blockTransfers() {
        byte[] request = hex("1a 00 0100 00000000 09 5f304130303030315020 0d 31303030353030303030343030");
        // fix the file name length to 9 ("_0A00001P"): the byte after it is the part-2 length
        request = hex("1a 00 0100 00000000 09 5f3041303030303150 0d 31303030353030303030343030");
        S7Message m = one(job(1, request, new byte[0]), true);
        assertEquals(0x1A, m.function);
        assertEquals(0, m.functionStatus);
        assertEquals("_0A00001P", m.fileNameString());
        assertEquals("DB1", m.blockString());
        assertEquals(IcsOp.KIND_PROGRAM, m.kind);
        assertEquals("DB1", op.nameString());
        m = one(job(2, hex("1d 00 0000 00000000 09 5f3042303030303041"), new byte[0]), true);
        assertEquals("SDB0", m.blockString());
        m = one(job(3, hex("1f 00 0000 00000007"), new byte[0]), true);
        assertEquals(0x1F, m.function);
        assertNull(m.blockString());
        m = one(job(4, hex("1b 00 0000 00000000 09 5f3038303030303150"), new byte[0]), true);
        assertEquals("OB1", m.blockString());
    }

    @Test
    void userdataSzlClockPasswordBlocksAndPush() {
        S7Message m = one(userdata(4, 4, 1, 0, udData(0xFF, 0x09, hex("0011 0000"))), true);
        assertEquals(4, m.udGroup);
        assertEquals(1, m.udSubfunction);
        assertEquals(0x11, m.udMethod);
        assertEquals(0x0011, m.szlId);
        assertEquals(0, m.szlIndex);
        assertEquals(IcsOp.KIND_DIAGNOSTIC, m.kind);
        assertEquals(0x10401, op.function);
        assertEquals(0x0011, op.objectClass);
        assertEquals(S7Message.USERDATA, op.subFunction);
        m = one(userdata(8, 4, 1, 1, udData(0xFF, 0x09, hex("0011 0000 001c 0001 0001"))), false);
        assertTrue(m.isResponse);
        assertEquals(0x0011, m.szlId);
        assertEquals(0, m.udErrorCode);
        m = one(userdata(4, 7, 2, 0, udData(0xFF, 0x09, hex("0019 0101 0000 0000 0001"))), true);
        assertEquals(IcsOp.KIND_TIME, m.kind);
        assertEquals(0x10702, op.function);
        m = one(userdata(4, 7, 1, 0, udData(0x0A, 0, new byte[0])), true);
        assertEquals(IcsOp.KIND_DIAGNOSTIC, m.kind, "reading the clock");
        m = one(userdata(4, 5, 1, 0, udData(0xFF, 0x09, "secret!!".getBytes())), true);
        assertTrue(m.passwordPresent);
        assertEquals(IcsOp.KIND_SESSION, m.kind);
        m = one(userdata(4, 3, 3, 0, udData(0xFF, 0x09, hex("3041 3030303031 41"))), true);
        assertEquals("DB1", m.blockString());
        assertEquals(IcsOp.KIND_DIAGNOSTIC, m.kind);
        m = one(userdata(4, 3, 2, 0, udData(0xFF, 0x09, hex("3038"))), true);
        assertEquals("OB", m.blockString());
        m = one(userdata(0, 4, 3, 0, udData(0xFF, 0x09, new byte[20])), false);
        assertEquals(IcsOp.KIND_REPORT, m.kind);
        m = one(userdata(4, 1, 0x10, 0, udData(0xFF, 0x09, new byte[4])), true);
        assertEquals(IcsOp.KIND_CONTROL, m.kind, "forces");
    }

    @Test
    void multiUnitSzlResponseCarriesItsIdToTheContinuation() {
        byte[] first = dt(s7(7, 1, hex("000112 08 12 84 01 02 05 01 0000"), udData(0xFF, 9, hex("0000 0000 0002 0070 0000")),
            0, 0));
        S7Message m = one(first, false);
        assertEquals(0, m.szlId);
        assertEquals(1, m.udLastDataUnit);
        m = one(userdata(4, 4, 1, 2, udData(0x0A, 0, new byte[0])), true);
        assertEquals(-1, m.szlId, "follow-up request has no SZL header");
        byte[] last = dt(s7(7, 1, hex("000112 08 12 84 01 02 05 00 0000"), udData(0xFF, 9, hex("0f00 0002 0011 0111")),
            0, 0));
        m = one(last, false);
        assertTrue(m.udContinuation);
        assertEquals(0, m.szlId, "from the first unit, not the list data");
    }

    @Test
    void s7commPlusHeadersAndIntegrity() {
        S7Message m = one(plus(1, 0x31, 0x04CA, 1, true), true);
        assertTrue(m.isS7plus());
        assertEquals(1, m.plusVersion);
        assertEquals(0x31, m.plusOpcode);
        assertEquals(0x04CA, m.plusFunction);
        assertEquals(1, m.plusSequence);
        assertFalse(m.opaque, "V1 connection setup is plaintext");
        assertEquals(IcsOp.KIND_SESSION, m.kind);
        assertEquals(0x204CA, op.function);
        assertEquals(0x31, op.subFunction);
        m = one(plus(2, 0x32, 0x054C, 7, true), false);
        assertTrue(m.isResponse);
        assertTrue(m.opaque);
        assertEquals(IcsOp.KIND_READ, m.kind);
        m = one(plus(3, 0x31, 0x04F2, 0x831A, true), true);
        assertTrue(m.plusIntegrity);
        assertTrue(m.opaque);
        assertTrue(op.opaque);
        assertEquals(0x04F2, m.plusFunction);
        assertEquals(0x831A, m.plusSequence);
        assertEquals(IcsOp.KIND_WRITE, m.kind);
        // V3 whose integrity part is not a 32-byte digest: nothing behind it is guessed
        byte[] odd = plus(3, 0x31, 0x04F2, 1, true);
        odd[11] = 0x10;
        m = one(odd, true);
        assertTrue(m.malformed);
        assertEquals(-1, m.plusOpcode);
        assertEquals(-1, m.plusFunction);
        assertEquals(0x30000, op.function);
        m = one(dt(hex("72ff0000")), true);
        assertEquals(IcsOp.KIND_SESSION, m.kind, "keep-alive");
        assertEquals(0x300FF, op.function);
    }

    @Test
    void s7commPlusWithoutTrailerContinuesInTheNextUnit() {
        byte[] first = plus(2, 0x31, 0x0586, 3, false);
        S7Message m = one(first, true);
        assertEquals(0x0586, m.plusFunction);
        assertFalse(m.plusContinuation);
        m = one(dt(hex("72020004 0a0b0c0d 72020000")), true);
        assertTrue(m.plusContinuation);
        assertEquals(-1, m.plusOpcode);
        assertEquals(0x300FE, op.function);
        m = one(plus(2, 0x31, 0x054C, 4, true), true);
        assertFalse(m.plusContinuation, "the trailer ended the PDU");
        assertEquals(0x054C, m.plusFunction);
    }

    @Test
    void severalTpktsInOneSegmentAndOneAcrossSegments() {
        byte[] stream = concat(cr(), setup(), readVar(1, item(0x02, 4, 1, 0x84, 0, 0)));
        assertEquals(stream.length, feed(stream, true));
        assertEquals(3, seen.size());
        byte[] pdu = readVar(2, item(0x02, 4, 1, 0x84, 0, 0));
        int cut = 9;
        assertEquals(0, parser.parse(pdu, 0, cut, true, msg, state, sink), "incomplete TPKT left unconsumed");
        assertEquals(3, seen.size());
        assertEquals(pdu.length, feed(pdu, true));
        assertEquals(4, seen.size());
        assertEquals(2, copies.get(3).pduRef);
        assertEquals(0, parser.parse(pdu, 0, 3, true, msg, state, sink), "less than a TPKT header");
    }

    @Test
    void dtFragmentsAreJoinedUpToEot() {
        byte[] s7 = s7(1, 7, concat(hex("04 01"), item(0x02, 4, 1, 0x84, 0, 0)), new byte[0], 0, 0);
        byte[] a = dt(false, Arrays.copyOf(s7, 5));
        byte[] empty = dt(false, new byte[0]);
        byte[] b = dt(true, Arrays.copyOfRange(s7, 5, s7.length));
        assertEquals(a.length, feed(a, true));
        assertEquals(empty.length, feed(empty, true));
        assertTrue(seen.isEmpty(), "nothing until EOT");
        assertEquals(b.length, feed(b, true));
        assertEquals(1, seen.size());
        S7Message m = copies.get(0);
        assertEquals(3, m.fragments);
        assertEquals(0x04, m.function);
        assertEquals(7, m.pduRef);
        assertEquals(1, state.reassembled());
        // an empty EOT=0 unit followed by a whole PDU (Step 7's habit)
        assertEquals(empty.length, feed(empty, false));
        assertEquals(setup().length, feed(setup(), false));
        assertEquals(2, copies.get(1).fragments);
    }

    @Test
    void reassemblyIsBounded() {
        byte[] chunk = dt(false, new byte[8000]);
        chunk[7] = 0x32;
        for (int i = 0; i < 10; i++) {
            assertEquals(chunk.length, feed(chunk, true));
        }
        assertEquals(setup().length, feed(setup(), true));
        S7Message m = copies.get(0);
        assertTrue(m.truncated);
        assertTrue(m.malformed);
        assertEquals(1, state.overflows());
        assertEquals(S7Parser.R_REASSEMBLY, m.malformedReason);
        // the next unit starts clean
        assertEquals(setup().length, feed(setup(), true));
        assertFalse(copies.get(1).malformed);
    }

    @Test
    void garbageIsSkippedAndCounted() {
        byte[] stream = concat(hex("deadbeef 0300 0002 1122 33"), setup());
        assertEquals(stream.length, feed(stream, true));
        assertEquals(1, seen.size());
        assertEquals(0xF0, copies.get(0).function);
        assertEquals(11, parser.skippedBytes());
        assertEquals(1, parser.resyncs());
    }

    @Test
    void hostileLengthsAreMalformedNotThrown() {
        // parameter length beyond the unit
        byte[] s = setup();
        s[7 + 7] = (byte) 0x7F;
        S7Message m = one(s, true);
        assertTrue(m.malformed);
        assertEquals(S7Parser.R_LENGTHS, m.malformedReason);
        // 255 items announced, one present
        m = one(job(1, concat(hex("04 ff"), item(0x02, 4, 1, 0x84, 0, 0)), new byte[0]), true);
        assertTrue(m.malformed);
        assertEquals(S7Parser.R_ITEMS, m.malformedReason);
        assertEquals(1, m.items);
        // item length byte pointing past the parameter block
        m = one(job(1, hex("04 01 12 7f 10"), new byte[0]), true);
        assertEquals(S7Parser.R_ITEMS, m.malformedReason);
        // data item longer than the data block
        m = one(job(1, concat(hex("05 01"), item(0x02, 1, 1, 0x84, 0, 0)), hex("00 04 ffff 01")), true);
        assertEquals(S7Parser.R_DATA, m.malformedReason);
        // COTP length indicator beyond the TPKT
        m = one(hex("0300 0007 09 f0 80"), true);
        assertEquals(S7Parser.R_COTP, m.malformedReason);
        // S7 header cut short
        m = one(dt(hex("32 01 0000")), true);
        assertEquals(S7Parser.R_HEADER, m.malformedReason);
        // unknown ROSCTR
        m = one(dt(s7(5, 1, new byte[0], new byte[0], 0, 0)), true);
        assertEquals(S7Parser.R_ROSCTR, m.malformedReason);
        // userdata parameter too short
        m = one(dt(s7(7, 1, hex("000112"), new byte[0], 0, 0)), true);
        assertEquals(S7Parser.R_USERDATA, m.malformedReason);
        // PI name length beyond the parameter
        m = one(job(1, hex("28 000000000000fd 0000 40 5f"), new byte[0]), true);
        assertEquals(S7Parser.R_PARAM, m.malformedReason);
        assertTrue(parser.malformedMessages() >= 9);
    }

    @Test
    void nonS7PayloadIsReportedAsOther() {
        S7Message m = one(dt(hex("0d 0102 03")), true);
        assertEquals(S7Message.PAYLOAD_OTHER, m.payload);
        assertEquals(0x400F0, op.function);
    }

    @Test
    void contentDetection() {
        byte[] cr = cr();
        assertEquals(S7Parser.DETECT_MORE, S7Parser.detect(cr, 0, cr.length));
        assertEquals(S7Parser.DETECT_MORE, S7Parser.detect(cr, 0, 5));
        byte[] both = concat(cr, setup());
        assertEquals(S7Parser.DETECT_YES, S7Parser.detect(both, 0, both.length));
        byte[] plusStart = concat(S7Frames.connect(0xE0, hex("0600"), "SIMATIC-ROOT-HMI".getBytes()),
            plus(1, 0x31, 0x04CA, 1, true));
        assertEquals(S7Parser.DETECT_YES, S7Parser.detect(plusStart, 0, plusStart.length));
        byte[] cc = S7Frames.connect(0xD0, hex("0100"), hex("0102"));
        assertEquals(S7Parser.DETECT_MORE, S7Parser.detect(cc, 0, cc.length), "the server's side may come first");
        byte[] ccAck = concat(cc, S7Frames.ackData(1, hex("f0 00 0001 0001 01e0"), new byte[0]));
        assertEquals(S7Parser.DETECT_YES, S7Parser.detect(ccAck, 0, ccAck.length));
        // RDP: TPKT + X.224 CR with a cookie, no TSAPs
        byte[] rdp = hex("030000130ee000000000000100080003000000");
        assertEquals(S7Parser.DETECT_NO, S7Parser.detect(rdp, 0, rdp.length));
        // an ISO-on-TCP CR followed by a DT that is not S7 (e.g. MMS session layer)
        byte[] mms = concat(cr, dt(hex("0d 0102")));
        assertEquals(S7Parser.DETECT_NO, S7Parser.detect(mms, 0, mms.length));
        byte[] http = "GET / HTTP/1.1\r\n".getBytes();
        assertEquals(S7Parser.DETECT_NO, S7Parser.detect(http, 0, http.length));
        assertTrue(S7Parser.startsWithTpkt(setup(), 0, setup().length));
        assertFalse(S7Parser.startsWithTpkt(http, 0, http.length));
        assertTrue(S7Parser.startsTpdu(setup(), 0, setup().length));
        assertFalse(S7Parser.startsTpdu(setup(), 0, 10), "incomplete");
    }

    @Test
    void gapForgetsPartialUnits() {
        byte[] a = dt(false, hex("3201"));
        feed(a, true);
        state.onGap(true);
        assertEquals(setup().length, feed(setup(), true));
        assertEquals(1, copies.get(0).fragments, "the fragment before the gap is gone");
        assertFalse(copies.get(0).malformed);
    }
}
