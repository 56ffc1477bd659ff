package io.vigil.baseline;

import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.bacnet.BacnetNames;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.dnp3.Dnp3Names;
import io.vigil.protocols.enip.EnipNames;
import io.vigil.protocols.iec104.Iec104Names;
import io.vigil.protocols.observe.BacnetOp;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.ModbusOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.protocols.observe.OpcUaOp;
import io.vigil.protocols.opcua.OpcUaNames;
import io.vigil.protocols.s7comm.S7Names;

/**
 * One industrial request reduced to what every protocol shares: which function, of which
 * {@link IcsOp kind} (read, write, control, program, ...), on which target (a register block, an
 * object and property, a node, an address), with which written value. Models learn operations in
 * this form so that "first write by a master that only read" is one rule for Modbus, BACnet,
 * OPC UA, DNP3, S7comm, EtherNet/IP and IEC 104.
 *
 * <p>A reusable flyweight: {@link #extract} overwrites it.
 */
public final class IndustrialOperation {
    /** Modbus registers are grouped in blocks of this many for "new register range". */
    public static final int REGISTER_BLOCK = 8;

    public AppProtocol protocol;
    public int function;
    public int kind;
    /** What is touched, as a key: 0 when the operation has no target (e.g. Who-Is). */
    public long target;
    /** First address or instance touched, for explanations; -1 when none. */
    public long address;
    /** BACnet object type and property; CIP class and attribute; the first object of the others; -1 when none. */
    public int objectType;
    public int property;
    public boolean hasValue;
    public double value;

    /**
     * Fills this from a request observation; returns false for responses, malformed PDUs and
     * observations that are not industrial operations.
     */
    public boolean extract(Observation o) {
        ObservationType t = o.type;
        if (t == null) {
            return false;
        }
        objectType = -1;
        property = -1;
        address = -1;
        hasValue = false;
        value = Double.NaN;
        target = 0;
        switch (t) {
            case MODBUS_OP:
                return modbus(o.modbus);
            case BACNET_OP:
                return bacnet(o.bacnet);
            case OPCUA_OP:
                return opcua(o.opcua);
            case DNP3_OP:
            case S7COMM_OP:
            case ENIP_OP:
            case IEC104_OP:
                return ics(o.appProtocol, o.ics);
            default:
                return false;
        }
    }

    private boolean modbus(ModbusOp m) {
        if (m.isResponse || m.malformed) {
            return false;
        }
        protocol = AppProtocol.MODBUS;
        function = m.functionCode;
        kind = modbusKind(m.functionCode);
        if (m.quantity > 0 || m.startAddress > 0 || kind == IcsOp.KIND_WRITE || kind == IcsOp.KIND_READ) {
            address = m.startAddress;
            target = (long) (m.startAddress / REGISTER_BLOCK) << 8 | (m.unitId & 0xFF);
        }
        if (kind == IcsOp.KIND_WRITE && m.valueCount > 0) {
            hasValue = true;
            value = m.values[0];
        }
        return true;
    }

    /** Kind of a Modbus function code (public codes; user-defined and unknown ones are {@code OTHER}). */
    public static int modbusKind(int fc) {
        switch (fc) {
            case 1: case 2: case 3: case 4: case 20: case 24:
                return IcsOp.KIND_READ;
            case 5: case 6: case 15: case 16: case 22: case 23:
                return IcsOp.KIND_WRITE;
            case 21:
                return IcsOp.KIND_PROGRAM; // Write File Record: configuration and program files
            case 7: case 8: case 11: case 12: case 17: case 43:
                return IcsOp.KIND_DIAGNOSTIC;
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    private boolean bacnet(BacnetOp b) {
        if (b.malformed || (b.apduType != BacnetPdu.CONFIRMED_REQUEST && b.apduType != BacnetPdu.UNCONFIRMED_REQUEST)
            || b.serviceChoice < 0) {
            return false;
        }
        protocol = AppProtocol.BACNET;
        boolean confirmed = b.apduType == BacnetPdu.CONFIRMED_REQUEST;
        // Unconfirmed services share numbers with confirmed ones: keep them apart in one code space.
        function = confirmed ? b.serviceChoice : 0x100 | b.serviceChoice;
        kind = confirmed ? bacnetConfirmedKind(b.serviceChoice) : bacnetUnconfirmedKind(b.serviceChoice);
        if (b.objectType >= 0) {
            objectType = b.objectType;
            property = b.propertyId;
            address = b.instance;
            target = ((long) b.objectType << 48) ^ ((long) (b.instance & 0x3FFFFF) << 16) ^ (b.propertyId & 0xFFFF);
        }
        if (kind == IcsOp.KIND_WRITE && !Double.isNaN(b.value)) {
            hasValue = true;
            value = b.value;
        }
        return true;
    }

    public static int bacnetConfirmedKind(int service) {
        switch (service) {
            case 5: case 6: case 12: case 14: case 26: case 27: case 28: case 29: case 30:
                return IcsOp.KIND_READ; // SubscribeCOV, AtomicReadFile, ReadProperty(Multiple), ReadRange, ...
            case 8: case 9: case 15: case 16:
                return IcsOp.KIND_WRITE; // Add/RemoveListElement, WriteProperty(Multiple)
            case 7: case 10: case 11:
                return IcsOp.KIND_PROGRAM; // AtomicWriteFile, CreateObject, DeleteObject
            case 17: case 20:
                return IcsOp.KIND_CONTROL; // DeviceCommunicationControl, ReinitializeDevice
            case 2: case 0: case 1: case 31:
                return IcsOp.KIND_REPORT; // event/COV notifications, alarm acknowledgement
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    public static int bacnetUnconfirmedKind(int service) {
        switch (service) {
            case 0: case 1: case 7: case 8:
                return IcsOp.KIND_DIAGNOSTIC; // I-Am, I-Have, Who-Has, Who-Is
            case 6: case 9:
                return IcsOp.KIND_TIME;
            case 2: case 3:
                return IcsOp.KIND_REPORT;
            case 10:
                return IcsOp.KIND_WRITE; // WriteGroup
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    private boolean opcua(OpcUaOp u) {
        if (u.malformed || u.encrypted || u.serviceId < 0 || u.serviceNamespace != 0) {
            return false;
        }
        String name = OpcUaNames.service(u.serviceId);
        if (name == null || !name.endsWith("Request")) {
            return false;
        }
        protocol = AppProtocol.OPCUA;
        function = (int) u.serviceId;
        kind = opcuaKind((int) u.serviceId);
        if (u.nodeKeyCount > 0) {
            target = u.nodeKey[0];
        }
        return true;
    }

    /** Kind of an OPC UA request by its binary encoding id. */
    public static int opcuaKind(int serviceId) {
        switch (serviceId) {
            case 631: case 664: case 527: case 533: case 554: case 751: case 826: case 832: case 787: case 763:
                return IcsOp.KIND_READ; // Read, HistoryRead, Browse(Next), TranslateBrowsePaths, monitoring, Publish
            case 673: case 700:
                return IcsOp.KIND_WRITE; // Write, HistoryUpdate
            case 712:
                return IcsOp.KIND_CONTROL; // Call
            case 488: case 500: case 494: case 506:
                return IcsOp.KIND_PROGRAM; // AddNodes, DeleteNodes, AddReferences, DeleteReferences
            case 446: case 452: case 461: case 467: case 473:
                return IcsOp.KIND_SESSION;
            case 422: case 428: case 12208:
                return IcsOp.KIND_DIAGNOSTIC; // FindServers, GetEndpoints, FindServersOnNetwork
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    private boolean ics(AppProtocol p, IcsOp op) {
        if (op.isResponse || op.malformed || p == null) {
            return false;
        }
        protocol = p;
        function = op.function;
        kind = op.kind;
        if (op.objectClass != 0 || op.instance != 0 || op.address != 0 || op.objectCount > 0) {
            long object = op.objectClass != 0 ? op.objectClass : op.objectCount > 0 ? op.objects[0] : 0;
            objectType = (int) object;
            property = op.attribute;
            address = op.address != 0 ? op.address : op.instance;
            target = object << 40 ^ op.instance << 24 ^ (op.address >>> 3) ^ op.attribute;
        }
        if (op.valueCount > 0 && (kind == IcsOp.KIND_WRITE || kind == IcsOp.KIND_CONTROL)) {
            hasValue = true;
            value = op.values[0];
        }
        return true;
    }

    /** "FC6", "writeProperty", "WriteRequest": the function as an engineer would name it (allocates: alerts only). */
    public String functionName() {
        switch (protocol) {
            case MODBUS:
                return "FC" + function;
            case BACNET:
                return function >= 0x100 ? BacnetNames.unconfirmedServiceName(function & 0xFF)
                    : BacnetNames.confirmedServiceName(function);
            case OPCUA: {
                String n = OpcUaNames.service(function);
                return n != null ? n.substring(0, n.length() - "Request".length()) : "service " + function;
            }
            case ENIP: {
                // Without CIP the function is 0x10000 | encapsulation command.
                String n = function >= 0x10000 ? EnipNames.command(function & 0xFFFF)
                    : EnipNames.service(function, objectType);
                return n != null ? n : "service 0x" + Integer.toHexString(function);
            }
            case DNP3: {
                String n = Dnp3Names.function(function);
                return n != null ? n : "function " + function;
            }
            case S7COMM:
                return function >= 0 && function <= 0xFF ? S7Names.function(function) : "function 0x"
                    + Integer.toHexString(function);
            case IEC104: {
                String n = Iec104Names.typeName(function);
                return n != null ? n : "type " + function;
            }
            default:
                return "function " + function;
        }
    }
}
