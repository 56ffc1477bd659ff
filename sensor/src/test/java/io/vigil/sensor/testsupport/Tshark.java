package io.vigil.sensor.testsupport;

import io.vigil.sensor.TestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * tshark as a reference: committed {@code *.tshark.csv} files ({@code -E quote=d}) and live
 * {@code -T fields -E occurrence=a -E aggregator='|'} runs, frame number first.
 */
public final class Tshark {
    private Tshark() {
    }

    /** The committed reference next to a capture: {@code NAME.tshark.csv}. */
    public static Path csvOf(Path pcap) {
        return pcap.resolveSibling(pcap.getFileName() + ".tshark.csv");
    }

    /** One line of a tshark csv ({@code -E quote=d}), fields unquoted. */
    public static List<String> splitCsv(String line) {
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

    /** The rows of a csv after its header, each as column name → value (columns a row lacks are absent). */
    public static List<Map<String, String>> csvRows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = splitCsv(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> c = splitCsv(lines.get(i));
            Map<String, String> row = new HashMap<>();
            for (int k = 0; k < header.size() && k < c.size(); k++) {
                row.put(header.get(k), c.get(k));
            }
            rows.add(row);
        }
        return rows;
    }

    /** {@link #csvRows} keyed by frame.number, in frame order. */
    public static Map<Long, Map<String, String>> csvByFrame(Path csv) throws IOException {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        for (Map<String, String> row : csvRows(csv)) {
            rows.put(Long.parseLong(row.get("frame.number")), row);
        }
        return rows;
    }

    /** The csv: frame number → the values of {@code columns} ("" where absent). */
    public static Map<Long, String[]> csvColumns(Path csv, String... columns) throws IOException {
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

    /**
     * Runs {@code tshark [-n] -r PCAP -Y FILTER -T fields -E occurrence=a -E aggregator=| -e frame.number -e F...}
     * and returns its lines split on tabs: column 0 the frame number, column k the k-th field (trailing empty
     * columns kept). {@code numeric}: no name resolution ({@code -n}).
     */
    public static List<String[]> fieldLines(Path pcap, String filter, boolean numeric, String... fields)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark"));
        if (numeric) {
            cmd.add("-n");
        }
        cmd.addAll(List.of("-r", pcap.toString(), "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E",
            "aggregator=|", "-e", "frame.number"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String[]> out = new ArrayList<>();
        for (String line : TestSupport.run(cmd.toArray(new String[0])).split("\n")) {
            if (!line.isBlank()) {
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }

    /** {@link #fieldLines}: frame number → the values of {@code fields} ("" where absent). */
    public static Map<Long, String[]> fields(Path pcap, String filter, boolean numeric, String... fields)
        throws IOException, InterruptedException {
        Map<Long, String[]> rows = new TreeMap<>();
        for (String[] c : fieldLines(pcap, filter, numeric, fields)) {
            String[] v = new String[fields.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = i + 1 < c.length ? c[i + 1] : "";
            }
            rows.put(Long.parseLong(c[0]), v);
        }
        return rows;
    }

    /** {@link #fieldLines}: frame number → field name → value (fields past the line's end absent). */
    public static Map<Long, Map<String, String>> fieldMaps(Path pcap, String filter, boolean numeric,
                                                          String... fields) throws IOException, InterruptedException {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        for (String[] c : fieldLines(pcap, filter, numeric, fields)) {
            Map<String, String> row = new HashMap<>();
            for (int k = 0; k < fields.length && k + 1 < c.length; k++) {
                row.put(fields[k], c[k + 1]);
            }
            rows.put(Long.parseLong(c[0]), row);
        }
        return rows;
    }
}
