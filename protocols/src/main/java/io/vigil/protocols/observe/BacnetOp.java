package io.vigil.protocols.observe;

import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.bacnet.BacnetValue;

/**
 * The part of a BACnet/IP message a device model needs: the service, the object and property it
 * touches, and a written or read value as a number. Copied out of the parser's flyweight (whose
 * strings are only offsets into a reused buffer) so the observation can cross threads.
 */
public final class BacnetOp {
    private static final int I_AM = 0;
    private static final int DEVICE_OBJECT = 8;

    public int bvlcFunction;
    public int apduType;
    /** Service choice of a confirmed or unconfirmed request or its ACK, -1 when none. */
    public int serviceChoice;
    public int invokeId;
    public int objectType;
    public int instance;
    public int propertyId;
    public long arrayIndex;
    public int priority;
    /** Application tag of the value (BacnetValue constants), BacnetValue.NONE when no value. */
    public int valueType;
    /** The value as a number when it has one (REAL, Unsigned, Enumerated, Boolean ...). */
    public double value;
    /** I-Am / I-Have device instance and vendor id, -1 when absent. */
    public int deviceInstance;
    public int vendorId;
    public int errorClass;
    public int errorCode;
    public boolean malformed;

    public void copyFrom(BacnetPdu pdu) {
        bvlcFunction = pdu.bvlcFunction;
        apduType = pdu.hasApdu ? pdu.apduType : -1;
        serviceChoice = pdu.serviceChoice;
        invokeId = pdu.invokeId;
        objectType = pdu.objectType;
        instance = pdu.instance;
        propertyId = pdu.propertyId;
        arrayIndex = pdu.arrayIndex;
        priority = pdu.priority;
        BacnetValue v = pdu.value;
        valueType = v.type;
        value = numeric(v);
        // I-Am names its device in the object identifier; I-Have and COV carry it separately.
        deviceInstance = pdu.deviceInstance >= 0 ? pdu.deviceInstance
            : pdu.unconfirmedService() == I_AM && pdu.objectType == DEVICE_OBJECT ? pdu.instance : -1;
        vendorId = pdu.vendorId;
        errorClass = pdu.errorClass;
        errorCode = pdu.errorCode;
        malformed = pdu.malformed;
    }

    public void copyFrom(BacnetOp o) {
        bvlcFunction = o.bvlcFunction;
        apduType = o.apduType;
        serviceChoice = o.serviceChoice;
        invokeId = o.invokeId;
        objectType = o.objectType;
        instance = o.instance;
        propertyId = o.propertyId;
        arrayIndex = o.arrayIndex;
        priority = o.priority;
        valueType = o.valueType;
        value = o.value;
        deviceInstance = o.deviceInstance;
        vendorId = o.vendorId;
        errorClass = o.errorClass;
        errorCode = o.errorCode;
        malformed = o.malformed;
    }

    private static double numeric(BacnetValue v) {
        switch (v.type) {
            case BacnetValue.REAL:
            case BacnetValue.DOUBLE:
                return v.real;
            case BacnetValue.BOOLEAN:
            case BacnetValue.UNSIGNED:
            case BacnetValue.ENUMERATED:
            case BacnetValue.SIGNED:
                return v.bits;
            default:
                return Double.NaN;
        }
    }
}
