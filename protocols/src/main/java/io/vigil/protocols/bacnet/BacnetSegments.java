package io.vigil.protocols.bacnet;

/**
 * Reassembles one sender's segmented BACnet message (clause 5.2: segmented Confirmed-Request or
 * Complex-ACK) so that its service can be decoded as a whole, as Wireshark does: a
 * ReadPropertyMultiple-ACK listing a controller's points, or a WriteFile carrying a program,
 * is typically segmented, and its first segment alone shows only the first few items.
 *
 * <p>The message is rebuilt as the unsegmented datagram it would have been: the first segment's
 * BVLC and NPDU, an APDU header without the segmentation fields, then every segment's service
 * data in sequence order. {@link BacnetParser#parse} then decodes it like any other datagram.
 *
 * <p>One message in progress per sender and flow (BACnet clients keep one segmented transaction
 * per peer in flight in practice). Segments must arrive in sequence: a repeated segment is a
 * retransmission and ignored; a skipped one loses the message (counted by the caller through
 * the return value), since BACnet retransmits from the window start and a sensor cannot ask.
 * The buffer grows only for flows that segment, up to {@link #MAX_MESSAGE} bytes.
 */
public final class BacnetSegments {
    /** Largest reassembled message: 256 segments of the largest BACnet/IP APDU (1476 bytes) would be 377 KB; real
     * segmented messages (object lists, files) stay well below this bound. */
    public static final int MAX_MESSAGE = 256 * 1024;

    /** What {@link #accept} did with a segment. */
    public static final int IGNORED = 0;
    public static final int STARTED = 1;
    public static final int APPENDED = 2;
    public static final int COMPLETE = 3;
    /** The message in progress was abandoned: a segment was missed, or it grew past {@link #MAX_MESSAGE}. */
    public static final int LOST = 4;

    private byte[] data = new byte[2048];
    private int length;
    private boolean active;
    private int apduType;
    private int invokeId;
    private int nextSequence;
    private int segments;

    /**
     * Offers one decoded segment ({@code pdu.segmented} is true). Returns {@link #COMPLETE} when it
     * was the last one: then {@link #data()} / {@link #length()} hold the reassembled datagram.
     */
    public int accept(BacnetPdu pdu) {
        if (!pdu.segmented || pdu.apduOffset < pdu.offset || pdu.serviceOffset < pdu.apduOffset
            || (pdu.apduType != BacnetPdu.CONFIRMED_REQUEST && pdu.apduType != BacnetPdu.COMPLEX_ACK)) {
            return IGNORED;
        }
        byte[] buf = pdu.buffer;
        int dataLength = Math.min(pdu.serviceLength, pdu.offset + pdu.length - pdu.serviceOffset);
        if (dataLength < 0) {
            return IGNORED;
        }
        if (pdu.sequenceNumber == 0) {
            boolean abandoned = active && !(invokeId == pdu.invokeId && apduType == pdu.apduType && segments == 1);
            if (active && !abandoned) {
                return IGNORED; // the first segment again: a retransmission
            }
            start(pdu, buf, dataLength);
            return abandoned ? LOST : STARTED;
        }
        if (!active || pdu.invokeId != invokeId || pdu.apduType != apduType) {
            return IGNORED; // no beginning seen (capture joined mid-message), or another transaction
        }
        int expected = nextSequence & 0xFF;
        if (pdu.sequenceNumber != expected) {
            if (((expected - pdu.sequenceNumber) & 0xFF) < 128) {
                return IGNORED; // behind the window: a retransmission
            }
            active = false;
            return LOST;
        }
        if (!append(buf, pdu.serviceOffset, dataLength)) {
            active = false;
            return LOST;
        }
        nextSequence++;
        segments++;
        if (pdu.moreFollows) {
            return APPENDED;
        }
        active = false;
        // BVLC length (octets 2-3) covers the whole datagram.
        data[2] = (byte) (length >>> 8);
        data[3] = (byte) length;
        return length <= 0xFFFF ? COMPLETE : LOST;
    }

    private void start(BacnetPdu pdu, byte[] buf, int dataLength) {
        active = true;
        apduType = pdu.apduType;
        invokeId = pdu.invokeId;
        nextSequence = 1;
        segments = 1;
        length = 0;
        append(buf, pdu.offset, pdu.apduOffset - pdu.offset); // BVLC + NPDU
        int b0 = buf[pdu.apduOffset] & 0xF3; // SEG and MOR cleared
        if (apduType == BacnetPdu.CONFIRMED_REQUEST) {
            ensure(4);
            data[length++] = (byte) b0;
            data[length++] = buf[pdu.apduOffset + 1]; // max segments / max APDU
            data[length++] = (byte) invokeId;
            data[length++] = (byte) pdu.serviceChoice;
        } else {
            ensure(3);
            data[length++] = (byte) b0;
            data[length++] = (byte) invokeId;
            data[length++] = (byte) pdu.serviceChoice;
        }
        if (!pdu.moreFollows || !append(buf, pdu.serviceOffset, dataLength)) {
            // A lone segment that says nothing more follows is complete on its own; nothing to join.
            active = false;
        }
    }

    private boolean append(byte[] buf, int off, int len) {
        if (len <= 0) {
            return true;
        }
        if (length + len > MAX_MESSAGE) {
            return false;
        }
        ensure(len);
        System.arraycopy(buf, off, data, length, len);
        length += len;
        return true;
    }

    private void ensure(int more) {
        if (length + more > data.length) {
            byte[] bigger = new byte[Math.min(MAX_MESSAGE + 8, Math.max(data.length * 2, length + more))];
            System.arraycopy(data, 0, bigger, 0, length);
            data = bigger;
        }
    }

    /** The reassembled datagram after {@link #COMPLETE}; overwritten by the next message. */
    public byte[] data() {
        return data;
    }

    public int length() {
        return length;
    }

    /** Segments the last completed (or current) message was made of. */
    public int segments() {
        return segments;
    }

    /** Bytes held, for memory accounting. */
    public int capacity() {
        return data.length;
    }
}
