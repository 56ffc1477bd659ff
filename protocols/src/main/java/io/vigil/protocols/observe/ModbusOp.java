package io.vigil.protocols.observe;

import io.vigil.protocols.modbus.ModbusPdu;

/**
 * The part of a Modbus/TCP ADU a device model needs: who asked what of which unit, where, and
 * with which values. Copied out of the parser's flyweight so the observation can cross threads.
 */
public final class ModbusOp {
    /** Written or read values kept per observation; a full FC16 write carries at most 123. */
    public static final int MAX_VALUES = 125;

    public int transactionId;
    public int unitId;
    public int functionCode;
    public boolean isResponse;
    public boolean isException;
    public int exceptionCode;
    public int subFunction;
    public int meiType;
    public int startAddress;
    public int quantity;
    public final int[] values = new int[MAX_VALUES];
    public int valueCount;
    public boolean userDefined;
    public boolean unknownFunction;
    public boolean malformed;
    /** FC 43/14 response: the device's VendorName, ProductCode and MajorMinorRevision. */
    public final io.vigil.protocols.modbus.ModbusDeviceId deviceId = new io.vigil.protocols.modbus.ModbusDeviceId();
    /**
     * Whether {@link #deviceId} belongs to this operation. Kept here, not read from deviceId, so the
     * millions of operations without one never touch that object (a cache miss per ring slot).
     */
    public boolean hasDeviceId;
    /** Request-to-response time for a matched response, -1 otherwise. */
    public long latencyNanos;

    public void copyFrom(ModbusPdu pdu) {
        transactionId = pdu.transactionId;
        unitId = pdu.unitId;
        functionCode = pdu.functionCode;
        isResponse = pdu.isResponse;
        isException = pdu.isException;
        exceptionCode = pdu.exceptionCode;
        subFunction = pdu.subFunction;
        meiType = pdu.meiType;
        startAddress = pdu.startAddress;
        quantity = pdu.quantity;
        valueCount = Math.min(pdu.valueCount, MAX_VALUES);
        System.arraycopy(pdu.values, 0, values, 0, valueCount);
        userDefined = pdu.userDefined;
        unknownFunction = pdu.unknownFunction;
        malformed = pdu.malformed;
        latencyNanos = pdu.matched ? pdu.latencyNanos : -1;
        hasDeviceId = pdu.deviceId.present();
        if (hasDeviceId) {
            deviceId.copyFrom(pdu.deviceId);
        }
    }

    public void copyFrom(ModbusOp o) {
        transactionId = o.transactionId;
        unitId = o.unitId;
        functionCode = o.functionCode;
        isResponse = o.isResponse;
        isException = o.isException;
        exceptionCode = o.exceptionCode;
        subFunction = o.subFunction;
        meiType = o.meiType;
        startAddress = o.startAddress;
        quantity = o.quantity;
        valueCount = o.valueCount;
        System.arraycopy(o.values, 0, values, 0, valueCount);
        userDefined = o.userDefined;
        unknownFunction = o.unknownFunction;
        malformed = o.malformed;
        latencyNanos = o.latencyNanos;
        hasDeviceId = o.hasDeviceId;
        if (hasDeviceId) {
            deviceId.copyFrom(o.deviceId);
        }
    }
}
