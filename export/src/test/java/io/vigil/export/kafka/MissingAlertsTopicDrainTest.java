package io.vigil.export.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.devkafka.DevKafka;
import io.vigil.devkafka.TopicReader;
import io.vigil.export.spool.FsyncPolicy;
import io.vigil.export.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that answers but has no alerts topic (a {@code --kafka-flows} run against a broker set up
 * for flows only, or a topic not created yet) is reachable: the start-up check says so in one line,
 * and the end of the run still gives it the drain for what is spooled, here flow records. It once
 * counted as a broker away, and a short run ended with everything still spooled.
 */
class MissingAlertsTopicDrainTest {
    private static final String MISSING = "has no topic vigil.alerts";

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aBrokerWithoutTheAlertsTopicStillTakesTheBacklogBeforeTheRunEnds() throws Exception {
        try (DevKafka broker = DevKafka.start(dir.resolve("kafka"), 0)) {
            TopicReader.create(broker.bootstrap(), "vigil.flows", 2); // vigil.alerts is never created
            List<String> warnings = new CopyOnWriteArrayList<>();
            // More than can be in flight at once: some records are still in the spool when the run ends.
            int n = 2 * KafkaForwarder.MAX_IN_FLIGHT;
            try (Spool spool = Spool.open(dir.resolve("spool"), FsyncPolicy.NONE, 1L << 30, warnings::add)) {
                for (int i = 0; i < n; i++) {
                    spool.send("vigil.flows", "10.0.0." + i % 20, ("{\"flow\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                }
                // The producer comes only once the start-up check has spoken, so no acknowledgement can
                // pre-empt its verdict: what the end of the run does then follows from the check alone.
                KafkaForwarder forwarder = new KafkaForwarder(spool, KafkaSettings.of(broker.bootstrap(), null, null), s -> {
                    while (warnings.stream().noneMatch(w -> w.contains(MISSING))) {
                        Thread.onSpinWait();
                    }
                    return new KafkaProducer<>(s.producer());
                }, warnings::add).start();
                Await.until("the start-up check reports the missing alerts topic",
                    () -> warnings.stream().anyMatch(w -> w.contains(MISSING)));
                forwarder.close(Duration.ofSeconds(60)); // the end of a run: returns once the backlog is sent
                assertEquals(0, forwarder.spoolDepth(), "the reachable broker took the backlog: " + warnings);
                assertEquals(n, forwarder.acknowledged());
                assertEquals(1, warnings.size(), "one line about the topic, nothing else: " + warnings);
            }
            Set<String> flows = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(broker.bootstrap(), "vigil.flows", n)) {
                flows.add(new String(r.value(), StandardCharsets.UTF_8));
            }
            assertEquals(n, flows.size(), "every flow record on the topic");
        }
    }
}
