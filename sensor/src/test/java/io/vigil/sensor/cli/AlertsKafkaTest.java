package io.vigil.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.devkafka.DevKafka;
import io.vigil.export.json.JsonReader;
import io.vigil.sensor.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil alerts} against a real in-process broker: the scenario's alerts, written by a replay with
 * {@code --alerts}, published to a topic as the sensor keys them, and read back.
 */
class AlertsKafkaTest {
    @TempDir
    static Path dir;
    static DevKafka kafka;
    static List<String> written;

    @BeforeAll
    static void publishTheScenarioAlerts() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        TestSupport.CliResult replay = TestSupport.vigil("replay", "-q", "--learn-until", "1772524920.411", "--alerts",
            alerts.toString(), TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap").toString());
        assertEquals(0, replay.exitCode(), replay.err());
        written = Files.readAllLines(alerts, StandardCharsets.UTF_8);
        assertTrue(written.size() > 5, "the scenario raises alerts: " + written.size());
        assertTrue(written.stream().anyMatch(l -> l.contains("\"activity_id\":2")), "and updates of repeated findings");

        kafka = DevKafka.start(dir.resolve("kafka"), 0);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("vigil.alerts", 1, (short) 1), new NewTopic("empty", 1, (short) 1)))
                .all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String line : written) {
                producer.send(new ProducerRecord<>("vigil.alerts", deviceKey(line), line));
            }
            producer.flush();
        }
    }

    /** The sensor's key: the device's address, or the destination's for a finding without a device. */
    @SuppressWarnings("unchecked")
    private static String deviceKey(String line) {
        Map<String, Object> f = JsonReader.parse(line);
        Object device = f.get("device") != null ? f.get("device") : f.get("dst_endpoint");
        return device == null ? "-" : String.valueOf(((Map<String, Object>) device).get("ip"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void jsonFromTheBeginningIsWhatTheReplayWrote() {
        TestSupport.CliResult r = TestSupport.vigil("alerts", "--kafka", kafka.bootstrap(), "--from-beginning", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(written, r.out().lines().toList());
    }

    @Test
    void readableFormIsTheConsoleLineOnePerRecord() {
        TestSupport.CliResult r = TestSupport.vigil("alerts", "--kafka", kafka.bootstrap(), "--topic", "vigil.alerts",
            "--from-beginning");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(written.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> f = JsonReader.parse(written.get(i));
            String line = lines.get(i);
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z (INFORMATIONAL|LOW|MEDIUM|HIGH"
                + "|CRITICAL) \\S+ \\S+ score \\d+: .+"), line);
            assertTrue(line.contains(": " + f.get("message")), line);
            assertEquals(Long.valueOf(2).equals(f.get("activity_id")), line.matches(".* \\(x\\d+, until \\S+\\)$"),
                "an update says how often and until when: " + line);
        }
    }

    @Test
    void withoutFromBeginningOnlyNewAlertsAndNoneAreNew() {
        TestSupport.CliResult r = TestSupport.vigil("alerts", "--kafka", kafka.bootstrap());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("no new alerts"), r.err());
    }

    @Test
    void anEmptyTopicEndsAtOnce() {
        TestSupport.CliResult r = TestSupport.vigil("alerts", "--kafka", kafka.bootstrap(), "--topic", "empty",
            "--from-beginning", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingTopicIsOneLineAndExitTwo() {
        long t0 = System.nanoTime();
        TestSupport.CliResult r = TestSupport.vigil("alerts", "--kafka", kafka.bootstrap(), "--topic", "no.such.topic");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("vigil: topic no.such.topic does not exist"), r.err());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "within a few seconds");
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitTwo() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        TestSupport.CliResult r = TestSupport.vigil("alerts", "--kafka", "127.0.0.1:" + closed);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("vigil: cannot reach Kafka at 127.0.0.1:" + closed), r.err());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "within a few seconds");
    }
}
