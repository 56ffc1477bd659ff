package io.vigil.sensor.realstack;

import io.vigil.export.json.JsonReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON for the realstack tests: reading through the sensor's {@link JsonReader} (objects become
 * LinkedHashMaps, arrays Lists, integral numbers Longs, other numbers Doubles), and a small writer.
 * Enough for {@code vigil decode} lines, {@code --stats-json} and the expected-decode files.
 */
public final class Json {
    private Json() {
    }

    public static Object parse(String text) {
        return JsonReader.parseValue(text);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    /** One object per non-blank line. */
    public static List<Map<String, Object>> lines(String text) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                list.add(object(line.strip()));
            }
        }
        return list;
    }

    /** Writes a map (values: null, Boolean, Number, String, List of those) as one line. */
    public static String write(Map<String, ?> m) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            quote(b, e.getKey());
            b.append(':');
            writeValue(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static void writeValue(StringBuilder b, Object v) {
        if (v == null || v instanceof Boolean || v instanceof Number) {
            b.append(v);
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                writeValue(b, l.get(i));
            }
            b.append(']');
        } else {
            quote(b, v.toString());
        }
    }

    private static void quote(StringBuilder b, String v) {
        b.append('"');
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }
}
