package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.IndustrialOperation;
import io.vigil.baseline.ValueRanges;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value written to a register, property or point far outside the range written there while
 * learning. "Far" is relative to what was learned: outside [min − m, max + m] with
 * m = max(half the learned spread, 10 % of the largest magnitude, 1), so a set-point that moved
 * between 18 and 22 alerts at 30, not at 23, and one always written as 0/1 alerts at 5.
 * Needs {@link #MIN_WRITES} learned writes to the target.
 */
public final class ValueRangeDetector implements Detector {
    public static final int MIN_WRITES = 5;

    @Override
    public void inspect(Detection d) {
        IndustrialOperation op = d.operation();
        Device target = d.destination();
        if (op == null || target == null || !op.hasValue
            || (op.kind != IcsOp.KIND_WRITE && op.kind != IcsOp.KIND_CONTROL)) {
            return;
        }
        ValueRanges ranges = target.model().writesReceivedIfAny();
        int slot = ranges == null ? -1 : ranges.find(FeatureKeys.writeTarget(op));
        if (slot < 0 || ranges.count(slot) < MIN_WRITES) {
            return;
        }
        double lo = ranges.min(slot);
        double hi = ranges.max(slot);
        double margin = Math.max(Math.max((hi - lo) / 2, 0.1 * Math.max(Math.abs(lo), Math.abs(hi))), 1);
        double v = op.value;
        if (v >= lo - margin && v <= hi + margin) {
            return;
        }
        report(d, op, target, ranges, slot, lo, hi, margin);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, IndustrialOperation op, Device target, ValueRanges ranges, int slot,
                               double lo, double hi, double margin) {
        double v = op.value;
        Observation o = d.observation();
        String source = IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        String where = Summaries.target(op);
        String cause = "value|" + target.id() + "|" + op.protocol.label() + "|" + op.target;
        if (d.known(cause)) {
            return;
        }
        double distance = (v < lo ? lo - v : v - hi) / margin;
        int score = (int) Math.min(100, Math.round(50 + 15 * Math.log(1 + distance) / Math.log(2)));
        String explanation = Roles.of(target) + " " + target.ip() + " got " + (where == null ? "a point" : where)
            + " set to " + Summaries.number(v) + " by " + source + " (" + IndustrialOperationDetector.protocolName(op)
            + " " + op.functionName() + "); in " + d.learnedFor() + " the " + ranges.count(slot)
            + " values written there stayed within " + Summaries.number(lo) + " to " + Summaries.number(hi) + ".";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("value", v);
        details.put("learned_min", lo);
        details.put("learned_max", hi);
        details.put("learned_writes", ranges.count(slot));
        d.raise(AlertType.VALUE_OUT_OF_RANGE, cause, AlertType.VALUE_OUT_OF_RANGE.baseSeverity(), score,
            Detection.confidence(ranges.count(slot)), explanation, target, op.protocol.label(), details);
    }
}
