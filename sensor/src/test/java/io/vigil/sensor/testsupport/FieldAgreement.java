package io.vigil.sensor.testsupport;

import java.util.Map;
import java.util.TreeMap;

/**
 * Field-by-field agreement with a reference: totals and per-field counts of fields compared and agreeing; each
 * disagreement is recorded in the {@link KnownDifferences}.
 */
public final class FieldAgreement {
    private final KnownDifferences known;
    private final Map<String, long[]> perField = new TreeMap<>();
    private long compared;
    private long agreed;

    public FieldAgreement(KnownDifferences known) {
        this.known = known;
    }

    /** Counts one compared field; returns whether both sides agree. */
    public boolean compare(String file, long frame, String field, String ours, String theirs) {
        return compare(field, file, frame, field, ours, theirs);
    }

    /**
     * Counts one compared field under {@code label} in the per-field counts (a disagreement is keyed by
     * {@code field}); returns whether both sides agree.
     */
    public boolean compare(String label, String file, long frame, String field, String ours, String theirs) {
        compared++;
        long[] pf = perField.computeIfAbsent(label, k -> new long[2]);
        pf[0]++;
        if (ours.equals(theirs)) {
            agreed++;
            pf[1]++;
            return true;
        }
        known.record(KnownDifferences.key(file, frame, field, ours, theirs));
        return false;
    }

    public long compared() {
        return compared;
    }

    public long agreed() {
        return agreed;
    }

    /** Percentage of compared fields that agree; 0 when none was compared. */
    public double percent() {
        return compared == 0 ? 0 : 100.0 * agreed / compared;
    }

    /** One line per field: {@code format} gets the label, the compared and the agreeing counts. */
    public void appendPerField(StringBuilder report, String format) {
        perField.forEach((k, v) -> report.append(String.format(format, k, v[0], v[1])));
    }
}
