package io.vigil.export.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.devkafka.DevKafka;
import io.vigil.devkafka.TopicReader;
import io.vigil.export.spool.FsyncPolicy;
import io.vigil.export.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spool and forwarder against a real KRaft broker (in-process, never a mock): the broker is
 * stopped in the middle of a stream and restarted on the same directory; every record must
 * arrive, in order per key, duplicates (at-least-once) reported.
 */
class KafkaOutageTest {
    private static final String TOPIC = "vigil.alerts";
    private static final int KEYS = 20;

    @TempDir
    Path dir;

    /** Short client timeouts so an outage of a few seconds makes sends fail and the forwarder rewind. */
    private KafkaSettings settings(String bootstrap) throws Exception {
        Path cfg = dir.resolve("client.properties");
        Files.writeString(cfg, String.join("\n",
            "delivery.timeout.ms=3000", "request.timeout.ms=1000", "max.block.ms=1000", "linger.ms=5",
            "retry.backoff.ms=100", "reconnect.backoff.max.ms=200", ""));
        return KafkaSettings.of(bootstrap, cfg, TOPIC);
    }

    private static byte[] value(int id, int perKeySeq) {
        return ("{\"id\":" + id + ",\"seq\":" + perKeySeq + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static int field(byte[] value, String name) {
        String s = new String(value, StandardCharsets.UTF_8);
        int at = s.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = at;
        while (Character.isDigit(s.charAt(end))) {
            end++;
        }
        return Integer.parseInt(s.substring(at, end));
    }

    @Test
    @Timeout(240)
    void brokerStoppedMidStreamEveryRecordArrivesInOrderPerKey() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        DevKafka broker = DevKafka.start(kafkaDir, 0);
        int port = broker.port();
        TopicReader.create(broker.bootstrap(), TOPIC, 3);
        List<String> warnings = new CopyOnWriteArrayList<>();
        int[] seq = new int[KEYS];
        int total = 3_000;
        try (Spool spool = Spool.open(dir.resolve("spool"), FsyncPolicy.BATCH, 1L << 30, warnings::add)) {
            KafkaForwarder forwarder = new KafkaForwarder(spool, settings(broker.bootstrap()), warnings::add).start();
            int id = 0;
            for (; id < 1_000; id++) {
                spool.send(TOPIC, "10.0.0." + id % KEYS, value(id, seq[id % KEYS]++));
            }
            Await.until("some acknowledged before the outage", () -> forwarder.acknowledged() > 0);
            broker.close();
            for (; id < 2_000; id++) {
                spool.send(TOPIC, "10.0.0." + id % KEYS, value(id, seq[id % KEYS]++));
            }
            Await.until("sends failing during the outage", () -> forwarder.sendErrors() > 0);
            assertTrue(spool.backlogRecords() > 0, "the backlog grows while the broker is down");
            broker = DevKafka.start(kafkaDir, port);
            for (; id < total; id++) {
                spool.send(TOPIC, "10.0.0." + id % KEYS, value(id, seq[id % KEYS]++));
            }
            Await.until("all acknowledged after the broker returned", () -> forwarder.acknowledged() >= total);
            forwarder.close(Duration.ofSeconds(5));
            assertEquals(0, forwarder.spoolDepth(), "nothing left in the spool");
            assertEquals(0, forwarder.spoolDropped());
            assertTrue(forwarder.retries() > 0, "records were resent after the outage");
            assertTrue(forwarder.ackLatencyMicros().getTotalCount() >= total);

            List<ConsumerRecord<String, byte[]>> got = TopicReader.readAll(broker.bootstrap(), TOPIC, total);
            Set<Integer> ids = new HashSet<>();
            Map<String, Integer> lastSeq = new HashMap<>();
            List<String> outOfOrder = new ArrayList<>();
            int duplicates = 0;
            for (ConsumerRecord<String, byte[]> r : got) {
                int rid = field(r.value(), "id");
                if (!ids.add(rid)) {
                    duplicates++;
                    continue;
                }
                // First occurrences of one key's records must come in the order they were spooled.
                int s = field(r.value(), "seq");
                Integer prev = lastSeq.put(r.key(), s);
                if (prev != null && s != prev + 1) {
                    outOfOrder.add(r.key() + ": " + prev + " then " + s);
                }
            }
            System.out.printf("outage test: %d records consumed, %d distinct, %d duplicates, %d resent, "
                + "%d send errors; warnings: %s%n", got.size(), ids.size(), duplicates, forwarder.retries(),
                forwarder.sendErrors(), warnings);
            assertEquals(total, ids.size(), "every record arrived");
            assertEquals(List.of(), outOfOrder, "order per key");
        } finally {
            broker.close();
        }
    }

    @Test
    @Timeout(120)
    void restartResumesAfterTheAcknowledgedPositionWithoutResending() throws Exception {
        DevKafka broker = DevKafka.start(dir.resolve("kafka"), 0);
        try {
            TopicReader.create(broker.bootstrap(), TOPIC, 2);
            List<String> warnings = new CopyOnWriteArrayList<>();
            Path spoolDir = dir.resolve("spool");
            try (Spool spool = Spool.open(spoolDir, FsyncPolicy.NONE, 1L << 30, warnings::add)) {
                KafkaForwarder f = new KafkaForwarder(spool, settings(broker.bootstrap()), warnings::add).start();
                for (int i = 0; i < 200; i++) {
                    spool.send(TOPIC, "k" + i % 3, value(i, i));
                }
                Await.until("first run acknowledged", () -> f.acknowledged() == 200);
                f.close(Duration.ofSeconds(5));
            }
            try (Spool spool = Spool.open(spoolDir, FsyncPolicy.NONE, 1L << 30, warnings::add)) {
                assertEquals(0, spool.backlogRecords(), "nothing left over from a clean first run");
                KafkaForwarder f = new KafkaForwarder(spool, settings(broker.bootstrap()), warnings::add).start();
                for (int i = 200; i < 300; i++) {
                    spool.send(TOPIC, "k" + i % 3, value(i, i));
                }
                Await.until("second run acknowledged", () -> f.acknowledged() == 100);
                f.close(Duration.ofSeconds(5));
            }
            List<ConsumerRecord<String, byte[]>> got = TopicReader.readAll(broker.bootstrap(), TOPIC, 300);
            Set<Integer> ids = new HashSet<>();
            got.forEach(r -> ids.add(field(r.value(), "id")));
            assertEquals(300, ids.size(), "every record arrived");
            assertEquals(300, got.size(), "the second run resent nothing the first had acknowledged");
            assertEquals(List.of(), warnings);
        } finally {
            broker.close();
        }
    }
}
