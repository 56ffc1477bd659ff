package io.vigil.protocols.iec104;

import static io.vigil.protocols.iec104.Apdus.asdu;
import static io.vigil.protocols.iec104.Apdus.concat;
import static io.vigil.protocols.iec104.Apdus.cp56;
import static io.vigil.protocols.iec104.Apdus.floatLe;
import static io.vigil.protocols.iec104.Apdus.hex;
import static io.vigil.protocols.iec104.Apdus.i;
import static io.vigil.protocols.iec104.Apdus.ioa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.observe.IcsOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Iec104ParserTest {
    private final Iec104Parser parser = new Iec104Parser();
    private final Iec104Apdu apdu = new Iec104Apdu();
    private final List<String> seen = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<int[]> ioas = new ArrayList<>();
    private final Iec104ApduSink sink = a -> {
        seen.add(a.apciTypeName() + (a.hasAsdu ? a.typeId : "") + (a.malformed ? "!" : ""));
        values.add(Arrays.copyOf(a.values, a.valueCount));
        ioas.add(Arrays.copyOf(a.ioa, a.ioaCount));
    };

    private Iec104Apdu one(byte[] b) {
        Iec104FlowState st = new Iec104FlowState();
        Iec104Apdu[] last = {null};
        int used = parser.parse(b, 0, b.length, true, apdu, st, a -> {
            sink.onApdu(a);
            last[0] = a;
        });
        assertEquals(b.length, used);
        assertEquals(1, seen.size(), seen.toString());
        return last[0];
    }

    @Test
    void uFormatFunctions() {
        int[] controls = {0x07, 0x0B, 0x13, 0x23, 0x43, 0x83};
        String[] names = {"STARTDT_ACT", "STARTDT_CON", "STOPDT_ACT", "STOPDT_CON", "TESTFR_ACT", "TESTFR_CON"};
        for (int k = 0; k < controls.length; k++) {
            seen.clear();
            Iec104Apdu a = one(Apdus.u(controls[k]));
            assertEquals(Iec104Apdu.TYPE_U, a.apciType);
            assertEquals(controls[k], a.uControl);
            assertEquals(names[k], Iec104Names.uFunctionName(a.uControl));
            assertFalse(a.malformed);
            assertEquals(IcsOp.KIND_SESSION, a.kind());
            assertEquals(-1, a.txSeq);
        }
        seen.clear();
        Iec104Apdu bad = one(Apdus.u(0x0F)); // two functions at once
        assertTrue(bad.malformed);
        assertEquals(Iec104Parser.R_U_FUNCTION, bad.malformedReason);
    }

    @Test
    void sFormatReceiveSequence() {
        Iec104Apdu a = one(Apdus.s(20_000));
        assertEquals(Iec104Apdu.TYPE_S, a.apciType);
        assertEquals(20_000, a.rxSeq);
        assertEquals(IcsOp.KIND_OTHER, a.kind());
        assertFalse(a.malformed);
    }

    @Test
    void measuredFloatsWithSequenceNumbers() {
        byte[] objs = concat(ioa(1300), floatLe(30.5f), new byte[] {0}, ioa(1301), floatLe(-708f), new byte[] {0x10});
        Iec104Apdu a = one(i(32_767, 5, asdu(13, 2, 1, 0, 3, objs)));
        assertEquals(32_767, a.txSeq);
        assertEquals(5, a.rxSeq);
        assertEquals(13, a.typeId);
        assertEquals("M_ME_NC_1", a.typeName());
        assertFalse(a.sq);
        assertEquals(2, a.numObjects);
        assertEquals(1, a.cot);
        assertEquals(3, a.commonAddress);
        assertArrayEquals(new int[] {1300, 1301}, ioas.get(0));
        assertArrayEquals(new double[] {30.5, -708}, values.get(0));
        assertEquals(IcsOp.KIND_REPORT, a.kind());
        assertFalse(a.malformed);
        assertFalse(a.objectsNotWalked);
    }

    @Test
    void sequenceOfSinglePointsNumbersIoasFromTheFirst() {
        byte[] objs = concat(ioa(0xFFFFFE), new byte[] {1, 0, 1});
        Iec104Apdu a = one(i(1, 1, asdu(1, 0x80 | 3, 20, 0, 1054, objs)));
        assertTrue(a.sq);
        assertArrayEquals(new int[] {0xFFFFFE, 0xFFFFFF, 0}, ioas.get(0), "24-bit IOAs wrap");
        assertArrayEquals(new double[] {1, 0, 1}, values.get(0));
        assertEquals("inrogen", Iec104Names.causeName(a.cot));
    }

    @Test
    void causeBitsOriginatorAndNegativeConfirm() {
        Iec104Apdu a = one(i(0, 0, asdu(100, 1, 0x80 | 0x40 | 7, 9, 0x910D, concat(ioa(0), new byte[] {20}))));
        assertEquals(7, a.cot);
        assertTrue(a.negative);
        assertTrue(a.test);
        assertEquals(9, a.originator);
        assertEquals(37133, a.commonAddress);
        assertEquals(IcsOp.KIND_READ, a.kind());
        assertArrayEquals(new double[] {20}, values.get(0));
    }

    @Test
    void commandsWithSelectExecuteQualifierAndTime() {
        // C_SC_TA_1: SCO = select, QU 1 (short pulse), ON; then CP56Time2a
        Iec104Apdu a = one(i(3, 4, asdu(58, 1, 6, 0, 3, concat(ioa(4501), new byte[] {(byte) 0x85}, cp56()))));
        assertEquals(IcsOp.KIND_CONTROL, a.kind());
        assertTrue(a.select);
        assertEquals(1, a.qualifier);
        assertArrayEquals(new double[] {1}, values.get(0));
        assertEquals(Instant.parse("2024-03-05T06:07:08.009Z").toEpochMilli(), a.timeMillis);
        seen.clear();
        values.clear();
        // C_SE_NC_1 float set-point, execute, QL 0
        Iec104Apdu sp = one(i(3, 4, asdu(50, 1, 6, 0, 3, concat(ioa(5020), floatLe(123.25f), new byte[] {0}))));
        assertEquals(IcsOp.KIND_CONTROL, sp.kind());
        assertFalse(sp.select);
        assertEquals(0, sp.qualifier);
        assertArrayEquals(new double[] {123.25}, values.get(0));
        seen.clear();
        values.clear();
        // C_SE_NA_1 normalized -0.5, select
        one(i(3, 4, asdu(48, 1, 6, 0, 3, concat(ioa(1), new byte[] {0x00, (byte) 0xC0, (byte) 0x80}))));
        assertArrayEquals(new double[] {-0.5}, values.get(0));
        assertTrue(apdu.select);
    }

    @Test
    void stepPositionCountersAndBitstrings() {
        one(i(0, 0, asdu(5, 1, 3, 0, 1, concat(ioa(7), new byte[] {0x7F, 0})))); // VTI -1
        assertArrayEquals(new double[] {-1}, values.get(0));
        seen.clear();
        one(i(0, 0, asdu(15, 1, 37, 0, 1, concat(ioa(7), hex("ffffffff"), new byte[] {0}))));
        assertArrayEquals(new double[] {-1}, values.get(1), "binary counter is signed");
        seen.clear();
        one(i(0, 0, asdu(7, 1, 3, 0, 1, concat(ioa(7), hex("ffffffff"), new byte[] {0}))));
        assertArrayEquals(new double[] {4294967295.0}, values.get(2), "bitstring is unsigned");
    }

    @Test
    void kindsOfTheOtherTypes() {
        int[][] typeKind = {{103, IcsOp.KIND_TIME}, {106, IcsOp.KIND_TIME}, {105, IcsOp.KIND_CONTROL},
            {102, IcsOp.KIND_READ}, {101, IcsOp.KIND_READ}, {112, IcsOp.KIND_PROGRAM}, {122, IcsOp.KIND_PROGRAM},
            {70, IcsOp.KIND_REPORT}, {107, IcsOp.KIND_DIAGNOSTIC}};
        for (int[] tk : typeKind) {
            int size = Iec104Names.elementSize(tk[0]);
            Iec104Apdu a = one(i(0, 0, asdu(tk[0], 1, 6, 0, 1, concat(ioa(0), new byte[size]))));
            assertEquals(tk[1], a.kind(), "type " + tk[0]);
            assertFalse(a.malformed, "type " + tk[0] + ": " + a.malformedReason);
            seen.clear();
        }
    }

    @Test
    void unknownTypeKeepsTheHeaderAndFirstIoa() {
        Iec104Apdu a = one(i(0, 0, asdu(55, 2, 3, 0, 1, concat(ioa(42), new byte[] {1, 2, 3, 4}))));
        assertTrue(a.unknownType);
        assertTrue(a.objectsNotWalked);
        assertNull(a.typeName());
        assertEquals(2, a.numObjects);
        assertArrayEquals(new int[] {42}, ioas.get(0));
        assertFalse(a.malformed, "an unassigned type is flagged, not malformed");
        assertEquals(IcsOp.KIND_OTHER, a.kind());
    }

    @Test
    void fileSegmentsAreWalkedByTheirLength() {
        byte[] seg = concat(ioa(9), new byte[] {1, 0, 2, 3, 'a', 'b', 'c'});
        Iec104Apdu a = one(i(0, 0, asdu(125, 1, 13, 0, 1, seg)));
        assertFalse(a.malformed);
        assertArrayEquals(new double[] {1}, values.get(0));
        assertEquals(IcsOp.KIND_PROGRAM, a.kind());
    }

    @Test
    void objectsThatDoNotFitAreMalformedButKept() {
        // says 3 objects, carries 2
        Iec104Apdu a = one(i(0, 0, asdu(1, 3, 3, 0, 1, concat(ioa(1), new byte[] {1}, ioa(2), new byte[] {0}))));
        assertTrue(a.malformed);
        assertEquals(Iec104Parser.R_OBJECTS, a.malformedReason);
        assertArrayEquals(new int[] {1, 2}, ioas.get(0));
        seen.clear();
        Iec104Apdu extra = one(i(0, 0, asdu(1, 1, 3, 0, 1, concat(ioa(1), new byte[] {1, 9}))));
        assertEquals(Iec104Parser.R_TRAILING, extra.malformedReason);
        seen.clear();
        Iec104Apdu zero = one(i(0, 0, asdu(1, 0, 3, 0, 1, new byte[0])));
        assertEquals(Iec104Parser.R_NO_OBJECTS, zero.malformedReason);
        seen.clear();
        Iec104Apdu shortHeader = one(hex("6808 0000 0000 1a1a1a1a")); // 4 ASDU octets
        assertTrue(shortHeader.malformed);
        assertEquals(26, shortHeader.typeId);
        assertEquals(26, shortHeader.numObjects);
        assertEquals(26, shortHeader.cot);
        assertEquals(-1, shortHeader.commonAddress);
    }

    @Test
    void severalApdusInOneSegmentAndOneAcrossSegments() {
        byte[] stream = concat(Apdus.u(0x07), Apdus.s(1),
            i(1, 2, asdu(45, 1, 6, 0, 1, concat(ioa(4500), new byte[] {1}))), Apdus.u(0x43));
        Iec104FlowState st = new Iec104FlowState();
        assertEquals(stream.length, parser.parse(stream, 0, stream.length, true, apdu, st, sink));
        assertEquals(List.of("U", "S", "I45", "U"), seen);
        seen.clear();
        // split inside the I frame: the first call leaves it buffered
        int cut = 6 + 6 + 9;
        int used = parser.parse(stream, 0, cut, true, apdu, st, sink);
        assertEquals(12, used);
        byte[] rest = Arrays.copyOfRange(stream, used, stream.length);
        assertEquals(rest.length, parser.parse(rest, 0, rest.length, true, apdu, st, sink));
        assertEquals(List.of("U", "S", "I45", "U"), seen);
    }

    @Test
    void truncatedApduWaitsAndHostileLengthsAreSkipped() {
        byte[] b = i(0, 0, asdu(13, 1, 3, 0, 1, concat(ioa(1), floatLe(1f), new byte[] {0})));
        for (int n = 1; n < b.length; n++) {
            assertEquals(0, parser.parse(b, 0, n, true, apdu, new Iec104FlowState(), sink), "prefix " + n);
        }
        assertTrue(seen.isEmpty());
        // lengths 0..3 and 254/255 are not APDUs: skipped up to the next plausible start
        byte[] junk = concat(hex("6800 6803 68ff 68fe"), Apdus.u(0x43));
        assertEquals(junk.length, parser.parse(junk, 0, junk.length, true, apdu, new Iec104FlowState(), sink));
        assertEquals(List.of("U"), seen);
        assertEquals(8, parser.skippedBytes());
    }

    @Test
    void afterAGapOnlyAStrictApduResynchronises() {
        Iec104FlowState st = new Iec104FlowState();
        st.onGap(true);
        // value bytes that spell 68 04 16 ...: an I frame without ASDU fails the strict check
        byte[] b = concat(hex("16 6804 16161616"), i(7, 8, asdu(3, 1, 3, 0, 1, concat(ioa(1), new byte[] {2}))));
        assertEquals(b.length, parser.parse(b, 0, b.length, true, apdu, st, sink));
        assertEquals(List.of("I3"), seen);
        assertEquals(1, parser.resyncs());
        assertFalse(st.resynchronising(true));
        assertTrue(parser.skippedBytes() >= 7);
        // in step again: a short I frame is now delivered (malformed), as the sender framed it
        seen.clear();
        byte[] odd = hex("6804 16161616");
        assertEquals(odd.length, parser.parse(odd, 0, odd.length, true, apdu, st, sink));
        assertEquals(List.of("I!"), seen);
    }

    @Test
    void contentDetectionNeedsTwoStrictApdus() {
        byte[] two = concat(Apdus.u(0x07), i(0, 0, asdu(100, 1, 6, 0, 1, concat(ioa(0), new byte[] {20}))));
        assertEquals(Iec104Parser.YES, Iec104Parser.detect(two, 0, two.length));
        assertEquals(Iec104Parser.ONE, Iec104Parser.detect(two, 0, 6));
        assertEquals(Iec104Parser.ONE, Iec104Parser.detect(two, 0, 10));
        assertEquals(Iec104Parser.MAYBE, Iec104Parser.detect(two, 0, 3));
        assertEquals(Iec104Parser.NO, Iec104Parser.detect(hex("6804 0f000000"), 0, 6));
        assertEquals(Iec104Parser.NO, Iec104Parser.detect("hello world".getBytes(), 0, 11));
        // 'h' then a length: an HTTP-ish text stream fails on the control field
        assertEquals(Iec104Parser.NO, Iec104Parser.detect("h\u0004abcd".getBytes(), 0, 6));
        byte[] badAsdu = concat(Apdus.u(0x07), i(0, 0, asdu(100, 1, 0, 0, 1, concat(ioa(0), new byte[] {20}))));
        assertEquals(Iec104Parser.NO, Iec104Parser.detect(badAsdu, 0, badAsdu.length), "COT 0");
    }

    @Test
    void neverReadsOutsideTheGivenRange() {
        byte[] b = concat(hex("ffff"), Apdus.u(0x07), hex("ffff"));
        assertEquals(6, parser.parse(b, 2, 6, true, apdu, new Iec104FlowState(), sink));
        assertEquals(0, parser.parse(b, 9, 5, true, apdu, new Iec104FlowState(), sink), "out of bounds");
        assertEquals(0, parser.parse(null, 0, 5, true, apdu, new Iec104FlowState(), sink));
        assertEquals(Iec104Parser.NO, Iec104Parser.detect(b, 9, 5));
    }
}
