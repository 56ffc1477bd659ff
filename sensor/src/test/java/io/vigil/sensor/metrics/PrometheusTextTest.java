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
}
