package io.vigil.sensor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.export.ExportStatus;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import java.net.http.HttpResponse;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /ready and the export metrics against a Kafka export whose state the test sets, over a real
 * server on loopback: each failing check gives its own line, and spooling through an outage is ready.
 */
class ReadinessTest {
    private SensorSession session;
    private SensorMetrics metrics;
    private MetricsServer server;
    private final SettableExport export = new SettableExport();
    private String base;

    @BeforeEach
    void start() throws Exception {
        session = new SensorSession(PipelineConfig.defaults(false).withRingSize(1024).withMaxFlows(1024), null, 1,
            FlowEndReason.END_OF_CAPTURE);
        metrics = new SensorMetrics(session, export, null);
        server = MetricsServer.start("127.0.0.1", 0, metrics);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        session.close();
    }

    @Test
    void notReadyBeforeCaptureRuns() throws Exception {
        HttpResponse<String> r = Http.get(base + "/ready");
        assertEquals(503, r.statusCode());
        assertEquals("capture: starting (not started yet)\n", r.body());
        assertEquals(200, Http.get(base + "/health").statusCode(), "alive while not ready");
    }

    @Test
    void beforeTheRunIsWiredOnlyHealthAnswers() throws Exception {
        try (MetricsServer early = MetricsServer.start("127.0.0.1", 0)) {
            String url = "http://127.0.0.1:" + early.port();
            assertEquals(200, Http.get(url + "/health").statusCode());
            HttpResponse<String> r = Http.get(url + "/ready");
            assertEquals(503, r.statusCode());
            assertEquals("capture: starting (setting up the run)\n", r.body());
            assertEquals(503, Http.get(url + "/metrics").statusCode());
            early.serve(metrics);
            assertEquals(200, Http.get(url + "/metrics").statusCode());
        }
    }

    @Test
    void readyWhileCapturingWithKafkaReachable() throws Exception {
        metrics.running();
        HttpResponse<String> r = Http.get(base + "/ready");
        assertEquals(200, r.statusCode());
        assertEquals("ready\n", r.body());
    }

    @Test
    void readyWhileSpoolingThroughAKafkaOutage() throws Exception {
        metrics.running();
        export.reachable = false;
        assertEquals(200, Http.get(base + "/ready").statusCode());
        assertEquals(0, (long) scrape().value("vigil_export_kafka_reachable"));
    }

    @Test
    void oneLinePerFailingCheck() throws Exception {
        metrics.running();
        export.reachable = false;
        export.writable = false;
        HttpResponse<String> r = Http.get(base + "/ready");
        assertEquals(503, r.statusCode());
        assertEquals("spool: not writable\nkafka: unreachable and the spool cannot keep alerts meanwhile\n", r.body());
        metrics.finished("capture stopped");
        assertEquals("capture: finished (capture stopped)\nspool: not writable\n"
            + "kafka: unreachable and the spool cannot keep alerts meanwhile\n", Http.get(base + "/ready").body());
    }

    @Test
    void exportStatusIsExposed() throws Exception {
        Exposition e = scrape();
        assertEquals(1, (long) e.value("vigil_export_enabled"));
        assertEquals(7, (long) e.value("vigil_export_spool_depth"));
        assertEquals(1.5, e.value("vigil_export_spool_oldest_age_seconds"));
        assertEquals(4096, (long) e.value("vigil_export_spool_bytes"));
        assertEquals(2, (long) e.value("vigil_export_spool_dropped_total"));
        assertEquals(100, (long) e.value("vigil_export_acknowledged_total"));
        assertEquals(3, (long) e.value("vigil_export_send_errors_total"));
        assertEquals(5, (long) e.value("vigil_export_retries_total"));
        assertEquals(1, (long) e.value("vigil_export_spool_writable"));
        assertEquals(100, (long) e.value("vigil_alert_to_ack_seconds_count"));
        double p50 = e.value("vigil_alert_to_ack_seconds{quantile=\"0.5\"}");
        double p99 = e.value("vigil_alert_to_ack_seconds{quantile=\"0.99\"}");
        double p999 = e.value("vigil_alert_to_ack_seconds{quantile=\"0.999\"}");
        // 1..100 ms recorded in microseconds, reported in seconds to three significant digits.
        assertEquals(0.050, p50, 0.0005);
        assertEquals(0.099, p99, 0.001);
        assertTrue(p50 <= p99 && p99 <= p999);
        assertEquals(5.05, e.value("vigil_alert_to_ack_seconds_sum"), 0.01);
    }

    @Test
    void nothingCapturedYetIsZeroAndEmptySummariesAreNaN() throws Exception {
        Exposition e = scrape();
        assertEquals(0, (long) e.value("vigil_packets_total"));
        assertEquals(0, (long) e.value("vigil_capture_to_decode_seconds_count"));
        assertTrue(Double.isNaN(e.value("vigil_capture_to_decode_seconds{quantile=\"0.5\"}")));
    }

    private Exposition scrape() throws Exception {
        HttpResponse<String> r = Http.get(base + "/metrics");
        assertEquals(200, r.statusCode());
        return Exposition.parse(r.body());
    }

    /** A Kafka export whose state each test sets. */
    private static final class SettableExport implements ExportStatus {
        volatile boolean writable = true;
        volatile boolean reachable = true;

        @Override
        public long spoolDepth() {
            return 7;
        }

        @Override
        public long spoolOldestAgeMillis() {
            return 1500;
        }

        @Override
        public long spoolBytes() {
            return 4096;
        }

        @Override
        public long spoolDropped() {
            return 2;
        }

        @Override
        public long acknowledged() {
            return 100;
        }

        @Override
        public long sendErrors() {
            return 3;
        }

        @Override
        public long retries() {
            return 5;
        }

        @Override
        public boolean spoolWritable() {
            return writable;
        }

        @Override
        public boolean kafkaReachable() {
            return reachable;
        }

        @Override
        public Histogram ackLatencyMicros() {
            Histogram h = new Histogram(3_600_000_000L, 3);
            for (int ms = 1; ms <= 100; ms++) {
                h.recordValue(ms * 1000L);
            }
            return h;
        }
    }
}
