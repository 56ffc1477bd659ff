package io.vigil.protocols.iec104;

import io.vigil.protocols.observe.IcsOp;

/**
 * One IEC 60870-5-104 APDU (APCI + optional ASDU), decoded into a mutable flyweight that one
 * worker reuses for every APDU. Arrays are sized for the largest APDU (253 bytes) and filled,
 * never replaced. Absent numbers are -1, so an absent IOA is never mistaken for IOA 0.
 */
public final class Iec104Apdu {
    public static final int TYPE_I = 0;
    public static final int TYPE_S = 1;
    public static final int TYPE_U = 3;
    /** Information objects kept: a 253-byte APDU holds at most 127 (the 7-bit count). */
    public static final int MAX_OBJECTS = 127;

    // ---- APCI ----
    /** {@link #TYPE_I}, {@link #TYPE_S} or {@link #TYPE_U}, as tshark's iec60870_104.type. */
    public int apciType;
    /** The length octet: bytes after it (control field + ASDU). */
    public int apduLength;
    /** U format: the first control octet (0x07 STARTDT act ... 0x83 TESTFR con); -1 otherwise. */
    public int uControl;
    /** I format: send sequence number N(S); -1 otherwise. */
    public int txSeq;
    /** I and S format: receive sequence number N(R); -1 otherwise. */
    public int rxSeq;
    /** Direction as the caller saw it: true from the controlling station (towards port 2404). */
    public boolean fromClient;

    // ---- ASDU (I format only) ----
    public boolean hasAsdu;
    public int typeId;
    public boolean sq;
    /** Number of information objects, as the variable structure qualifier says. */
    public int numObjects;
    /** Cause of transmission, 6 bits. */
    public int cot;
    public boolean negative;
    public boolean test;
    /** Originator address (second COT octet). */
    public int originator;
    public int commonAddress;
    /** The type id has no standard assignment: the header is kept, the objects are not walked. */
    public boolean unknownType;
    /** The objects were not all walked: unknown or variable-size type, or the ASDU ended early. */
    public boolean objectsNotWalked;

    /** IOA of each object walked (with SQ, the first IOA plus the object's index). */
    public final int[] ioa = new int[MAX_OBJECTS];
    public int ioaCount;
    /**
     * The element value of each object walked: the state (single/double point, command state),
     * the measured value (normalized as a fraction of 1, scaled, float), step position, bitstring,
     * counter, qualifier (interrogation, reset, parameter activation) or file name, per type id.
     */
    public final double[] values = new double[MAX_OBJECTS];
    public int valueCount;
    /** Commands (45-51, 58-64): the S/E bit of the first object, true = select; false otherwise. */
    public boolean select;
    /** Commands and set-points: qualifier of the first object (QU or QL), -1 otherwise. */
    public int qualifier;
    /** CP56Time2a of the first object as epoch milliseconds (year octet below 70: 20xx, else 19xx), -1 when absent. */
    public long timeMillis;
    /** The IV (invalid) bit of that time tag. */
    public boolean timeInvalid;

    /** The APDU breaks the standard; {@link #malformedReason} says how (a constant). */
    public boolean malformed;
    public String malformedReason;

    /** Offset of the start octet (0x68) in the buffer handed to the parser, valid during the callback. */
    public int apduOffset;

    public void reset() {
        apciType = TYPE_I;
        apduLength = 0;
        uControl = -1;
        txSeq = -1;
        rxSeq = -1;
        fromClient = false;
        hasAsdu = false;
        typeId = -1;
        sq = false;
        numObjects = -1;
        cot = -1;
        negative = false;
        test = false;
        originator = -1;
        commonAddress = -1;
        unknownType = false;
        objectsNotWalked = false;
        ioaCount = 0;
        valueCount = 0;
        select = false;
        qualifier = -1;
        timeMillis = -1;
        timeInvalid = false;
        malformed = false;
        malformedReason = null;
        apduOffset = 0;
    }

    /**
     * The {@link IcsOp} kind of this APDU: READ for interrogations (100, 101) and read (102);
     * CONTROL for commands (45-51, 58-64; set-points 48-50 and 61-63 included, because a set-point
     * command moves the process, not a stored value) and reset process (105); TIME for clock
     * synchronisation (103) and delay acquisition (106); DIAGNOSTIC for test commands (104, 107);
     * PROGRAM for parameter loading/activation (110-113) and file transfer (120-127); SESSION for
     * U-format STARTDT/STOPDT/TESTFR and secure authentication (41, 81-95); REPORT for the other
     * monitor-direction types (1-40, 70); OTHER for S-format acknowledgements and unassigned types.
     * The kind names the operation whichever side sends it: a command's confirmation is CONTROL too.
     */
    public int kind() {
        if (apciType == TYPE_U) {
            return IcsOp.KIND_SESSION;
        }
        if (apciType == TYPE_S || !hasAsdu) {
            return IcsOp.KIND_OTHER;
        }
        int t = typeId;
        if (t == 41 || t >= 81 && t <= 95) {
            return IcsOp.KIND_SESSION;
        }
        if (t >= 1 && t <= 40 || t == Iec104Names.M_EI_NA_1) {
            return IcsOp.KIND_REPORT;
        }
        if (t >= 45 && t <= 51 || t >= 58 && t <= 64 || t == Iec104Names.C_RP_NA_1) {
            return IcsOp.KIND_CONTROL;
        }
        switch (t) {
            case Iec104Names.C_IC_NA_1: case Iec104Names.C_CI_NA_1: case Iec104Names.C_RD_NA_1:
                return IcsOp.KIND_READ;
            case Iec104Names.C_CS_NA_1: case Iec104Names.C_CD_NA_1:
                return IcsOp.KIND_TIME;
            case Iec104Names.C_TS_NA_1: case Iec104Names.C_TS_TA_1:
                return IcsOp.KIND_DIAGNOSTIC;
            default:
                return t >= 110 && t <= 113 || t >= 120 && t <= 127 ? IcsOp.KIND_PROGRAM : IcsOp.KIND_OTHER;
        }
    }

    /** "I", "S" or "U". */
    public String apciTypeName() {
        return apciType == TYPE_S ? "S" : apciType == TYPE_U ? "U" : "I";
    }

    public String typeName() {
        return hasAsdu ? Iec104Names.typeName(typeId) : null;
    }

    @Override
    public String toString() {
        return "IEC104 " + apciTypeName() + (hasAsdu ? " type " + typeId + " cot " + cot + " ca " + commonAddress
            + " objects " + numObjects : "") + (malformed ? " malformed: " + malformedReason : "");
    }
}
