package io.vigil.protocols.iec104;

/**
 * IEC 60870-5-104 stream parser: cuts the in-order byte stream of one direction into APDUs
 * (start octet 0x68, length octet, four control octets, optional ASDU) and decodes each into an
 * {@link Iec104Apdu}. It keeps only counters, so one instance serves every flow of a worker;
 * whether a direction is in step lives in the flow's {@link Iec104FlowState}. Unconsumed bytes
 * (an APDU not yet complete) stay with the caller, who offers them again with the next segment.
 *
 * <p><b>Framing.</b> An APDU is any start octet with a length of 4..253; its control field and
 * ASDU are then judged by the decoder, which reports what is wrong instead of dropping the APDU
 * (an unknown U function or a short ASDU is what a detector wants to see). Bytes that are not a
 * start octet with such a length are skipped and counted; in a stream without loss that is what
 * the sender sent, so the next start octet is taken as the sender framed it (as Wireshark does).
 * After a TCP gap or a mid-stream pickup, however, the parser may be inside an APDU, and 0x68 is a
 * common data value: until it is back in step it skips a byte at a time until a start octet heads
 * an APDU that passes the <em>strict</em> check: a valid control field (S: 0x01 0x00; U: one of
 * the six functions, zero octets; length exactly 4) and, for I format, an ASDU whose type id is
 * assigned, whose cause is one the standard names, with at least one object and, for fixed-size
 * types, a length that matches the object count exactly.
 *
 * <p><b>Robustness.</b> The length octet bounds every read (at most 255 bytes per APDU, so the
 * parser never waits for more than that); object walking stops at the APDU's end; a count or
 * size that does not fit is reported as malformed with a constant reason. Nothing throws on
 * hostile input and nothing is allocated per APDU.
 */
public final class Iec104Parser {
    public static final int START = 0x68;
    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 253;
    /** Start octet, length octet and control field. */
    static final int APCI = 6;
    /** Type id, variable structure qualifier, two COT octets, two common address octets. */
    static final int ASDU_HEADER = 6;
    private static final int IOA = 3;

    /** {@link #detect}: not IEC 104. */
    public static final int NO = 0;
    /** {@link #detect}: the first APDU is plausible so far but not complete yet. */
    public static final int MAYBE = 1;
    /** {@link #detect}: the first APDU is complete and passes the strict check; the second is not complete yet. */
    public static final int ONE = 2;
    /** {@link #detect}: two complete APDUs in a row pass the strict check. */
    public static final int YES = 3;

    static final String R_S_FORMAT = "S-format control field has bits set beyond the receive sequence";
    static final String R_U_FUNCTION = "U-format control field is not exactly one of the six functions";
    static final String R_LENGTH = "S/U-format APDU length is not 4";
    static final String R_ASDU_HEADER = "I-format APDU too short for the ASDU header";
    static final String R_NO_OBJECTS = "ASDU with zero information objects";
    static final String R_COT = "cause of transmission 0 (not used)";
    static final String R_OBJECTS = "information objects do not fit the APDU length";
    static final String R_TRAILING = "bytes after the last information object";

    private long apdus;
    private long malformedApdus;
    private long skippedBytes;
    private long resyncs;

    /**
     * Parses every complete APDU in {@code buf[off, off+len)} and hands each to {@code sink}.
     *
     * @param fromClient true for the controlling station's side (towards port 2404)
     * @return bytes consumed: whole APDUs and skipped bytes; an incomplete trailing APDU is left
     *     for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, Iec104Apdu apdu, Iec104FlowState state,
                     Iec104ApduSink sink) {
        if (buf == null || apdu == null || state == null || sink == null || off < 0 || len <= 0
            || off > buf.length - len) {
            return 0;
        }
        final int end = off + len;
        int pos = off;
        boolean strict = state.resynchronising(fromClient);
        while (end - pos >= 2) {
            int length = buf[pos + 1] & 0xFF;
            if ((buf[pos] & 0xFF) != START || length < MIN_LENGTH || length > MAX_LENGTH) {
                pos++;
                skippedBytes++;
                continue;
            }
            int total = 2 + length;
            if (end - pos < total) {
                break;
            }
            if (strict) {
                if (!strictApdu(buf, pos)) {
                    pos++;
                    skippedBytes++;
                    continue;
                }
                resyncs++;
                strict = false;
            }
            decode(buf, pos, fromClient, apdu);
            apdus++;
            if (apdu.malformed) {
                malformedApdus++;
            }
            sink.onApdu(apdu);
            pos += total;
        }
        state.resynchronising(fromClient, strict);
        return pos - off;
    }

    /**
     * Content detection for a stream on a port other than 2404, where a one-octet start value and
     * a length are weak evidence: {@link #YES} when the buffer starts with two complete APDUs that
     * both pass the strict check, {@link #ONE} when the first passes and the second has not
     * arrived (or is incomplete but plausible so far), {@link #MAYBE} when the first is incomplete
     * but plausible so far, {@link #NO} otherwise.
     */
    public static int detect(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 2 || off > buf.length - len) {
            return NO;
        }
        int end = off + len;
        int pos = off;
        for (int n = 0; n < 2; n++) {
            int incomplete = n == 0 ? MAYBE : ONE;
            if (end - pos < 2) {
                return end - pos == 1 && (buf[pos] & 0xFF) != START ? NO : incomplete;
            }
            int length = buf[pos + 1] & 0xFF;
            if ((buf[pos] & 0xFF) != START || length < MIN_LENGTH || length > MAX_LENGTH) {
                return NO;
            }
            if (end - pos < 2 + length) {
                return end - pos >= APCI && !strictControl(buf, pos, length) ? NO : incomplete;
            }
            if (!strictApdu(buf, pos)) {
                return NO;
            }
            pos += 2 + length;
        }
        return YES;
    }

    /** Whether a complete APDU at p (its length octet already in 4..253) passes the strict check. */
    static boolean strictApdu(byte[] b, int p) {
        int length = b[p + 1] & 0xFF;
        if (!strictControl(b, p, length)) {
            return false;
        }
        if ((b[p + 2] & 1) != 0) {
            return true; // S or U, fully checked
        }
        int q = p + APCI;
        int type = b[q] & 0xFF;
        int n = b[q + 1] & 0x7F;
        boolean sq = (b[q + 1] & 0x80) != 0;
        int cot = b[q + 2] & 0x3F;
        if (n == 0 || Iec104Names.causeName(cot) == null || !Iec104Names.isAssigned(type)) {
            return false;
        }
        int size = Iec104Names.elementSize(type);
        if (size < 0) {
            return length - 4 - ASDU_HEADER >= IOA; // variable size: at least the first IOA
        }
        int objects = sq ? IOA + n * size : n * (IOA + size);
        return length - 4 - ASDU_HEADER == objects;
    }

    private static boolean strictControl(byte[] b, int p, int length) {
        int c1 = b[p + 2] & 0xFF;
        if ((c1 & 1) == 0) {
            return (b[p + 4] & 1) == 0 && length >= 4 + ASDU_HEADER;
        }
        if ((c1 & 3) == 1) {
            return c1 == 0x01 && b[p + 3] == 0 && (b[p + 4] & 1) == 0 && length == 4;
        }
        return Iec104Names.uFunctionName(c1) != null && b[p + 3] == 0 && b[p + 4] == 0 && b[p + 5] == 0
            && length == 4;
    }

    /** Decodes one APDU at p whose length octet is in 4..253 and whose bytes are all present. */
    static void decode(byte[] b, int p, boolean fromClient, Iec104Apdu a) {
        a.reset();
        a.apduOffset = p;
        a.fromClient = fromClient;
        int length = b[p + 1] & 0xFF;
        a.apduLength = length;
        int c1 = b[p + 2] & 0xFF;
        if ((c1 & 1) == 0) {
            a.apciType = Iec104Apdu.TYPE_I;
            a.txSeq = (c1 >>> 1) | ((b[p + 3] & 0xFF) << 7);
            a.rxSeq = ((b[p + 4] & 0xFF) >>> 1) | ((b[p + 5] & 0xFF) << 7);
            asdu(b, p + APCI, p + 2 + length, a);
            return;
        }
        if ((c1 & 3) == 1) {
            a.apciType = Iec104Apdu.TYPE_S;
            a.rxSeq = ((b[p + 4] & 0xFF) >>> 1) | ((b[p + 5] & 0xFF) << 7);
            if (c1 != 0x01 || b[p + 3] != 0 || (b[p + 4] & 1) != 0) {
                malformed(a, R_S_FORMAT);
            }
        } else {
            a.apciType = Iec104Apdu.TYPE_U;
            a.uControl = c1;
            if (Iec104Names.uFunctionName(c1) == null || b[p + 3] != 0 || b[p + 4] != 0 || b[p + 5] != 0) {
                malformed(a, R_U_FUNCTION);
            }
        }
        if (length != 4) {
            malformed(a, R_LENGTH);
        }
    }

    private static void asdu(byte[] b, int q, int end, Iec104Apdu a) {
        int have = end - q;
        if (have < ASDU_HEADER) {
            // Keep what the short header has: a truncated command still names its type.
            malformed(a, R_ASDU_HEADER);
            a.hasAsdu = have > 0;
            a.objectsNotWalked = have > 0;
            if (have >= 1) {
                a.typeId = b[q] & 0xFF;
            }
            if (have >= 2) {
                a.sq = (b[q + 1] & 0x80) != 0;
                a.numObjects = b[q + 1] & 0x7F;
            }
            if (have >= 3) {
                cause(b[q + 2] & 0xFF, a);
            }
            if (have >= 4) {
                a.originator = b[q + 3] & 0xFF;
            }
            return;
        }
        a.hasAsdu = true;
        int type = b[q] & 0xFF;
        a.typeId = type;
        a.sq = (b[q + 1] & 0x80) != 0;
        int n = b[q + 1] & 0x7F;
        a.numObjects = n;
        cause(b[q + 2] & 0xFF, a);
        a.originator = b[q + 3] & 0xFF;
        a.commonAddress = u16(b, q + 4);
        q += ASDU_HEADER;
        if (a.cot == 0) {
            malformed(a, R_COT);
        }
        if (n == 0) {
            malformed(a, R_NO_OBJECTS);
        }
        int size = Iec104Names.elementSize(type);
        if (size == Iec104Names.UNASSIGNED || (size == Iec104Names.VARIABLE && type != Iec104Names.F_SG_NA_1)) {
            // No known layout: the first IOA is still where every ASDU puts it.
            a.unknownType = size == Iec104Names.UNASSIGNED;
            a.objectsNotWalked = true;
            if (n > 0 && end - q >= IOA) {
                a.ioa[a.ioaCount++] = u24(b, q);
            }
            return;
        }
        if (type == Iec104Names.F_SG_NA_1) {
            segments(b, q, end, n, a);
            return;
        }
        if (a.sq) {
            if (n > 0 && end - q < IOA) {
                a.objectsNotWalked = true;
                malformed(a, R_OBJECTS);
                return;
            }
            int base = n > 0 ? u24(b, q) : 0;
            q += n > 0 ? IOA : 0;
            for (int i = 0; i < n; i++) {
                if (end - q < size) {
                    a.objectsNotWalked = true;
                    malformed(a, R_OBJECTS);
                    return;
                }
                a.ioa[a.ioaCount++] = (base + i) & 0xFFFFFF;
                element(b, q, type, size, i == 0, a);
                q += size;
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (end - q < IOA + size) {
                    a.objectsNotWalked = true;
                    malformed(a, R_OBJECTS);
                    return;
                }
                a.ioa[a.ioaCount++] = u24(b, q);
                element(b, q + IOA, type, size, i == 0, a);
                q += IOA + size;
            }
        }
        if (q != end) {
            malformed(a, R_TRAILING);
        }
    }

    private static void cause(int octet, Iec104Apdu a) {
        a.cot = octet & 0x3F;
        a.negative = (octet & 0x40) != 0;
        a.test = (octet & 0x80) != 0;
    }

    /** F_SG_NA_1: IOA, name of file, name of section, length of segment, then that many bytes. */
    private static void segments(byte[] b, int q, int end, int n, Iec104Apdu a) {
        for (int i = 0; i < n; i++) {
            if (end - q < IOA + 4 || end - q < IOA + 4 + (b[q + IOA + 3] & 0xFF)) {
                a.objectsNotWalked = true;
                malformed(a, R_OBJECTS);
                return;
            }
            a.ioa[a.ioaCount++] = u24(b, q);
            a.values[a.valueCount++] = u16(b, q + IOA);
            q += IOA + 4 + (b[q + IOA + 3] & 0xFF);
        }
        if (q != end) {
            malformed(a, R_TRAILING);
        }
    }

    /** The value of one element at q (after its IOA); the first object also gives time tag and command bits. */
    private static void element(byte[] b, int q, int type, int size, boolean first, Iec104Apdu a) {
        int v0 = size > 0 ? b[q] & 0xFF : 0; // C_RD_NA_1 has no element: q may be the buffer's end
        double value;
        switch (type) {
            case 1: case 2: case 30:
                value = v0 & 1; // SPI
                break;
            case 3: case 4: case 31:
                value = v0 & 3; // DPI
                break;
            case 5: case 6: case 32:
                value = (byte) (v0 << 1) >> 1; // VTI: 7-bit two's complement
                break;
            case 7: case 8: case 33: case 51: case 64: case 20:
                value = u32(b, q);
                break;
            case 9: case 10: case 34: case 21: case 110:
                value = s16(b, q) / 32768.0;
                break;
            case 48: case 61:
                value = s16(b, q) / 32768.0;
                if (first) {
                    setPointQualifier(b[q + 2] & 0xFF, a);
                }
                break;
            case 11: case 12: case 35: case 111:
                value = s16(b, q);
                break;
            case 49: case 62:
                value = s16(b, q);
                if (first) {
                    setPointQualifier(b[q + 2] & 0xFF, a);
                }
                break;
            case 13: case 14: case 36: case 112:
                value = Float.intBitsToFloat((int) u32(b, q));
                break;
            case 50: case 63:
                value = Float.intBitsToFloat((int) u32(b, q));
                if (first) {
                    setPointQualifier(b[q + 4] & 0xFF, a);
                }
                break;
            case 15: case 16: case 37:
                value = (int) u32(b, q); // binary counter reading, signed
                break;
            case 17: case 38:
                value = v0 & 3; // event state
                break;
            case Iec104Names.M_EI_NA_1:
                value = v0 & 0x7F; // cause of initialisation; bit 7 = after a change of local parameters
                break;
            case 45: case 58:
                value = v0 & 1;
                if (first) {
                    commandQualifier(v0, a);
                }
                break;
            case 46: case 59: case 47: case 60:
                value = v0 & 3;
                if (first) {
                    commandQualifier(v0, a);
                }
                break;
            case 102: case 103:
                value = Double.NaN; // read and clock sync carry no value (103: the time tag below)
                break;
            case 104: case 106: case 107:
                value = u16(b, q); // test pattern, delay in ms, test sequence counter
                break;
            case 120: case 121: case 122: case 123: case 124: case 126: case 127:
                value = u16(b, q); // name of file
                break;
            default:
                value = v0; // SPE/OCI, COI, QOI, QCC, QRP, QPA
                break;
        }
        if (!Double.isNaN(value)) {
            a.values[a.valueCount++] = value;
        }
        if (first) {
            int t = timeOffset(type, size);
            if (t >= 0) {
                cp56(b, q + t, a);
            }
        }
    }

    /** Where the CP56Time2a of an element starts, -1 when it has none. */
    private static int timeOffset(int type, int size) {
        if (type >= 30 && type <= 40 || type >= 58 && type <= 64) {
            return size - 7;
        }
        switch (type) {
            case Iec104Names.C_CS_NA_1: return 0;
            case Iec104Names.C_TS_TA_1: return 2;
            case 126: return 6;
            case 127: return 2;
            default: return -1;
        }
    }

    private static void commandQualifier(int octet, Iec104Apdu a) {
        a.select = (octet & 0x80) != 0;
        a.qualifier = (octet >>> 2) & 0x1F;
    }

    private static void setPointQualifier(int qos, Iec104Apdu a) {
        a.select = (qos & 0x80) != 0;
        a.qualifier = qos & 0x7F;
    }

    /** CP56Time2a: ms, minute (+IV), hour (+SU), day (+day of week), month, year within the century. */
    private static void cp56(byte[] b, int q, Iec104Apdu a) {
        int ms = u16(b, q);
        int minute = b[q + 2] & 0x3F;
        int hour = b[q + 3] & 0x1F;
        int day = b[q + 4] & 0x1F;
        int month = b[q + 5] & 0x0F;
        // Seven bits of year in the century; like Wireshark, 70 and above read as 19xx (some stacks send 109 for 2009).
        int y = b[q + 6] & 0x7F;
        int year = y < 70 ? 2000 + y : 1900 + y;
        a.timeInvalid = (b[q + 2] & 0x80) != 0;
        if (ms > 59_999 || minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12) {
            return; // not a time; the element value still stands
        }
        a.timeMillis = daysFromCivil(year, month, day) * 86_400_000L + hour * 3_600_000L + minute * 60_000L + ms;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm), without java.time. */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    private static void malformed(Iec104Apdu a, String reason) {
        if (!a.malformed) {
            a.malformed = true;
            a.malformedReason = reason;
        }
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
    }

    private static int s16(byte[] b, int p) {
        return (short) u16(b, p);
    }

    private static int u24(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16);
    }

    private static long u32(byte[] b, int p) {
        return (u24(b, p) | ((long) (b[p + 3] & 0xFF) << 24)) & 0xFFFFFFFFL;
    }

    /** APDUs decoded (malformed ones included). */
    public long apdus() {
        return apdus;
    }

    public long malformedApdus() {
        return malformedApdus;
    }

    /** Bytes skipped while out of step with the APDU framing. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** Times the strict check found the framing again after skipping, a gap or a mid-stream pickup. */
    public long resyncs() {
        return resyncs;
    }
}
