package io.vigil.sensor.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations and instants the command line takes: "6h", "1h30m", "90s", "3600"; epoch seconds or ISO-8601. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|d|h|m|s)");
    private static final long SECOND = 1_000_000_000L;

    private Durations() {
    }

    public static long parseNanos(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?")) {
            return seconds(new BigDecimal(t));
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        long total = 0;
        while (m.find() && m.start() == at) {
            BigDecimal n = new BigDecimal(m.group(1));
            switch (m.group(2)) {
                case "d": total += seconds(n.multiply(BigDecimal.valueOf(86_400))); break;
                case "h": total += seconds(n.multiply(BigDecimal.valueOf(3_600))); break;
                case "m": total += seconds(n.multiply(BigDecimal.valueOf(60))); break;
                case "ms": total += n.multiply(BigDecimal.valueOf(1_000_000)).longValue(); break;
                default: total += seconds(n);
            }
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 6h, 1h30m, 90s, 3600)");
        }
        return total;
    }

    private static long seconds(BigDecimal s) {
        return s.multiply(BigDecimal.valueOf(SECOND)).longValue();
    }

    /** Epoch seconds (with a fraction) or an ISO-8601 instant, as epoch nanoseconds. */
    static long parseInstantNanos(String text) {
        String t = text.trim();
        if (t.matches("\\d+(\\.\\d+)?")) {
            return seconds(new BigDecimal(t));
        }
        try {
            Instant i = Instant.parse(t);
            return i.getEpochSecond() * SECOND + i.getNano();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text
                + "' (epoch seconds, or ISO-8601 such as 2026-11-25T06:00:00Z)");
        }
    }
}
