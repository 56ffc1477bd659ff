package io.vigil.sensor.app;

import io.vigil.sensor.testsupport.FieldAgreement;
import io.vigil.sensor.testsupport.KnownDifferences;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Frame-by-frame comparison of {@code vigil decode} PDU lines with a tshark reference, shared by
 * {@link Iec104DecodeVersusTsharkTest} and {@link MqttDecodeVersusTsharkTest}: the same unit of
 * comparison as {@link AppDecodeVersusTsharkTest} (one field of one frame; our PDUs completing in
 * a frame joined with {@code |} in output order, absent values dropped, as tshark aggregates
 * occurrences) and the same known-differences contract (file, frame, field, ours, tshark's,
 * reason; tab-separated; every disagreement listed, every listed one still occurring).
 */
final class IecMqttFrameDiff {
    private final String[] fields;
    private final KnownDifferences known;
    private final FieldAgreement agreement;
    final StringBuilder report = new StringBuilder();
    long frames;
    int files;

    IecMqttFrameDiff(String knownResource, String... fields) throws IOException {
        this.fields = fields;
        this.known = KnownDifferences.load(knownResource);
        this.agreement = new FieldAgreement(known);
        report.append(String.format("%-50s %8s %8s %8s %9s %9s%n", "file", "frames", "ours", "tshark", "fields",
            "agree"));
    }

    /**
     * Compares one capture. {@code ours} and {@code theirs}: per frame, one value per field (already
     * joined with {@code |}); "" where that side has none.
     */
    void compare(String file, Map<Long, String[]> ours, Map<Long, String[]> theirs, String note) {
        Set<Long> all = new TreeSet<>(ours.keySet());
        all.addAll(theirs.keySet());
        long fileCompared = 0;
        long fileAgreed = 0;
        for (long frame : all) {
            String[] o = ours.get(frame);
            String[] t = theirs.get(frame);
            for (int i = 0; i < fields.length; i++) {
                String ov = o == null ? "" : o[i];
                String tv = t == null ? "" : t[i];
                if (ov.isEmpty() && tv.isEmpty()) {
                    continue;
                }
                fileCompared++;
                if (agreement.compare(file, frame, fields[i], ov, tv)) {
                    fileAgreed++;
                }
            }
        }
        frames += all.size();
        files++;
        report.append(String.format("%-50s %8d %8d %8d %9d %9d  %.3f%% %s%n", file, all.size(), ours.size(),
            theirs.size(), fileCompared, fileAgreed, fileCompared == 0 ? 100.0 : 100.0 * fileAgreed / fileCompared,
            note));
    }

    double agreement() {
        return agreement.percent();
    }

    long compared() {
        return agreement.compared();
    }

    /** Writes the report to target/NAME-diff-report.txt (and unlisted differences next to it); returns the failures. */
    String finish(String name) throws IOException {
        report.append(String.format("%nTOTAL %d files, %d frames, %d fields compared, %d agree (%.4f%%), %s%n", files,
            frames, agreement.compared(), agreement.agreed(), agreement(), known.counts()));
        report.append("\nper field:\n");
        agreement.appendPerField(report, "  %-30s %8d compared %8d agree%n");
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve(name + "-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        known.writeUnlisted(target.resolve(name + "-diff-unlisted.txt"));
        System.out.print(name + "\n" + report);
        return known.failures();
    }

    // ------------------------------------------------------------------ inputs

    /**
     * Groups PDU views by frame: per frame, per field, the non-empty values joined with |.
     * {@code view} turns one PDU line into one value per field ("" for none; a list already joined).
     */
    static Map<Long, String[]> byFrame(List<Map<String, Object>> pdus, int fieldCount,
                                       java.util.function.Function<Map<String, Object>, String[]> view) {
        Map<Long, List<List<String>>> acc = new TreeMap<>();
        for (Map<String, Object> j : pdus) {
            if (Boolean.TRUE.equals(j.get("protocol_mismatch"))) {
                continue;
            }
            long frame = ((Number) j.get("frame")).longValue();
            String[] v = view.apply(j);
            List<List<String>> perFrame = acc.computeIfAbsent(frame, k -> {
                List<List<String>> l = new ArrayList<>();
                for (int i = 0; i < fieldCount; i++) {
                    l.add(new ArrayList<>());
                }
                return l;
            });
            for (int i = 0; i < fieldCount; i++) {
                if (!v[i].isEmpty()) {
                    perFrame.get(i).add(v[i]);
                }
            }
        }
        Map<Long, String[]> out = new TreeMap<>();
        acc.forEach((frame, l) -> {
            String[] s = new String[fieldCount];
            for (int i = 0; i < fieldCount; i++) {
                s[i] = String.join("|", l.get(i));
            }
            out.put(frame, s);
        });
        return out;
    }

    /** A JSON value as tshark would print it: integral numbers without a fraction, booleans 1/0, lists joined with |. */
    static String str(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (o instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        if (o instanceof List<?> l) {
            List<String> s = new ArrayList<>();
            for (Object e : l) {
                s.add(str(e));
            }
            return String.join("|", s);
        }
        return o.toString();
    }

    /** Each |-separated tshark value with hex (0x..) turned into decimal; booleans True/False as 1/0. */
    static String decimal(String v) {
        if (v.isEmpty()) {
            return v;
        }
        String[] parts = v.split("\\|", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("0x")) {
                parts[i] = Long.toString(Long.parseLong(p.substring(2), 16));
            } else if (p.equals("True")) {
                parts[i] = "1";
            } else if (p.equals("False")) {
                parts[i] = "0";
            }
        }
        return String.join("|", parts);
    }
}
