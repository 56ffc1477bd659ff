package io.vigil.protocols.modbus;

import static io.vigil.protocols.modbus.Adus.adu;
import static io.vigil.protocols.modbus.Adus.concat;
import static io.vigil.protocols.modbus.Adus.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModbusParserTest {
    private static final boolean REQ = true;
    private static final boolean RSP = false;

    private static void clean(ModbusPdu p) {
        assertFalse(p.malformed, () -> "unexpected malformed: " + p);
    }

    @Test
    void mbapHeader() {
        ModbusPdu p = one(adu(0x1234, 17, 3, 0x00, 0x6B, 0x00, 0x03), REQ);
        assertEquals(0x1234, p.transactionId);
        assertEquals(0, p.protocolId);
        assertEquals(6, p.length);
        assertEquals(17, p.unitId);
        assertEquals(3, p.functionCode);
        assertFalse(p.isResponse);
        assertFalse(p.isException);
        assertEquals(-1, p.exceptionCode);
        clean(p);
    }

    @Test
    void readCoilsAndDiscreteInputs() {
        for (int fc : new int[] {1, 2}) {
            ModbusPdu q = one(adu(1, 1, fc, 0x00, 0x13, 0x00, 0x13), REQ);
            assertEquals(19, q.startAddress);
            assertEquals(19, q.quantity);
            clean(q);
            ModbusPdu r = one(adu(1, 1, fc, 3, 0xCD, 0x6B, 0x05), RSP);
            assertEquals(3, r.byteCount);
            assertEquals(24, r.bitCount);
            assertTrue(r.bit(0));
            assertFalse(r.bit(1));
            assertTrue(r.bit(16));
            assertEquals(-1, r.startAddress);
            clean(r);
        }
    }

    @Test
    void readRegisters() {
        for (int fc : new int[] {3, 4}) {
            ModbusPdu q = one(adu(1, 1, fc, 0x00, 0x6B, 0x00, 0x03), REQ);
            assertEquals(107, q.startAddress);
            assertEquals(3, q.quantity);
            clean(q);
            ModbusPdu r = one(adu(1, 1, fc, 6, 0x02, 0x2B, 0x00, 0x00, 0x00, 0x64), RSP);
            assertEquals(6, r.byteCount);
            assertEquals(3, r.valueCount);
            assertEquals(555, r.values[0]);
            assertEquals(0, r.values[1]);
            assertEquals(100, r.values[2]);
            clean(r);
        }
    }

    @Test
    void writeSingleCoilAndRegister() {
        for (boolean dir : new boolean[] {REQ, RSP}) {
            ModbusPdu c = one(adu(1, 1, 5, 0x00, 0xAC, 0xFF, 0x00), dir);
            assertEquals(172, c.startAddress);
            assertEquals(0xFF00, c.values[0]);
            assertTrue(c.bit(0));
            clean(c);
            ModbusPdu r = one(adu(1, 1, 6, 0x00, 0x01, 0x00, 0x03), dir);
            assertEquals(1, r.startAddress);
            assertEquals(1, r.valueCount);
            assertEquals(3, r.values[0]);
            clean(r);
        }
        assertEquals(ModbusParser.R_COIL_VALUE, one(adu(1, 1, 5, 0, 1, 0x12, 0x34), REQ).malformedReason);
    }

    @Test
    void readExceptionStatus() {
        clean(one(adu(1, 1, 7), REQ));
        ModbusPdu r = one(adu(1, 1, 7, 0x6D), RSP);
        assertEquals(0x6D, r.status);
        clean(r);
    }

    @Test
    void diagnosticsWithSubFunction() {
        ModbusPdu q = one(adu(1, 1, 8, 0x00, 0x00, 0xA5, 0x37), REQ);
        assertEquals(0, q.subFunction);
        assertEquals(1, q.valueCount);
        assertEquals(0xA537, q.values[0]);
        clean(q);
        ModbusPdu r = one(adu(1, 1, 8, 0x00, 0x0B, 0x00, 0x2A), RSP);
        assertEquals(11, r.subFunction);
        assertEquals(42, r.values[0]);
        clean(r);
    }

    @Test
    void commEventCounterAndLog() {
        clean(one(adu(1, 1, 11), REQ));
        ModbusPdu r = one(adu(1, 1, 11, 0xFF, 0xFF, 0x01, 0x08), RSP);
        assertEquals(0xFFFF, r.status);
        assertEquals(264, r.eventCount);
        clean(r);
        clean(one(adu(1, 1, 12), REQ));
        ModbusPdu l = one(adu(1, 1, 12, 8, 0, 0, 1, 8, 1, 0x21, 0x20, 0x00), RSP);
        assertEquals(264, l.eventCount);
        assertEquals(0x121, l.messageCount);
        assertEquals(2, l.eventLogBytes);
        clean(l);
    }

    @Test
    void writeMultipleCoils() {
        ModbusPdu q = one(adu(1, 1, 15, 0x00, 0x13, 0x00, 0x0A, 2, 0xCD, 0x01), REQ);
        assertEquals(19, q.startAddress);
        assertEquals(10, q.quantity);
        assertEquals(2, q.byteCount);
        assertEquals(10, q.bitCount);
        assertTrue(q.bit(0));
        assertTrue(q.bit(8));
        assertFalse(q.bit(9));
        clean(q);
        ModbusPdu r = one(adu(1, 1, 15, 0x00, 0x13, 0x00, 0x0A), RSP);
        assertEquals(19, r.startAddress);
        assertEquals(10, r.quantity);
        clean(r);
    }

    @Test
    void writeMultipleRegisters() {
        ModbusPdu q = one(adu(1, 1, 16, 0x00, 0x01, 0x00, 0x02, 4, 0x00, 0x0A, 0x01, 0x02), REQ);
        assertEquals(1, q.startAddress);
        assertEquals(2, q.quantity);
        assertEquals(2, q.valueCount);
        assertEquals(10, q.values[0]);
        assertEquals(258, q.values[1]);
        clean(q);
        ModbusPdu r = one(adu(1, 1, 16, 0x00, 0x01, 0x00, 0x02), RSP);
        assertEquals(2, r.quantity);
        clean(r);
    }

    @Test
    void reportServerId() {
        clean(one(adu(1, 1, 17), REQ));
        ModbusPdu r = one(adu(1, 1, 17, 3, 0x42, 0xFF, 0x00), RSP);
        assertEquals(3, r.byteCount);
        clean(r);
    }

    @Test
    void fileRecords() {
        ModbusPdu q = one(adu(1, 1, 20, 14, 6, 0, 4, 0, 1, 0, 2, 6, 0, 3, 0, 9, 0, 2), REQ);
        assertEquals(2, q.fileSubRequests);
        clean(q);
        ModbusPdu r = one(adu(1, 1, 20, 12, 5, 6, 0x0D, 0xFE, 0x00, 0x20, 5, 6, 0x33, 0xCD, 0x00, 0x40), RSP);
        assertEquals(2, r.fileSubRequests);
        clean(r);
        int[] write = {13, 6, 0, 4, 0, 7, 0, 3, 0x06, 0xAF, 0x04, 0xBE, 0x10, 0x0D};
        for (boolean dir : new boolean[] {REQ, RSP}) { // the response echoes the request
            ModbusPdu w = one(adu(1, 1, 21, write), dir);
            assertEquals(1, w.fileSubRequests);
            assertEquals(13, w.byteCount);
            clean(w);
        }
    }

    @Test
    void maskWrite() {
        for (boolean dir : new boolean[] {REQ, RSP}) {
            ModbusPdu p = one(adu(1, 1, 22, 0x00, 0x04, 0x00, 0xF2, 0x00, 0x25), dir);
            assertEquals(4, p.startAddress);
            assertEquals(0xF2, p.andMask);
            assertEquals(0x25, p.orMask);
            clean(p);
        }
    }

    @Test
    void readWriteMultiple() {
        ModbusPdu q = one(adu(1, 1, 23, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0E, 0x00, 0x03, 6, 0x00, 0xFF, 0x00, 0xFF,
            0x00, 0xFF), REQ);
        assertEquals(3, q.startAddress);
        assertEquals(6, q.quantity);
        assertEquals(14, q.writeStartAddress);
        assertEquals(3, q.writeQuantity);
        assertEquals(3, q.valueCount);
        assertEquals(0xFF, q.values[2]);
        clean(q);
        ModbusPdu r = one(adu(1, 1, 23, 4, 0x00, 0xFE, 0x0A, 0xCD), RSP);
        assertEquals(2, r.valueCount);
        assertEquals(0x0ACD, r.values[1]);
        clean(r);
    }

    @Test
    void fifoQueue() {
        ModbusPdu q = one(adu(1, 1, 24, 0x04, 0xDE), REQ);
        assertEquals(1246, q.fifoPointerAddress);
        clean(q);
        ModbusPdu r = one(adu(1, 1, 24, 0x00, 0x06, 0x00, 0x02, 0x01, 0xB8, 0x12, 0x84), RSP);
        assertEquals(2, r.fifoCount);
        assertEquals(440, r.values[0]);
        assertEquals(4740, r.values[1]);
        clean(r);
        assertTrue(one(adu(1, 1, 24, 0x00, 0x06, 0x00, 0x20, 0, 0, 0, 0), RSP).malformed);
    }

    @Test
    void encapsulatedInterface() {
        ModbusPdu q = one(adu(1, 1, 43, 14, 1, 0), REQ);
        assertEquals(14, q.meiType);
        assertEquals(1, q.readDeviceIdCode);
        assertEquals(0, q.objectId);
        clean(q);
        ModbusPdu r = one(adu(1, 1, 43, 14, 1, 1, 0, 0, 2, 0, 3, 'A', 'C', 'M', 1, 2, 'V', '1'), RSP);
        assertEquals(1, r.conformityLevel);
        assertEquals(0, r.moreFollows);
        assertEquals(2, r.objectCount);
        clean(r);
        assertEquals(ModbusParser.R_MEI, one(adu(1, 1, 43, 14, 1, 1, 0, 0, 2, 0, 9, 'A'), RSP).malformedReason);
        ModbusPdu c = one(adu(1, 1, 43, 13, 0x01, 0x02, 0x03), REQ);
        assertEquals(13, c.meiType);
        clean(c);
        assertEquals(13, one(adu(1, 1, 43, 13, 0x01), RSP).meiType);
    }

    @Test
    void exceptionResponses() {
        for (int fc = 1; fc <= 43; fc++) {
            ModbusPdu e = one(adu(5, 2, 0x80 | fc, 2), RSP);
            assertTrue(e.isException);
            assertEquals(fc, e.functionCode);
            assertEquals(2, e.exceptionCode);
            clean(e);
        }
        assertEquals(ModbusParser.R_LENGTH, one(adu(5, 2, 0x83, 2, 0), RSP).malformedReason);
        assertEquals(ModbusParser.R_EXCEPTION_REQUEST, one(adu(5, 2, 0x83, 2), REQ).malformedReason);
    }

    @Test
    void unknownAndUserDefinedFunctions() {
        ModbusPdu u = one(adu(1, 0, 90, 0x00, 0x02), REQ);
        assertTrue(u.unknownFunction);
        assertFalse(u.userDefined);
        assertEquals(90, u.functionCode);
        clean(u);
        for (int fc : new int[] {65, 72, 100, 110}) {
            ModbusPdu d = one(adu(1, 0, fc, 1, 2, 3), RSP);
            assertTrue(d.userDefined);
            assertFalse(d.unknownFunction);
        }
        assertTrue(one(adu(1, 0, 0), REQ).unknownFunction);
        assertTrue(one(adu(1, 0, 9), REQ).unknownFunction);
    }

    @Test
    void hostileLengthsAreFlaggedNotThrown() {
        assertEquals(ModbusParser.R_BYTE_COUNT, one(adu(1, 1, 3, 200, 0, 1), RSP).malformedReason);
        assertEquals(ModbusParser.R_BYTE_COUNT, one(adu(1, 1, 1, 5, 0xFF), RSP).malformedReason);
        assertEquals(ModbusParser.R_QUANTITY, one(adu(1, 1, 3, 0, 0, 0, 0), REQ).malformedReason);
        assertEquals(ModbusParser.R_QUANTITY, one(adu(1, 1, 3, 0, 0, 0xFF, 0xFF), REQ).malformedReason);
        assertEquals(ModbusParser.R_QUANTITY, one(adu(1, 1, 1, 0, 0, 0x07, 0xD1), REQ).malformedReason);
        assertFalse(one(adu(1, 1, 1, 0, 0, 0x07, 0xD0), REQ).malformed);
        assertEquals(ModbusParser.R_QUANTITY, one(adu(1, 1, 16, 0, 0, 0, 124, 248), REQ).malformedReason);
        assertEquals(ModbusParser.R_BYTE_COUNT, one(adu(1, 1, 16, 0, 0, 0, 2, 4, 0, 1), REQ).malformedReason);
        assertEquals(ModbusParser.R_BYTE_COUNT, one(adu(1, 1, 15, 0, 0, 0, 9, 1, 0xFF), REQ).malformedReason);
        assertEquals(ModbusParser.R_LENGTH, one(adu(1, 1, 3, 0, 1), REQ).malformedReason);
        assertEquals(ModbusParser.R_LENGTH, one(adu(1, 1, 7, 1), REQ).malformedReason);
        assertEquals(ModbusParser.R_FILE_RECORD, one(adu(1, 1, 21, 9, 6, 0, 4, 0, 7, 0, 9, 0, 0), REQ).malformedReason);
        ModbusPdu big = one(adu(1, 1, 3, 0xFF), RSP);
        assertTrue(big.malformed);
        assertEquals(0, big.valueCount);
        // Empty PDU of every public code in both directions: flagged where a body is required, never thrown.
        for (int fc = 0; fc < 256; fc++) {
            one(adu(1, 1, fc), REQ);
            one(adu(1, 1, fc), RSP);
        }
    }

    @Test
    void severalAdusInOneBuffer() {
        byte[] buf = concat(adu(1, 1, 3, 0, 0, 0, 10), adu(2, 1, 6, 0, 5, 0, 7), adu(3, 1, 16, 0, 1, 0, 1, 2, 0, 9),
            adu(4, 1, 0x83, 2));
        Adus.Collector c = new Adus.Collector();
        assertEquals(buf.length, new ModbusParser().parse(buf, 0, buf.length, REQ, new ModbusPdu(), c));
        assertEquals(4, c.pdus.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, c.pdus.get(i).transactionId);
        }
        assertEquals(9, c.pdus.get(2).values[0]);
    }

    @Test
    void aduSplitAtEveryPosition() {
        byte[] a = adu(7, 1, 16, 0, 1, 0, 3, 6, 0, 1, 0, 2, 0, 3);
        byte[] b = adu(8, 1, 6, 0, 5, 0, 7);
        byte[] stream = concat(a, b);
        for (int cut = 0; cut <= stream.length; cut++) {
            Adus.Collector c = new Adus.Collector();
            ModbusParser parser = new ModbusParser();
            ModbusPdu pdu = new ModbusPdu();
            // The reassembler keeps unconsumed bytes and prepends them to the next segment.
            byte[] first = Arrays.copyOf(stream, cut);
            int used = parser.parse(first, 0, first.length, REQ, pdu, c);
            byte[] rest = concat(Arrays.copyOfRange(first, used, first.length), Arrays.copyOfRange(stream, cut,
                stream.length));
            int used2 = parser.parse(rest, 0, rest.length, REQ, pdu, c);
            assertEquals(rest.length, used2, "cut " + cut);
            assertEquals(2, c.pdus.size(), "cut " + cut);
            assertEquals(3, c.pdus.get(0).values[2]);
            assertEquals(8, c.pdus.get(1).transactionId);
            assertEquals(0, parser.skippedBytes());
        }
    }

    @Test
    void offsetIntoLargerBuffer() {
        byte[] a = adu(9, 1, 3, 0, 0, 0, 1);
        byte[] buf = concat(new byte[] {1, 2, 3}, a, new byte[] {4, 5});
        Adus.Collector c = new Adus.Collector();
        assertEquals(a.length, new ModbusParser().parse(buf, 3, a.length, REQ, new ModbusPdu(), c));
        assertEquals(3, c.pdus.get(0).aduOffset);
    }

    @Test
    void garbageIsSkippedUntilAPlausibleHeader() {
        byte[] garbage = {0x16, 0x03, 0x01, 0x00, (byte) 0xA5, 0x01, 0x00, 0x00, (byte) 0xA1, 0x03, 0x03, 0x11};
        byte[] a = adu(0x22, 1, 3, 0, 0, 0, 4);
        byte[] buf = concat(garbage, a, adu(0x23, 1, 0, 0)); // fc 0 in step is reported, not skipped
        Adus.Collector c = new Adus.Collector();
        ModbusParser parser = new ModbusParser();
        assertEquals(buf.length, parser.parse(buf, 0, buf.length, REQ, new ModbusPdu(), c));
        assertEquals(2, c.pdus.size());
        assertEquals(0x22, c.pdus.get(0).transactionId);
        assertEquals(garbage.length, parser.skippedBytes());
        assertEquals(1, parser.resyncs());
        assertTrue(c.pdus.get(1).unknownFunction);
    }

    @Test
    void resyncRejectsCandidatesThatDoNotDecode() {
        // protocol id 0 + length 2 + fc 1 but no body: looks like a header, is not one.
        byte[] fake = {(byte) 0x80, 0, 0, 0x28, 0, 0, 0, 0, 0, 2, 0, 1};
        byte[] buf = concat(fake, adu(1, 1, 4, 0, 0, 0, 2));
        Adus.Collector c = new Adus.Collector();
        ModbusParser parser = new ModbusParser();
        assertEquals(buf.length, parser.parse(buf, 0, buf.length, REQ, new ModbusPdu(), c));
        assertEquals(1, c.pdus.size());
        assertEquals(4, c.pdus.get(0).functionCode);
    }

    @Test
    void headerRules() {
        ModbusParser parser = new ModbusParser();
        Adus.Collector c = new Adus.Collector();
        byte[] badProto = adu(1, 1, 3, 0, 0, 0, 1);
        badProto[3] = 1;
        byte[] len0 = {0, 1, 0, 0, 0, 0, 1, 3};
        byte[] len255 = new byte[261];
        len255[5] = (byte) 255;
        len255[7] = 3;
        for (byte[] b : new byte[][] {badProto, len0, len255}) {
            int used = parser.parse(b, 0, b.length, REQ, new ModbusPdu(), c);
            assertTrue(used <= b.length);
        }
        assertTrue(c.pdus.isEmpty());
        // Incomplete: nothing consumed, offered again later.
        byte[] a = adu(1, 1, 3, 0, 0, 0, 1);
        assertEquals(0, parser.parse(a, 0, a.length - 1, REQ, new ModbusPdu(), c));
        assertEquals(0, parser.parse(a, 0, 7, REQ, new ModbusPdu(), c));
        assertEquals(0, parser.parse(null, 0, 5, REQ, new ModbusPdu(), c));
        assertEquals(0, parser.parse(a, 10, 5, REQ, new ModbusPdu(), c));
    }

    @Test
    void contentDetection() {
        byte[] a = adu(1, 1, 3, 0, 0, 0, 1);
        assertTrue(ModbusParser.looksLikeModbus(a, 0, a.length));
        assertTrue(ModbusParser.looksLikeModbus(concat(a, adu(2, 1, 6, 0, 0, 0, 1)), 0, a.length + 12));
        assertFalse(ModbusParser.looksLikeModbus(a, 0, a.length - 1), "ADU longer than the segment");
        assertFalse(ModbusParser.looksLikeModbus(concat(a, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 0, a.length + 8));
        assertFalse(ModbusParser.looksLikeModbus(adu(1, 1, 90 + 5, 0), 0, 9), "unknown function code");
        assertTrue(ModbusParser.looksLikeModbus(adu(1, 1, 90, 0), 0, 9));
        assertTrue(ModbusParser.looksLikeModbus(adu(1, 1, 0x83, 2), 0, 9));
        assertFalse(ModbusParser.looksLikeModbus(adu(1, 1, 0x83, 2, 0), 0, 10));
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(ModbusParser.looksLikeModbus(http, 0, http.length));
        assertFalse(ModbusParser.looksLikeModbus(null, 0, 0));
    }

    @Test
    void resetClearsEverything() {
        ModbusPdu p = one(adu(1, 1, 0x83, 2), RSP);
        p.reset();
        assertFalse(p.isException);
        assertNull(p.malformedReason);
        assertEquals(-1, p.exceptionCode);
    }

    /** 200 000 random and mutated buffers: no exception, consumed within bounds, fields within their arrays. */
    @Test
    void fuzz() {
        SplittableRandom r = new SplittableRandom(0x5EED);
        ModbusParser parser = new ModbusParser();
        ModbusPdu pdu = new ModbusPdu();
        int[] count = {0};
        ModbusPduSink sink = p -> {
            count[0]++;
            if (p.valueCount > ModbusPdu.MAX_REGISTERS || p.bitCount > 8 * ModbusPdu.MAX_BIT_BYTES || p.valueCount < 0
                || p.bitCount < 0) {
                throw new AssertionError(p.toString());
            }
        };
        byte[][] seeds = {adu(1, 1, 3, 0, 0, 0, 10), adu(1, 1, 16, 0, 1, 0, 2, 4, 0, 1, 0, 2),
            adu(1, 1, 15, 0, 0, 0, 9, 2, 0xFF, 1), adu(1, 1, 23, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0),
            adu(1, 1, 43, 14, 1, 1, 0, 0, 1, 0, 1, 'x'), adu(1, 1, 21, 9, 6, 0, 1, 0, 1, 0, 1, 0, 0),
            adu(1, 1, 20, 7, 6, 0, 1, 0, 1, 0, 1), adu(1, 1, 24, 0, 4, 0, 1, 0, 5), adu(1, 1, 12, 6, 0, 0, 0, 0, 0, 0),
            adu(1, 1, 8, 0, 0, 1, 2), adu(1, 1, 1, 2, 0xFF, 0x03)};
        byte[] buf = new byte[600];
        for (int i = 0; i < 200_000; i++) {
            int len;
            if ((i & 1) == 0) {
                len = r.nextInt(buf.length);
                for (int j = 0; j < len; j++) {
                    buf[j] = (byte) r.nextInt(256);
                }
                if (len >= 8 && r.nextBoolean()) { // random body behind a valid-looking header
                    buf[2] = 0;
                    buf[3] = 0;
                    int l = r.nextInt(2, 255);
                    buf[4] = 0;
                    buf[5] = (byte) l;
                }
            } else {
                len = 0;
                int n = 1 + r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    byte[] s = seeds[r.nextInt(seeds.length)];
                    System.arraycopy(s, 0, buf, len, s.length);
                    len += s.length;
                }
                for (int m = r.nextInt(6); m > 0; m--) {
                    buf[r.nextInt(len)] = (byte) r.nextInt(256);
                }
                len = r.nextInt(4) == 0 ? r.nextInt(len + 1) : len;
            }
            boolean dir = r.nextBoolean();
            int used = parser.parse(buf, 0, len, dir, pdu, sink);
            assertTrue(used >= 0 && used <= len, "consumed " + used + " of " + len);
            ModbusParser.looksLikeModbus(buf, 0, len);
        }
        assertTrue(count[0] > 100_000, "ADUs decoded: " + count[0]);
        assertTrue(parser.malformedAdus() > 0 && parser.skippedBytes() > 0);
    }
}
