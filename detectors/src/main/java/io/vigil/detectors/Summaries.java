package io.vigil.detectors;

import io.vigil.baseline.IndustrialOperation;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;

/** One line per observation for alert evidence ("modbus FC6 write register 40012 value 1234"). Allocates: alerts only. */
final class Summaries {
    private Summaries() {
    }

    static String of(Observation o) {
        IndustrialOperation op = new IndustrialOperation();
        if (op.extract(o)) {
            return operation(op);
        }
        if (o.type == null) {
            return "no traffic (an absence)";
        }
        switch (o.type) {
            case FLOW_START:
                return ipProtocol(o.ipProto)
                    + " connection to port " + o.dstPort;
            case ARP_CLAIM:
                return "arp claim";
            default:
                return o.type.name().toLowerCase(java.util.Locale.ROOT)
                    + (o.appProtocol != null ? " " + o.appProtocol.label() : "");
        }
    }

    /** "tcp", "udp" or "ip proto 47": the transport as alerts name it. */
    static String ipProtocol(int ipProto) {
        return ipProto == 6 ? "tcp" : ipProto == 17 ? "udp" : "ip proto " + ipProto;
    }

    /** "modbus FC6 write register 40012 value 1234.0". */
    static String operation(IndustrialOperation op) {
        StringBuilder b = new StringBuilder(op.protocol.label()).append(' ').append(op.functionName())
            .append(' ').append(IcsOp.kindName(op.kind));
        String target = target(op);
        if (target != null) {
            b.append(' ').append(target);
        }
        if (op.hasValue) {
            b.append(" value ").append(number(op.value));
        }
        return b.toString();
    }

    /** "register 40012", "analog-value,1 present-value"; null when the operation has no target. */
    static String target(IndustrialOperation op) {
        if (op.address < 0) {
            return null;
        }
        switch (op.protocol) {
            case MODBUS:
                // Bits (coils, discrete inputs) and 16-bit registers are separate address spaces.
                return (op.function == 1 || op.function == 2 || op.function == 5 || op.function == 15 ? "coil "
                    : "register ") + op.address;
            case BACNET:
                return io.vigil.protocols.bacnet.BacnetNames.objectTypeName(op.objectType) + "," + op.address + " "
                    + io.vigil.protocols.bacnet.BacnetNames.propertyName(op.property);
            case ENIP:
                return "class 0x" + Integer.toHexString(op.objectType) + " instance " + op.address
                    + (op.property > 0 ? " attribute " + op.property : "");
            case DNP3:
                return "point " + op.address;
            case IEC104:
                return "IOA " + op.address;
            default:
                return "address " + op.address;
        }
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
