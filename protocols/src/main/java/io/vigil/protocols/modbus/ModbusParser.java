package io.vigil.protocols.modbus;

/**
 * Modbus/TCP stream parser: cuts the in-order byte stream of one direction of a connection into
 * ADUs and decodes each into a {@link ModbusPdu}. Stateless apart from counters, so one instance
 * may serve every flow of a worker; unconsumed bytes (an ADU not yet complete) stay with the
 * caller, who offers them again with the next segment.
 *
 * <p><b>Framing.</b> An ADU is accepted where the MBAP header has protocol id 0 and a length of
 * 2..254 (unit id + function code at least, 260-byte ADU at most, as the specification caps it).
 * Anything else is not Modbus; the parser then <em>resynchronises</em>: it skips one byte at a time
 * until a header that passes the MBAP check <em>and</em> carries a function code that is public,
 * user-defined, Schneider's 90, or the exception form of one of these. The stricter test applies
 * only while skipping, so a stream that is in step still reports odd function codes (0, 9, ...),
 * which are exactly what a detector wants to see, while garbage rarely fakes a header. An
 * exception form must have MBAP length 3, and a candidate found while skipping must also decode
 * without being malformed, or skipping goes on one byte past it. Skipped bytes are counted. Since the parser keeps no per-flow state, a call that starts inside garbage
 * judges its first position by the MBAP check alone.
 *
 * <p><b>Robustness.</b> Every read is bounded by the ADU's MBAP length; a PDU whose fields do not
 * fit it, or whose counts contradict each other, is delivered with {@code malformed} set and a
 * constant reason. Nothing throws on hostile input and nothing is allocated per ADU.
 */
public final class ModbusParser {
    /** MBAP header (7) + function code: the least needed to judge a header. */
    private static final int MIN_ADU = 8;
    private static final int MBAP = 7;
    private static final int MAX_MBAP_LENGTH = 254;

    static final String R_LENGTH = "PDU length does not match the function";
    static final String R_QUANTITY = "quantity out of range";
    static final String R_BYTE_COUNT = "byte count does not match quantity or PDU length";
    static final String R_COIL_VALUE = "single coil value not 0x0000/0xFF00";
    static final String R_EXCEPTION_REQUEST = "exception function code in a request";
    static final String R_FILE_RECORD = "file record sub-request does not fit";
    static final String R_FIFO = "FIFO count out of range or inconsistent";
    static final String R_MEI = "device identification objects do not fit";

    private long adus;
    private long malformedAdus;
    private long skippedBytes;
    private long resyncs;

    /**
     * Parses every complete ADU in {@code buf[off, off+len)} and hands each to {@code sink}.
     *
     * @param fromClient true for the request side (client to server)
     * @return bytes consumed: whole ADUs and skipped garbage; an incomplete trailing ADU (or fewer
     *     than 8 trailing bytes) is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, ModbusPdu pdu, ModbusPduSink sink) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        final int end = off + len;
        int pos = off;
        boolean skipping = false;
        while (end - pos >= MIN_ADU) {
            if (!plausibleHeader(buf, pos, skipping)) {
                pos++;
                skippedBytes++;
                skipping = true;
                continue;
            }
            int aduLen = 6 + u16(buf, pos + 4);
            if (end - pos < aduLen) {
                break;
            }
            decode(buf, pos, aduLen, fromClient, pdu);
            if (skipping) {
                if (pdu.malformed) { // garbage that happened to look like a header
                    pos++;
                    skippedBytes++;
                    continue;
                }
                resyncs++;
                skipping = false;
            }
            adus++;
            if (pdu.malformed) {
                malformedAdus++;
            }
            sink.onPdu(pdu);
            pos += aduLen;
        }
        return pos - off;
    }

    /**
     * Content detection for a stream on a port other than 502: the segment must start with a
     * plausible MBAP header and a known function code, and the MBAP length must agree with the
     * segment: the ADU ends exactly at the segment's end or is followed by another plausible header
     * (pipelined requests). An ADU longer than the segment is rejected: a 260-byte ADU fits in any
     * first segment, so a spill-over suggests the length is not an MBAP length.
     */
    public static boolean looksLikeModbus(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < MIN_ADU || off > buf.length - len) {
            return false;
        }
        if (!plausibleHeader(buf, off, true)) {
            return false;
        }
        int aduLen = 6 + u16(buf, off + 4);
        int fc = buf[off + 7] & 0xFF;
        if ((fc & 0x80) != 0 && aduLen != MBAP + 2) {
            return false; // an exception response is exactly fc + exception code
        }
        if (aduLen == len) {
            return true;
        }
        if (aduLen > len) {
            return false;
        }
        int rest = len - aduLen;
        return rest >= MIN_ADU ? plausibleHeader(buf, off + aduLen, true) : false;
    }

    /**
     * Whether a segment starts with plausible MBAP framing (protocol id 0, length 2..254), whatever
     * its function code: enough to take a flow on the Modbus port as Modbus, where an unknown
     * function code or a malformed first ADU is something to report, not a reason to stop parsing
     * the connection.
     */
    public static boolean plausibleFraming(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < MIN_ADU || off > buf.length - len) {
            return false;
        }
        return plausibleHeader(buf, off, false);
    }

    private static boolean plausibleHeader(byte[] b, int p, boolean strict) {
        if (b[p + 2] != 0 || b[p + 3] != 0) {
            return false;
        }
        int length = u16(b, p + 4);
        if (length < 2 || length > MAX_MBAP_LENGTH) {
            return false;
        }
        if (!strict) {
            return true;
        }
        int raw = b[p + 7] & 0xFF;
        if ((raw & 0x80) != 0 && length != 3) {
            return false; // unit id + function code + exception code, nothing else
        }
        int fc = raw & 0x7F;
        return ModbusPdu.isPublicFunction(fc) || ModbusPdu.isUserDefinedFunction(fc) || fc == 90;
    }

    /** Decodes one ADU whose MBAP header was accepted and whose bytes are all present. */
    static void decode(byte[] b, int start, int aduLen, boolean fromClient, ModbusPdu pdu) {
        pdu.reset();
        pdu.aduOffset = start;
        pdu.transactionId = u16(b, start);
        pdu.protocolId = u16(b, start + 2);
        pdu.length = u16(b, start + 4);
        pdu.unitId = b[start + 6] & 0xFF;
        pdu.isResponse = !fromClient;
        int raw = b[start + 7] & 0xFF;
        pdu.functionCode = raw & 0x7F;
        int p = start + MBAP + 1;
        int n = start + aduLen - p; // data bytes after the function code
        if ((raw & 0x80) != 0) {
            pdu.isException = true;
            if (n >= 1) {
                pdu.exceptionCode = b[p] & 0xFF;
            }
            if (fromClient) {
                malformed(pdu, R_EXCEPTION_REQUEST);
            } else if (n != 1) {
                malformed(pdu, R_LENGTH);
            }
            return;
        }
        int fc = pdu.functionCode;
        if (ModbusPdu.isUserDefinedFunction(fc)) {
            pdu.userDefined = true;
            return;
        }
        if (!ModbusPdu.isPublicFunction(fc)) {
            pdu.unknownFunction = true;
            return;
        }
        if (fromClient) {
            request(b, p, n, pdu);
        } else {
            response(b, p, n, pdu);
        }
    }

    private static void request(byte[] b, int p, int n, ModbusPdu pdu) {
        switch (pdu.functionCode) {
            case 1: case 2:
                addressAndQuantity(b, p, n, 2000, pdu);
                break;
            case 3: case 4:
                addressAndQuantity(b, p, n, 125, pdu);
                break;
            case 5:
                singleCoil(b, p, n, pdu);
                break;
            case 6:
                singleRegister(b, p, n, pdu);
                break;
            case 7: case 11: case 12: case 17:
                if (n != 0) {
                    malformed(pdu, R_LENGTH);
                }
                break;
            case 8:
                diagnostics(b, p, n, pdu);
                break;
            case 15:
                writeMultipleCoils(b, p, n, pdu);
                break;
            case 16:
                writeMultipleRegisters(b, p, n, pdu);
                break;
            case 20:
                readFileRecordRequest(b, p, n, pdu);
                break;
            case 21:
                writeFileRecord(b, p, n, pdu);
                break;
            case 22:
                maskWrite(b, p, n, pdu);
                break;
            case 23:
                readWriteRequest(b, p, n, pdu);
                break;
            case 24:
                if (n != 2) {
                    malformed(pdu, R_LENGTH);
                    if (n < 2) {
                        break;
                    }
                }
                pdu.fifoPointerAddress = u16(b, p);
                pdu.startAddress = pdu.fifoPointerAddress;
                break;
            case 43:
                meiRequest(b, p, n, pdu);
                break;
            default:
                break;
        }
    }

    private static void response(byte[] b, int p, int n, ModbusPdu pdu) {
        switch (pdu.functionCode) {
            case 1: case 2:
                readBitsResponse(b, p, n, pdu);
                break;
            case 3: case 4: case 23:
                readRegistersResponse(b, p, n, pdu);
                break;
            case 5:
                singleCoil(b, p, n, pdu);
                break;
            case 6:
                singleRegister(b, p, n, pdu);
                break;
            case 7:
                if (n != 1) {
                    malformed(pdu, R_LENGTH);
                    break;
                }
                pdu.status = b[p] & 0xFF;
                break;
            case 8:
                diagnostics(b, p, n, pdu);
                break;
            case 11:
                if (n != 4) {
                    malformed(pdu, R_LENGTH);
                    break;
                }
                pdu.status = u16(b, p);
                pdu.eventCount = u16(b, p + 2);
                break;
            case 12:
                commEventLog(b, p, n, pdu);
                break;
            case 15:
                addressAndQuantity(b, p, n, 1968, pdu);
                break;
            case 16:
                addressAndQuantity(b, p, n, 123, pdu);
                break;
            case 17:
                if (n < 1 || (b[p] & 0xFF) != n - 1) {
                    malformed(pdu, R_BYTE_COUNT);
                    break;
                }
                pdu.byteCount = b[p] & 0xFF;
                break;
            case 20:
                readFileRecordResponse(b, p, n, pdu);
                break;
            case 21:
                writeFileRecord(b, p, n, pdu); // the normal response echoes the request
                break;
            case 22:
                maskWrite(b, p, n, pdu);
                break;
            case 24:
                fifoResponse(b, p, n, pdu);
                break;
            case 43:
                meiResponse(b, p, n, pdu);
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ function bodies

    /** Fixed-size bodies decode whatever fits even when the length is wrong: the address is still evidence. */
    private static void addressAndQuantity(byte[] b, int p, int n, int maxQuantity, ModbusPdu pdu) {
        if (n != 4) {
            malformed(pdu, R_LENGTH);
            if (n < 4) {
                return;
            }
        }
        pdu.startAddress = u16(b, p);
        pdu.quantity = u16(b, p + 2);
        if (pdu.quantity < 1 || pdu.quantity > maxQuantity) {
            malformed(pdu, R_QUANTITY);
        }
    }

    private static void singleCoil(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n != 4) {
            malformed(pdu, R_LENGTH);
            if (n < 4) {
                return;
            }
        }
        int v = u16(b, p + 2);
        pdu.startAddress = u16(b, p);
        pdu.quantity = 1;
        pdu.values[0] = v;
        pdu.valueCount = 1;
        pdu.bits[0] = (byte) (v == 0xFF00 ? 1 : 0);
        pdu.bitCount = 1;
        if (v != 0xFF00 && v != 0) {
            malformed(pdu, R_COIL_VALUE);
        }
    }

    private static void singleRegister(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n != 4) {
            malformed(pdu, R_LENGTH);
            if (n < 4) {
                return;
            }
        }
        pdu.startAddress = u16(b, p);
        pdu.quantity = 1;
        pdu.values[0] = u16(b, p + 2);
        pdu.valueCount = 1;
    }

    private static void diagnostics(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 2) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.subFunction = u16(b, p);
        // Sub-function 0 echoes arbitrary data; an odd trailing byte is kept out of values, not flagged.
        copyWords(b, p + 2, (n - 2) >>> 1, pdu);
    }

    private static void writeMultipleCoils(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 5) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.startAddress = u16(b, p);
        pdu.quantity = u16(b, p + 2);
        pdu.byteCount = b[p + 4] & 0xFF;
        if (pdu.quantity < 1 || pdu.quantity > 1968) {
            malformed(pdu, R_QUANTITY);
        } else if (pdu.byteCount != (pdu.quantity + 7) >>> 3) {
            malformed(pdu, R_BYTE_COUNT);
        }
        if (pdu.byteCount != n - 5) {
            malformed(pdu, R_BYTE_COUNT);
        }
        copyBits(b, p + 5, Math.min(pdu.byteCount, n - 5), pdu.quantity, pdu);
    }

    private static void writeMultipleRegisters(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 5) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.startAddress = u16(b, p);
        pdu.quantity = u16(b, p + 2);
        pdu.byteCount = b[p + 4] & 0xFF;
        writtenWords(b, p, n, 5, pdu.quantity < 1 || pdu.quantity > 123, pdu.quantity, pdu);
    }

    /**
     * The register values of FC 16 and FC 23, after a header of {@code header} bytes ending in
     * the byte count: checks quantity and byte count against each other and the PDU length, and
     * keeps as many words as are really there.
     */
    private static void writtenWords(byte[] b, int p, int n, int header, boolean badQuantity, int words,
                                     ModbusPdu pdu) {
        if (badQuantity) {
            malformed(pdu, R_QUANTITY);
        } else if (pdu.byteCount != 2 * words) {
            malformed(pdu, R_BYTE_COUNT);
        }
        if (pdu.byteCount != n - header) {
            malformed(pdu, R_BYTE_COUNT);
        }
        copyWords(b, p + header, Math.min(pdu.byteCount, n - header) >>> 1, pdu);
    }

    private static void readFileRecordRequest(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        int bc = b[p] & 0xFF;
        pdu.byteCount = bc;
        if (bc != n - 1 || bc < 7 || bc % 7 != 0) {
            malformed(pdu, R_FILE_RECORD);
        }
        pdu.fileSubRequests = (n - 1) / 7;
    }

    /** FC 21 request and its echoing response: reference type, file, record, length, data. */
    private static void writeFileRecord(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        int bc = b[p] & 0xFF;
        pdu.byteCount = bc;
        if (bc != n - 1) {
            malformed(pdu, R_BYTE_COUNT);
        }
        int q = p + 1;
        int end = p + n;
        int count = 0;
        while (end - q >= 7) {
            int words = u16(b, q + 5);
            q += 7 + 2 * words;
            count++;
        }
        pdu.fileSubRequests = count;
        if (q != end || count == 0) {
            malformed(pdu, R_FILE_RECORD);
        }
    }

    private static void readFileRecordResponse(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        int bc = b[p] & 0xFF;
        pdu.byteCount = bc;
        if (bc != n - 1) {
            malformed(pdu, R_BYTE_COUNT);
        }
        int q = p + 1;
        int end = p + n;
        int count = 0;
        while (end - q >= 2) {
            int fileRespLen = b[q] & 0xFF; // reference type + data
            if (fileRespLen < 1) {
                break;
            }
            q += 1 + fileRespLen;
            count++;
        }
        pdu.fileSubRequests = count;
        if (q != end || count == 0) {
            malformed(pdu, R_FILE_RECORD);
        }
    }

    private static void maskWrite(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n != 6) {
            malformed(pdu, R_LENGTH);
        }
        if (n < 2) {
            return;
        }
        pdu.startAddress = u16(b, p);
        pdu.quantity = 1;
        if (n >= 6) {
            pdu.andMask = u16(b, p + 2);
            pdu.orMask = u16(b, p + 4);
        }
    }

    private static void readWriteRequest(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 9) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.startAddress = u16(b, p);
        pdu.quantity = u16(b, p + 2);
        pdu.writeStartAddress = u16(b, p + 4);
        pdu.writeQuantity = u16(b, p + 6);
        pdu.byteCount = b[p + 8] & 0xFF;
        writtenWords(b, p, n, 9,
            pdu.quantity < 1 || pdu.quantity > 125 || pdu.writeQuantity < 1 || pdu.writeQuantity > 121,
            pdu.writeQuantity, pdu);
    }

    private static void meiRequest(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.meiType = b[p] & 0xFF;
        if (pdu.meiType == ModbusPdu.MEI_READ_DEVICE_ID) {
            if (n != 3) {
                malformed(pdu, R_LENGTH);
                return;
            }
            pdu.readDeviceIdCode = b[p + 1] & 0xFF;
            pdu.objectId = b[p + 2] & 0xFF;
        }
    }

    private static void meiResponse(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.meiType = b[p] & 0xFF;
        if (pdu.meiType != ModbusPdu.MEI_READ_DEVICE_ID) {
            return; // CANopen (13) and others carry opaque data
        }
        if (n < 6) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.readDeviceIdCode = b[p + 1] & 0xFF;
        pdu.conformityLevel = b[p + 2] & 0xFF;
        pdu.moreFollows = b[p + 3] & 0xFF;
        pdu.objectId = b[p + 4] & 0xFF;
        pdu.objectCount = b[p + 5] & 0xFF;
        int q = p + 6;
        int end = p + n;
        for (int i = 0; i < pdu.objectCount; i++) {
            if (end - q < 2) {
                malformed(pdu, R_MEI);
                return;
            }
            int length = b[q + 1] & 0xFF;
            if (end - q - 2 >= length) {
                pdu.deviceId.set(b[q] & 0xFF, b, q + 2, length);
            }
            q += 2 + length;
        }
        if (q != end) {
            malformed(pdu, R_MEI);
        }
    }

    private static void readBitsResponse(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.byteCount = b[p] & 0xFF;
        if (pdu.byteCount != n - 1 || pdu.byteCount == 0 || pdu.byteCount > ModbusPdu.MAX_BIT_BYTES) {
            malformed(pdu, R_BYTE_COUNT);
        }
        int bytes = Math.min(pdu.byteCount, n - 1);
        // Until the request is known the bit count is the whole bytes; ModbusTransactions trims it.
        copyBits(b, p + 1, bytes, bytes * 8, pdu);
    }

    private static void readRegistersResponse(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 1) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.byteCount = b[p] & 0xFF;
        if (pdu.byteCount != n - 1 || (pdu.byteCount & 1) != 0 || pdu.byteCount == 0) {
            malformed(pdu, R_BYTE_COUNT);
        }
        copyWords(b, p + 1, Math.min(pdu.byteCount, n - 1) >>> 1, pdu);
    }

    private static void commEventLog(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 7) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.byteCount = b[p] & 0xFF;
        if (pdu.byteCount != n - 1) {
            malformed(pdu, R_BYTE_COUNT);
        }
        pdu.status = u16(b, p + 1);
        pdu.eventCount = u16(b, p + 3);
        pdu.messageCount = u16(b, p + 5);
        pdu.eventLogBytes = n - 7;
    }

    private static void fifoResponse(byte[] b, int p, int n, ModbusPdu pdu) {
        if (n < 4) {
            malformed(pdu, R_LENGTH);
            return;
        }
        pdu.byteCount = u16(b, p);
        pdu.fifoCount = u16(b, p + 2);
        if (pdu.byteCount != n - 2 || pdu.fifoCount > 31 || pdu.byteCount != 2 + 2 * pdu.fifoCount) {
            malformed(pdu, R_FIFO);
        }
        copyWords(b, p + 4, Math.min(pdu.fifoCount, (n - 4) >>> 1), pdu);
    }

    // ------------------------------------------------------------------ helpers

    private static void copyWords(byte[] b, int p, int words, ModbusPdu pdu) {
        int count = Math.min(words, ModbusPdu.MAX_REGISTERS);
        int[] v = pdu.values;
        for (int i = 0; i < count; i++) {
            v[i] = u16(b, p + 2 * i);
        }
        pdu.valueCount = count;
    }

    private static void copyBits(byte[] b, int p, int bytes, int bitCount, ModbusPdu pdu) {
        int count = Math.max(0, Math.min(bytes, ModbusPdu.MAX_BIT_BYTES));
        System.arraycopy(b, p, pdu.bits, 0, count);
        pdu.bitCount = Math.max(0, Math.min(bitCount, count * 8));
    }

    private static void malformed(ModbusPdu pdu, String reason) {
        if (!pdu.malformed) { // the first reason found is the one reported
            pdu.malformed = true;
            pdu.malformedReason = reason;
        }
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    /** ADUs decoded (malformed ones included). */
    public long adus() {
        return adus;
    }

    public long malformedAdus() {
        return malformedAdus;
    }

    /** Bytes skipped while resynchronising on a stream that was not Modbus at that point. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Times a plausible header was found again after skipping. */
    public long resyncs() {
        return resyncs;
    }
}
