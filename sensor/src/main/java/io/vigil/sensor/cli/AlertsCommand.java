package io.vigil.sensor.cli;

import io.vigil.export.alerts.OcsfAlerts;
import io.vigil.export.json.JsonReader;
import io.vigil.export.kafka.KafkaProblems;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil alerts}: the alerts on a Kafka topic, one readable line each (as the console shows them
 * during a replay) or as the raw OCSF JSON. Reads without a consumer group: it assigns every
 * partition itself and commits nothing, so it never moves or rebalances a SOC's consumer groups.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
    description = {"Print the alerts on a Kafka topic: one readable line each (time, severity, type, device, score, "
        + "explanation; an update of a repeated finding says how often and until when) or, with --json, each record "
        + "as it is (OCSF Detection Finding JSON, one per line).",
        "Without --follow it stops at the end of the topic as it was at start. It joins no consumer group and commits "
            + "nothing."})
final class AlertsCommand implements Callable<Integer> {
    /** How long to wait for a broker at start before saying it cannot be reached. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * With TLS or SASL: a handshake and a login are several round trips and cold crypto code in a
     * fresh JVM, which takes seconds on a busy machine before the broker has said anything wrong.
     */
    private static final Duration SECURED_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", required = true,
        description = "Kafka bootstrap servers, host:port[,host:port...].")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "vigil.alerts",
        description = "The alert topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--follow", description = "Keep printing new alerts as they arrive, until Ctrl-C.")
    boolean follow;

    @Option(names = "--from-beginning",
        description = "Start at the oldest record the topic still holds (default: only alerts arriving from now on).")
    boolean fromBeginning;

    @Option(names = "--json", description = "Print each record's value as it is: one OCSF JSON finding per line.")
    boolean json;

    @Option(names = "--kafka-config", paramLabel = "FILE",
        description = "Kafka client properties (security.protocol, sasl.*, ssl.* ...) for the consumer.")
    Path kafkaConfig;

    private Duration connectTimeout = CONNECT_TIMEOUT;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        quietKafkaLogging();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions, connectTimeout);
            Thread main = Thread.currentThread();
            Thread hook = new Thread(consumer::wakeup, "vigil-alerts-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                long printed = read(consumer, partitions, endAtStart, out, err);
                if (printed == 0 && !follow && !fromBeginning) {
                    err.println("vigil: no new alerts on " + topic + " (--from-beginning shows what the topic holds, "
                        + "--follow waits for new ones)");
                }
            } catch (WakeupException | InterruptException stopped) {
                // Ctrl-C while following: a normal end
            } finally {
                if (Thread.currentThread() == main) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running already
                    }
                }
            }
            out.flush();
            return VigilMain.EXIT_OK;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable();
        } catch (KafkaException e) {
            String security = KafkaProblems.security(e);
            if (security != null) {
                throw new UserError("Kafka at " + bootstrap + " " + VigilMain.oneLine(security));
            }
            throw new UserError("Kafka at " + bootstrap + ": " + VigilMain.oneLine(rootMessage(e)));
        }
    }

    /** Prints records until every partition reached its end at start, or, with --follow, until stopped. */
    private long read(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                      Map<TopicPartition, Long> endAtStart, PrintWriter out, PrintWriter err) {
        long printed = 0;
        while (follow || !reachedEnd(consumer, partitions, endAtStart)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (!follow && r.offset() >= endAtStart.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                    continue; // arrived after the start, past the end this run reads to
                }
                String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                if (json) {
                    out.println(value);
                } else {
                    out.println(readable(value, r));
                }
                printed++;
            }
            out.flush();
        }
        return printed;
    }

    private boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                      Map<TopicPartition, Long> endAtStart) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p, connectTimeout) < endAtStart.getOrDefault(p, 0L)) {
                return false;
            }
        }
        return true;
    }

    /** The console's line for a finding; a record that is not one still gets one line, saying so. */
    private static String readable(String value, ConsumerRecord<byte[], byte[]> r) {
        try {
            return OcsfAlerts.oneLine(JsonReader.parse(value));
        } catch (IllegalArgumentException | ClassCastException e) {
            String start = value.length() > 120 ? value.substring(0, 120) + "…" : value;
            return "? " + r.topic() + "/" + r.partition() + "@" + r.offset() + " not a Vigil alert: "
                + VigilMain.oneLine(start);
        }
    }

    /** Every partition of the topic; a clear error when the broker cannot be reached or the topic does not exist. */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, connectTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new UserError("topic " + topic + " does not exist on Kafka at " + bootstrap
                + " (is --topic right?)");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : infos) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        return partitions;
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        if (kafkaConfig != null) {
            try (Reader in = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UserError("--kafka-config: cannot read " + kafkaConfig + ": " + e.getMessage());
            }
            if (p.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
                throw new UserError("--kafka-config: vigil alerts joins no consumer group; remove group.id");
            }
            if (!"PLAINTEXT".equalsIgnoreCase(p.getProperty("security.protocol", "PLAINTEXT").trim())) {
                connectTimeout = SECURED_CONNECT_TIMEOUT;
            }
        }
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Reading must never create the topic it was asked about (a typo would leave an empty topic behind).
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-alerts");
        return p;
    }

    private UserError unreachable() {
        return new UserError("cannot reach Kafka at " + bootstrap + " within " + connectTimeout.toSeconds()
            + " s (is the broker running, and --kafka its address?)");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? e.toString() : t.getMessage();
    }

    /**
     * The client logs every failed connection attempt as a warning; the command reports an unreachable
     * broker itself, in one line. Unless the user set the level, only the client's errors are shown.
     */
    private static void quietKafkaLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        }
    }
}
