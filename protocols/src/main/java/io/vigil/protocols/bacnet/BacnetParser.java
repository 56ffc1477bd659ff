package io.vigil.protocols.bacnet;

import static io.vigil.protocols.bacnet.BacnetTagReader.APPLICATION;
import static io.vigil.protocols.bacnet.BacnetTagReader.CLOSING;
import static io.vigil.protocols.bacnet.BacnetTagReader.CONTEXT;
import static io.vigil.protocols.bacnet.BacnetTagReader.OPENING;

/**
 * BACnet/IP (Annex J) datagram decoder: BVLC, NPDU (clause 6), APDU header (clause 20.1) and the parameters of the
 * services a sensor needs to see who reads, writes, commands and discovers what. One instance per thread; it keeps a
 * cursor and a tag reader so that decoding allocates nothing. Hostile input only ever sets
 * {@link BacnetPdu#malformed}.
 */
public final class BacnetParser {
    public static final String NOT_BVLC = "not a BVLC header (type is not 0x81)";
    public static final String BAD_BOUNDS = "offset/length outside the buffer";
    public static final String TOO_SHORT = "shorter than a BVLC header";
    public static final String UNKNOWN_FUNCTION = "unknown BVLC function";
    public static final String BVLC_LENGTH = "BVLC length differs from the datagram length";
    public static final String BVLC_TRUNCATED = "BVLC message shorter than its function requires";
    public static final String BVLC_TABLE = "BDT/FDT not a whole number of entries";
    public static final String NPDU_TRUNCATED = "NPDU header truncated";
    public static final String NPDU_VERSION = "NPDU version is not 1";
    public static final String APDU_TRUNCATED = "APDU header truncated";
    public static final String BAD_TAG = "truncated or reserved tag";
    public static final String UNEXPECTED_TAG = "tag does not match the service's encoding";
    public static final String BAD_LENGTH = "primitive value has an impossible length";
    public static final String MISSING_PARAMETER = "required service parameter missing";

    private static final int[] MAX_APDU = {50, 128, 206, 480, 1024, 1476};

    private final BacnetTagReader t = new BacnetTagReader();
    private byte[] buf;
    private int pos;
    private int end;
    private String reason;
    // Last context/application integer read by the helpers below.
    private long num;

    /**
     * Decodes one UDP payload. Returns true when it is BACnet/IP (BVLC type 0x81 and a known function); problems
     * past that point, a BVLC length that differs from {@code len} included, leave it true and set
     * {@link BacnetPdu#malformed} (the rest is still decoded, bounded by {@code len}). Returns false, with the reason
     * in {@code out}, when it is not BACnet/IP.
     */
    public boolean parse(byte[] buf, int off, int len, BacnetPdu out) {
        out.reset(buf, off, len);
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return fail(out, BAD_BOUNDS);
        }
        if (len < 4) {
            return fail(out, TOO_SHORT);
        }
        out.bvlcType = buf[off] & 0xFF;
        if (out.bvlcType != 0x81) {
            return fail(out, NOT_BVLC);
        }
        int fn = buf[off + 1] & 0xFF;
        out.bvlcFunction = fn;
        out.bvlcLength = u16(buf, off + 2);
        if (fn > BacnetPdu.SECURE_BVLL) {
            return fail(out, UNKNOWN_FUNCTION);
        }
        if (out.bvlcLength != len) {
            // Decode by the UDP length, as Wireshark does: a lying BVLC length must not hide a ReinitializeDevice.
            malformed(out, BVLC_LENGTH);
        }
        this.buf = buf;
        this.end = off + len;
        int p = off + 4;
        switch (fn) {
            case BacnetPdu.BVLC_RESULT:
                if (len < 6) {
                    return malformed(out, BVLC_TRUNCATED);
                }
                out.bvlcResultCode = u16(buf, p);
                return true;
            case BacnetPdu.WRITE_BDT:
            case BacnetPdu.READ_BDT_ACK:
            case BacnetPdu.READ_FDT_ACK:
                // BDT entries are address(6)+mask(4), FDT entries address(6)+TTL(2)+remaining(2): 10 octets each.
                out.tableEntries = (len - 4) / 10;
                if ((len - 4) % 10 != 0) {
                    malformed(out, BVLC_TABLE);
                }
                return true;
            case BacnetPdu.READ_BDT:
            case BacnetPdu.READ_FDT:
            case BacnetPdu.SECURE_BVLL:
                return true;
            case BacnetPdu.REGISTER_FOREIGN_DEVICE:
                if (len < 6) {
                    return malformed(out, BVLC_TRUNCATED);
                }
                out.registerTtl = u16(buf, p);
                return true;
            case BacnetPdu.DELETE_FDT_ENTRY:
                if (len < 10) {
                    return malformed(out, BVLC_TRUNCATED);
                }
                address(out, p);
                return true;
            case BacnetPdu.FORWARDED_NPDU:
                if (len < 10) {
                    return malformed(out, BVLC_TRUNCATED);
                }
                address(out, p);
                npdu(out, p + 6);
                return true;
            default: // Original-Unicast, Original-Broadcast, Distribute-Broadcast-To-Network
                npdu(out, p);
                return true;
        }
    }

    /** BVLC type 0x81, a known function and a BVLC length equal to the datagram length. */
    public static boolean looksLikeBacnet(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 4 && off <= buf.length - len && (buf[off] & 0xFF) == 0x81
                && (buf[off + 1] & 0xFF) <= BacnetPdu.SECURE_BVLL && u16(buf, off + 2) == len;
    }

    private static boolean fail(BacnetPdu out, String why) {
        out.malformed = true;
        out.malformedReason = why;
        return false;
    }

    /** Flags the PDU, keeping the first reason: the later ones are usually its consequences. */
    private static boolean malformed(BacnetPdu out, String why) {
        if (!out.malformed) {
            out.malformed = true;
            out.malformedReason = why;
        }
        return true;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF;
    }

    private void address(BacnetPdu out, int p) {
        out.bvlcAddress = (buf[p] & 0xFF) << 24 | (buf[p + 1] & 0xFF) << 16 | (buf[p + 2] & 0xFF) << 8
                | buf[p + 3] & 0xFF;
        out.bvlcPort = u16(buf, p + 4);
        out.hasBvlcAddress = true;
    }

    // ---------------------------------------------------------------------------------------------------- NPDU

    private void npdu(BacnetPdu out, int p) {
        if (p + 2 > end) {
            malformed(out, NPDU_TRUNCATED);
            return;
        }
        out.hasNpdu = true;
        out.npduVersion = buf[p] & 0xFF;
        int c = buf[p + 1] & 0xFF;
        out.npduControl = c;
        if (out.npduVersion != 1) {
            malformed(out, NPDU_VERSION);
            return;
        }
        p += 2;
        out.networkMessage = (c & 0x80) != 0;
        out.expectingReply = (c & 0x04) != 0;
        out.networkPriority = c & 0x03;
        if ((c & 0x20) != 0) {
            if (p + 3 > end) {
                malformed(out, NPDU_TRUNCATED);
                return;
            }
            out.dnet = u16(buf, p);
            out.dlen = buf[p + 2] & 0xFF;
            p += 3;
            if (out.dlen > end - p) {
                malformed(out, NPDU_TRUNCATED);
                return;
            }
            out.dadrOffset = p;
            out.dadr = BacnetTagReader.unsigned(buf, p, Math.min(out.dlen, 8));
            p += out.dlen;
        }
        if ((c & 0x08) != 0) {
            if (p + 3 > end) {
                malformed(out, NPDU_TRUNCATED);
                return;
            }
            out.snet = u16(buf, p);
            out.slen = buf[p + 2] & 0xFF;
            p += 3;
            if (out.slen > end - p) {
                malformed(out, NPDU_TRUNCATED);
                return;
            }
            out.sadrOffset = p;
            out.sadr = BacnetTagReader.unsigned(buf, p, Math.min(out.slen, 8));
            p += out.slen;
        }
        if ((c & 0x20) != 0) {
            if (p >= end) {
                malformed(out, NPDU_TRUNCATED);
                return;
            }
            out.hopCount = buf[p++] & 0xFF;
        }
        if (out.networkMessage) {
            if (p >= end) {
                malformed(out, NPDU_TRUNCATED);
                return;
            }
            out.networkMessageType = buf[p++] & 0xFF;
            if (out.networkMessageType >= 0x80) {
                if (p + 2 > end) {
                    malformed(out, NPDU_TRUNCATED);
                    return;
                }
                out.networkVendorId = u16(buf, p);
            }
            return;
        }
        apdu(out, p);
    }

    // ---------------------------------------------------------------------------------------------------- APDU

    private void apdu(BacnetPdu out, int p) {
        if (p >= end) {
            malformed(out, APDU_TRUNCATED);
            return;
        }
        out.hasApdu = true;
        out.apduOffset = p;
        int b0 = buf[p] & 0xFF;
        int type = b0 >>> 4;
        out.apduType = type;
        int avail = end - p;
        switch (type) {
            case BacnetPdu.CONFIRMED_REQUEST: {
                out.segmented = (b0 & 0x08) != 0;
                out.moreFollows = (b0 & 0x04) != 0;
                out.segmentedResponseAccepted = (b0 & 0x02) != 0;
                int need = out.segmented ? 6 : 4;
                if (avail < need) {
                    if (avail >= 3) {
                        header3(out, p);
                    }
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                header3(out, p);
                int q = p + 3;
                if (out.segmented) {
                    out.sequenceNumber = buf[q] & 0xFF;
                    out.windowSize = buf[q + 1] & 0xFF;
                    q += 2;
                }
                out.serviceChoice = buf[q] & 0xFF;
                service(out, q + 1);
                return;
            }
            case BacnetPdu.UNCONFIRMED_REQUEST:
                if (avail < 2) {
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                out.serviceChoice = buf[p + 1] & 0xFF;
                service(out, p + 2);
                return;
            case BacnetPdu.SIMPLE_ACK:
                if (avail < 3) {
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                out.invokeId = buf[p + 1] & 0xFF;
                out.serviceChoice = buf[p + 2] & 0xFF;
                out.serviceOffset = p + 3;
                out.serviceLength = end - p - 3;
                out.serviceDecoded = true;
                return;
            case BacnetPdu.COMPLEX_ACK: {
                out.segmented = (b0 & 0x08) != 0;
                out.moreFollows = (b0 & 0x04) != 0;
                int need = out.segmented ? 5 : 3;
                if (avail < need) {
                    if (avail >= 2) {
                        out.invokeId = buf[p + 1] & 0xFF;
                    }
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                out.invokeId = buf[p + 1] & 0xFF;
                int q = p + 2;
                if (out.segmented) {
                    out.sequenceNumber = buf[q] & 0xFF;
                    out.windowSize = buf[q + 1] & 0xFF;
                    q += 2;
                }
                out.serviceChoice = buf[q] & 0xFF;
                service(out, q + 1);
                return;
            }
            case BacnetPdu.SEGMENT_ACK:
                out.negativeAck = (b0 & 0x02) != 0;
                out.fromServer = (b0 & 0x01) != 0;
                if (avail < 4) {
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                out.invokeId = buf[p + 1] & 0xFF;
                out.sequenceNumber = buf[p + 2] & 0xFF;
                out.windowSize = buf[p + 3] & 0xFF;
                return;
            case BacnetPdu.ERROR:
                if (avail < 3) {
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                out.invokeId = buf[p + 1] & 0xFF;
                out.serviceChoice = buf[p + 2] & 0xFF;
                error(out, p + 3);
                return;
            case BacnetPdu.REJECT:
            case BacnetPdu.ABORT:
                out.fromServer = type == BacnetPdu.ABORT && (b0 & 0x01) != 0;
                if (avail < 3) {
                    malformed(out, APDU_TRUNCATED);
                    return;
                }
                out.invokeId = buf[p + 1] & 0xFF;
                if (type == BacnetPdu.REJECT) {
                    out.rejectReason = buf[p + 2] & 0xFF;
                } else {
                    out.abortReason = buf[p + 2] & 0xFF;
                }
                return;
            default:
                malformed(out, "reserved APDU type");
        }
    }

    private void header3(BacnetPdu out, int p) {
        int b1 = buf[p + 1] & 0xFF;
        out.maxSegmentsCode = b1 >>> 4 & 0x07;
        out.maxApduCode = b1 & 0x0F;
        // Code 0 means "unspecified", 7 "more than 64".
        out.maxSegments = out.maxSegmentsCode == 0 || out.maxSegmentsCode == 7 ? -1 : 1 << out.maxSegmentsCode;
        out.maxApdu = out.maxApduCode < MAX_APDU.length ? MAX_APDU[out.maxApduCode] : -1;
        out.invokeId = buf[p + 2] & 0xFF;
    }

    private void error(BacnetPdu out, int p) {
        pos = p;
        reason = null;
        // Services whose Error carries more than error class/code wrap it in [0] (clause 21, e.g. WPM, CreateObject).
        if (peekOpening(0)) {
            pos = t.next;
        }
        if (!appUnsigned(9)) {
            malformed(out, reason);
            return;
        }
        out.errorClass = (int) num;
        if (!appUnsigned(9)) {
            malformed(out, reason);
            return;
        }
        out.errorCode = (int) num;
    }

    // ---------------------------------------------------------------------------------------------------- services

    private void service(BacnetPdu out, int p) {
        out.serviceOffset = p;
        out.serviceLength = end - p;
        if (out.segmented && out.sequenceNumber > 0) {
            // Its bytes continue the previous segment mid-encoding: decoding them as a fresh service would lie.
            out.segmentContinuation = true;
            return;
        }
        pos = p;
        reason = null;
        boolean known;
        boolean ok;
        int s = out.serviceChoice;
        if (out.apduType == BacnetPdu.UNCONFIRMED_REQUEST) {
            known = true;
            switch (s) {
                case 0: ok = iAm(out); break;
                case 1: ok = iHave(out); break;
                case 2: ok = covNotification(out); break;
                case 6: case 9: ok = timeSync(out); break;
                case 7: ok = whoHas(out); break;
                case 8: ok = whoIs(out); break;
                default: known = false; ok = true;
            }
        } else if (out.apduType == BacnetPdu.CONFIRMED_REQUEST) {
            known = true;
            switch (s) {
                case 1: ok = covNotification(out); break;
                case 5: ok = subscribeCov(out); break;
                case 6: ok = atomicReadFile(out); break;
                case 7: ok = atomicWriteFile(out); break;
                case 12: case 26: ok = readProperty(out, false); break; // ReadRange starts like ReadProperty
                case 14: ok = propertyMultiple(out, false); break;
                case 15: ok = writeProperty(out); break;
                case 16: ok = propertyMultiple(out, true); break;
                case 17: ok = deviceCommunicationControl(out); break;
                case 20: ok = reinitializeDevice(out); break;
                default: known = false; ok = true;
            }
        } else { // COMPLEX_ACK
            known = true;
            switch (s) {
                case 6: ok = atomicReadFileAck(out); break;
                case 7: ok = atomicWriteFileAck(out); break;
                case 12: ok = readProperty(out, true); break;
                case 14: ok = readPropertyMultipleAck(out); break;
                case 26: ok = readProperty(out, false); break;
                default: known = false; ok = true;
            }
        }
        out.serviceDecoded = known;
        // The first segment of a segmented message ends wherever the sender cut it: running out there is expected.
        if (!ok && !(out.segmented && out.moreFollows)) {
            malformed(out, reason != null ? reason : UNEXPECTED_TAG);
        }
    }

    private boolean iAm(BacnetPdu out) {
        if (!appObjectId(out)) {
            return false;
        }
        if (!appUnsigned(2)) {
            return false;
        }
        out.iAmMaxApdu = num;
        if (!appUnsigned(9)) {
            return false;
        }
        out.segmentationSupported = (int) num;
        if (!appUnsigned(2)) {
            return false;
        }
        out.vendorId = (int) num;
        return true;
    }

    private boolean iHave(BacnetPdu out) {
        if (!appObjectId(out)) {
            return false;
        }
        out.deviceObjectType = out.objectType;
        out.deviceInstance = out.instance;
        if (!appObjectId(out)) {
            return false;
        }
        if (!tag() || t.kind != APPLICATION || t.tagNumber != 7 || t.length < 1) {
            return bad(UNEXPECTED_TAG);
        }
        name(out);
        return true;
    }

    private void name(BacnetPdu out) {
        out.nameCharset = buf[t.valueOffset] & 0xFF;
        out.nameOffset = t.valueOffset + 1;
        out.nameLength = t.length - 1;
        pos = t.next;
    }

    private boolean whoIs(BacnetPdu out) {
        if (pos >= end) {
            return true; // no range: every device
        }
        return range(out) == 1 || missing();
    }

    /** Optional [0] low / [1] high device instance limits: 1 read, 0 absent, -1 malformed. */
    private int range(BacnetPdu out) {
        int r = ctxUnsigned(0);
        if (r != 1) {
            return r;
        }
        out.lowLimit = num;
        r = ctxUnsigned(1);
        if (r != 1) {
            if (r == 0) {
                reason = MISSING_PARAMETER;
            }
            return -1;
        }
        out.highLimit = num;
        return 1;
    }

    private boolean whoHas(BacnetPdu out) {
        if (range(out) < 0) {
            return false;
        }
        if (!tag()) {
            return bad(pos >= end ? MISSING_PARAMETER : BAD_TAG);
        }
        if (t.kind == CONTEXT && t.tagNumber == 2) {
            return ctxObjectId(out, 2);
        }
        if (t.kind == CONTEXT && t.tagNumber == 3 && t.length >= 1) {
            name(out);
            return true;
        }
        return bad(UNEXPECTED_TAG);
    }

    private boolean readProperty(BacnetPdu out, boolean ack) {
        if (!ctxObjectId(out, 0)) {
            return false;
        }
        if (ctxUnsigned(1) != 1) {
            return missing();
        }
        out.propertyId = (int) num;
        int r = ctxUnsigned(2);
        if (r < 0) {
            return false;
        }
        if (r == 1) {
            out.arrayIndex = num;
        }
        if (!ack) {
            return true;
        }
        if (!opening(3)) {
            return missing();
        }
        return firstValue(out.value, 3);
    }

    private boolean writeProperty(BacnetPdu out) {
        if (!readProperty(out, false)) {
            return false;
        }
        if (!opening(3)) {
            return missing();
        }
        if (!firstValue(out.value, 3)) {
            return false;
        }
        int r = ctxUnsigned(4);
        if (r == 1) {
            out.priority = (int) num;
        }
        return r >= 0;
    }

    /** ReadPropertyMultiple request and WritePropertyMultiple request share the list-of-objects layout. */
    private boolean propertyMultiple(BacnetPdu out, boolean write) {
        if (pos >= end) {
            return missing();
        }
        while (pos < end) {
            if (!ctxObjectId(out, 0)) {
                return false;
            }
            int type = out.objectType;
            int inst = out.instance;
            out.objectCount++;
            if (!opening(1)) {
                return missing();
            }
            while (!closing(1)) {
                if (reason != null) {
                    return false;
                }
                if (!propertyReference(out, type, inst, 0)) {
                    return false;
                }
                if (write) {
                    if (!opening(2)) {
                        return missing();
                    }
                    if (!(out.value.present() ? skipTo(2) : firstValue(out.value, 2))) {
                        return false;
                    }
                    int r = ctxUnsigned(3);
                    if (r < 0) {
                        return false;
                    }
                    if (r == 1 && out.priority < 0) {
                        out.priority = (int) num;
                    }
                }
            }
        }
        restoreFirstObject(out);
        return true;
    }

    /**
     * One property reference of a list: the identifier in context tag {@code tag}, an optional
     * array index in tag + 1; the first one also becomes the PDU's propertyId/arrayIndex.
     */
    private boolean propertyReference(BacnetPdu out, int type, int inst, int tag) {
        if (ctxUnsigned(tag) != 1) {
            return missing();
        }
        int prop = (int) num;
        long index = -1;
        int r = ctxUnsigned(tag + 1);
        if (r < 0) {
            return false;
        }
        if (r == 1) {
            index = num;
        }
        if (out.propertyCount == 0) {
            out.propertyId = prop;
            out.arrayIndex = index;
        }
        out.addItem(type, inst, prop, index);
        return true;
    }

    /** Later objects of a list overwrite objectType/instance while parsing; the PDU reports the first one. */
    private void restoreFirstObject(BacnetPdu out) {
        if (out.itemCount > 0) {
            out.objectType = out.itemObjectType[0];
            out.instance = out.itemInstance[0];
        }
    }

    private boolean readPropertyMultipleAck(BacnetPdu out) {
        if (pos >= end) {
            return missing();
        }
        while (pos < end) {
            if (!ctxObjectId(out, 0)) {
                return false;
            }
            int type = out.objectType;
            int inst = out.instance;
            out.objectCount++;
            if (!opening(1)) {
                return missing();
            }
            while (!closing(1)) {
                if (reason != null) {
                    return false;
                }
                if (!propertyReference(out, type, inst, 2)) {
                    return false;
                }
                if (opening(4)) {
                    if (!(out.value.present() ? skipTo(4) : firstValue(out.value, 4))) {
                        return false;
                    }
                } else if (opening(5)) {
                    if (!skipTo(5)) {
                        return false;
                    }
                } else {
                    return reason == null ? bad(UNEXPECTED_TAG) : false;
                }
            }
        }
        if (out.itemCount > 0) {
            restoreFirstObject(out);
        }
        return true;
    }

    private boolean covNotification(BacnetPdu out) {
        if (ctxUnsigned(0) != 1) {
            return missing();
        }
        out.processId = num;
        if (!ctxObjectId(out, 1)) {
            return false;
        }
        out.deviceObjectType = out.objectType;
        out.deviceInstance = out.instance;
        if (!ctxObjectId(out, 2)) {
            return false;
        }
        if (ctxUnsigned(3) != 1) {
            return missing();
        }
        out.timeRemaining = num;
        if (!opening(4)) {
            return missing();
        }
        out.objectCount = 1;
        while (!closing(4)) {
            if (reason != null) {
                return false;
            }
            if (ctxUnsigned(0) != 1) {
                return missing();
            }
            int prop = (int) num;
            long index = -1;
            int r = ctxUnsigned(1);
            if (r < 0) {
                return false;
            }
            if (r == 1) {
                index = num;
            }
            if (out.propertyCount == 0) {
                out.propertyId = prop;
                out.arrayIndex = index;
            }
            out.addItem(out.objectType, out.instance, prop, index);
            if (!opening(2)) {
                return missing();
            }
            if (!(out.value.present() ? skipTo(2) : firstValue(out.value, 2))) {
                return false;
            }
            r = ctxUnsigned(3);
            if (r < 0) {
                return false;
            }
            if (r == 1 && out.priority < 0) {
                out.priority = (int) num;
            }
        }
        return true;
    }

    private boolean subscribeCov(BacnetPdu out) {
        if (ctxUnsigned(0) != 1) {
            return missing();
        }
        out.processId = num;
        if (!ctxObjectId(out, 1)) {
            return false;
        }
        int r = ctxUnsigned(2);
        if (r < 0) {
            return false;
        }
        if (r == 1) {
            out.issueConfirmed = num != 0 ? 1 : 0;
        }
        r = ctxUnsigned(3);
        if (r == 1) {
            out.lifetime = num;
        }
        return r >= 0;
    }

    private boolean deviceCommunicationControl(BacnetPdu out) {
        int r = ctxUnsigned(0);
        if (r < 0) {
            return false;
        }
        if (r == 1) {
            out.dccDuration = num;
        }
        if (ctxUnsigned(1) != 1) {
            return missing();
        }
        out.dccState = (int) num;
        return password(out, 2);
    }

    private boolean reinitializeDevice(BacnetPdu out) {
        if (ctxUnsigned(0) != 1) {
            return missing();
        }
        out.reinitState = (int) num;
        return password(out, 1);
    }

    private boolean password(BacnetPdu out, int n) {
        if (pos >= end) {
            return true;
        }
        if (!tag()) {
            return bad(BAD_TAG);
        }
        if (t.kind != CONTEXT || t.tagNumber != n) {
            return bad(UNEXPECTED_TAG);
        }
        out.passwordPresent = true;
        pos = t.next;
        return true;
    }

    private boolean atomicReadFile(BacnetPdu out) {
        if (!appObjectId(out)) {
            return false;
        }
        return fileAccess(out, false);
    }

    private boolean atomicWriteFile(BacnetPdu out) {
        if (!appObjectId(out)) {
            return false;
        }
        return fileAccess(out, true);
    }

    /** [0] stream / [1] record access: signed start, then a count (read) or the data (write). */
    private boolean fileAccess(BacnetPdu out, boolean write) {
        int access = peekOpening(0) ? 0 : peekOpening(1) ? 1 : -1;
        if (access < 0) {
            return reason == null ? missing() : false;
        }
        out.fileAccess = access;
        pos = t.next;
        if (!appSigned()) {
            return false;
        }
        out.fileStart = num;
        if (write && access == 0) {
            if (!appOctets(out)) {
                return false;
            }
        } else {
            if (!appUnsigned(2)) {
                return false;
            }
            out.fileCount = num;
            if (write) {
                // Record access: fileCount records follow; their total length is what the sensor wants.
                int start = pos;
                while (pos < end && !peekClosing(access)) {
                    if (!tag() || t.kind != APPLICATION || t.tagNumber != 6) {
                        return bad(UNEXPECTED_TAG);
                    }
                    pos = t.next;
                }
                out.fileDataOffset = start;
                out.fileDataLength = pos - start;
            }
        }
        return skipTo(access);
    }

    private boolean atomicReadFileAck(BacnetPdu out) {
        if (!tag() || t.kind != APPLICATION || t.tagNumber != 1) {
            return bad(UNEXPECTED_TAG);
        }
        out.endOfFile = t.lvt != 0 ? 1 : 0;
        pos = t.next;
        int access = peekOpening(0) ? 0 : peekOpening(1) ? 1 : -1;
        if (access < 0) {
            return reason == null ? missing() : false;
        }
        out.fileAccess = access;
        pos = t.next;
        if (!appSigned()) {
            return false;
        }
        out.fileStart = num;
        if (access == 0) {
            if (!appOctets(out)) {
                return false;
            }
        } else {
            if (!appUnsigned(2)) {
                return false;
            }
            out.fileCount = num;
        }
        return skipTo(access);
    }

    private boolean atomicWriteFileAck(BacnetPdu out) {
        if (!tag() || t.kind != CONTEXT || t.tagNumber > 1 || t.length < 1 || t.length > 8) {
            return bad(UNEXPECTED_TAG);
        }
        out.fileAccess = t.tagNumber;
        out.fileStart = BacnetTagReader.signed(buf, t.valueOffset, t.length);
        pos = t.next;
        return true;
    }

    private boolean timeSync(BacnetPdu out) {
        if (!tag() || t.kind != APPLICATION || t.tagNumber != 10 || t.length != 4) {
            return bad(UNEXPECTED_TAG);
        }
        out.syncDate = BacnetTagReader.unsigned(buf, t.valueOffset, 4);
        pos = t.next;
        if (!tag() || t.kind != APPLICATION || t.tagNumber != 11 || t.length != 4) {
            return bad(UNEXPECTED_TAG);
        }
        out.syncTime = BacnetTagReader.unsigned(buf, t.valueOffset, 4);
        pos = t.next;
        return true;
    }

    // ---------------------------------------------------------------------------------------------------- values

    /** Decodes the first value after opening tag {@code n} into {@code v} and skips to the matching closing tag. */
    private boolean firstValue(BacnetValue v, int n) {
        if (!tag()) {
            return bad(BAD_TAG);
        }
        if (t.kind == CLOSING) {
            return skipTo(n); // empty list
        }
        if (t.kind != APPLICATION) {
            v.type = BacnetValue.CONSTRUCTED;
            v.offset = pos;
            boolean ok = skipTo(n);
            v.length = Math.max(0, pos - v.offset - 1);
            return ok;
        }
        int off = t.valueOffset;
        int len = t.length;
        switch (t.tagNumber) {
            case BacnetValue.NULL:
                break;
            case BacnetValue.BOOLEAN:
                v.bits = t.lvt != 0 ? 1 : 0;
                break;
            case BacnetValue.UNSIGNED:
            case BacnetValue.ENUMERATED:
                if (len < 1 || len > 8) {
                    return bad(BAD_LENGTH);
                }
                v.bits = BacnetTagReader.unsigned(buf, off, len);
                break;
            case BacnetValue.SIGNED:
                if (len < 1 || len > 8) {
                    return bad(BAD_LENGTH);
                }
                v.bits = BacnetTagReader.signed(buf, off, len);
                break;
            case BacnetValue.REAL:
                if (len != 4) {
                    return bad(BAD_LENGTH);
                }
                v.real = Float.intBitsToFloat((int) BacnetTagReader.unsigned(buf, off, 4));
                break;
            case BacnetValue.DOUBLE:
                if (len != 8) {
                    return bad(BAD_LENGTH);
                }
                v.real = Double.longBitsToDouble(BacnetTagReader.unsigned(buf, off, 8));
                break;
            case BacnetValue.CHARACTER_STRING:
                if (len < 1) {
                    return bad(BAD_LENGTH);
                }
                v.charset = buf[off] & 0xFF;
                off++;
                len--;
                break;
            case BacnetValue.BIT_STRING:
                if (len >= 1) {
                    v.unusedBits = buf[off] & 0xFF;
                    off++;
                    len--;
                }
                break;
            case BacnetValue.DATE:
            case BacnetValue.TIME:
            case BacnetValue.OBJECT_IDENTIFIER:
                if (len != 4) {
                    return bad(BAD_LENGTH);
                }
                v.bits = BacnetTagReader.unsigned(buf, off, 4);
                break;
            default: // OCTET_STRING and the reserved application tags 13-15: keep the bytes
                break;
        }
        v.type = t.tagNumber;
        v.offset = off;
        v.length = len;
        pos = t.next;
        return skipTo(n);
    }

    /** Skips whatever follows (nested constructed data included) up to and past closing tag {@code n}. */
    private boolean skipTo(int n) {
        int depth = 0;
        while (true) {
            if (!tag()) {
                return bad(BAD_TAG);
            }
            pos = t.next;
            if (t.kind == OPENING) {
                depth++;
            } else if (t.kind == CLOSING) {
                if (depth == 0) {
                    return t.tagNumber == n || bad(UNEXPECTED_TAG);
                }
                depth--;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- tags

    private boolean tag() {
        return t.read(buf, pos, end);
    }

    private boolean bad(String why) {
        reason = why;
        return false;
    }

    private boolean missing() {
        return reason == null ? bad(MISSING_PARAMETER) : false;
    }

    private boolean peekOpening(int n) {
        return tag() && t.kind == OPENING && t.tagNumber == n;
    }

    private boolean peekClosing(int n) {
        return tag() && t.kind == CLOSING && t.tagNumber == n;
    }

    private boolean opening(int n) {
        if (peekOpening(n)) {
            pos = t.next;
            return true;
        }
        return false;
    }

    private boolean closing(int n) {
        if (pos >= end) {
            reason = MISSING_PARAMETER; // a list that never closes
            return false;
        }
        if (peekClosing(n)) {
            pos = t.next;
            return true;
        }
        return false;
    }

    /**
     * Context tag {@code n} holding an unsigned: 1 consumed (value in {@link #num}), 0 absent (not consumed),
     * -1 malformed (reason set).
     */
    private int ctxUnsigned(int n) {
        if (pos >= end) {
            return 0;
        }
        if (!tag()) {
            reason = BAD_TAG;
            return -1;
        }
        if (t.kind != CONTEXT || t.tagNumber != n) {
            return 0;
        }
        if (t.length < 1 || t.length > 4) {
            reason = BAD_LENGTH;
            return -1;
        }
        num = BacnetTagReader.unsigned(buf, t.valueOffset, t.length);
        pos = t.next;
        return 1;
    }

    private boolean ctxObjectId(BacnetPdu out, int n) {
        if (!tag()) {
            return bad(pos >= end ? MISSING_PARAMETER : BAD_TAG);
        }
        if (t.kind != CONTEXT || t.tagNumber != n) {
            return bad(UNEXPECTED_TAG);
        }
        return objectId(out);
    }

    private boolean appObjectId(BacnetPdu out) {
        if (!tag()) {
            return bad(pos >= end ? MISSING_PARAMETER : BAD_TAG);
        }
        if (t.kind != APPLICATION || t.tagNumber != 12) {
            return bad(UNEXPECTED_TAG);
        }
        return objectId(out);
    }

    private boolean objectId(BacnetPdu out) {
        if (t.length != 4) {
            return bad(BAD_LENGTH);
        }
        int v = (int) BacnetTagReader.unsigned(buf, t.valueOffset, 4);
        out.objectType = v >>> 22;
        out.instance = v & 0x3FFFFF;
        pos = t.next;
        return true;
    }

    /** Application-tagged UNSIGNED (2) or ENUMERATED (9) into {@link #num}. */
    private boolean appUnsigned(int appTag) {
        if (!tag()) {
            return bad(pos >= end ? MISSING_PARAMETER : BAD_TAG);
        }
        if (t.kind != APPLICATION || t.tagNumber != appTag) {
            return bad(UNEXPECTED_TAG);
        }
        if (t.length < 1 || t.length > 4) {
            return bad(BAD_LENGTH);
        }
        num = BacnetTagReader.unsigned(buf, t.valueOffset, t.length);
        pos = t.next;
        return true;
    }

    private boolean appSigned() {
        if (!tag()) {
            return bad(pos >= end ? MISSING_PARAMETER : BAD_TAG);
        }
        if (t.kind != APPLICATION || t.tagNumber != 3) {
            return bad(UNEXPECTED_TAG);
        }
        if (t.length < 1 || t.length > 4) {
            return bad(BAD_LENGTH);
        }
        num = BacnetTagReader.signed(buf, t.valueOffset, t.length);
        pos = t.next;
        return true;
    }

    private boolean appOctets(BacnetPdu out) {
        if (!tag()) {
            return bad(pos >= end ? MISSING_PARAMETER : BAD_TAG);
        }
        if (t.kind != APPLICATION || t.tagNumber != 6) {
            return bad(UNEXPECTED_TAG);
        }
        out.fileDataOffset = t.valueOffset;
        out.fileDataLength = t.length;
        pos = t.next;
        return true;
    }
}
