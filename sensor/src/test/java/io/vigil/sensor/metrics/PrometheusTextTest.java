package io.vigil.sensor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void escapesLabelValuesAndHelpAsTheFormatRequires() {
        String text = new PrometheusText()
            .counter("x_total", "a \\ backslash\nand a \"quote\"")
            .sample("x_total", 3, "interface", "eth\"0\\\n")
            .toString();
        assertEquals("# HELP x_total a \\\\ backslash\\nand a \"quote\"\n"
            + "# TYPE x_total counter\n"
            + "x_total{interface=\"eth\\\"0\\\\\\n\"} 3\n", text);
        assertEquals(3, (long) Exposition.parse(text).value("x_total{interface=\"eth\"0\\\n\"}"));
    }

    @Test
    void countersMustEndInTotal() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().counter("x", "no suffix"));
    }

    @Test
    void summaryInSecondsWithQuantilesSumAndCount() {
        Histogram micros = new Histogram(3_600_000_000L, 3);
        micros.recordValue(1_000);
        micros.recordValue(3_000);
        String text = new PrometheusText().summary("lat_seconds", "latency", micros, "stage", "decode").toString();
        Exposition e = Exposition.parse(text);
        assertEquals("summary", e.type.get("lat_seconds"));
        assertEquals(0.001, e.value("lat_seconds{stage=\"decode\",quantile=\"0.5\"}"), 1e-5);
        assertEquals(0.003, e.value("lat_seconds{stage=\"decode\",quantile=\"0.999\"}"), 1e-5);
        assertEquals(0.004, e.value("lat_seconds_sum{stage=\"decode\"}"), 1e-5);
        assertEquals(2, (long) e.value("lat_seconds_count{stage=\"decode\"}"));
    }

    @Test
    void histogramBucketsAreCumulativeAndTwoScrapesSubtract() {
        Histogram micros = new Histogram(3_600_000_000L, 2);
        micros.recordValue(40); // 40 µs
        micros.recordValue(700);
        Exposition before = Exposition.parse(new PrometheusText().histogram("lat_seconds", "latency", micros).toString());
        micros.recordValue(900);
        micros.recordValue(30_000);
        micros.recordValue(20_000_000); // 20 s: beyond the last bound
        Exposition after = Exposition.parse(new PrometheusText().histogram("lat_seconds", "latency", micros).toString());
        assertEquals("histogram", after.type.get("lat_seconds"));
        assertEquals(1, (long) after.value("lat_seconds_bucket{le=\"0.00005\"}"));
        assertEquals(1, (long) after.value("lat_seconds_bucket{le=\"0.0005\"}"));
        assertEquals(3, (long) after.value("lat_seconds_bucket{le=\"0.001\"}"));
        assertEquals(4, (long) after.value("lat_seconds_bucket{le=\"0.05\"}"));
        assertEquals(4, (long) after.value("lat_seconds_bucket{le=\"10\"}"));
        assertEquals(5, (long) after.value("lat_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(5, (long) after.value("lat_seconds_count"));
        assertEquals(20.03164, after.value("lat_seconds_sum"), 0.3);
        // Between the scrapes: 0.9 ms, 30 ms and 20 s; one of three within 1 ms.
        assertEquals(1, (long) (after.value("lat_seconds_bucket{le=\"0.001\"}")
            - before.value("lat_seconds_bucket{le=\"0.001\"}")));
        assertEquals(3, (long) (after.value("lat_seconds_count") - before.value("lat_seconds_count")));
    }

    @Test
    void latencyWriterClampsInsteadOfResizing() {
        LatencyHistogram h = new LatencyHistogram();
        LatencyHistogram.Writer w = h.newWriter();
        w.recordNanos(-5);
        w.recordNanos(Long.MAX_VALUE);
        w.recordNanos(2_000_000);
        Histogram snapshot = h.snapshot();
        assertEquals(3, snapshot.getTotalCount());
        assertEquals(0, snapshot.getMinValue());
        assertEquals(LatencyHistogram.HIGHEST_MICROS, snapshot.getMaxValue(), LatencyHistogram.HIGHEST_MICROS / 100);
        w.recordNanos(1_000);
        assertEquals(4, h.snapshot().getTotalCount(), "cumulative over scrapes");
    }

    @Test
    void quantilesForgetWhatLeftTheWindowWhileCountsKeepIt() {
        long s = 1_000_000_000L;
        long window = 60 * s;
        long t0 = 1_000 * s;
        LatencyHistogram h = new LatencyHistogram();
        LatencyHistogram.Writer w = h.newWriter();
        for (int i = 0; i < 99; i++) {
            w.recordNanos(50_000_000); // a slow start: 50 ms while the JIT compiles
        }
        assertEquals(99, h.recent(window, t0).getTotalCount(), "the first read starts the window with all before it");
        w.recordNanos(200_000);
        Histogram later = h.recent(window, t0 + 30 * s);
        assertEquals(100, later.getTotalCount(), "30 s later both are inside a 60 s window");
        w.recordNanos(300_000);
        Histogram now = h.recent(window, t0 + 61 * s);
        assertEquals(2, now.getTotalCount(), "the slow start left the window");
        assertEquals(300, now.getMaxValue(), 3);
        assertEquals(101, h.snapshot().getTotalCount(), "the count covers the whole run");

        String text = new PrometheusText().summary("lat_seconds", "help", now, h.snapshot()).toString();
        Exposition e = Exposition.parse(text);
        assertEquals(0.0003, e.value("lat_seconds{quantile=\"0.999\"}"), 1e-5);
        assertEquals(101, (long) e.value("lat_seconds_count"));
        assertEquals(0, h.recent(window, t0 + 200 * s).getTotalCount(), "nothing recorded in the last minute");
    }
}
