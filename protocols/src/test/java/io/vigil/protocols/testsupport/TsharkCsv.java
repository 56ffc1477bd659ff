package io.vigil.protocols.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed Wireshark reference decodes of the corpus ({@code *.tshark.csv}: tshark 4.0, {@code -T fields -E
 * header=y -E quote=d -E occurrence=a -E aggregator='|'}): a header line of field names, then one row per frame.
 */
public final class TsharkCsv {
    private TsharkCsv() {
    }

    /** Rows by frame number (column 0); cells by column, unquoted. */
    public static Map<Long, String[]> byFrame(Path csv) throws IOException {
        Map<Long, String[]> m = new HashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] c = split(lines.get(i)).toArray(new String[0]);
            m.put(Long.parseLong(c[0]), c);
        }
        return m;
    }

    /** Rows by frame number as given ("12"), cells by field name. */
    public static Map<String, Map<String, String>> byFrameAndName(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Map<String, Map<String, String>> rows = new HashMap<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = split(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            List<String> c = split(lines.get(i));
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < header.size() && k < c.size(); k++) {
                row.put(header.get(k), c.get(k));
            }
            rows.put(row.get("frame.number"), row);
        }
        return rows;
    }

    /** One CSV line: double-quoted cells may hold commas and doubled quotes. */
    public static List<String> split(String line) {
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
}
