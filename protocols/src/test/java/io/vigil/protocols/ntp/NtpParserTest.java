package io.vigil.protocols.ntp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NtpParserTest {
    private final NtpParser p = new NtpParser();
    private final NtpMessage m = new NtpMessage();

    @Test
    void client() {
        byte[] b = NtpFrames.bytes(NtpFrames.CLIENT);
        assertTrue(NtpParser.looksLikeNtp(b, 0, b.length));
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(0, m.leap);
        assertEquals(4, m.version);
        assertEquals(NtpMessage.MODE_CLIENT, m.mode);
        assertEquals(2, m.stratum);
        assertEquals(6, m.poll);
        assertEquals(-22, m.precision);
        assertEquals(0x55c7d663, m.referenceId);
        assertEquals(0xe09ab59607050baaL, m.transmitTimestamp);
        assertFalse(m.controlOrPrivate);
        assertEquals(0, m.trailerLength);
        assertEquals("client", NtpMessage.modeName(m.mode));
    }

    @Test
    void server() {
        byte[] b = NtpFrames.bytes(NtpFrames.SERVER);
        assertTrue(p.parse(b, 0, b.length, m));
        assertEquals(NtpMessage.MODE_SERVER, m.mode);
        assertEquals(4, m.stratum);
        assertEquals(0xe09ab59607050baaL, m.originTimestamp);
        assertEquals(0xe09ab5960c64646bL, m.transmitTimestamp);
    }

    @Test
    void monlistIsFlagged() {
        byte[] b = NtpFrames.bytes(NtpFrames.MONLIST);
        assertTrue(NtpParser.looksLikeNtp(b, 0, b.length));
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(2, m.version);
        assertEquals(NtpMessage.MODE_PRIVATE, m.mode);
        assertTrue(m.controlOrPrivate);
        assertFalse(m.response);
        assertEquals(3, m.implementation);
        assertEquals(42, m.requestCode);
        assertEquals(-1, m.stratum);
    }

    @Test
    void monlistResponseItemsMustFit() {
        byte[] b = NtpFrames.bytes(NtpFrames.MONLIST);
        b[0] = (byte) 0x97; // response bit
        b[4] = 0x00;
        b[5] = 0x06; // 6 items
        b[6] = 0x00;
        b[7] = 0x48; // of 72 octets: 432 > 40
        assertTrue(p.parse(b, 0, b.length, m));
        assertTrue(m.response);
        assertEquals(6, m.itemCount);
        assertEquals(72, m.itemSize);
        assertEquals(NtpParser.PRIVATE_ITEMS, m.malformedReason);
    }

    @Test
    void controlQuery() {
        byte[] b = NtpFrames.bytes(NtpFrames.READVAR);
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(NtpMessage.MODE_CONTROL, m.mode);
        assertTrue(m.controlOrPrivate);
        assertEquals(2, m.opcode);
        assertEquals(1, m.sequence);
        assertEquals(0, m.count);
        b[11] = 10;
        assertTrue(p.parse(b, 0, b.length, m));
        assertEquals(NtpParser.CONTROL_COUNT, m.malformedReason);
    }

    @Test
    void rejects() {
        byte[] b = NtpFrames.bytes(NtpFrames.CLIENT);
        assertFalse(p.parse(b, 0, 0, m));
        assertEquals(NtpParser.EMPTY, m.malformedReason);
        b[0] = 0x03; // version 0
        assertFalse(p.parse(b, 0, b.length, m));
        assertEquals(NtpParser.BAD_VERSION, m.malformedReason);
        assertFalse(NtpParser.looksLikeNtp(b, 0, b.length));
        assertFalse(p.parse(b, 40, 20, m));
        assertEquals(NtpParser.BAD_BOUNDS, m.malformedReason);
        assertTrue(NtpParser.isNtpPort(123, 40000));
        assertFalse(NtpParser.isNtpPort(124, 40000));
    }

    @Test
    void shortHeader() {
        byte[] b = NtpFrames.bytes(NtpFrames.CLIENT);
        assertTrue(p.parse(b, 0, 47, m));
        assertEquals(NtpParser.TOO_SHORT, m.malformedReason);
        assertEquals(NtpMessage.MODE_CLIENT, m.mode);
        assertEquals(-1, m.stratum);
        assertFalse(NtpParser.looksLikeNtp(b, 0, 47));
    }
}
