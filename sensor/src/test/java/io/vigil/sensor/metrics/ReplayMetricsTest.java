package io.vigil.sensor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.detectors.AlertType;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.cli.VigilMain;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the shipped scenario with {@code --http-port 0 --http-linger}, scrapes the real endpoint over
 * loopback while the replay lingers, and checks what an operator would: the numbers agree with the
 * run summary and the alert file, the exposition is valid, the latency summaries are ordered.
 */
class ReplayMetricsTest {
    /** The scenario's learning cut-off, as in the README's first command. */
    private static final String LEARN_UNTIL = "1772524920.411";
    private static final Pattern URL = Pattern.compile("serving its metrics on (http://\\S+) for");

    @TempDir
    static Path dir;
    private static String base;
    private static String stats;
    private static List<String> alertLines;
    private static Exposition metrics;
    private static HttpResponse<String> metricsResponse;
    private static HttpResponse<String> ready;
    private static HttpResponse<String> health;
    private static HttpResponse<String> missing;
    private static HttpResponse<String> post;
    private static HttpResponse<String> head;
    private static int exitCode;

    @BeforeAll
    static void replayAndScrape() throws Exception {
        Path capture = TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap");
        Path alerts = dir.resolve("alerts.jsonl");
        Path statsJson = dir.resolve("stats.json");
        LingerSignal err = new LingerSignal();
        AtomicInteger code = new AtomicInteger(-1);
        Thread run = new Thread(() -> code.set(VigilMain.execute(new String[] {"replay", "--learn-until", LEARN_UNTIL,
            "--alerts", alerts.toString(), "--stats-json", statsJson.toString(), "--http-port", "0",
            "--http-linger", "600", capture.toString()}, new PrintWriter(Writer.nullWriter()),
            new PrintWriter(err, true))), "replay-under-test");
        run.start();
        // A generous bound for a loaded machine, not a timing assertion: the replay takes seconds.
        assertTrue(err.lingering.await(300, TimeUnit.SECONDS), "replay never started lingering: " + err.text());
        Matcher m = URL.matcher(err.text());
        assertTrue(m.find(), err.text());
        base = m.group(1);
        metricsResponse = Http.get(base + "/metrics");
        metrics = Exposition.parse(metricsResponse.body());
        ready = Http.get(base + "/ready");
        health = Http.get(base + "/health");
        missing = Http.get(base + "/no-such-page");
        post = Http.request("POST", base + "/metrics");
        head = Http.request("HEAD", base + "/metrics");
        run.interrupt(); // ends the linger
        run.join(TimeUnit.SECONDS.toMillis(120));
        exitCode = code.get();
        stats = Files.readString(statsJson);
        alertLines = Files.readAllLines(alerts);
    }

    @Test
    void replaySucceeded() {
        assertEquals(VigilMain.EXIT_OK, exitCode);
    }

    @Test
    void packetsAndBytesMatchTheRunSummary() {
        long packets = TestSupport.jsonLong(stats, "packets");
        assertTrue(packets > 40_000, stats);
        assertEquals(packets, (long) metrics.value("vigil_packets_total"));
        assertEquals(TestSupport.jsonLong(stats, "packets_processed"), (long) metrics.value("vigil_packets_total"));
        assertEquals(TestSupport.jsonLong(stats, "bytes"), (long) metrics.value("vigil_bytes_total"));
        assertEquals(TestSupport.jsonLong(stats, "ring_drops"), (long) metrics.value("vigil_ring_drops_total"));
        assertEquals(TestSupport.jsonLong(stats, "flows"), (long) metrics.value("vigil_flows_total"));
        assertEquals(TestSupport.jsonLong(stats, "flow_evictions"), (long) metrics.value("vigil_flow_evictions_total"));
        assertEquals(TestSupport.jsonLong(stats, "malformed"), (long) metrics.sum("vigil_malformed_total"));
        assertEquals(TestSupport.jsonLong(stats, "truncated"), (long) metrics.sum("vigil_truncated_total"));
        assertEquals(TestSupport.jsonLong(stats, "devices") + TestSupport.jsonLong(stats, "silent_addresses"),
            (long) metrics.value("vigil_devices"));
        assertEquals(0, (long) metrics.value("vigil_flows_active"), "every flow is flushed at the end of a replay");
        long modbus = Long.parseLong(stats.replaceAll("(?s).*\"modbus\":\\{\"pdus\":(\\d+).*", "$1"));
        assertEquals(modbus, (long) metrics.value("vigil_app_pdus_total{protocol=\"modbus\"}"));
    }

    @Test
    void alertsByTypeMatchTheAlertFile() {
        Map<String, Integer> created = new HashMap<>();
        Map<String, Integer> updated = new HashMap<>();
        Pattern type = Pattern.compile("\"types\":\\[\"([^\"]+)\"\\]");
        for (String line : alertLines) {
            Matcher m = type.matcher(line);
            assertTrue(m.find(), line);
            (line.contains("\"activity_id\":1,") ? created : updated).merge(m.group(1), 1, Integer::sum);
        }
        assertTrue(created.size() >= 5, "the scenario raises several kinds of alert: " + created);
        long total = 0;
        long raisedByAPacket = 0;
        Pattern frame = Pattern.compile("\"evidences\":\\[.*?\"data\":\\{\"frame\":(\\d+)");
        for (String line : alertLines) {
            Matcher f = frame.matcher(line);
            if (line.contains("\"activity_id\":1,") && !line.contains("\"polling_stopped\"") && f.find()
                && Long.parseLong(f.group(1)) != 0) {
                raisedByAPacket++;
            }
        }
        for (AlertType t : AlertType.values()) {
            String label = "type=\"" + t.name().toLowerCase(Locale.ROOT) + "\"";
            assertEquals(created.getOrDefault(t.label(), 0), (int) metrics.sum("vigil_alerts_total", label), t.name());
            assertEquals(updated.getOrDefault(t.label(), 0), (int) metrics.sum("vigil_alert_updates_total", label),
                t.name());
            total += created.getOrDefault(t.label(), 0);
        }
        assertEquals(TestSupport.jsonLong(stats, "alerts"), total);
        // Timed: every alert a packet raised; not an absence (polling stopped) or a flow that idled out.
        assertTrue(raisedByAPacket > 0 && raisedByAPacket <= total, raisedByAPacket + " of " + total);
        assertEquals(raisedByAPacket, (long) metrics.value("vigil_capture_to_alert_seconds_count"),
            "every alert a packet raised is timed");
        assertEquals(raisedByAPacket, (long) metrics.value("vigil_capture_to_alert_histogram_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(raisedByAPacket, (long) metrics.value("vigil_capture_to_output_seconds_count"),
            "and each was written to the outputs by the time the replay ended");
        assertEquals(raisedByAPacket, (long) metrics.value("vigil_capture_to_output_histogram_seconds_count"));
    }

    @Test
    void latencySummariesHaveOrderedQuantiles() {
        for (String name : new String[] {"vigil_capture_to_decode_seconds", "vigil_capture_to_alert_seconds",
            "vigil_capture_to_output_seconds"}) {
            assertEquals("summary", metrics.type.get(name));
            double p50 = metrics.value(name + "{quantile=\"0.5\"}");
            double p99 = metrics.value(name + "{quantile=\"0.99\"}");
            double p999 = metrics.value(name + "{quantile=\"0.999\"}");
            assertTrue(0 <= p50 && p50 <= p99 && p99 <= p999, name + ": " + p50 + " " + p99 + " " + p999);
            assertTrue(metrics.value(name + "_count") > 0, name);
            assertTrue(metrics.value(name + "_sum") >= 0, name);
        }
        for (String name : new String[] {"vigil_capture_to_decode_histogram_seconds",
            "vigil_capture_to_alert_histogram_seconds", "vigil_capture_to_output_histogram_seconds"}) {
            assertEquals("histogram", metrics.type.get(name));
            double below = 0;
            for (String le : new String[] {"0.0001", "0.001", "0.01", "0.1", "1", "10", "+Inf"}) {
                double n = metrics.value(name + "_bucket{le=\"" + le + "\"}");
                assertTrue(n >= below, name + " le " + le + ": buckets are cumulative");
                below = n;
            }
            assertEquals(metrics.value(name + "_count"), below, name);
        }
        // Writing an alert comes after raising it, for the same alerts.
        assertTrue(metrics.value("vigil_capture_to_output_seconds_sum") >= metrics.value("vigil_capture_to_alert_seconds_sum"));
        // One packet in 64 per worker, counted from the first: the sampling the HELP text states.
        long packets = (long) metrics.value("vigil_packets_total");
        assertEquals((packets + 63) / 64, (long) metrics.value("vigil_capture_to_decode_seconds_count"));
    }

    @Test
    void everyFamilyHasHelpAndTypeAndCountersEndInTotal() {
        assertEquals(metrics.help.keySet(), metrics.type.keySet());
        for (Map.Entry<String, String> t : metrics.type.entrySet()) {
            assertTrue(!t.getValue().equals("counter") || t.getKey().endsWith("_total"), t.getKey());
            assertTrue(t.getKey().startsWith("vigil_"), t.getKey());
        }
        assertEquals(0, (long) metrics.value("vigil_export_enabled"), "no Kafka in this run");
        assertTrue(metrics.help.get("vigil_export_enabled").contains("absent"));
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
            metricsResponse.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void healthReadinessAndUnknownPaths() {
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        assertEquals(503, ready.statusCode(), "the replay has ended, so the sensor is not capturing");
        assertEquals("capture: finished (replay finished)\n", ready.body());
        assertEquals(0, (long) metrics.value("vigil_ready"));
        assertEquals(404, missing.statusCode());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    /** Collects stderr and signals once the replay has reported and lingers. */
    private static final class LingerSignal extends Writer {
        private final StringBuilder text = new StringBuilder();
        final CountDownLatch lingering = new CountDownLatch(1);

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
            if (URL.matcher(text).find()) {
                lingering.countDown();
            }
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
