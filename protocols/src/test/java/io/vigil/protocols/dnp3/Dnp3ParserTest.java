package io.vigil.protocols.dnp3;

import static io.vigil.protocols.dnp3.Dnp3Frames.concat;
import static io.vigil.protocols.dnp3.Dnp3Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.observe.IcsOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Dnp3ParserTest {
    private final Dnp3Parser parser = new Dnp3Parser();
    private final Dnp3Message m = new Dnp3Message();
    private final Dnp3FlowState state = new Dnp3FlowState();

    /** What a sink saw, copied out of the flyweight. */
    record Seen(int src, int dst, int linkFunction, boolean prm, boolean hasTransport, int transportEvent,
                boolean hasApplication, int functionCode, int iin, List<String> objects, boolean malformed,
                String reason, int segments, int fragmentLength) {
    }

    private List<Seen> stream(byte[] bytes, boolean fromClient) {
        List<Seen> out = new ArrayList<>();
        int used = parser.parse(bytes, 0, bytes.length, fromClient, m, state, x -> out.add(copy(x)));
        assertEquals(bytes.length, used, "whole frames consumed");
        return out;
    }

    private static Seen copy(Dnp3Message x) {
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < x.keptHeaders(); i++) {
            objects.add(x.objectName(i));
        }
        return new Seen(x.source, x.destination, x.linkFunction, x.prm, x.hasTransport, x.transportEvent,
            x.hasApplication, x.functionCode, x.iin, objects, x.malformed, x.malformedReason, x.segments,
            x.fragmentLength);
    }

    /** Decodes one application fragment alone. */
    private static Dnp3Message app(String hex) {
        Dnp3Message msg = new Dnp3Message();
        byte[] f = hex(hex);
        Dnp3Application.decode(f, 0, f.length, msg);
        return msg;
    }

    @Test
    void crcMatchesTheStandardCheckValueAndARealHeader() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xEA82, Dnp3Crc.compute(check, 0, check.length));
        // From a capture: 05 64 19 c4 0a 00 01 00, CRC da 8f.
        assertTrue(Dnp3Crc.check(hex("0564 19 c4 0a00 0100 da8f"), 0, 8));
        assertFalse(Dnp3Crc.check(hex("0564 19 c4 0a00 0100 db8f"), 0, 8));
    }

    @Test
    void contentDetectionNeedsStartOctetsLengthAndHeaderCrc() {
        byte[] f = Dnp3Frames.linkOnly(0xC9, 10, 1);
        assertTrue(Dnp3Parser.looksLikeDnp3(f, 0, f.length));
        assertFalse(Dnp3Parser.looksLikeDnp3(f, 0, 9), "needs the whole header");
        byte[] bad = f.clone();
        bad[4] ^= 1;
        assertFalse(Dnp3Parser.looksLikeDnp3(bad, 0, bad.length));
        assertTrue(Dnp3Parser.startsLikeDnp3(bad, 0, 2));
        assertFalse(Dnp3Parser.startsLikeDnp3(hex("0565"), 0, 2));
        assertFalse(Dnp3Parser.looksLikeDnp3(null, 0, 10));
        assertEquals(292, Dnp3Parser.frameLength(255));
        assertEquals(10, Dnp3Parser.frameLength(5));
        assertEquals(10 + 16 + 2 + 1 + 2, Dnp3Parser.frameLength(5 + 17));
    }

    @Test
    void linkOnlyFramesCarryLinkFields() {
        List<Seen> seen = stream(concat(Dnp3Frames.linkOnly(0xC9, 10, 1), Dnp3Frames.linkOnly(0x0B, 1, 10)), true);
        assertEquals(2, seen.size());
        Seen request = seen.get(0);
        assertEquals(1, request.src());
        assertEquals(10, request.dst());
        assertEquals(9, request.linkFunction());
        assertTrue(request.prm());
        assertFalse(request.hasTransport());
        assertFalse(request.hasApplication());
        Seen status = seen.get(1);
        assertEquals(11, status.linkFunction());
        assertFalse(status.prm());
        assertEquals("REQUEST_LINK_STATUS", Dnp3Names.linkFunction(true, 9));
        assertEquals("LINK_STATUS", Dnp3Names.linkFunction(false, 11));
        assertEquals("UNKNOWN_7", Dnp3Names.linkFunction(true, 7));
    }

    @Test
    void oneFrameRequestDecodesEveryLayer() {
        byte[] f = Dnp3Frames.single(true, 10, 1, 5, hex("c3 03 0c01 28 0100 0500 03 01 64000000 64000000 00"));
        parser.parse(f, 0, f.length, true, m, state, x -> { });
        assertTrue(m.dir && m.prm && !m.fcb && !m.fcvDfc);
        assertEquals(4, m.linkFunction);
        assertEquals(5 + 1 + 20, m.linkLength);
        assertTrue(m.transportFir && m.transportFin);
        assertEquals(5, m.transportSequence);
        assertTrue(m.hasApplication);
        assertTrue(m.fir && m.fin && !m.con && !m.uns);
        assertEquals(3, m.sequence);
        assertEquals(3, m.functionCode);
        assertEquals("SELECT", Dnp3Names.function(m.functionCode));
        assertEquals(IcsOp.KIND_CONTROL, m.kind);
        assertFalse(m.isResponse);
        assertEquals(-1, m.iin);
        assertEquals(1, m.headerCount);
        assertEquals(0x0C01, m.object(0));
        assertEquals(0x28, m.qualifier[0]);
        assertEquals(1, m.count[0]);
        assertEquals(5, m.firstIndex[0]);
        assertEquals(1, m.commandCount);
        assertEquals(5, m.commandIndex[0]);
        assertEquals(3, m.commandCode[0]);
        assertEquals(1, m.commandRepeat[0]);
        assertEquals(100, m.commandOnTime[0]);
        assertEquals(100, m.commandOffTime[0]);
        assertEquals(0, m.commandStatus[0]);
        assertFalse(m.malformed);
        assertEquals(1, m.segments);
        assertEquals(f.length, m.frameLength);
    }

    @Test
    void severalFramesInOneSegmentAndOneFrameAcrossSegmentsAtEverySplit() {
        byte[] stream = concat(Dnp3Frames.single(true, 10, 1, 0, hex("c1 01 3c02 06 3c03 06 3c04 06 3c01 06")),
            concat(Dnp3Frames.segments(false, 1, 10, 7, 249, Dnp3Frames.bigResponse(600)).toArray(new byte[0][])),
            Dnp3Frames.linkOnly(0xC9, 10, 1));
        List<Seen> whole = stream(stream, true);
        assertEquals(5, whole.size(), "read, three segments, link status");
        assertEquals(600, whole.get(3).fragmentLength());
        assertEquals(3, whole.get(3).segments());
        for (int split = 1; split < stream.length; split++) {
            Dnp3Parser p = new Dnp3Parser();
            Dnp3FlowState st = new Dnp3FlowState();
            List<Seen> seen = new ArrayList<>();
            // The caller keeps unconsumed bytes and offers them again with the next segment.
            byte[] pending = Arrays.copyOf(stream, split);
            int used = p.parse(pending, 0, pending.length, true, m, st, x -> seen.add(copy(x)));
            byte[] rest = concat(Arrays.copyOfRange(pending, used, pending.length),
                Arrays.copyOfRange(stream, split, stream.length));
            assertEquals(rest.length, p.parse(rest, 0, rest.length, true, m, st, x -> seen.add(copy(x))));
            assertEquals(whole, seen, "split at " + split);
            assertEquals(0, p.skippedBytes());
        }
    }

    @Test
    void multiSegmentFragmentCompletesInTheFinFrame() {
        byte[] apdu = Dnp3Frames.bigResponse(2000);
        List<byte[]> frames = Dnp3Frames.segments(false, 1, 10, 60, 249, apdu); // sequence wraps 63 -> 0
        List<Seen> seen = stream(concat(frames.toArray(new byte[0][])), false);
        assertEquals(frames.size(), seen.size());
        for (int i = 0; i < seen.size() - 1; i++) {
            assertFalse(seen.get(i).hasApplication());
            assertEquals(Dnp3Message.TR_OK, seen.get(i).transportEvent());
        }
        Seen last = seen.get(seen.size() - 1);
        assertTrue(last.hasApplication());
        assertEquals(129, last.functionCode());
        assertEquals(2000, last.fragmentLength());
        assertEquals(frames.size(), last.segments());
        assertEquals(1, state.fragments());
        assertEquals(0, state.pending(false));
    }

    @Test
    void sequenceBreakDropsTheFragment() {
        List<byte[]> frames = Dnp3Frames.segments(false, 1, 10, 0, 100, Dnp3Frames.bigResponse(350));
        List<Seen> seen = stream(concat(frames.get(0), frames.get(2), frames.get(3)), false);
        assertEquals(Dnp3Message.TR_OUT_OF_SEQUENCE, seen.get(1).transportEvent());
        assertEquals(Dnp3Message.TR_NO_FIRST, seen.get(2).transportEvent());
        assertFalse(seen.get(2).hasApplication());
        assertEquals(1, state.sequenceBreaks());
        assertEquals(1, state.segmentsDropped());
        // The next fragment is whole again.
        seen = stream(Dnp3Frames.single(false, 1, 10, 9, hex("c2 81 0000")), false);
        assertTrue(seen.get(0).hasApplication());
    }

    @Test
    void aNewFirstSegmentAbandonsTheFragmentInProgress() {
        List<byte[]> first = Dnp3Frames.segments(false, 1, 10, 0, 100, Dnp3Frames.bigResponse(250));
        List<Seen> seen = stream(concat(first.get(0), Dnp3Frames.single(false, 1, 10, 5, hex("c2 81 0000"))), false);
        assertEquals(Dnp3Message.TR_RESTARTED, seen.get(1).transportEvent());
        assertTrue(seen.get(1).hasApplication());
        assertEquals(1, state.abandoned());
    }

    @Test
    void segmentsOfAnotherLinkDoNotJoinTheFragmentInProgress() {
        List<byte[]> a = Dnp3Frames.segments(false, 1, 10, 0, 100, Dnp3Frames.bigResponse(150));
        byte[] other = Dnp3Frames.segment(false, 1, 11, false, true, 1, hex("00"));
        List<Seen> seen = stream(concat(a.get(0), other, a.get(1)), false);
        assertEquals(Dnp3Message.TR_NO_FIRST, seen.get(1).transportEvent());
        assertTrue(seen.get(2).hasApplication(), "outstation 10's fragment completes");
        assertEquals(150, seen.get(2).fragmentLength());
    }

    @Test
    void anOverlongFragmentIsDroppedCountedAndMalformed() {
        // 70 segments of 249 octets, no FIN: beyond 63 * 255 octets at the 65th.
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            frames.add(Dnp3Frames.segment(true, 10, 1, i == 0, false, i, new byte[249]));
        }
        List<Seen> seen = stream(concat(frames.toArray(new byte[0][])), true);
        assertEquals(70, seen.size());
        assertEquals(Dnp3Message.TR_OVERFLOW, seen.get(64).transportEvent());
        assertTrue(seen.get(64).malformed());
        assertEquals(Dnp3Parser.R_OVERFLOW, seen.get(64).reason());
        for (int i = 65; i < 70; i++) {
            assertEquals(Dnp3Message.TR_NO_FIRST, seen.get(i).transportEvent());
        }
        assertEquals(1, parser.overflows());
        assertEquals(1, state.overflows());
        assertEquals(1, parser.malformedFrames());
        assertTrue(parser.bufferedBytes() <= Dnp3Parser.MAX_FRAGMENT);
        parser.release(state);
        assertEquals(0, parser.bufferedBytes());
    }

    @Test
    void theReassemblyBudgetBoundsAllFlows() {
        Dnp3Parser small = new Dnp3Parser(Dnp3FlowState.INITIAL_BUFFER);
        Dnp3FlowState a = new Dnp3FlowState();
        Dnp3FlowState b = new Dnp3FlowState();
        byte[] first = Dnp3Frames.segment(true, 10, 1, true, false, 0, new byte[100]);
        small.parse(first, 0, first.length, true, m, a, x -> { });
        assertEquals(Dnp3FlowState.INITIAL_BUFFER, small.bufferedBytes());
        List<Dnp3Message> seen = new ArrayList<>();
        small.parse(first, 0, first.length, true, m, b, x -> seen.add(x));
        assertEquals(Dnp3Message.TR_OVERFLOW, m.transportEvent);
        assertEquals(Dnp3Parser.R_BUDGET, m.malformedReason);
        small.release(a);
        small.parse(first, 0, first.length, true, m, b, x -> { });
        assertEquals(Dnp3Message.TR_OK, m.transportEvent, "budget returned at flow end");
    }

    @Test
    void aBadUserDataCrcMakesTheFrameMalformedAndParsingGoesOn() {
        byte[] broken = Dnp3Frames.single(true, 10, 1, 0, hex("c1 01 3c02 06 3c03 06 3c04 06 3c01 06"));
        broken[12] ^= 0x01; // inside the first data block
        List<Seen> seen = stream(concat(broken, Dnp3Frames.single(true, 10, 1, 1, hex("c2 01 3c01 06"))), true);
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).malformed());
        assertEquals(Dnp3Parser.R_DATA_CRC, seen.get(0).reason());
        assertEquals(Dnp3Message.TR_CRC, seen.get(0).transportEvent());
        assertFalse(seen.get(0).hasApplication());
        assertTrue(seen.get(1).hasApplication());
        assertEquals(1, parser.dataCrcErrors());
    }

    @Test
    void aBadHeaderCrcIsReportedOnceThenTheParserResynchronises() {
        byte[] broken = Dnp3Frames.single(true, 10, 1, 0, hex("c1 01 3c01 06"));
        broken[5] ^= 0x01; // destination high octet: header CRC fails
        byte[] good = Dnp3Frames.single(true, 10, 1, 1, hex("c2 01 3c01 06"));
        List<Seen> seen = stream(concat(broken, good), true);
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0).malformed());
        assertEquals(Dnp3Parser.R_HEADER_CRC, seen.get(0).reason());
        assertTrue(seen.get(1).hasApplication());
        assertEquals(broken.length, parser.skippedBytes());
        assertEquals(1, parser.resyncs());
        assertEquals(1, parser.headerCrcErrors());
    }

    @Test
    void garbageBeforeAFrameIsSkippedAndCounted() {
        byte[] garbage = hex("0564 00 11 22 33 44 55 66 77 0564 ff ff ff ff ff ff ff");
        List<Seen> seen = stream(concat(garbage, Dnp3Frames.single(true, 10, 1, 1, hex("c2 01 3c01 06"))), true);
        assertEquals(2, seen.size(), "one malformed report for the first bad header, then the frame");
        assertEquals(Dnp3Parser.R_HEADER_CRC, seen.get(0).reason());
        assertTrue(seen.get(1).hasApplication());
        assertEquals(garbage.length, parser.skippedBytes());
    }

    @Test
    void aValidHeaderWithLengthBelowFiveIsMalformed() {
        byte[] h = {0x05, 0x64, 0x02, (byte) 0xC4, 10, 0, 1, 0, 0, 0};
        int crc = Dnp3Crc.compute(h, 0, 8);
        h[8] = (byte) crc;
        h[9] = (byte) (crc >>> 8);
        assertFalse(Dnp3Parser.looksLikeDnp3(h, 0, h.length));
        List<Seen> seen = stream(concat(h, Dnp3Frames.linkOnly(0xC9, 10, 1)), true);
        assertEquals(Dnp3Parser.R_LENGTH, seen.get(0).reason());
        assertEquals(9, seen.get(1).linkFunction());
    }

    @Test
    void datagramsCarryWholeFramesAndReportATruncatedOne() {
        byte[] frame = Dnp3Frames.single(true, 10, 1, 0, hex("c1 01 3c02 06 3c03 06 3c04 06 3c01 06"));
        byte[] datagram = concat(Dnp3Frames.linkOnly(0xC9, 10, 1), Arrays.copyOf(frame, frame.length - 3));
        List<Seen> seen = new ArrayList<>();
        parser.parseDatagram(datagram, 0, datagram.length, true, m, state, x -> seen.add(copy(x)));
        assertEquals(2, seen.size());
        assertEquals(Dnp3Parser.R_TRUNCATED, seen.get(1).reason());
        seen.clear();
        // Multi-segment fragments reassemble across datagrams.
        for (byte[] f : Dnp3Frames.segments(false, 1, 10, 0, 200, Dnp3Frames.bigResponse(500))) {
            parser.parseDatagram(f, 0, f.length, false, m, state, x -> seen.add(copy(x)));
        }
        assertEquals(3, seen.size());
        assertTrue(seen.get(2).hasApplication());
        assertEquals(500, seen.get(2).fragmentLength());
        byte[] junk = hex("01 02 03 04 05 06 07 08 09 0a 0b 0c");
        long before = parser.skippedBytes();
        parser.parseDatagram(junk, 0, junk.length, true, m, state, x -> seen.add(copy(x)));
        assertEquals(junk.length, parser.skippedBytes() - before);
    }

    @Test
    void aGapForgetsThePartialFragment() {
        List<byte[]> frames = Dnp3Frames.segments(false, 1, 10, 0, 100, Dnp3Frames.bigResponse(250));
        stream(frames.get(0), false);
        assertEquals(100, state.pending(false));
        state.onGap(false);
        assertEquals(0, state.pending(false));
        List<Seen> seen = stream(concat(frames.get(1), frames.get(2)), false);
        assertEquals(Dnp3Message.TR_NO_FIRST, seen.get(0).transportEvent());
    }

    // ---- application layer ----

    @Test
    void classPollAndResponseWithIin() {
        Dnp3Message r = app("c1 01 3c02 06 3c03 06 3c04 06 3c01 06");
        assertEquals(IcsOp.KIND_READ, r.kind);
        assertEquals(4, r.headerCount);
        assertEquals(0x3C02, r.object(0));
        assertEquals(0x3C01, r.object(3));
        assertEquals(0, r.count[0]);
        assertEquals(-1, r.start[0]);
        Dnp3Message rsp = app("c1 81 8000 0102 00 00 02 01 01 81");
        assertTrue(rsp.isResponse);
        assertEquals(0x8000, rsp.iin);
        assertEquals("device_restart", Dnp3Names.iinFlag(0x8000));
        assertEquals("no_func_code_support", Dnp3Names.iinFlag(0x0001));
        assertEquals(0, rsp.start[0]);
        assertEquals(2, rsp.stop[0]);
        assertEquals(3, rsp.count[0]);
        assertFalse(rsp.isError);
        assertEquals(IcsOp.KIND_OTHER, rsp.kind);
        assertTrue(app("c1 81 0002").isError, "object unknown");
        assertTrue(app("c1 81 0004").isError, "parameter error");
        assertFalse(app("c1 81 0008").isError, "event buffer overflow is no error of the request");
    }

    @Test
    void readRequestsCarryOnlyIndexPrefixes() {
        Dnp3Message r = app("ca 01 1e00 07 02 0100 17 02 05 09 0a02 28 0200 0300 0400");
        assertFalse(r.malformed, r.malformedReason);
        assertEquals(3, r.headerCount);
        assertEquals(2, r.count[0]);
        assertEquals(5, r.firstIndex[1]);
        assertEquals(3, r.firstIndex[2]);
        assertEquals(IcsOp.KIND_READ, r.kind);
        // A size prefix means data, even in a READ (file transport: handle and block).
        Dnp3Message file = app("ca 01 4605 5b 01 0800 78563412 00000000");
        assertFalse(file.malformed, file.malformedReason);
        assertEquals(1, file.headerCount);
    }

    @Test
    void everyRangeCodeAndTheObjectsAfterIt() {
        Dnp3Message r = app("c1 81 0000"
            + " 0101 00 00 09 ff01"                       // 10 packed bits: 2 octets
            + " 0302 01 0000 0100 01 01"                  // 16-bit start/stop, 2 double-bit with flags
            + " 1e05 02 00000000 00000000 01 0000c03f"    // 32-bit start/stop, float with flag
            + " 1401 03 07 01 2a000000"                   // 8-bit absolute address, counter
            + " 1502 07 01 01 0500"                       // 8-bit quantity, frozen counter 16
            + " 2003 08 0100 01 01000000 000000000000"    // 16-bit quantity, event 32 + time: 11 octets
            + " 0203 09 01000000 01 0100"                 // 32-bit quantity, BI event with relative time
            + " 00f0 00 f0 f0 02 02 3412"                 // device attribute 240, UINT length 2
            + " 6e05 07 01 68656c6c6f"                    // octet string of 5
            + " 3201 07 01 000000000000");
        assertFalse(r.malformed, r.malformedReason);
        assertFalse(r.objectsPartial);
        assertEquals(10, r.headerCount);
        assertEquals(0x0101, r.object(0));
        assertEquals(10, r.count[0]);
        assertEquals(0x0302, r.object(1));
        assertEquals(2, r.count[1]);
        assertEquals(0, r.start[2]);
        assertEquals(1, r.count[2]);
        assertEquals(7, r.start[3]);
        assertEquals(7, r.stop[3]);
        assertEquals(1, r.count[3]);
        assertEquals(1, r.count[4]);
        assertEquals(0x2003, r.object(5));
        assertEquals(0x0203, r.object(6));
        assertEquals(0x00f0, r.object(7));
        assertEquals(0x6e05, r.object(8));
        assertEquals(0x3201, r.object(9));
        assertEquals(0, r.commandCount, "time in a response is reported data, not a command");
    }

    @Test
    void analogOutputCommandsAndWrittenTimeBecomeCommands() {
        Dnp3Message i16 = app("c4 05 2902 17 01 03 e803 00");
        assertEquals(1, i16.commandCount);
        assertEquals(3, i16.commandIndex[0]);
        assertEquals(1000, i16.commandValue[0]);
        assertEquals(0, i16.commandStatus[0]);
        assertEquals(-1, i16.commandCode[0]);
        Dnp3Message all = app("c4 06 2901 28 0100 0000 9cffffff 00 2903 28 0100 0700 0000c03f 00"
            + " 2904 00 02 02 000000000000f0bf 00");
        assertFalse(all.malformed, all.malformedReason);
        assertEquals(3, all.commandCount);
        assertEquals(-100, all.commandValue[0]);
        assertEquals(1.5, all.commandValue[1]);
        assertEquals(7, all.commandIndex[1]);
        assertEquals(-1.0, all.commandValue[2]);
        assertEquals(2, all.commandIndex[2]);
        assertEquals(IcsOp.KIND_CONTROL, all.kind);
        Dnp3Message time = app("c5 02 3201 07 01 1027000000 00");
        assertEquals(IcsOp.KIND_TIME, time.kind);
        assertEquals(1, time.commandCount);
        assertEquals(10_000, time.commandValue[0]);
        assertEquals(-1, time.commandIndex[0]);
        Dnp3Message rejected = app("c3 81 0000 0c01 28 0100 0500 03 01 64000000 64000000 04");
        assertTrue(rejected.isError, "CROB status 4: not supported");
        assertEquals(4, rejected.commandStatus[0]);
    }

    @Test
    void fileAndApplicationNames() {
        byte[] name = "./test.xml".getBytes(StandardCharsets.US_ASCII);
        StringBuilder cmd = new StringBuilder("cc 19 4603 5b 01 2400 1a00 0a00");
        cmd.append(" 000000000000 0000 00000000 00000000 0100 0004 0400 ");
        for (byte b : name) {
            cmd.append(String.format("%02x", b));
        }
        Dnp3Message open = app(cmd.toString());
        assertFalse(open.malformed, open.malformedReason);
        assertEquals("./test.xml", open.nameString());
        assertEquals(IcsOp.KIND_PROGRAM, open.kind);
        Dnp3Message start = app("cd 11 5a01 5b 01 0400 61707031");
        assertEquals("app1", start.nameString());
        assertEquals(IcsOp.KIND_CONTROL, start.kind);
    }

    @Test
    void anObjectOfUnknownSizeStopsTheWalkWithoutMalforming() {
        Dnp3Message r = app("c9 81 0000 5301 00 00 00 01020304 0102 00 00 00 01");
        assertFalse(r.malformed);
        assertTrue(r.objectsPartial);
        assertEquals(0x5301, r.partialObject);
        assertEquals(1, r.headerCount, "the header after it is not seen");
        Dnp3Message v0 = app("c2 02 0100 00 00 01 00");
        assertTrue(v0.objectsPartial, "variation 0 carries no defined size outside a read");
    }

    @Test
    void malformedFragmentsKeepTheHeadersSoFar() {
        assertEquals(Dnp3Application.R_HEADER, app("c1").malformedReason);
        assertEquals(Dnp3Application.R_IIN, app("c1 81 00").malformedReason);
        Dnp3Message cut = app("c1 01 3c01 06 0c01");
        assertEquals(Dnp3Application.R_OBJECT_HEADER, cut.malformedReason);
        assertEquals(2, cut.headerCount, "group and variation of the cut header are kept");
        assertEquals(-1, cut.qualifier[1]);
        assertEquals(Dnp3Application.R_OBJECT_HEADER, app("c1 01 3c01 06 0c").malformedReason);
        assertEquals(Dnp3Application.R_RANGE, app("c1 01 0101 01 00").malformedReason);
        Dnp3Message stop = app("c1 01 0101 00 05 01");
        assertEquals(Dnp3Application.R_STOP_BELOW_START, stop.malformedReason);
        assertEquals(5, stop.start[0]);
        assertEquals(Dnp3Application.R_QUALIFIER, app("c1 01 0101 0a").malformedReason);
        assertEquals(Dnp3Application.R_QUALIFIER, app("c1 02 0102 77 01 00").malformedReason);
        Dnp3Message big = app("c4 04 0c01 09 ffffffff 03 01 64000000 64000000 00");
        assertEquals(Dnp3Application.R_OBJECTS, big.malformedReason);
        assertEquals(0xFFFFFFFFL, big.count[0]);
        assertEquals(Dnp3Application.R_OBJECTS, app("c4 19 4603 5b 01 ff00 0000").malformedReason);
    }

    @Test
    void manyHeadersAreCountedBeyondWhatIsKept() {
        StringBuilder sb = new StringBuilder("c1 01");
        for (int i = 0; i < 40; i++) {
            sb.append(" 3c01 06");
        }
        Dnp3Message r = app(sb.toString());
        assertEquals(40, r.headerCount);
        assertEquals(Dnp3Message.MAX_HEADERS, r.keptHeaders());
        StringBuilder crobs = new StringBuilder("c1 05 0c01 17 14");
        for (int i = 0; i < 20; i++) {
            crobs.append(String.format(" %02x 03 01 64000000 64000000 00", i));
        }
        Dnp3Message c = app(crobs.toString());
        assertFalse(c.malformed, c.malformedReason);
        assertEquals(20, c.commandCount);
        assertEquals(Dnp3Message.MAX_COMMANDS, c.keptCommands());
    }

    @Test
    void kindsOfEveryFunctionCode() {
        int[] expected = new int[256];
        Arrays.fill(expected, IcsOp.KIND_OTHER);
        expected[1] = IcsOp.KIND_READ;
        expected[2] = IcsOp.KIND_WRITE;
        expected[22] = IcsOp.KIND_WRITE;
        for (int fc : new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21}) {
            expected[fc] = IcsOp.KIND_CONTROL;
        }
        expected[23] = IcsOp.KIND_TIME;
        expected[24] = IcsOp.KIND_TIME;
        for (int fc : new int[] {19, 25, 26, 27, 28, 29, 30, 31}) {
            expected[fc] = IcsOp.KIND_PROGRAM;
        }
        expected[32] = IcsOp.KIND_SESSION;
        expected[33] = IcsOp.KIND_SESSION;
        expected[131] = IcsOp.KIND_SESSION;
        expected[130] = IcsOp.KIND_REPORT;
        for (int fc = 0; fc < 256; fc++) {
            assertEquals(expected[fc], Dnp3Application.kind(fc, 1), "function " + fc);
            assertEquals(fc <= 33 || (fc >= 129 && fc <= 131), Dnp3Names.isPublicFunction(fc));
        }
        assertEquals(IcsOp.KIND_TIME, Dnp3Application.kind(2, 50));
        assertEquals("AUTHENTICATE_RESP", Dnp3Names.function(131));
        assertEquals("UNKNOWN_77", Dnp3Names.function(77));
        assertNull(Dnp3Names.function(-1));
        assertEquals(IcsOp.KIND_REPORT, app("f0 82 8000").kind);
        assertTrue(app("f0 82 8000").uns);
    }
}
