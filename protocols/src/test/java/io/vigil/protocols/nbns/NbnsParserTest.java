package io.vigil.protocols.nbns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NbnsParserTest {
    private final NbnsParser parser = new NbnsParser();
    private final NbnsMessage m = new NbnsMessage();

    /** First-level encoding of a 15-character, space-padded name and its suffix (RFC 1001 §14.1). */
    static byte[] encoded(String name, int suffix) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(32);
        String padded = String.format("%-15s", name);
        for (int i = 0; i < 16; i++) {
            int c = i < 15 ? padded.charAt(i) : suffix;
            b.write('A' + (c >> 4));
            b.write('A' + (c & 0xF));
        }
        b.write(0);
        return b.toByteArray();
    }

    /** A broadcast name registration: question plus an additional NB record with the address. */
    static byte[] registration(String name, int suffix, int ip) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x29, 0x10, 0, 1, 0, 0, 0, 0, 0, 1});
        b.writeBytes(encoded(name, suffix));
        b.writeBytes(new byte[] {0, 0x20, 0, 1});
        b.writeBytes(new byte[] {(byte) 0xC0, 0x0C, 0, 0x20, 0, 1, 0, 0, 0x0B, (byte) 0xB8, 0, 6, 0, 0});
        b.writeBytes(new byte[] {(byte) (ip >> 24), (byte) (ip >> 16), (byte) (ip >> 8), (byte) ip});
        return b.toByteArray();
    }

    @Test
    void registrationClaimsTheNameForItsAddress() {
        byte[] d = registration("ENG-WS-07", 0x00, 0x0A1E0005);
        assertTrue(parser.parse(d, 0, d.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(NbnsMessage.OPCODE_REGISTRATION, m.opcode);
        assertTrue(m.broadcast);
        assertEquals("ENG-WS-07", m.nameString());
        assertEquals(0x00, m.suffix);
        assertEquals(0x20, m.type);
        assertEquals(0x0A1E0005, m.address);
        assertTrue(m.claimsName());
    }

    @Test
    void aQueryClaimsNothingAndBadNamesAreMalformed() {
        byte[] d = registration("PLC-GW", 0x20, 1);
        d[2] = 0x01; // opcode 0 query, recursion desired
        d[3] = 0x10;
        d[11] = 0; // no additional record
        assertTrue(parser.parse(d, 0, 12 + 34 + 4, m));
        assertFalse(m.claimsName());
        d[13] = 'Z'; // not a first-level letter
        assertTrue(parser.parse(d, 0, d.length, m));
        assertTrue(m.malformed);
        assertEquals(NbnsParser.BAD_NAME, m.malformedReason);
        assertFalse(parser.parse(d, 0, 11, m), "shorter than a header is not NBNS");
    }

    @Test
    void hostileBytesNeverThrow() {
        SplittableRandom r = new SplittableRandom(137);
        byte[] base = registration("FUZZ", 0x20, 0x0A000001);
        for (int i = 0; i < 150_000; i++) {
            byte[] d = base.clone();
            int flips = 1 + r.nextInt(6);
            for (int k = 0; k < flips; k++) {
                d[r.nextInt(d.length)] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(d.length + 1);
            parser.parse(d, 0, len, m);
            assertTrue(m.nameLength <= NbnsMessage.NAME_LENGTH);
        }
    }
}
