package io.vigil.protocols.snmp;

import static io.vigil.protocols.snmp.SnmpFrames.integer;
import static io.vigil.protocols.snmp.SnmpFrames.octets;
import static io.vigil.protocols.snmp.SnmpFrames.oid;
import static io.vigil.protocols.snmp.SnmpFrames.raw;
import static io.vigil.protocols.snmp.SnmpFrames.tlv;
import static io.vigil.protocols.snmp.SnmpFrames.varbind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnmpParserTest {
    private final SnmpParser p = new SnmpParser();
    private final SnmpMessage m = new SnmpMessage();

    private void parseOk(byte[] b) {
        assertTrue(SnmpParser.looksLikeSnmp(b, 0, b.length));
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
    }

    @Test
    void v1Get() {
        parseOk(SnmpFrames.bytes(SnmpFrames.V1_GET));
        assertEquals(SnmpMessage.V1, m.version);
        assertEquals("public", m.string(m.communityOffset, m.communityLength));
        assertTrue(m.communityIsDefault);
        assertEquals(SnmpMessage.GET, m.pduType);
        assertEquals(0x26, m.requestId);
        assertEquals(0, m.errorStatus);
        assertEquals(0, m.errorIndex);
        assertEquals(1, m.varbindCount);
        assertEquals("1.3.6.1.2.1.1.2.0", m.oid(0));
        assertEquals(0x05, m.valueTag[0]);
        assertNull(m.oid(1));
    }

    @Test
    void v2cGetNext() {
        parseOk(SnmpFrames.bytes(SnmpFrames.V2_GETNEXT));
        assertEquals(SnmpMessage.V2C, m.version);
        assertEquals("[R0_C@cti!]", m.string(m.communityOffset, m.communityLength));
        assertFalse(m.communityIsDefault);
        assertEquals(SnmpMessage.GET_NEXT, m.pduType);
        assertEquals(0x2b133f85L, m.requestId);
        assertEquals("0.1", m.oid(0));
    }

    @Test
    void v2cResponseWithSeveralVarbinds() {
        parseOk(SnmpFrames.v2Response());
        assertEquals(SnmpMessage.RESPONSE, m.pduType);
        assertTrue(m.communityIsDefault);
        assertEquals(3, m.varbindCount);
        assertEquals("1.3.6.1.2.1.1.1.0", m.oid(0));
        assertEquals("1.3.6.1.2.1.1.3.0", m.oid(1));
        assertEquals("1.3.6.1.4.1.2636.3.1.2.0", m.oid(2));
        assertEquals(0x04, m.valueTag[0]);
        assertEquals(0x43, m.valueTag[1]);
        assertEquals(0x80, m.valueTag[2]);
        assertEquals("get-response", SnmpMessage.pduName(m.pduType));
    }

    @Test
    void keepsTheFirstEightOids() {
        byte[][] vbs = new byte[20][];
        for (int i = 0; i < vbs.length; i++) {
            vbs[i] = varbind(oid(1, 3, 6, 1, 2, 1, 2, 2, 1, 10, i + 1), SnmpFrames.NULL);
        }
        byte[] b = tlv(0x30, integer(1), octets("c"), tlv(0xA5, integer(7), integer(0), integer(10), tlv(0x30, vbs)));
        parseOk(b);
        assertEquals(SnmpMessage.GET_BULK, m.pduType);
        assertEquals(10, m.errorIndex); // max-repetitions
        assertEquals(20, m.varbindCount);
        assertEquals("1.3.6.1.2.1.2.2.1.10.8", m.oid(7));
        assertNull(m.oid(8));
    }

    @Test
    void v1Trap() {
        parseOk(SnmpFrames.v1Trap());
        assertEquals(SnmpMessage.TRAP_V1, m.pduType);
        assertEquals("1.3.6.1.4.1.9", SnmpParser.oidToString(m.buffer, m.enterpriseOffset, m.enterpriseLength));
        assertEquals(0xc0a80001, m.agentAddress);
        assertEquals(2, m.genericTrap);
        assertEquals(0, m.specificTrap);
        assertEquals(256, m.timestamp);
        assertEquals(-1, m.requestId);
        assertEquals(1, m.varbindCount);
        assertEquals("1.3.6.1.2.1.2.2.1.1.2", m.oid(0));
    }

    @Test
    void v3AuthNoPriv() {
        parseOk(SnmpFrames.bytes(SnmpFrames.V3_GETNEXT));
        assertEquals(SnmpMessage.V3, m.version);
        assertEquals(0x207b2f72L, m.msgId);
        assertEquals(0x4000, m.msgMaxSize);
        assertEquals(4, m.msgFlags);
        assertTrue(m.reportable);
        assertFalse(m.auth);
        assertFalse(m.priv);
        assertEquals(3, m.securityModel);
        assertEquals("username", m.string(m.userNameOffset, m.userNameLength));
        assertEquals(13, m.engineIdLength);
        // The capture encodes boots as 02 01 dd (-35 in two's complement; the agent forgot the sign octet). The
        // field's range is 0..2^31-1, so it reads as 221, as in Wireshark.
        assertEquals(221, m.engineBoots);
        assertEquals(221, m.engineTime);
        assertFalse(m.encrypted);
        assertEquals(SnmpMessage.GET_NEXT, m.pduType);
        assertEquals("1.3.6.1.2.1.1.6.0", m.oid(0));
        assertEquals(-1, m.communityOffset);
    }

    @Test
    void v3PrivIsMarkedEncrypted() {
        parseOk(SnmpFrames.v3Priv());
        assertEquals(4242, m.msgId);
        assertEquals(65507, m.msgMaxSize);
        assertTrue(m.auth);
        assertTrue(m.priv);
        assertTrue(m.reportable);
        assertEquals("alice", m.string(m.userNameOffset, m.userNameLength));
        assertEquals(12, m.engineBoots);
        assertEquals(3456, m.engineTime);
        assertTrue(m.encrypted);
        assertEquals(-1, m.pduType);
        assertEquals(0, m.varbindCount);
    }

    @Test
    void hostileLengths() {
        // Long-form length 0x84 FFFFFFFF on the outer SEQUENCE and inside the PDU.
        byte[] outer = raw(0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x00);
        assertFalse(p.parse(outer, 0, outer.length, m));
        assertEquals(SnmpParser.BAD_TLV, m.malformedReason);
        assertFalse(SnmpParser.looksLikeSnmp(outer, 0, outer.length));
        byte[] inner = tlv(0x30, integer(1), octets("public"), raw(0xA0, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x02));
        assertTrue(p.parse(inner, 0, inner.length, m));
        assertEquals(SnmpParser.BAD_TLV, m.malformedReason);
        assertEquals(-1, m.pduType);
        // Five length octets, indefinite length, and a high tag number.
        for (byte[] b : new byte[][] {raw(0x30, 0x85, 0, 0, 0, 0, 3, 2, 1, 0), raw(0x30, 0x80, 2, 1, 0, 0, 0),
            raw(0x3F, 0x03, 2, 1, 0)}) {
            assertFalse(p.parse(b, 0, b.length, m));
        }
        // Integer longer than 8 octets.
        byte[] big = tlv(0x30, tlv(0x02, new byte[9]));
        assertFalse(p.parse(big, 0, big.length, m));
        assertEquals(SnmpParser.BAD_INTEGER, m.malformedReason);
    }

    @Test
    void deepNesting() {
        byte[] v = SnmpFrames.NULL;
        for (int i = 0; i < 2000; i++) {
            v = tlv(0x30, v);
        }
        byte[] b = tlv(0x30, integer(1), octets("public"), tlv(0xA0, integer(1), integer(0), integer(0),
                tlv(0x30, varbind(oid(1, 3, 6), v))));
        parseOk(b);
        assertEquals(1, m.varbindCount);
        assertEquals(0x30, m.valueTag[0]);
        // Nesting where a varbind should be is refused, not followed.
        byte[] c = tlv(0x30, integer(1), octets("public"), tlv(0xA0, integer(1), integer(0), integer(0),
                tlv(0x30, tlv(0x30, v))));
        assertTrue(p.parse(c, 0, c.length, m));
        assertEquals(SnmpParser.UNEXPECTED_TAG, m.malformedReason);
    }

    @Test
    void rejectsWhatIsNotSnmp() {
        byte[] b = tlv(0x30, integer(2), octets("public"));
        assertFalse(p.parse(b, 0, b.length, m));
        assertEquals(SnmpParser.BAD_VERSION, m.malformedReason);
        byte[] c = raw(0x31, 0x03, 0x02, 0x01, 0x00);
        assertFalse(p.parse(c, 0, c.length, m));
        assertFalse(p.parse(c, 3, 5, m));
        assertEquals(SnmpParser.BAD_BOUNDS, m.malformedReason);
        byte[] d = tlv(0x30, integer(1), octets("public"), tlv(0xA9, integer(1)));
        assertTrue(p.parse(d, 0, d.length, m));
        assertEquals(SnmpParser.UNKNOWN_PDU, m.malformedReason);
    }

    @Test
    void trailingOctets() {
        byte[] s = SnmpFrames.bytes(SnmpFrames.V1_GET);
        byte[] b = java.util.Arrays.copyOf(s, s.length + 3);
        assertTrue(p.parse(b, 0, b.length, m));
        assertEquals(SnmpParser.TRAILING, m.malformedReason);
        assertEquals("1.3.6.1.2.1.1.2.0", m.oid(0));
        assertFalse(SnmpParser.looksLikeSnmp(b, 0, b.length));
    }

    @Test
    void oidArcs() {
        byte[] b = oid(2, 999, 3, 4294967296L, 0);
        long[] arcs = new long[32];
        assertEquals(5, SnmpParser.oidArcs(b, 2, b.length - 2, arcs));
        assertArrayEquals(new long[] {2, 999, 3, 4294967296L, 0}, java.util.Arrays.copyOf(arcs, 5));
        assertEquals("2.999.3.4294967296.0", SnmpParser.oidToString(b, 2, b.length - 2));
        assertEquals(-1, SnmpParser.oidArcs(raw(0x2b, 0x86), 0, 2, arcs));
        assertEquals("", SnmpParser.oidToString(raw(0x2b), 0, 0));
        assertEquals(2, SnmpParser.oidArcs(b, 2, b.length - 2, new long[2]));
    }

    @Test
    void ports() {
        assertTrue(SnmpParser.isSnmpPort(40000, 161));
        assertTrue(SnmpParser.isSnmpPort(162, 40000));
        assertFalse(SnmpParser.isSnmpPort(163, 40000));
    }
}
