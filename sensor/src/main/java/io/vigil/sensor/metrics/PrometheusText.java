package io.vigil.sensor.metrics;

import java.math.BigDecimal;
import org.HdrHistogram.Histogram;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: a {@code # HELP} and a {@code # TYPE}
 * line once per metric family, then its samples. Label values and help text are escaped as the
 * format requires (backslash, double quote and newline in label values; backslash and newline in help).
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The quantiles every latency summary reports. */
    static final double[] QUANTILES = {0.5, 0.99, 0.999};

    /**
     * Upper bounds (seconds) of the buckets every latency histogram reports: fine below the 1 ms the
     * sensor aims at, so a quantile read from them is within 100 µs there, and coarser up to 10 s.
     */
    static final double[] LATENCY_BUCKETS = {0.00005, 0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.0006, 0.0007,
        0.0008, 0.0009, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

    private final StringBuilder out = new StringBuilder(8192);

    /** Starts a counter family; its name must end in {@code _total}. */
    public PrometheusText counter(String name, String help) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        return family(name, "counter", help);
    }

    public PrometheusText gauge(String name, String help) {
        return family(name, "gauge", help);
    }

    /** A counter family with its one unlabelled sample, so the name is written once. */
    public PrometheusText counter(String name, String help, double value) {
        return counter(name, help).sample(name, value);
    }

    /** A gauge family with its one unlabelled sample. */
    public PrometheusText gauge(String name, String help, double value) {
        return gauge(name, help).sample(name, value);
    }

    private PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample without labels. */
    public PrometheusText sample(String name, double value) {
        out.append(name).append(' ');
        return value(value);
    }

    /** A sample with labels given as name, value, name, value... */
    public PrometheusText sample(String name, double value, String... labels) {
        out.append(name);
        labels(labels, null);
        out.append(' ');
        return value(value);
    }

    /**
     * A summary of a latency histogram recorded in microseconds, exposed in seconds: the quantiles,
     * then {@code _sum} (count times the histogram's mean, so exact to the histogram's precision)
     * and {@code _count}.
     */
    public PrometheusText summary(String name, String help, Histogram micros, String... labels) {
        return summary(name, help, micros, micros, labels);
    }

    /**
     * A summary whose quantiles come from a recent window ({@code recentMicros}) and whose
     * {@code _sum} and {@code _count} cover the whole run ({@code micros}), as Prometheus client
     * libraries report summaries: counters never go back, quantiles say how it is now.
     */
    public PrometheusText summary(String name, String help, Histogram recentMicros, Histogram micros,
                                  String... labels) {
        family(name, "summary", help);
        for (double q : QUANTILES) {
            out.append(name);
            labels(labels, q);
            out.append(' ');
            value(recentMicros.getTotalCount() == 0 ? Double.NaN
                : recentMicros.getValueAtPercentile(q * 100) / 1e6);
        }
        out.append(name).append("_sum");
        labels(labels, null);
        out.append(' ');
        value(micros.getTotalCount() == 0 ? 0 : micros.getMean() * micros.getTotalCount() / 1e6);
        out.append(name).append("_count");
        labels(labels, null);
        out.append(' ');
        return value(micros.getTotalCount());
    }

    /**
     * A histogram of a latency recorded in microseconds over the whole run, exposed in seconds with
     * cumulative {@code le} buckets ({@link #LATENCY_BUCKETS}): unlike a summary's quantiles, two
     * scrapes subtract, so the distribution of any interval (a benchmark's measured pass, a
     * Prometheus {@code histogram_quantile(rate(...[5m]))}) is exact to the bucket.
     */
    public PrometheusText histogram(String name, String help, Histogram micros) {
        family(name, "histogram", help);
        for (double le : LATENCY_BUCKETS) {
            out.append(name).append("_bucket{le=\"").append(BigDecimal.valueOf(le).stripTrailingZeros().toPlainString())
                .append("\"} ");
            // HdrHistogram keeps two significant digits: a value within 1 % of a bound may count either side.
            value(micros.getTotalCount() == 0 ? 0 : micros.getCountBetweenValues(0, Math.round(le * 1e6)));
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ");
        value(micros.getTotalCount());
        out.append(name).append("_sum ");
        value(micros.getTotalCount() == 0 ? 0 : micros.getMean() * micros.getTotalCount() / 1e6);
        out.append(name).append("_count ");
        return value(micros.getTotalCount());
    }

    private void labels(String[] labels, Double quantile) {
        if (labels.length == 0 && quantile == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"");
            escape(labels[i + 1], true);
            out.append('"');
        }
        if (quantile != null) {
            out.append(labels.length == 0 ? "" : ",").append("quantile=\"").append(quantile).append('"');
        }
        out.append('}');
    }

    private PrometheusText value(double v) {
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
        } else {
            out.append(v); // Java's shortest round-trip form; scrapers parse its "1.5E-4" exponents too
        }
        out.append('\n');
        return this;
    }

    private void escape(String s, boolean labelValue) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '"' && labelValue) {
                out.append("\\\"");
            } else {
                out.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
