package io.vigil.protocols.dhcp;

import static io.vigil.protocols.dhcp.DhcpFrames.MAC;
import static io.vigil.protocols.dhcp.DhcpFrames.ip;
import static io.vigil.protocols.dhcp.DhcpFrames.message;
import static io.vigil.protocols.dhcp.DhcpFrames.opt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DhcpParserTest {
    private final DhcpParser p = new DhcpParser();
    private final DhcpMessage m = new DhcpMessage();

    @Test
    void discover() {
        byte[] b = DhcpFrames.discover();
        assertTrue(DhcpParser.looksLikeDhcp(b, 0, b.length));
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(1, m.op);
        assertEquals(1, m.htype);
        assertEquals(6, m.hlen);
        assertEquals(0x7c0, m.xid);
        assertEquals(MAC, m.chaddr);
        assertEquals("90:b1:1c:99:49:29", m.macString());
        assertTrue(m.magicCookie);
        assertEquals(DhcpMessage.DISCOVER, m.messageType);
        assertTrue(m.hasRequestedIp);
        assertEquals(0xc0a8d3c2, m.requestedIp);
        assertEquals("btest.is.cool", m.string(m.hostnameOffset, m.hostnameLength));
        assertEquals(6, m.paramRequestCount);
        assertEquals(7, m.clientIdLength);
        assertEquals("MSFT 5.0", m.string(m.vendorClassOffset, m.vendorClassLength));
        assertEquals(6, m.optionCount);
        assertFalse(m.hasServerId);
        assertEquals(-1, m.leaseTime);
        assertEquals(-1, m.snameOffset);
    }

    @Test
    void requestWithPadding() {
        byte[] b = DhcpFrames.request();
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(DhcpMessage.REQUEST, m.messageType);
        assertTrue(m.hasServerId);
        assertEquals(0x80020698, m.serverId);
        assertEquals(0xc0a8d3c2, m.requestedIp);
        assertEquals("btest.is.cool", m.string(m.hostnameOffset, m.hostnameLength));
    }

    @Test
    void ack() {
        byte[] b = DhcpFrames.ack();
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(2, m.op);
        assertEquals(DhcpMessage.ACK, m.messageType);
        assertEquals(0x80020698, m.yiaddr);
        assertEquals(900, m.leaseTime);
        assertEquals("cmu.edu", m.string(m.domainOffset, m.domainLength));
        assertNull(m.string(m.hostnameOffset, m.hostnameLength));
        assertEquals("ACK", DhcpMessage.typeName(m.messageType));
    }

    @Test
    void atAnOffset() {
        byte[] b = DhcpFrames.ack();
        byte[] big = new byte[b.length + 20];
        System.arraycopy(b, 0, big, 7, b.length);
        assertTrue(p.parse(big, 7, b.length, m));
        assertEquals(DhcpMessage.ACK, m.messageType);
        assertEquals("cmu.edu", m.string(m.domainOffset, m.domainLength));
    }

    @Test
    void overloadedFileAndSname() {
        byte[] b = message(1, MAC, 0, 0, opt(53, 3), opt(52, 3));
        // Put the hostname in file and the requested IP in sname.
        byte[] host = opt(12, "in-file");
        System.arraycopy(host, 0, b, 108, host.length);
        b[108 + host.length] = (byte) 0xFF;
        byte[] req = ip(50, 0x0a000001);
        System.arraycopy(req, 0, b, 44, req.length);
        b[44 + req.length] = (byte) 0xFF;
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.malformed, m.malformedReason);
        assertEquals(3, m.overload);
        assertEquals("in-file", m.string(m.hostnameOffset, m.hostnameLength));
        assertEquals(0x0a000001, m.requestedIp);
        assertEquals(-1, m.snameOffset);
        assertEquals(-1, m.fileOffset);
    }

    @Test
    void plainBootpHasNoCookie() {
        byte[] b = new byte[300];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        assertTrue(p.parse(b, 0, b.length, m));
        assertFalse(m.magicCookie);
        assertEquals(-1, m.messageType);
        assertEquals("BOOTP", DhcpMessage.typeName(m.messageType));
        assertFalse(DhcpParser.looksLikeDhcp(b, 0, b.length));
    }

    @Test
    void nonEthernetHasNoMac() {
        byte[] b = DhcpFrames.discover();
        b[1] = 6; // IEEE 802
        assertTrue(p.parse(b, 0, b.length, m));
        assertEquals(-1, m.chaddr);
        assertNull(m.macString());
    }

    @Test
    void rejectsWhatIsNotBootp() {
        byte[] b = DhcpFrames.discover();
        b[0] = 3;
        assertFalse(p.parse(b, 0, b.length, m));
        assertEquals(DhcpParser.BAD_OP, m.malformedReason);
        assertFalse(p.parse(b, 0, 100, m));
        assertEquals(DhcpParser.TOO_SHORT, m.malformedReason);
        assertFalse(p.parse(b, 10, b.length, m));
        assertEquals(DhcpParser.BAD_BOUNDS, m.malformedReason);
        assertFalse(p.parse(null, 0, 0, m));
    }

    @Test
    void missingEndAndOverrunningOption() {
        byte[] b = DhcpFrames.discover();
        assertTrue(p.parse(b, 0, b.length - 1, m));
        assertEquals(DhcpParser.NO_END, m.malformedReason);
        assertEquals(DhcpMessage.DISCOVER, m.messageType);
        byte[] c = message(1, MAC, 0, 0, opt(53, 1), new byte[] {12, (byte) 200, 'x'});
        assertTrue(p.parse(c, 0, c.length, m));
        assertEquals(DhcpParser.OPTION_TRUNCATED, m.malformedReason);
        assertEquals(-1, m.hostnameOffset);
    }

    @Test
    void wrongOptionLength() {
        byte[] b = message(1, MAC, 0, 0, opt(53, 1, 2));
        assertTrue(p.parse(b, 0, b.length, m));
        assertEquals(DhcpParser.BAD_OPTION_LENGTH, m.malformedReason);
        assertEquals(-1, m.messageType);
    }

    @Test
    void ports() {
        assertTrue(DhcpParser.isDhcpPort(68, 67));
        assertTrue(DhcpParser.isDhcpPort(1234, 67));
        assertFalse(DhcpParser.isDhcpPort(53, 1234));
    }
}
