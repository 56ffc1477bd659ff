package io.vigil.protocols.modbus;

/**
 * One Modbus/TCP ADU (MBAP header + PDU), decoded into a mutable flyweight that one worker reuses
 * for every ADU so that parsing allocates nothing. Arrays are sized for the largest legal PDU
 * (MBAP length 254) and filled, never replaced.
 *
 * <p>Numbers are as on the wire: addresses are the zero-based "reference", not the 4xxxx/3xxxx
 * register numbers of vendor manuals. Fields a PDU does not carry stay at -1 (numbers) or 0
 * (counts), so a consumer never mistakes an absent address for address 0.
 */
public final class ModbusPdu {
    /** Register values in one PDU: FC 3/4/23 read at most 125 (MBAP length caps the rest). */
    public static final int MAX_REGISTERS = 125;
    /** Coil/discrete input bytes in one PDU: 2000 bits of FC 1/2, 1968 of FC 15. */
    public static final int MAX_BIT_BYTES = 250;

    public static final int MEI_CANOPEN = 13;
    public static final int MEI_READ_DEVICE_ID = 14;

    // ---- MBAP ----
    public int transactionId;
    public int protocolId;
    /** MBAP length: unit id + PDU bytes. */
    public int length;
    public int unitId;

    // ---- PDU ----
    /** Function code without the exception bit (0x80). */
    public int functionCode;
    public boolean isException;
    /** Exception code of an exception response, -1 otherwise. */
    public int exceptionCode;
    /** Direction as the caller saw it: true for the server's side of the stream. */
    public boolean isResponse;
    /** FC 8 diagnostics sub-function, -1 otherwise. */
    public int subFunction;
    /** FC 43 MEI type (13 CANopen, 14 read device identification), -1 otherwise. */
    public int meiType;
    /** FC 43/14 read device id code (1 basic .. 4 individual object), -1 otherwise. */
    public int readDeviceIdCode;
    /** FC 43/14 object id (request) or next object id (response), -1 otherwise. */
    public int objectId;
    /** FC 43/14 response: conformity level, more-follows flag and object count; -1 when absent. */
    public int conformityLevel;
    public int moreFollows;
    public int objectCount;
    /** FC 43/14 response: VendorName, ProductCode and MajorMinorRevision when it carries them. */
    public final ModbusDeviceId deviceId = new ModbusDeviceId();

    /** Reference (zero-based address) of the first coil/register; FC 23: the read reference. */
    public int startAddress;
    /** Registers or coils addressed; FC 23: the read quantity. */
    public int quantity;
    /**
     * True when startAddress/quantity of a response were taken from its matched request because
     * the response itself does not carry them (FC 1-4 and 23 responses).
     */
    public boolean addressFromRequest;
    /** The PDU's own byte count field, -1 when it has none. */
    public int byteCount;

    /** Register values written (FC 6, 16, 23) or read (FC 3, 4, 23, 24), diagnostic data words (FC 8). */
    public final int[] values = new int[MAX_REGISTERS];
    public int valueCount;
    /** Coil/discrete input states packed as on the wire (LSB of byte 0 = first bit): FC 1/2 responses, FC 5, FC 15. */
    public final byte[] bits = new byte[MAX_BIT_BYTES];
    public int bitCount;

    /** FC 22 masks, -1 otherwise. */
    public int andMask;
    public int orMask;
    /** FC 23 write half (the read half is startAddress/quantity), -1 otherwise. */
    public int writeStartAddress;
    public int writeQuantity;

    /** FC 20/21: number of file record sub-requests (or sub-responses). */
    public int fileSubRequests;
    /** FC 24: FIFO pointer address (request), FIFO count (response); -1 otherwise. */
    public int fifoPointerAddress;
    public int fifoCount;
    /** FC 7 output data, FC 11/12 status word; -1 otherwise. */
    public int status;
    /** FC 11/12 event counter and FC 12 message counter, FC 12 event bytes; -1 otherwise. */
    public int eventCount;
    public int messageCount;
    public int eventLogBytes;

    /** FC 65-72 and 100-110, reserved by the specification for user-defined functions. */
    public boolean userDefined;
    /** Neither public nor user-defined (e.g. Schneider's 90): carried, not decoded. */
    public boolean unknownFunction;
    /** The PDU does not parse; {@link #malformedReason} says why (a constant, never built per PDU). */
    public boolean malformed;
    public String malformedReason;

    // ---- transaction matching, filled by ModbusTransactions ----
    public boolean matched;
    /** Frame number of the matched request, -1 when unmatched or a request. */
    public long requestFrame;
    /** Response timestamp minus request timestamp, -1 when unmatched. */
    public long latencyNanos;

    /** Offset of the ADU (MBAP start) in the buffer handed to the parser, valid during onPdu. */
    public int aduOffset;

    public void reset() {
        transactionId = 0;
        protocolId = 0;
        length = 0;
        unitId = 0;
        functionCode = 0;
        isException = false;
        exceptionCode = -1;
        isResponse = false;
        subFunction = -1;
        meiType = -1;
        readDeviceIdCode = -1;
        objectId = -1;
        conformityLevel = -1;
        moreFollows = -1;
        objectCount = -1;
        deviceId.clear();
        startAddress = -1;
        quantity = -1;
        addressFromRequest = false;
        byteCount = -1;
        valueCount = 0;
        bitCount = 0;
        andMask = -1;
        orMask = -1;
        writeStartAddress = -1;
        writeQuantity = -1;
        fileSubRequests = 0;
        fifoPointerAddress = -1;
        fifoCount = -1;
        status = -1;
        eventCount = -1;
        messageCount = -1;
        eventLogBytes = -1;
        userDefined = false;
        unknownFunction = false;
        malformed = false;
        malformedReason = null;
        matched = false;
        requestFrame = -1;
        latencyNanos = -1;
        aduOffset = 0;
    }

    /** Copies every field of {@code o} into this (pre-allocated) PDU, for a sink that keeps one past onPdu. */
    public void copyFrom(ModbusPdu o) {
        transactionId = o.transactionId;
        protocolId = o.protocolId;
        length = o.length;
        unitId = o.unitId;
        functionCode = o.functionCode;
        isException = o.isException;
        exceptionCode = o.exceptionCode;
        isResponse = o.isResponse;
        subFunction = o.subFunction;
        meiType = o.meiType;
        readDeviceIdCode = o.readDeviceIdCode;
        objectId = o.objectId;
        conformityLevel = o.conformityLevel;
        moreFollows = o.moreFollows;
        objectCount = o.objectCount;
        deviceId.copyFrom(o.deviceId);
        startAddress = o.startAddress;
        quantity = o.quantity;
        addressFromRequest = o.addressFromRequest;
        byteCount = o.byteCount;
        System.arraycopy(o.values, 0, values, 0, o.valueCount);
        valueCount = o.valueCount;
        System.arraycopy(o.bits, 0, bits, 0, (o.bitCount + 7) >>> 3);
        bitCount = o.bitCount;
        andMask = o.andMask;
        orMask = o.orMask;
        writeStartAddress = o.writeStartAddress;
        writeQuantity = o.writeQuantity;
        fileSubRequests = o.fileSubRequests;
        fifoPointerAddress = o.fifoPointerAddress;
        fifoCount = o.fifoCount;
        status = o.status;
        eventCount = o.eventCount;
        messageCount = o.messageCount;
        eventLogBytes = o.eventLogBytes;
        userDefined = o.userDefined;
        unknownFunction = o.unknownFunction;
        malformed = o.malformed;
        malformedReason = o.malformedReason;
        matched = o.matched;
        requestFrame = o.requestFrame;
        latencyNanos = o.latencyNanos;
        aduOffset = o.aduOffset;
    }

    /** State of coil/discrete input {@code i} (0-based within this PDU). */
    public boolean bit(int i) {
        return i >= 0 && i < bitCount && (bits[i >>> 3] & (1 << (i & 7))) != 0;
    }

    /** True when the function code is one the specification assigns a public meaning. */
    public static boolean isPublicFunction(int fc) {
        switch (fc) {
            case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 11: case 12:
            case 15: case 16: case 17: case 20: case 21: case 22: case 23: case 24: case 43:
                return true;
            default:
                return false;
        }
    }

    public static boolean isUserDefinedFunction(int fc) {
        return (fc >= 65 && fc <= 72) || (fc >= 100 && fc <= 110);
    }

    @Override
    public String toString() { // diagnostics and test failure messages only
        return "ModbusPdu{tid=" + transactionId + ", unit=" + unitId + ", fc=" + functionCode
            + (isResponse ? " rsp" : " req") + (isException ? ", exception=" + exceptionCode : "")
            + ", start=" + startAddress + ", qty=" + quantity + ", values=" + valueCount + ", bits=" + bitCount
            + (malformed ? ", malformed=" + malformedReason : "") + '}';
    }
}
