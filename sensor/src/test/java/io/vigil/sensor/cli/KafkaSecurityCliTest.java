package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.devkafka.DevKafka;
import io.vigil.devkafka.TopicReader;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config} against a broker that demands TLS and SASL (the dev broker's SASL_SSL mode:
 * its own CA, SCRAM-SHA-512 users, unsecured OAUTHBEARER tokens), with the sensor and
 * {@code vigil alerts} as processes of their own, as an operator runs them. One broker for the
 * class; each test has its own topic, so what one test sends never shows up in another's reading.
 */
@Timeout(300)
class KafkaSecurityCliTest {
    private static final String LEARN_UNTIL = "1772524920.411";

    @TempDir
    static Path shared;
    static DevKafka broker;
    /** The dev broker's client.properties: SASL_SSL, SCRAM-SHA-512 user vigil, its CA. */
    static Path good;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = DevKafka.start(shared.resolve("kafka"), 0, DevKafka.Security.SASL_SSL);
        good = broker.clientProperties();
        for (String topic : List.of("vigil.alerts", "alerts.drain", "assets.oauth")) {
            TopicReader.create(broker.bootstrap(), broker.clientConfig(), topic, 3);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Path scenario() {
        return TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap");
    }

    private static Path tiny() {
        return TestSupport.repoRoot().resolve("pcaps/l2l4/arp-icmp.pcap");
    }

    /** client.properties with one change made to its text. */
    private Path variant(String name, String regex, String replacement) throws Exception {
        String text = Files.readString(good, StandardCharsets.UTF_8);
        String changed = text.replaceAll(regex, replacement);
        assertFalse(changed.equals(text), "the variant differs from client.properties: " + regex);
        Path p = dir.resolve(name);
        Files.writeString(p, changed, StandardCharsets.UTF_8);
        return p;
    }

    private static List<String> lines(String output, String containing) {
        return output.lines().filter(l -> l.contains(containing)).collect(Collectors.toList());
    }

    private static String uid(String finding) {
        return TestSupport.jsonString(finding.substring(finding.indexOf("\"finding_info\"")), "uid");
    }

    @Test
    void scramOverTlsDeliversAndAlertsReadsThemBack() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        Path stats = dir.resolve("stats.json");
        CliResult run = TestSupport.vigilProcessRun(dir.resolve("replay.txt"), 240, "replay", "-q",
            "--learn-until", LEARN_UNTIL, "--kafka", broker.bootstrap(), "--kafka-config", good.toString(),
            "--spool", dir.resolve("spool").toString(), "--alerts", alerts.toString(),
            "--stats-json", stats.toString(), scenario().toString());
        assertEquals(0, run.exitCode(), run.out());
        assertEquals("", run.out().strip(), "a clean secured run says nothing with -q");
        String json = Files.readString(stats);
        assertEquals(0, jsonLong(json, "spool_depth"), "everything acknowledged: " + json);
        List<String> raised = Files.readAllLines(alerts, StandardCharsets.UTF_8);
        assertTrue(raised.size() >= 10, "the scenario raises alerts: " + raised.size());

        // In this JVM: the failure tests below run it as a process, where its own logging set-up counts.
        CliResult read = TestSupport.vigil("alerts", "--kafka", broker.bootstrap(), "--kafka-config", good.toString(),
            "--from-beginning", "--json");
        assertEquals(0, read.exitCode(), read.err());
        // Three partitions interleave devices: the same findings, not necessarily in file order.
        assertEquals(raised.stream().sorted().toList(), read.out().lines().sorted().toList(),
            "vigil alerts over SASL_SSL prints exactly the --alerts file");
    }

    @Test
    void wrongPasswordIsOneLineTheSpoolKeepsTheAlertsAndTheRightOneDrainsThem() throws Exception {
        Path wrong = variant("wrong-password.properties", "password=\"[^\"]*\"", "password=\"not-the-password\"");
        Path spool = dir.resolve("spool");
        Path alerts = dir.resolve("alerts.jsonl");
        Path stats = dir.resolve("stats.json");
        CliResult refused = TestSupport.vigilProcessRun(dir.resolve("refused.txt"), 240, "replay", "-q",
            "--learn-until", LEARN_UNTIL, "--kafka", broker.bootstrap(), "--kafka-config", wrong.toString(),
            "--kafka-topic", "alerts.drain", "--spool", spool.toString(), "--alerts", alerts.toString(),
            "--stats-json", stats.toString(), scenario().toString());
        assertEquals(0, refused.exitCode(), "the sensor runs on: " + refused.out());
        List<String> said = lines(refused.out(), "credentials");
        assertEquals(1, said.size(), "one line about the credentials, not one per retry: " + refused.out());
        assertTrue(said.get(0).contains("refused the credentials") && said.get(0).contains("SCRAM-SHA-512")
            && said.get(0).contains(broker.bootstrap()) && said.get(0).contains(spool.toString()), said.get(0));
        assertEquals(List.of(), lines(refused.out(), "\tat "), "no stack trace");
        assertEquals(List.of(), lines(refused.out(), "ERROR"), "no client log lines");
        List<String> raised = Files.readAllLines(alerts, StandardCharsets.UTF_8);
        String json = Files.readString(stats);
        assertEquals(0, jsonLong(json, "acknowledged"), json);
        assertTrue(jsonLong(json, "spool_depth") >= raised.size() && !raised.isEmpty(),
            "every alert waits in the spool: " + raised.size() + " alerts, " + json);

        // The operator fixes the password; the next start (a tiny capture, no alerts of its own) sends the backlog.
        Path stats2 = dir.resolve("stats2.json");
        CliResult fixed = TestSupport.vigilProcessRun(dir.resolve("fixed.txt"), 240, "replay", "-q",
            "--kafka", broker.bootstrap(), "--kafka-config", good.toString(), "--kafka-topic", "alerts.drain",
            "--spool", spool.toString(), "--stats-json", stats2.toString(), tiny().toString());
        assertEquals(0, fixed.exitCode(), fixed.out());
        assertEquals(0, jsonLong(Files.readString(stats2), "spool_depth"), "the backlog drained: " + fixed.out());
        List<String> arrived = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(broker.bootstrap(), broker.clientConfig(),
            "alerts.drain", raised.size())) {
            arrived.add(uid(new String(r.value(), StandardCharsets.UTF_8)));
        }
        Set<String> missing = new LinkedHashSet<>(raised.stream().map(KafkaSecurityCliTest::uid).toList());
        arrived.forEach(missing::remove);
        assertEquals(Set.of(), missing, "every alert spooled under the wrong password reached Kafka");
    }

    @Test
    void aBrokerCertificateTheClientDoesNotTrustIsOneTlsLine() throws Exception {
        // Without the dev CA the client falls back to the JDK's public CAs, which never signed the broker.
        Path untrusted = variant("untrusted.properties", "(?m)^ssl\\.truststore\\..*\\n", "");
        CliResult alerts = TestSupport.vigilProcessRun(dir.resolve("alerts.txt"), 120, "alerts",
            "--kafka", broker.bootstrap(), "--kafka-config", untrusted.toString(), "--from-beginning");
        assertEquals(2, alerts.exitCode(), alerts.out());
        assertEquals(1, alerts.out().strip().lines().count(), "one line: " + alerts.out());
        assertTrue(alerts.out().contains("TLS handshake failed") && alerts.out().contains("not trusted")
            && alerts.out().contains("ssl.truststore.location"), alerts.out());

        CliResult replay = TestSupport.vigilProcessRun(dir.resolve("replay.txt"), 120, "replay", "-q",
            "--kafka", broker.bootstrap(), "--kafka-config", untrusted.toString(),
            "--spool", dir.resolve("spool").toString(), tiny().toString());
        assertEquals(0, replay.exitCode(), replay.out());
        List<String> tls = lines(replay.out(), "TLS handshake failed");
        assertEquals(1, tls.size(), "one TLS line: " + replay.out());
        assertTrue(tls.get(0).contains("not trusted") && tls.get(0).contains(broker.bootstrap()), tls.get(0));
        assertEquals(List.of(), lines(replay.out(), "\tat "), "no stack trace");
        assertEquals(List.of(), lines(replay.out(), "credentials"), "not blamed on the password");
    }

    @Test
    void oauthbearerUnsecuredTokenDelivers() throws Exception {
        Path inventory = dir.resolve("inventory.jsonl");
        CliResult run = TestSupport.vigilProcessRun(dir.resolve("replay.txt"), 120, "replay", "-q",
            "--kafka", broker.bootstrap(), "--kafka-config", broker.oauthClientProperties().toString(),
            "--kafka-assets-topic", "assets.oauth", "--spool", dir.resolve("spool").toString(),
            "--inventory", inventory.toString(), tiny().toString());
        assertEquals(0, run.exitCode(), run.out());
        assertEquals("", run.out().strip(), "a clean OAUTHBEARER run says nothing with -q");
        Set<String> devices = new LinkedHashSet<>();
        for (String line : Files.readAllLines(inventory, StandardCharsets.UTF_8)) {
            devices.add(TestSupport.jsonString(line, "id"));
        }
        assertFalse(devices.isEmpty(), "the capture has devices");
        // Keys, not values: a device is republished only when who it is changes, not for its later volumes.
        Set<String> published = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(broker.bootstrap(), broker.clientConfig(),
            "assets.oauth", devices.size())) {
            assertEquals(r.key(), TestSupport.jsonString(new String(r.value(), StandardCharsets.UTF_8), "id"));
            published.add(r.key());
        }
        assertEquals(devices, published, "every device arrived over OAUTHBEARER");
    }
}
