package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.devkafka.DevKafka;
import io.vigil.devkafka.TopicReader;
import io.vigil.sensor.TestSupport;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka} end to end with the sensor as a real process and a real broker: a SIGKILL in
 * the middle of a replay loses no spooled alert, and a full spool drops, counts and reports.
 */
class KafkaExportCliTest {
    private static final String LEARN_UNTIL = "1772524920.411";

    @TempDir
    Path dir;

    private static Path scenario() {
        return TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap");
    }

    private static Process sensor(Path log, String... args) throws Exception {
        return TestSupport.sensorProcess(log, List.of("-Xmx512m"), List.of(args));
    }

    private static List<String> uids(Path alertsFile) throws Exception {
        List<String> uids = new ArrayList<>();
        for (String line : Files.readAllLines(alertsFile, StandardCharsets.UTF_8)) {
            if (line.endsWith("}")) { // a line cut by the kill is not an alert the file holds
                uids.add(TestSupport.jsonString(line.substring(line.indexOf("\"finding_info\"")), "uid"));
            }
        }
        return uids;
    }

    /** --kafka-flows: the flows topic carries exactly the --flows lines, each keyed by its client, in order per key. */
    @Test
    @Timeout(300)
    void flowsTopicCarriesTheFlowLog() throws Exception {
        try (DevKafka broker = DevKafka.start(dir.resolve("kafka"), 0)) {
            TopicReader.create(broker.bootstrap(), "vigil.flows", 1); // as deploy/create-topics.sh would
            Path flows = dir.resolve("flows.jsonl");
            Path small = TestSupport.repoRoot().resolve("pcaps/realstack/j2mod-modbus-502.pcap");
            // As a process of its own, like the sensor a user runs (and like the SIGKILL test below).
            Path log = dir.resolve("flows-run.txt");
            Process run = sensor(log, "replay", "-q", "--kafka", broker.bootstrap(), "--spool",
                dir.resolve("spool").toString(), "--kafka-flows", "--flows", flows.toString(), small.toString());
            assertTrue(run.waitFor(120, TimeUnit.SECONDS), "replay ends");
            assertEquals(0, run.exitValue(), Files.readString(log));
            List<String> expected = Files.readAllLines(flows, StandardCharsets.UTF_8);
            assertTrue(!expected.isEmpty(), "the capture has flows");
            List<String> arrived = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> rec : TopicReader.readAll(broker.bootstrap(), "vigil.flows",
                expected.size())) {
                String v = new String(rec.value(), StandardCharsets.UTF_8);
                assertEquals(TestSupport.jsonString(v, "src_ip"), rec.key(), "keyed by the client: " + v);
                arrived.add(v);
            }
            assertEquals(expected, arrived, "the flow log, record for record (one key: one partition, in order)");
        }
    }

    @Test
    @Timeout(300)
    void sigkillMidReplayLosesNoSpooledAlert() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        Path spool = dir.resolve("spool");
        Path alerts = dir.resolve("alerts.jsonl");
        DevKafka broker = DevKafka.start(kafkaDir, 0);
        int port = broker.port();
        String bootstrap = broker.bootstrap();
        TopicReader.create(bootstrap, "vigil.alerts", 3);
        // The broker is down for the first run: every alert it raises lives only in the spool when it is killed.
        broker.close();
        Process run1 = sensor(dir.resolve("run1.txt"), "replay", "--speed", "30x", "--learn-until", LEARN_UNTIL,
            "--kafka", bootstrap, "--spool", spool.toString(), "--alerts", alerts.toString(), "-q",
            scenario().toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (run1.isAlive() && (!Files.exists(alerts) || uids(alerts).size() < 5) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        boolean killedMidReplay = run1.isAlive();
        run1.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
        assertTrue(run1.waitFor(60, TimeUnit.SECONDS));
        List<String> raised = uids(alerts);
        assertTrue(raised.size() >= 5, "alerts raised before the kill: " + raised.size());

        broker = DevKafka.start(kafkaDir, port);
        try {
            // A second run on the same spool (a tiny capture, no alerts of its own) forwards what the first left.
            Process run2 = sensor(dir.resolve("run2.txt"), "replay", "--kafka", bootstrap, "--spool", spool.toString(),
                "--stats-json", dir.resolve("run2.json").toString(),
                TestSupport.repoRoot().resolve("pcaps/l2l4/arp-icmp.pcap").toString());
            assertTrue(run2.waitFor(120, TimeUnit.SECONDS), "second run ends");
            String out2 = Files.readString(dir.resolve("run2.txt"));
            assertEquals(0, run2.exitValue(), out2);
            String stats = Files.readString(dir.resolve("run2.json"));
            assertEquals(0, jsonLong(stats, "spool_depth"), "the backlog drained: " + out2);

            List<String> arrived = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, "vigil.alerts", raised.size())) {
                String v = new String(r.value(), StandardCharsets.UTF_8);
                arrived.add(TestSupport.jsonString(v.substring(v.indexOf("\"finding_info\"")), "uid"));
            }
            Set<String> missing = new LinkedHashSet<>(raised);
            missing.removeAll(arrived);
            System.out.printf("sigkill test: killed %s, %d alerts in the file before the kill, %d records "
                    + "arrived (%d distinct)%n", killedMidReplay ? "mid-replay" : "after the replay ended",
                raised.size(), arrived.size(), new HashSet<>(arrived).size());
            assertEquals(Set.of(), missing, "every alert raised before the kill reached Kafka");
        } finally {
            broker.close();
        }
    }

    @Test
    @Timeout(300)
    void fullSpoolDropsNewestCountsAndReports() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path alerts = dir.resolve("alerts.jsonl");
        Path stats = dir.resolve("stats.json");
        // 20 kB holds a dozen findings of the scenario's 41 (alerts and updates); nothing acknowledges them.
        TestSupport.CliResult r = TestSupport.vigil("replay", "--learn-until", LEARN_UNTIL,
            "--kafka", "127.0.0.1:" + closedPort, "--spool", dir.resolve("spool").toString(), "--spool-max-gb", "0.00002",
            "--alerts", alerts.toString(), "--stats-json", stats.toString(), scenario().toString());
        assertEquals(0, r.exitCode(), r.err());
        long findings = Files.readAllLines(alerts).size();
        String json = Files.readString(stats);
        long dropped = jsonLong(json, "spool_dropped");
        long depth = jsonLong(json, "spool_depth");
        assertTrue(dropped > 0 && depth > 0, json);
        // Asset changes (vigil.assets) share the spool with the findings: every record is spooled or counted as dropped.
        assertTrue(dropped + depth >= findings, "every finding either spooled or counted as dropped: " + json);
        assertTrue(r.err().contains("is full"), "one warning on stderr: " + r.err());
        assertEquals(1, r.err().split("is full", -1).length - 1, "warned once: " + r.err());
        assertTrue(r.out().contains(dropped + " dropped"), "summary line: " + r.out());
        assertTrue(r.out().contains("spool full: " + dropped + " alerts dropped"), "summary problem: " + r.out());
        assertTrue(r.err().contains("127.0.0.1:" + closedPort), "the unreachable broker named: " + r.err());
    }
}
