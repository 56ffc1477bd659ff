package io.vigil.protocols.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Field values per frame, the shape in which tshark reports a stream protocol: every message is attributed to the
 * frame whose payload completes it (as Wireshark's TCP desegmentation does), and the values of all messages of a
 * frame form one list per field, absent values dropped, as tshark aggregates occurrences.
 */
public final class FrameFields {
    /** Joins the values of one field within a frame; occurs in no compared value (printed as {@code |}). */
    public static final String AGG = "\u0001";

    private final Map<Long, Map<String, String>> frames = new TreeMap<>();

    /** Appends a value to the frame's list for the field; empty and null values are absent and dropped. */
    public void put(long frame, String field, String value) {
        Map<String, String> m = frames.computeIfAbsent(frame, k -> new LinkedHashMap<>());
        if (value != null && !value.isEmpty()) {
            m.merge(field, value, (x, y) -> x + AGG + y);
        }
    }

    /** Notes the frame without values (it counts as a frame compared). */
    public void touch(long frame) {
        frames.computeIfAbsent(frame, k -> new LinkedHashMap<>());
    }

    /** Wraps tshark's own per-frame values, already joined with {@link #AGG}. */
    public static FrameFields of(Map<Long, Map<String, String>> byFrame) {
        FrameFields f = new FrameFields();
        byFrame.forEach((frame, m) -> f.frames.put(frame, new LinkedHashMap<>(m)));
        return f;
    }

    /**
     * A committed {@code *.tshark.csv} ({@link TsharkCsv}) as frame fields: {@code fields[i]} from column
     * {@code columns[i]}, tshark's {@code |}-aggregated occurrences as one list; every row counts as a frame.
     */
    public static FrameFields fromCsv(Path csv, String[] fields, int[] columns) throws IOException {
        FrameFields theirs = new FrameFields();
        for (Map.Entry<Long, String[]> row : TsharkCsv.byFrame(csv).entrySet()) {
            theirs.touch(row.getKey());
            String[] c = row.getValue();
            for (int f = 0; f < fields.length; f++) {
                String v = c.length <= columns[f] ? "" : c[columns[f]];
                theirs.put(row.getKey(), fields[f], v.replace("|", AGG));
            }
        }
        return theirs;
    }

    public String get(long frame, String field) {
        return frames.getOrDefault(frame, Map.of()).getOrDefault(field, "");
    }

    public Set<Long> frames() {
        return frames.keySet();
    }

    /**
     * Compares every frame either side has, field by field; a field counts where either side has a value.
     *
     * @return the number of frames (the union of both sides)
     */
    public static int compare(DiffReport report, String file, FrameFields ours, FrameFields theirs, String... fields) {
        Set<Long> all = new TreeSet<>(ours.frames());
        all.addAll(theirs.frames());
        for (long frame : all) {
            for (String f : fields) {
                report.fieldIfAny(file, Long.toString(frame), f, ours.get(frame, f), theirs.get(frame, f));
            }
        }
        return all.size();
    }

    /** {@link #compare} for one capture, adding its "fields compared, agreed" line to the report's summary. */
    public static void compareFile(DiffReport report, String file, FrameFields ours, FrameFields theirs,
                                   String... fields) {
        long compared = report.compared();
        long agreed = report.agreed();
        compare(report, file, ours, theirs, fields);
        report.line(String.format("  %-40s fields %5d agree %5d", file, report.compared() - compared,
            report.agreed() - agreed));
    }
}
