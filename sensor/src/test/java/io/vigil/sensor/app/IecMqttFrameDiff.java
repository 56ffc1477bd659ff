package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.sensor.TestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    private final String knownResource;
    private final String[] fields;
    private final Map<String, String> known = new LinkedHashMap<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<String> unlisted = new ArrayList<>();
    private final Map<String, long[]> perField = new TreeMap<>();
    final StringBuilder report = new StringBuilder();
    long compared;
    long agreed;
    long frames;
    int files;

    IecMqttFrameDiff(String knownResource, String... fields) throws IOException {
        this.knownResource = knownResource;
        this.fields = fields;
        readKnown();
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
                long[] pf = perField.computeIfAbsent(fields[i], k -> new long[2]);
                pf[0]++;
                if (ov.equals(tv)) {
                    fileAgreed++;
                    pf[1]++;
                    continue;
                }
                String key = String.join("\t", file, Long.toString(frame), fields[i], ov, tv);
                if (known.containsKey(key)) {
                    seen.add(key);
                } else {
                    unlisted.add(key);
                }
            }
        }
        compared += fileCompared;
        agreed += fileAgreed;
        frames += all.size();
        files++;
        report.append(String.format("%-50s %8d %8d %8d %9d %9d  %.3f%% %s%n", file, all.size(), ours.size(),
            theirs.size(), fileCompared, fileAgreed, fileCompared == 0 ? 100.0 : 100.0 * fileAgreed / fileCompared,
            note));
    }

    double agreement() {
        return compared == 0 ? 0 : 100.0 * agreed / compared;
    }

    /** Writes the report to target/NAME-diff-report.txt (and unlisted differences next to it); returns the failures. */
    String finish(String name) throws IOException {
        List<String> stale = new ArrayList<>(known.keySet());
        stale.removeAll(seen);
        report.append(String.format("%nTOTAL %d files, %d frames, %d fields compared, %d agree (%.4f%%), %d differences"
                + " (%d listed, %d unlisted, %d listed but gone)%n", files, frames, compared, agreed, agreement(),
            seen.size() + unlisted.size(), seen.size(), unlisted.size(), stale.size()));
        report.append("\nper field:\n");
        perField.forEach((k, v) -> report.append(String.format("  %-30s %8d compared %8d agree%n", k, v[0], v[1])));
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve(name + "-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        Files.write(target.resolve(name + "-diff-unlisted.txt"), unlisted, StandardCharsets.UTF_8);
        System.out.print(name + "\n" + report);
        StringBuilder sb = new StringBuilder();
        if (!unlisted.isEmpty()) {
            sb.append(unlisted.size()).append(" unlisted differences (file, frame, field, ours, tshark):\n");
            unlisted.stream().limit(60).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        if (!stale.isEmpty()) {
            sb.append(stale.size()).append(" listed differences that no longer occur:\n");
            stale.stream().limit(40).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        return sb.toString();
    }

    private void readKnown() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(knownResource)) {
            if (in == null) {
                return;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length < 6 || c[5].isBlank()) {
                    throw new IllegalStateException(knownResource + " needs 6 tab-separated columns, the last a reason: "
                        + line);
                }
                String key = String.join("\t", c[0], c[1], c[2], c[3], c[4]);
                if (known.put(key, c[5]) != null) {
                    throw new IllegalStateException(knownResource + " lists twice: " + key);
                }
            }
        }
    }

    // ------------------------------------------------------------------ inputs

    /** Runs {@code vigil decode --proto PROTO} in-process; one parsed JSON object per PDU line. */
    static List<Map<String, Object>> decode(Path pcap, String proto, Path tmp) throws IOException {
        Path out = tmp.resolve(pcap.getFileName() + "." + proto + ".jsonl");
        TestSupport.CliResult r = TestSupport.vigil("decode", "--proto", proto, "-o", out.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), pcap.getFileName() + ": " + r.err());
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            lines.add(AppDecodeVersusTsharkTest.Json.parse(line));
        }
        return lines;
    }

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

    /**
     * tshark {@code -T fields -E occurrence=a -E aggregator='|'} for the frames matching {@code filter}:
     * frame number → the values of {@code tsharkFields}.
     */
    static Map<Long, String[]> tshark(Path pcap, String filter, String... tsharkFields)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", filter, "-T",
            "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=/t", "-e", "frame.number"));
        for (String f : tsharkFields) {
            cmd.add("-e");
            cmd.add(f);
        }
        String out = TestSupport.run(cmd.toArray(new String[0]));
        Map<Long, String[]> rows = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            String[] v = new String[tsharkFields.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = i + 1 < c.length ? c[i + 1] : "";
            }
            rows.put(Long.parseLong(c[0]), v);
        }
        return rows;
    }

    /** The committed csv: frame number → the values of {@code columns} ("" where absent). */
    static Map<Long, String[]> csv(Path csv, String... columns) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = splitCsv(lines.get(0));
        int[] at = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            at[i] = header.indexOf(columns[i]);
        }
        int frameAt = header.indexOf("frame.number");
        Map<Long, String[]> rows = new TreeMap<>();
        for (int r = 1; r < lines.size(); r++) {
            List<String> c = splitCsv(lines.get(r));
            String[] v = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                v[i] = at[i] >= 0 && at[i] < c.size() ? c.get(at[i]) : "";
            }
            rows.put(Long.parseLong(c.get(frameAt)), v);
        }
        return rows;
    }

    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
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
