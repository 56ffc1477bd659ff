package io.vigil.export.json;

/**
 * A minimal streaming JSON writer over a reusable StringBuilder: one object per line for
 * decode, flow and stats output. Keeps the sensor free of a JSON library on its output paths
 * and lets a caller reuse one buffer for millions of lines.
 */
public final class JsonWriter {
    private final StringBuilder out;
    private boolean needComma;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public JsonWriter() {
        this(new StringBuilder(256));
    }

    public JsonWriter reset() {
        out.setLength(0);
        needComma = false;
        return this;
    }

    public JsonWriter beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginObject(String name) {
        name(name);
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter beginArray(String name) {
        name(name);
        out.append('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, long value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, boolean value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    /** Finite doubles as numbers; NaN and infinities (not JSON) as null. */
    public JsonWriter field(String name, double value) {
        name(name);
        if (Double.isFinite(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        needComma = true;
        return this;
    }

    public JsonWriter nullField(String name) {
        name(name);
        out.append("null");
        needComma = true;
        return this;
    }

    /** Epoch seconds with nine fraction digits, as tshark prints frame.time_epoch. */
    public JsonWriter epochSeconds(String name, long epochNanos) {
        name(name);
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        out.append(seconds).append('.');
        String frac = Long.toString(nanos);
        for (int i = frac.length(); i < 9; i++) {
            out.append('0');
        }
        out.append(frac);
        needComma = true;
        return this;
    }

    public JsonWriter value(String value) {
        comma();
        string(value);
        needComma = true;
        return this;
    }

    public JsonWriter value(long value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    /** A finite double as a number; NaN and infinities (not JSON) as null. */
    public JsonWriter value(double value) {
        comma();
        if (Double.isFinite(value)) {
            out.append(value);
        } else {
            out.append("null");
        }
        needComma = true;
        return this;
    }

    private void name(String name) {
        comma();
        string(name);
        out.append(':');
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    public StringBuilder buffer() {
        return out;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
