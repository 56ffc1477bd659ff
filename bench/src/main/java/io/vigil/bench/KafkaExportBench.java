package io.vigil.bench;

import io.vigil.export.kafka.KafkaForwarder;
import io.vigil.export.kafka.KafkaSettings;
import io.vigil.export.spool.FsyncPolicy;
import io.vigil.export.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Alerts through the spool and the forwarder to a real broker: throughput (appended until the
 * last acknowledgement) and append-to-acknowledgement latency, at full speed and at a paced rate
 * closer to a sensor's (alerts are rare). Not JMH: the quantity is end-to-end through a broker.
 *
 * <p>Run a broker first ({@code ./vigil dev-kafka --dir /tmp/vigil-kafka --port 9092}), then
 * {@code java $CHRONICLE_FLAGS -cp bench/target/benchmarks.jar io.vigil.bench.KafkaExportBench
 * 127.0.0.1:9092 [RECORDS] [PACED_RATE]}.
 */
public final class KafkaExportBench {
    private KafkaExportBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int pacedRate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        String topic = "vigil.bench." + Long.toHexString(System.nanoTime());
        Properties admin = new Properties();
        admin.put("bootstrap.servers", bootstrap);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        byte[] value = sampleAlert();
        System.out.printf(Locale.ROOT, "value %d bytes, topic %s (6 partitions), %s%n", value.length, topic, bootstrap);
        run("warm-up", bootstrap, topic, 20_000, 0, value);
        run("full speed", bootstrap, topic, records, 0, value);
        run("paced " + pacedRate + "/s", bootstrap, topic, pacedRate * 10, pacedRate, value);
    }

    private static void run(String name, String bootstrap, String topic, int n, int rate, byte[] value)
        throws Exception {
        Path dir = Files.createTempDirectory("vigil-spool-bench");
        try (Spool spool = Spool.open(dir, FsyncPolicy.BATCH, 10_000_000_000L, System.err::println)) {
            KafkaForwarder f = new KafkaForwarder(spool, KafkaSettings.of(bootstrap, null, topic), System.err::println)
                .start();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (rate > 0) {
                    long due = t0 + (long) i * 1_000_000_000L / rate;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(50_000);
                    }
                }
                spool.append(topic, "10.1." + (i % 250) + "." + (i % 7), value);
            }
            long appended = System.nanoTime();
            while (f.acknowledged() < n) {
                Thread.sleep(1);
            }
            long acked = System.nanoTime();
            Histogram h = f.ackLatencyMicros();
            f.close(Duration.ofSeconds(5));
            System.out.printf(Locale.ROOT, "%-16s %,9d alerts: append %,10.0f/s, through Kafka %,9.0f/s; append->ack "
                    + "p50 %,7.1f ms, p99 %,7.1f ms, max %,7.1f ms; errors %d%n",
                name, n, n / ((appended - t0) / 1e9), n / ((acked - t0) / 1e9),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                f.sendErrors());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A finding the size the scenario's are (about 1.3 kB of OCSF JSON). */
    private static byte[] sampleAlert() {
        String s = "{\"class_uid\":2004,\"class_name\":\"Detection Finding\",\"category_uid\":2,\"category_name\":"
            + "\"Findings\",\"activity_id\":1,\"activity_name\":\"Create\",\"type_uid\":200401,\"time\":1772524969756,"
            + "\"severity_id\":4,\"severity\":\"High\",\"status_id\":1,\"status\":\"New\",\"risk_score\":87,"
            + "\"confidence_score\":80,\"count\":1,\"message\":\"10.20.1.15 wrote holding registers 400-409 on "
            + "10.20.1.10, a PLC that only ever saw reads from this station while learning\",\"finding_info\":{"
            + "\"uid\":\"019cb3a1-4f9c-7000-8000-000000000001\",\"title\":\"Unauthorised write to a controller\","
            + "\"desc\":\"first Modbus write function 16 from an engineering station never seen writing\","
            + "\"types\":[\"industrial-write\"],\"attacks\":[{\"technique\":{\"uid\":\"T0836\",\"name\":\"Modify "
            + "Parameter\"}}],\"first_seen_time\":1772524969756,\"last_seen_time\":1772524969756},\"src_endpoint\":"
            + "{\"ip\":\"10.20.1.15\",\"mac\":\"00:1b:1b:aa:bb:cc\",\"port\":50122},\"dst_endpoint\":{\"ip\":"
            + "\"10.20.1.10\",\"mac\":\"00:0e:8c:11:22:33\",\"port\":502},\"device\":{\"ip\":\"10.20.1.10\",\"mac\":"
            + "\"00:0e:8c:11:22:33\",\"type\":\"plc\"},\"evidences\":[{\"data\":{\"function\":16,\"start\":400,"
            + "\"quantity\":10,\"values\":[1200,1201,1202,1203,1204,1205,1206,1207,1208,1209]}}],\"unmapped\":{"
            + "\"protocol\":\"modbus\",\"surprise_bits\":12.4,\"learned\":{\"functions\":[3,4],\"writers\":[]}}}";
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
