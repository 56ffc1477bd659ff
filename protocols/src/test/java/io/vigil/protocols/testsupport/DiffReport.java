package io.vigil.protocols.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tally of a differential test: fields compared and agreed, overall and per field, and every disagreement
 * checked against the {@link KnownDifferences}. {@link #verify} prints the numbers and fails on an unlisted
 * disagreement, on a listed one that no longer occurs (where asked), on too few comparisons or on agreement under
 * 99%.
 */
public final class DiffReport {
    private final String label;
    private final KnownDifferences known;
    private final Map<String, long[]> perField = new TreeMap<>();
    private final List<String> unlisted = new ArrayList<>();
    private final StringBuilder lines = new StringBuilder();
    private long compared;
    private long agreed;
    private long differences;

    /** @param label names the test in the printed summary and the unlisted-differences file under target/ */
    public DiffReport(String label, KnownDifferences known) {
        this.label = label;
        this.known = known;
    }

    /**
     * Counts one comparison (the caller decides which pairs are worth one). Lists joined with {@link FrameFields#AGG}
     * are spelt with {@code |} in the disagreement's key.
     */
    public void field(String file, String frame, String field, String ours, String theirs) {
        long[] c = perField.computeIfAbsent(field, k -> new long[2]);
        c[0]++;
        compared++;
        if (ours.equals(theirs)) {
            c[1]++;
            agreed++;
            return;
        }
        differences++;
        String key = KnownDifferences.key(file, frame, field, ours.replace(FrameFields.AGG, "|"),
            theirs.replace(FrameFields.AGG, "|"));
        if (!known.accept(key)) {
            unlisted.add(key);
        }
    }

    /** Counts a comparison only where at least one side has a value: absent on both sides says nothing. */
    public void fieldIfAny(String file, String frame, String field, String ours, String theirs) {
        if (!ours.isEmpty() || !theirs.isEmpty()) {
            field(file, frame, field, ours, theirs);
        }
    }

    /** Counts a comparison only where the reference has a value: what it does not decode says nothing. */
    public void fieldIfTheirs(String file, String frame, String field, String ours, String theirs) {
        if (theirs != null && !theirs.isEmpty()) {
            field(file, frame, field, ours == null ? "" : ours, theirs);
        }
    }

    /** A line for the printed summary (per-file numbers and the like). */
    public void line(String text) {
        lines.append(text).append('\n');
    }

    public long compared() {
        return compared;
    }

    public long agreed() {
        return agreed;
    }

    public long differences() {
        return differences;
    }

    public double agreement() {
        return compared == 0 ? 0 : 100.0 * agreed / compared;
    }

    /** "field  compared  agree" lines, one per field. */
    public String perField() {
        StringBuilder sb = new StringBuilder();
        perField.forEach((k, v) -> sb.append(String.format("    %-32s %7d compared %7d agree%n", k, v[0], v[1])));
        return sb.toString();
    }

    /** Prints {@code headline}, the summary lines and per-field numbers; then fails as the class comment says. */
    public void verify(String headline, long minCompared, boolean failOnStale) throws IOException {
        System.out.print(headline + "\n" + lines + perField());
        StringBuilder sb = new StringBuilder();
        if (!unlisted.isEmpty()) {
            sb.append(unlisted.size()).append(" unlisted differences (file, frame, field, ours, reference):\n");
            unlisted.stream().limit(80).forEach(u -> sb.append("  ").append(u).append('\n'));
            Path target = Path.of("target");
            if (Files.isDirectory(target)) { // the whole list, for review and updating
                Files.write(target.resolve(label + "-unlisted-differences.txt"), unlisted, StandardCharsets.UTF_8);
            }
        }
        List<String> stale = known.stale();
        if (failOnStale && !stale.isEmpty()) {
            sb.append(stale.size()).append(" listed differences that no longer occur (").append(known.resource())
                .append("):\n");
            stale.stream().limit(40).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        if (sb.length() > 0) {
            throw new AssertionError(sb.toString());
        }
        if (compared < minCompared) {
            throw new AssertionError(label + ": fields compared " + compared + " < " + minCompared);
        }
        if (agreement() < 99.0) {
            throw new AssertionError(label + ": agreement " + agreement() + "% over " + compared);
        }
    }

    /** The usual one-line headline: label, fields compared and agreed, agreement and the size of the list. */
    public String headline() {
        return String.format("%s: %d fields compared, %d agree (%.3f%%), %d differences, %d listed", label, compared,
            agreed, agreement(), differences, known.size());
    }
}
