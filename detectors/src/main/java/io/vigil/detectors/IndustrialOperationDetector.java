package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.IndustrialOperation;
import io.vigil.baseline.PeerOperations;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An industrial request a device had not received from that peer while learning, judged on the
 * receiving device (the PLC, controller or server whose behaviour matters):
 * <ul>
 * <li>an escalation — a write, control command, program change or clock setting from a peer
 *     that never issued that kind of operation to this device (a master that only read now writes;
 *     a new master; a station that never set the PLC's clock sets it, which breaks event order
 *     and time-based logic) — is always reported;</li>
 * <li>any other new operation (new function code, new register range, new object or node) only
 *     when the device's rate of new operations while learning makes it surprising.</li>
 * </ul>
 */
public final class IndustrialOperationDetector implements Detector {
    private static final int ESCALATIONS = 1 << IcsOp.KIND_WRITE | 1 << IcsOp.KIND_CONTROL | 1 << IcsOp.KIND_PROGRAM
        | 1 << IcsOp.KIND_TIME;

    @Override
    public void inspect(Detection d) {
        IndustrialOperation op = d.operation();
        Device target = d.destination();
        if (op == null || target == null) {
            return;
        }
        int i = d.novelty(FeatureKind.OPERATION_RECEIVED, target);
        if (i < 0) {
            return;
        }
        Observation o = d.observation();
        long peer = FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo);
        PeerOperations history = target.model().operationsReceivedIfAny();
        int entry = history == null ? -1 : history.indexOf(peer, op.protocol);
        int kindsBefore = entry < 0 ? 0 : history.kinds(entry);
        boolean escalation = (ESCALATIONS & 1 << op.kind) != 0 && (kindsBefore & 1 << op.kind) == 0;
        if (!escalation && !d.surprising(i)) {
            return;
        }
        d.alerted(i);
        report(d, op, target, o, i, history, entry, kindsBefore, escalation);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, IndustrialOperation op, Device target, Observation o, int i,
                               PeerOperations history, int entry, int kindsBefore, boolean escalation) {
        AlertType type = typeOf(op, escalation, kindsBefore);
        String source = IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        String cause = type.label() + "|" + target.id() + "|" + source + "|" + op.protocol.label() + "|"
            + (escalation ? "kind" + op.kind : "fn" + op.function + "/" + op.target);
        if (d.known(cause)) {
            return;
        }
        String explanation = Roles.of(target) + " " + target.ip() + " got " + describe(op) + " from " + source
            + ", which in " + d.learnedFor() + " " + history(op, history, entry) + ".";
        int severity = escalation ? type.baseSeverity() : op.kind == IcsOp.KIND_READ
            || op.kind == IcsOp.KIND_DIAGNOSTIC ? 2 : 3;
        int score = escalation ? Math.max(70, Detection.score(d.surprise(i))) : Detection.score(d.surprise(i));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("function", op.function);
        details.put("function_name", op.functionName());
        details.put("operation_kind", IcsOp.kindName(op.kind));
        if (op.address >= 0) {
            details.put("address", op.address);
        }
        if (op.hasValue) {
            details.put("value", op.value);
        }
        details.put("learned_kinds", kindsText(kindsBefore));
        details.put("surprise_bits", Math.round(d.surprise(i) * 10) / 10.0);
        d.raise(type, cause, severity, score, Detection.confidence(d.evidenceBehind(i)), explanation, target,
            op.protocol.label(), details);
    }

    private static AlertType typeOf(IndustrialOperation op, boolean escalation, int kindsBefore) {
        if (!escalation) {
            return AlertType.NEW_INDUSTRIAL_OPERATION;
        }
        if (kindsBefore == 0) {
            return AlertType.ROGUE_MASTER;
        }
        switch (op.kind) {
            case IcsOp.KIND_PROGRAM:
                return AlertType.PROGRAM_CHANGE;
            case IcsOp.KIND_CONTROL:
                return AlertType.CONTROL_COMMAND;
            default:
                return AlertType.FIRST_WRITE;
        }
    }

    /** "Modbus FC6 write to register 40012 (value 1234)". */
    static String describe(IndustrialOperation op) {
        StringBuilder b = new StringBuilder(protocolName(op)).append(' ').append(op.functionName()).append(' ')
            .append(IcsOp.kindName(op.kind));
        String target = Summaries.target(op);
        if (target != null) {
            b.append(" to ").append(target);
        }
        if (op.hasValue) {
            b.append(" (value ").append(Summaries.number(op.value)).append(')');
        }
        return b.toString();
    }

    /**
     * "only read with FC3 and FC4" when the peer never went beyond reading; "had sent it read/write
     * requests (FC3, FC16) but never a control command" otherwise; "had never sent it Modbus
     * requests" for a new master.
     */
    static String history(IndustrialOperation op, PeerOperations h, int entry) {
        if (entry < 0) {
            return "had never sent it " + protocolName(op) + " requests";
        }
        int kinds = h.kinds(entry);
        StringBuilder functions = new StringBuilder();
        int n = h.functionCount(entry);
        IndustrialOperation named = new IndustrialOperation();
        named.protocol = op.protocol;
        int shown = Math.min(n, 4);
        for (int f = 0; f < shown; f++) {
            named.function = h.function(entry, f);
            functions.append(f == 0 ? "" : f == shown - 1 && shown == n ? " and " : ", ").append(named.functionName());
        }
        if (shown < n || n == PeerOperations.MAX_FUNCTIONS) {
            functions.append(", ...");
        }
        if ((kinds & ~READING) == 0) {
            return "only " + kindsText(kinds) + " with " + functions;
        }
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < 9; k++) {
            if ((kinds & 1 << k) != 0) {
                names.append(names.length() == 0 ? "" : ", ").append(IcsOp.kindName(k));
            }
        }
        return "had sent it " + names + " requests (" + functions + ") but never a " + IcsOp.kindName(op.kind)
            + " request";
    }

    /** Kinds that leave a device as it was: a peer that only did these "only read". */
    private static final int READING = 1 << IcsOp.KIND_READ | 1 << IcsOp.KIND_DIAGNOSTIC | 1 << IcsOp.KIND_SESSION;

    static String kindsText(int mask) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 9; k++) {
            if ((mask & 1 << k) != 0) {
                b.append(b.length() == 0 ? "" : "/").append(verb(k));
            }
        }
        return b.length() == 0 ? "nothing" : b.toString();
    }

    private static String verb(int kind) {
        switch (kind) {
            case IcsOp.KIND_READ: return "read";
            case IcsOp.KIND_WRITE: return "wrote";
            case IcsOp.KIND_CONTROL: return "commanded";
            case IcsOp.KIND_PROGRAM: return "programmed";
            case IcsOp.KIND_DIAGNOSTIC: return "queried diagnostics";
            case IcsOp.KIND_SESSION: return "opened sessions";
            case IcsOp.KIND_TIME: return "set time";
            case IcsOp.KIND_REPORT: return "reported";
            default: return "sent other requests";
        }
    }

    static String protocolName(IndustrialOperation op) {
        switch (op.protocol) {
            case MODBUS: return "Modbus";
            case BACNET: return "BACnet";
            case OPCUA: return "OPC UA";
            case DNP3: return "DNP3";
            case S7COMM: return "S7comm";
            case ENIP: return "CIP";
            case IEC104: return "IEC 104";
            default: return op.protocol.label();
        }
    }
}
