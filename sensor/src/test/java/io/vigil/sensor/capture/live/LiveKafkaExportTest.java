package io.vigil.sensor.capture.live;

import static io.vigil.sensor.TestSupport.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.devkafka.DevKafka;
import io.vigil.devkafka.TopicReader;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil capture --kafka} as deployed: the sensor as a process of its own capturing a veth
 * pair (a mirror port) through real libpcap, a model learnt from the scenario's first two minutes,
 * tcpreplay injecting the part with the attacks, a real KRaft broker, then SIGTERM as an operator
 * stops it. Every alert the sensor wrote to {@code --alerts} must be on the topic, and the run's
 * statistics must say so: everything spooled was acknowledged, nothing is left in the spool.
 * Needs root, ip(8), tcpreplay and editcap; skips with a message elsewhere.
 */
@Tag("live")
class LiveKafkaExportTest {
    /** Where the scenario's learning ends and its attacks begin (as README's replay example learns). */
    private static final String LEARN_UNTIL = "1772524920.411";

    @TempDir
    static Path dir;
    private static VethPair veth;
    private static Path model;
    private static Path attacks;

    @BeforeAll
    static void vethPairAndAModelLearntFromTheQuietPart() throws Exception {
        veth = VethPair.create("lk", "editcap");
        Path scenario = TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap");
        Path learn = dir.resolve("learn.pcap");
        attacks = dir.resolve("attacks.pcap");
        TestSupport.run("editcap", "-B", LEARN_UNTIL, scenario.toString(), learn.toString());
        TestSupport.run("editcap", "-A", LEARN_UNTIL, scenario.toString(), attacks.toString());
        model = dir.resolve("model.bin");
        CliResult r = TestSupport.vigil("replay", "-q", "--save-model", model.toString(), learn.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @AfterAll
    static void removeVethPair() throws Exception {
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    @Timeout(300)
    void everyAlertOfALiveCaptureReachesTheTopicAndTheStatisticsSaySo() throws Exception {
        try (DevKafka broker = DevKafka.start(dir.resolve("kafka"), 0)) {
            // As deploy/create-topics.sh would: the start-up check finds both topics.
            TopicReader.create(broker.bootstrap(), "vigil.alerts", 3);
            TopicReader.create(broker.bootstrap(), "vigil.assets", 1);
            Path alerts = dir.resolve("alerts.jsonl");
            Path stats = dir.resolve("stats.json");
            // 5 000 packets/s: the 30 k packets of the attack part in about 6 s, a rate live capture keeps up with.
            String output = veth.captureWhileInjecting(dir.resolve("sensor.txt"), List.of("-Xmx512m"),
                List.of("--load-model", model.toString(), "--kafka", broker.bootstrap(), "--spool",
                    dir.resolve("spool").toString(), "--alerts", alerts.toString(), "--stats-json", stats.toString()),
                List.of("--pps", "5000", attacks.toString()));

            List<String> written = Files.readAllLines(alerts, StandardCharsets.UTF_8);
            assertTrue(written.size() >= 5, "the injected attacks raise alerts: " + written.size() + "\n" + output);
            CliResult topic = TestSupport.vigil("alerts", "--kafka", broker.bootstrap(), "--from-beginning", "--json");
            assertEquals(0, topic.exitCode(), topic.err());
            List<String> arrived = topic.out().lines().toList();
            // At least once: a record may arrive twice, never not at all, and nothing the file lacks.
            assertEquals(new TreeSet<>(written), new TreeSet<>(arrived), "the topic holds exactly the --alerts lines");
            assertEquals(uids(written), uids(arrived), "same finding ids");

            String json = Files.readString(stats);
            long acknowledged = jsonLong(json, "acknowledged");
            assertEquals(0, jsonLong(json, "spool_depth"), "nothing left unacknowledged: " + json);
            assertEquals(0, jsonLong(json, "spool_dropped"), json);
            Matcher line = Pattern.compile("kafka \\S+: ([\\d,]+) spooled, ([\\d,]+) acknowledged, ([\\d,]+) still spooled")
                .matcher(output);
            assertTrue(line.find(), "the summary has the Kafka line: " + output);
            long spooled = Long.parseLong(line.group(1).replace(",", ""));
            assertEquals(spooled, Long.parseLong(line.group(2).replace(",", "")), line.group());
            assertEquals(acknowledged, spooled, "--stats-json and the summary agree: " + json);
            assertEquals("0", line.group(3), line.group());
            // Asset records share the spool: the acknowledged count covers at least every alert.
            assertTrue(acknowledged >= written.size(), acknowledged + " acknowledged, " + written.size() + " alerts");
            System.out.printf("live kafka: %d alert lines (%d findings), %d records on the topic, %d acknowledged "
                + "(alerts and assets)%n", written.size(), uids(written).size(), arrived.size(), acknowledged);
        }
    }

    private static Set<String> uids(List<String> findings) {
        Set<String> uids = new HashSet<>();
        for (String f : findings) {
            uids.add(TestSupport.jsonString(f.substring(f.indexOf("\"finding_info\"")), "uid"));
        }
        return uids;
    }
}
