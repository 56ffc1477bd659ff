package io.vigil.protocols.bacnet;

import static io.vigil.protocols.bacnet.BacnetFrames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BacnetParserTest {
    private final BacnetParser parser = new BacnetParser();
    private final BacnetPdu pdu = new BacnetPdu();
    private final Map<String, byte[]> samples = BacnetFrames.samples();

    private BacnetPdu parse(String name) {
        byte[] b = samples.get(name);
        assertTrue(parser.parse(b, 0, b.length, pdu), name);
        assertFalse(pdu.malformed, () -> name + ": " + pdu.malformedReason);
        assertNull(pdu.malformedReason);
        return pdu;
    }

    private BacnetPdu parseHex(byte[] b) {
        assertTrue(parser.parse(b, 0, b.length, pdu));
        return pdu;
    }

    @Test
    void whoIs() {
        parse("who-is");
        assertEquals(0x0B, pdu.bvlcFunction);
        assertEquals(12, pdu.bvlcLength);
        assertEquals(0x20, pdu.npduControl);
        assertEquals(0xFFFF, pdu.dnet);
        assertEquals(0, pdu.dlen);
        assertEquals(255, pdu.hopCount);
        assertEquals(BacnetPdu.UNCONFIRMED_REQUEST, pdu.apduType);
        assertEquals(8, pdu.unconfirmedService());
        assertEquals(-1, pdu.confirmedService());
        assertEquals(-1, pdu.lowLimit);
        assertTrue(pdu.serviceDecoded);

        parse("who-is-range");
        assertEquals(3, pdu.lowLimit);
        assertEquals(0x3FFFFF, pdu.highLimit);
    }

    @Test
    void iAm() {
        parse("i-am");
        assertEquals(0, pdu.unconfirmedService());
        assertEquals(8, pdu.objectType);
        assertEquals(1, pdu.instance);
        assertEquals(1476, pdu.iAmMaxApdu);
        assertEquals(0, pdu.segmentationSupported);
        assertEquals(3, pdu.vendorId);
    }

    @Test
    void readProperty() {
        parse("read-property");
        assertEquals(0x0A, pdu.bvlcFunction);
        assertTrue(pdu.expectingReply);
        assertEquals(BacnetPdu.CONFIRMED_REQUEST, pdu.apduType);
        assertEquals(0, pdu.maxSegmentsCode);
        assertEquals(5, pdu.maxApduCode);
        assertEquals(1476, pdu.maxApdu);
        assertEquals(1, pdu.invokeId);
        assertEquals(12, pdu.confirmedService());
        assertEquals(0, pdu.objectType);
        assertEquals(1, pdu.instance);
        assertEquals(85, pdu.propertyId);
        assertEquals(-1, pdu.arrayIndex);
        assertFalse(pdu.value.present());
    }

    @Test
    void readPropertyAckReal() {
        parse("rp-ack-real");
        assertEquals(BacnetPdu.COMPLEX_ACK, pdu.apduType);
        assertEquals(1, pdu.invokeId);
        assertEquals(12, pdu.confirmedService());
        assertEquals(85, pdu.propertyId);
        assertEquals(BacnetValue.REAL, pdu.value.type);
        assertEquals(72.5, pdu.value.real);
    }

    @Test
    void writeProperty() {
        parse("write-property");
        assertEquals(2, pdu.invokeId);
        assertEquals(15, pdu.confirmedService());
        assertEquals(2, pdu.objectType);
        assertEquals(1, pdu.instance);
        assertEquals(85, pdu.propertyId);
        assertEquals(BacnetValue.REAL, pdu.value.type);
        assertEquals(100.0, pdu.value.real);
        assertEquals(-1, pdu.priority);

        // Binary-output 3, array index 0 (odd but legal on the wire), enumerated active, priority 8.
        parseHex(BacnetFrames.unicast("0005030f0c0100000319552900" + "3e91013f" + "4908"));
        assertFalse(pdu.malformed, pdu.malformedReason);
        assertEquals(4, pdu.objectType);
        assertEquals(3, pdu.instance);
        assertEquals(0, pdu.arrayIndex);
        assertEquals(BacnetValue.ENUMERATED, pdu.value.type);
        assertEquals(1, pdu.value.bits);
        assertEquals(8, pdu.priority);
    }

    @Test
    void simpleAck() {
        parse("simple-ack");
        assertEquals(BacnetPdu.SIMPLE_ACK, pdu.apduType);
        assertEquals(2, pdu.invokeId);
        assertEquals(15, pdu.confirmedService());
        assertEquals(0x00, pdu.npduControl);
    }

    @Test
    void valueTypes() {
        String[][] cases = {
            {"00", "0"}, {"10", "1"}, {"11", "1"}, {"2203e8", "2"}, {"31ff", "3"}, {"9102", "9"},
            {"55083ff8000000000000", "5"}, {"650401020304", "6"}, {"75050041424344", "7"}, {"820580", "8"},
            {"a47c050f03", "10"}, {"b40c1e0000", "11"}, {"c400c00005", "12"},
        };
        for (String[] c : cases) {
            parseHex(BacnetFrames.unicast("30010c0c0000000119553e" + c[0] + "3f"));
            assertFalse(pdu.malformed, c[0] + ": " + pdu.malformedReason);
            assertEquals(Integer.parseInt(c[1]), pdu.value.type, c[0]);
        }
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e2203e83f"));
        assertEquals(1000, pdu.value.bits);
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e31fe3f"));
        assertEquals(-2, pdu.value.bits);
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e55083ff80000000000003f"));
        assertEquals(1.5, pdu.value.real);
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e75050041424344" + "3f"));
        assertEquals(0, pdu.value.charset);
        assertEquals(4, pdu.value.length);
        assertEquals("ABCD", pdu.value.string(pdu.buffer));
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e8205803f"));
        assertEquals(5, pdu.value.unusedBits);
        assertEquals(1, pdu.value.length);
        parseHex(BacnetFrames.unicast("30010c0c0000000119553ec400c000053f"));
        assertEquals(3, pdu.value.objectType());
        assertEquals(5, pdu.value.instance());
        assertEquals("binary-input,5", pdu.value.render(pdu.buffer));
        parseHex(BacnetFrames.unicast("30010c0c0000000119553ea47c050f033f"));
        assertEquals("2024-05-15", pdu.value.render(pdu.buffer));
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e103f"));
        assertEquals(0, pdu.value.bits);

        // Extended lengths: 254 (two octets) and a constructed (context-tagged) value.
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 299; i++) {
            s.append("41");
        }
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e75fe012c00" + s + "3f"));
        assertFalse(pdu.malformed, pdu.malformedReason);
        assertEquals(299, pdu.value.length);
        parseHex(BacnetFrames.unicast("30010c0c0000000119773e0e0c000000011955" + "0f3f"));
        assertFalse(pdu.malformed, pdu.malformedReason);
        assertEquals(BacnetValue.CONSTRUCTED, pdu.value.type);
        // Empty list.
        parseHex(BacnetFrames.unicast("30010c0c0000000119553e3f"));
        assertFalse(pdu.malformed);
        assertFalse(pdu.value.present());
    }

    @Test
    void readPropertyMultiple() {
        parse("rpm");
        assertEquals(14, pdu.confirmedService());
        assertEquals(2, pdu.objectCount);
        assertEquals(3, pdu.propertyCount);
        assertEquals(3, pdu.itemCount);
        assertEquals(0, pdu.objectType);
        assertEquals(1, pdu.instance);
        assertEquals(85, pdu.propertyId);
        assertEquals(85, pdu.itemProperty[0]);
        assertEquals(77, pdu.itemProperty[1]);
        assertEquals(8, pdu.itemObjectType[2]);
        assertEquals(8, pdu.itemInstance[2]);
        assertEquals(76, pdu.itemProperty[2]);
        assertEquals(0, pdu.itemArrayIndex[2]);
        assertEquals(-1, pdu.itemArrayIndex[0]);

        parse("rpm-ack");
        assertEquals(BacnetPdu.COMPLEX_ACK, pdu.apduType);
        assertEquals(1, pdu.objectCount);
        assertEquals(3, pdu.propertyCount);
        assertEquals(28, pdu.itemProperty[2]);
        assertEquals(72.5, pdu.value.real);
    }

    @Test
    void itemsBeyondCapacityAreCounted() {
        StringBuilder s = new StringBuilder("0005040e0c000000011e");
        for (int i = 0; i < 40; i++) {
            s.append("0955");
        }
        s.append("1f");
        parseHex(BacnetFrames.unicast(s.toString()));
        assertFalse(pdu.malformed, pdu.malformedReason);
        assertEquals(40, pdu.propertyCount);
        assertEquals(BacnetPdu.ITEM_CAPACITY, pdu.itemCount);
    }

    @Test
    void writePropertyMultiple() {
        parse("wpm");
        assertEquals(16, pdu.confirmedService());
        assertEquals(2, pdu.objectType);
        assertEquals(1, pdu.objectCount);
        assertEquals(1, pdu.propertyCount);
        assertEquals(85, pdu.propertyId);
        assertEquals(100.0, pdu.value.real);
        assertEquals(10, pdu.priority);
    }

    @Test
    void whoHasAndIHave() {
        parse("who-has-name");
        assertEquals(7, pdu.unconfirmedService());
        assertEquals("AI-1", pdu.objectName());
        parse("who-has-object");
        assertEquals(0, pdu.lowLimit);
        assertEquals(100, pdu.highLimit);
        assertEquals(0, pdu.objectType);
        assertEquals(1, pdu.instance);
        parse("i-have");
        assertEquals(8, pdu.deviceObjectType);
        assertEquals(8, pdu.deviceInstance);
        assertEquals(0, pdu.objectType);
        assertEquals(1, pdu.instance);
        assertEquals("AI-1", pdu.objectName());
    }

    @Test
    void deviceManagement() {
        parse("reinitialize");
        assertEquals(20, pdu.confirmedService());
        assertEquals(1, pdu.reinitState);
        assertTrue(pdu.passwordPresent);
        parse("dcc");
        assertEquals(17, pdu.confirmedService());
        assertEquals(5, pdu.dccDuration);
        assertEquals(1, pdu.dccState);
        assertTrue(pdu.passwordPresent);
        parseHex(BacnetFrames.unicast("000507111900"));
        assertFalse(pdu.malformed, pdu.malformedReason);
        assertEquals(-1, pdu.dccDuration);
        assertEquals(0, pdu.dccState);
        assertFalse(pdu.passwordPresent);
    }

    @Test
    void cov() {
        parse("subscribe-cov");
        assertEquals(5, pdu.confirmedService());
        assertEquals(0x12, pdu.processId);
        assertEquals(1, pdu.instance);
        assertEquals(1, pdu.issueConfirmed);
        assertEquals(60, pdu.lifetime);
        for (String n : new String[] {"cov-confirmed", "cov-unconfirmed"}) {
            parse(n);
            assertEquals(0x12, pdu.processId);
            assertEquals(8, pdu.deviceObjectType);
            assertEquals(8, pdu.deviceInstance);
            assertEquals(0, pdu.objectType);
            assertEquals(1, pdu.instance);
            assertEquals(60, pdu.timeRemaining);
            assertEquals(85, pdu.propertyId);
            assertEquals(72.5, pdu.value.real);
            assertEquals(2, pdu.propertyCount);
            assertEquals(111, pdu.itemProperty[1]);
        }
        assertEquals(2, pdu.unconfirmedService());
    }

    @Test
    void files() {
        parse("read-file");
        assertEquals(6, pdu.confirmedService());
        assertEquals(10, pdu.objectType);
        assertEquals(1, pdu.instance);
        assertEquals(0, pdu.fileAccess);
        assertEquals(0, pdu.fileStart);
        assertEquals(128, pdu.fileCount);
        parse("read-file-record");
        assertEquals(1, pdu.fileAccess);
        assertEquals(5, pdu.fileStart);
        assertEquals(2, pdu.fileCount);
        parse("read-file-ack");
        assertEquals(1, pdu.endOfFile);
        assertEquals(0, pdu.fileAccess);
        assertEquals(4, pdu.fileDataLength);
        parse("write-file");
        assertEquals(7, pdu.confirmedService());
        assertEquals(4, pdu.fileDataLength);
        parse("write-file-record");
        assertEquals(1, pdu.fileAccess);
        assertEquals(7, pdu.fileStart);
        assertEquals(2, pdu.fileCount);
        assertEquals(7, pdu.fileDataLength);
        parse("write-file-ack");
        assertEquals(0, pdu.fileAccess);
        assertEquals(0, pdu.fileStart);
    }

    @Test
    void timeSynchronization() {
        parse("time-sync");
        assertEquals(6, pdu.unconfirmedService());
        assertEquals(0x7C050F03L, pdu.syncDate);
        assertEquals(0x0C1E0000L, pdu.syncTime);
        parse("utc-time-sync");
        assertEquals(9, pdu.unconfirmedService());
        assertEquals(0x7C050F03L, pdu.syncDate);
    }

    @Test
    void errorRejectAbortSegmentAck() {
        parse("error");
        assertEquals(BacnetPdu.ERROR, pdu.apduType);
        assertEquals(7, pdu.invokeId);
        assertEquals(12, pdu.confirmedService());
        assertEquals(2, pdu.errorClass);
        assertEquals(32, pdu.errorCode);
        parse("error-wpm");
        assertEquals(16, pdu.confirmedService());
        assertEquals(2, pdu.errorClass);
        assertEquals(37, pdu.errorCode);
        parse("reject");
        assertEquals(4, pdu.rejectReason);
        assertEquals(-1, pdu.confirmedService());
        parse("abort");
        assertEquals(5, pdu.abortReason);
        assertTrue(pdu.fromServer);
        parse("segment-ack");
        assertEquals(BacnetPdu.SEGMENT_ACK, pdu.apduType);
        assertTrue(pdu.negativeAck);
        assertTrue(pdu.fromServer);
        assertEquals(3, pdu.sequenceNumber);
        assertEquals(4, pdu.windowSize);
    }

    @Test
    void segmentation() {
        parse("segmented-first");
        assertTrue(pdu.segmented);
        assertTrue(pdu.moreFollows);
        assertEquals(0, pdu.sequenceNumber);
        assertEquals(4, pdu.windowSize);
        assertFalse(pdu.segmentContinuation);
        assertEquals(12, pdu.confirmedService());
        assertEquals(8, pdu.objectType);
        assertEquals(76, pdu.propertyId);
        parse("segmented-next");
        assertTrue(pdu.segmentContinuation);
        assertFalse(pdu.serviceDecoded);
        assertEquals(1, pdu.sequenceNumber);
        assertEquals(-1, pdu.objectType);
        // A segmented confirmed request carries sequence number and window before the service choice.
        parseHex(BacnetFrames.unicast("0a0502000a0c0c0000000119553e" + "00"));
        assertEquals(12, pdu.confirmedService());
        assertEquals(10, pdu.windowSize);
        assertTrue(pdu.segmentedResponseAccepted);
        assertFalse(pdu.malformed);
    }

    @Test
    void networkLayer() {
        parse("network-message");
        assertTrue(pdu.networkMessage);
        assertEquals(0, pdu.networkMessageType);
        assertFalse(pdu.hasApdu);
        parse("network-proprietary");
        assertEquals(0x80, pdu.networkMessageType);
        assertEquals(0x0104, pdu.networkVendorId);
        parse("routed");
        assertEquals(5, pdu.dnet);
        assertEquals(2, pdu.dlen);
        assertEquals(0x0607, pdu.dadr);
        assertEquals(8, pdu.snet);
        assertEquals(6, pdu.slen);
        assertEquals(0x010203040506L, pdu.sadr);
        assertEquals(255, pdu.hopCount);
        assertEquals(8, pdu.unconfirmedService());
    }

    @Test
    void bvlcFunctions() {
        parse("forwarded");
        assertEquals(BacnetPdu.FORWARDED_NPDU, pdu.bvlcFunction);
        assertTrue(pdu.hasBvlcAddress);
        assertEquals(0xC0A80001, pdu.bvlcAddress);
        assertEquals(47808, pdu.bvlcPort);
        assertEquals(8, pdu.unconfirmedService());
        parse("distribute");
        assertEquals(8, pdu.unconfirmedService());
        parse("register-fd");
        assertEquals(60, pdu.registerTtl);
        parse("bvlc-result");
        assertEquals(0x30, pdu.bvlcResultCode);
        parse("read-bdt");
        assertFalse(pdu.hasNpdu);
        parse("read-fdt-ack");
        assertEquals(1, pdu.tableEntries);
        parse("write-bdt");
        assertEquals(2, pdu.tableEntries);
        parse("delete-fdt");
        assertEquals(0xC0A80002, pdu.bvlcAddress);
        parse("secure-bvll");
        assertEquals(BacnetPdu.SECURE_BVLL, pdu.bvlcFunction);
    }

    @Test
    void notBacnet() {
        byte[] dns = hex("12340100000100000000000003777777");
        assertFalse(parser.parse(dns, 0, dns.length, pdu));
        assertEquals(BacnetParser.NOT_BVLC, pdu.malformedReason);
        assertFalse(BacnetParser.looksLikeBacnet(dns, 0, dns.length));
        // A lying BVLC length is flagged but the datagram is still decoded (Wireshark does the same).
        byte[] wrongLength = hex("810b000d0120ffff00ff1008");
        assertTrue(parser.parse(wrongLength, 0, wrongLength.length, pdu));
        assertTrue(pdu.malformed);
        assertEquals(BacnetParser.BVLC_LENGTH, pdu.malformedReason);
        assertEquals(8, pdu.unconfirmedService());
        assertFalse(BacnetParser.looksLikeBacnet(wrongLength, 0, wrongLength.length));
        byte[] unknown = hex("810d0004");
        assertFalse(parser.parse(unknown, 0, unknown.length, pdu));
        assertFalse(parser.parse(null, 0, 0, pdu));
        assertFalse(parser.parse(dns, 10, 10, pdu));
        assertEquals(BacnetParser.BAD_BOUNDS, pdu.malformedReason);
        for (byte[] b : samples.values()) {
            assertTrue(BacnetParser.looksLikeBacnet(b, 0, b.length));
        }
        // At an offset inside a larger buffer.
        byte[] big = new byte[100];
        byte[] whoIs = hex(BacnetFrames.WHO_IS);
        System.arraycopy(whoIs, 0, big, 37, whoIs.length);
        assertTrue(parser.parse(big, 37, whoIs.length, pdu));
        assertEquals(8, pdu.unconfirmedService());
        assertTrue(BacnetParser.looksLikeBacnet(big, 37, whoIs.length));
    }

    @Test
    void unknownServiceIsRecordedByNumber() {
        parseHex(BacnetFrames.unicast("0005091d0102"));
        assertFalse(pdu.malformed);
        assertFalse(pdu.serviceDecoded);
        assertEquals(29, pdu.confirmedService());
        parseHex(BacnetFrames.broadcast("1004" + "0901"));
        assertEquals(4, pdu.unconfirmedService());
        assertFalse(pdu.serviceDecoded);
    }

    @Test
    void malformedServices() {
        String[] bad = {
            "0005010c",                       // ReadProperty without parameters
            "0005010c0c0000",                 // object identifier cut
            "0005010c0b00000001",             // object identifier of 3 octets
            "0005010c0c000000011955" + "2f",  // trailing closing tag is ignored, but:
        };
        for (int i = 0; i < 3; i++) {
            parseHex(BacnetFrames.unicast(bad[i]));
            assertTrue(pdu.malformed, bad[i]);
        }
        parseHex(BacnetFrames.unicast("0005020f0c0080000119553e4442c80000")); // value list never closes
        assertTrue(pdu.malformed);
        parseHex(BacnetFrames.unicast("30010c0c000000011955" + "3e43429100003f")); // REAL of 3 octets
        assertTrue(pdu.malformed);
        assertEquals(BacnetParser.BAD_LENGTH, pdu.malformedReason);
        parseHex(BacnetFrames.unicast("80")); // reserved APDU type 8
        assertTrue(pdu.malformed);
        parseHex(BacnetFrames.bvlc(0x0A, "0204")); // NPDU version 2
        assertEquals(BacnetParser.NPDU_VERSION, pdu.malformedReason);
    }

    @Test
    void names() {
        assertEquals("present-value", BacnetNames.propertyName(85));
        assertEquals("object-name", BacnetNames.propertyName(77));
        assertEquals("property-400", BacnetNames.propertyName(400));
        assertEquals("proprietary-property-999", BacnetNames.propertyName(999));
        assertEquals("analog-input", BacnetNames.objectTypeName(0));
        assertEquals("device", BacnetNames.objectTypeName(8));
        assertEquals("proprietary-object-130", BacnetNames.objectTypeName(130));
        assertEquals("readProperty", BacnetNames.confirmedServiceName(12));
        assertEquals("who-Is", BacnetNames.unconfirmedServiceName(8));
        assertEquals("Original-Unicast-NPDU", BacnetNames.bvlcFunctionName(0x0A));
        assertEquals("ComplexACK", BacnetNames.apduTypeName(3));
    }
}
