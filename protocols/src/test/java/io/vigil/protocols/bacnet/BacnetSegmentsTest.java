package io.vigil.protocols.bacnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacnetSegmentsTest {
    /** The service data of {@link BacnetFrames#RPM_ACK} (after "30 05 0e"), cut into three segments. */
    private static final String RPM_ACK_DATA = BacnetFrames.RPM_ACK.substring(6);

    private final BacnetParser parser = new BacnetParser();
    private final BacnetSegments segments = new BacnetSegments();
    private final BacnetPdu pdu = new BacnetPdu();

    /** Complex-ACK segment: SEG set, MOR when more follow, invoke id 5, window 4, service 14 (RPM). */
    private static byte[] ackSegment(int sequence, boolean more, String data) {
        String b0 = more ? "3c" : "38";
        return BacnetFrames.unicast(b0 + "05" + String.format("%02x", sequence) + "04" + "0e" + data);
    }

    private static List<byte[]> threeSegments() {
        int a = 14;
        int b = 40;
        List<byte[]> l = new ArrayList<>();
        l.add(ackSegment(0, true, RPM_ACK_DATA.substring(0, a)));
        l.add(ackSegment(1, true, RPM_ACK_DATA.substring(a, b)));
        l.add(ackSegment(2, false, RPM_ACK_DATA.substring(b)));
        return l;
    }

    private int offer(byte[] datagram) {
        assertTrue(parser.parse(datagram, 0, datagram.length, pdu));
        return segments.accept(pdu);
    }

    @Test
    void joinedMessageDecodesLikeTheUnsegmentedOne() {
        List<byte[]> l = threeSegments();
        assertEquals(BacnetSegments.STARTED, offer(l.get(0)));
        assertFalse(pdu.malformed, "a first segment may end mid-encoding");
        assertEquals(BacnetSegments.APPENDED, offer(l.get(1)));
        assertTrue(pdu.segmentContinuation);
        assertEquals(BacnetSegments.COMPLETE, offer(l.get(2)));
        assertEquals(3, segments.segments());

        BacnetPdu joined = new BacnetPdu();
        assertTrue(parser.parse(segments.data(), 0, segments.length(), joined));
        BacnetPdu whole = new BacnetPdu();
        byte[] unsegmented = BacnetFrames.unicast(BacnetFrames.RPM_ACK);
        assertTrue(parser.parse(unsegmented, 0, unsegmented.length, whole));

        assertEquals(unsegmented.length, segments.length());
        assertFalse(joined.malformed, String.valueOf(joined.malformedReason));
        assertFalse(joined.segmented);
        assertEquals(BacnetPdu.COMPLEX_ACK, joined.apduType);
        assertEquals(5, joined.invokeId);
        assertEquals(14, joined.serviceChoice);
        assertEquals(whole.objectCount, joined.objectCount);
        assertEquals(whole.propertyCount, joined.propertyCount);
        assertEquals(whole.itemCount, joined.itemCount);
        assertEquals(3, joined.itemCount);
        for (int i = 0; i < whole.itemCount; i++) {
            assertEquals(whole.itemProperty[i], joined.itemProperty[i]);
        }
        assertEquals(whole.value.render(whole.buffer), joined.value.render(joined.buffer));
    }

    @Test
    void retransmittedSegmentsAreIgnored() {
        List<byte[]> l = threeSegments();
        offer(l.get(0));
        assertEquals(BacnetSegments.IGNORED, offer(l.get(0)));
        offer(l.get(1));
        assertEquals(BacnetSegments.IGNORED, offer(l.get(1)));
        assertEquals(BacnetSegments.COMPLETE, offer(l.get(2)));
        assertEquals(BacnetFrames.unicast(BacnetFrames.RPM_ACK).length, segments.length());
    }

    @Test
    void aMissedSegmentLosesTheMessage() {
        List<byte[]> l = threeSegments();
        offer(l.get(0));
        assertEquals(BacnetSegments.LOST, offer(l.get(2)));
        // Nothing is in progress any more: a late segment 1 does not resurrect it.
        assertEquals(BacnetSegments.IGNORED, offer(l.get(1)));
    }

    @Test
    void segmentsWithoutTheirStartAreIgnored() {
        List<byte[]> l = threeSegments();
        assertEquals(BacnetSegments.IGNORED, offer(l.get(1)));
        assertEquals(BacnetSegments.IGNORED, offer(l.get(2)));
    }

    @Test
    void aNewMessageAbandonsTheOneInProgress() {
        List<byte[]> l = threeSegments();
        offer(l.get(0));
        offer(l.get(1));
        assertEquals(BacnetSegments.LOST, offer(l.get(0)), "seq 0 again after seq 1: the old message is given up");
        offer(l.get(1));
        assertEquals(BacnetSegments.COMPLETE, offer(l.get(2)));
    }

    @Test
    void aMessageLargerThanTheBoundIsDropped() {
        String chunk = "00".repeat(1400);
        int result = offer(ackSegment(0, true, chunk));
        int n = 1;
        while (result != BacnetSegments.LOST && n < 400) {
            result = offer(ackSegment(n & 0xFF, true, chunk));
            n++;
        }
        assertEquals(BacnetSegments.LOST, result);
        assertTrue(n * 1400 > BacnetSegments.MAX_MESSAGE && n * 1400 < BacnetSegments.MAX_MESSAGE + 3000);
        assertTrue(segments.capacity() <= BacnetSegments.MAX_MESSAGE + 8);
    }
}
