package io.vigil.sensor.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, as a scraper would read it: every sample
 * must belong to a family announced by one HELP and one TYPE line before it, counters end in
 * {@code _total}, summaries have only quantile, _sum and _count samples, label values are quoted
 * and escaped. Throws IllegalArgumentException naming the offending line.
 */
final class Exposition {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped");

    final Map<String, String> help = new LinkedHashMap<>();
    final Map<String, String> type = new LinkedHashMap<>();
    /** Sample key ({@code name} or {@code name{a="x",b="y"}} with unescaped values) to value. */
    final Map<String, Double> samples = new LinkedHashMap<>();

    static Exposition parse(String text) {
        Exposition e = new Exposition();
        String family = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                if (!NAME.matcher(parts[0]).matches() || parts.length < 2) {
                    throw new IllegalArgumentException("bad comment line: " + line);
                }
                if (line.startsWith("# HELP ")) {
                    if (e.help.put(parts[0], parts[1]) != null) {
                        throw new IllegalArgumentException("second HELP for " + parts[0]);
                    }
                    family = parts[0];
                } else {
                    if (!parts[0].equals(family) || !TYPES.contains(parts[1]) || e.type.put(parts[0], parts[1]) != null) {
                        throw new IllegalArgumentException("TYPE must follow its HELP once, with a known type: " + line);
                    }
                    if (parts[1].equals("counter") && !parts[0].endsWith("_total")) {
                        throw new IllegalArgumentException("counter not ending in _total: " + line);
                    }
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad sample line: " + line);
            }
            String name = m.group(1);
            if (family == null || !e.type.containsKey(family) || !belongs(name, family, e.type.get(family))) {
                throw new IllegalArgumentException("sample outside its family's HELP/TYPE block: " + line);
            }
            String key = name + labels(m.group(3), line);
            if (e.samples.put(key, value(m.group(4), line)) != null) {
                throw new IllegalArgumentException("duplicate sample: " + line);
            }
        }
        return e;
    }

    private static boolean belongs(String sample, String family, String type) {
        if (type.equals("summary")) {
            return sample.equals(family) || sample.equals(family + "_sum") || sample.equals(family + "_count");
        }
        if (type.equals("histogram")) {
            return sample.equals(family + "_bucket") || sample.equals(family + "_sum") || sample.equals(family + "_count");
        }
        return sample.equals(family);
    }

    private static String labels(String body, String line) {
        if (body == null) {
            return "";
        }
        StringBuilder key = new StringBuilder("{");
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("bad labels: " + line);
            }
            key.append(key.length() > 1 ? "," : "").append(m.group(1)).append("=\"")
                .append(m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\")).append('"');
            at = m.end();
        }
        return key.append('}').toString();
    }

    private static double value(String s, String line) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value: " + line);
                }
        }
    }

    /** The value of a sample, failing when it is absent. */
    double value(String key) {
        Double v = samples.get(key);
        if (v == null) {
            throw new AssertionError("no sample " + key + " in the exposition");
        }
        return v;
    }

    /** Sum of a family's samples whose key contains every given fragment (e.g. {@code type="scan"}). */
    double sum(String name, String... fragments) {
        double sum = 0;
        for (Map.Entry<String, Double> s : samples.entrySet()) {
            String k = s.getKey();
            if (!k.equals(name) && !k.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String f : fragments) {
                all &= k.contains(f);
            }
            if (all) {
                sum += s.getValue();
            }
        }
        return sum;
    }
}
