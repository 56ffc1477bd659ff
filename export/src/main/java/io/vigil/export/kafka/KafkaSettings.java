package io.vigil.export.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer's configuration: the operator's {@code --kafka-config} file passed through unchanged
 * (TLS, SASL, timeouts, anything the client knows), with our defaults filling only what it does not
 * set. The defaults make delivery safe and ordered per key: idempotence, acks=all, at most five
 * requests in flight; lz4 compresses JSON well at little CPU; a short linger batches bursts.
 */
public final class KafkaSettings {
    public static final String DEFAULT_TOPIC = "vigil.alerts";

    /** What we fill when the operator's file does not say otherwise. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
        Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, "20"),
        Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, "131072"),
        Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5"),
        Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "vigil-sensor"),
        // An outage shows up as failed sends within 30 s; the spool keeps the records and they are resent.
        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"),
        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"),
        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000"),
        Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000"));

    private final Properties producer;
    private final String topic;

    private KafkaSettings(Properties producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * @param bootstrap  {@code --kafka}, or null when the file sets bootstrap.servers
     * @param configFile {@code --kafka-config}, or null
     * @param topic      the alerts topic
     * @throws IllegalArgumentException when the bootstrap is missing or given twice differently
     */
    public static KafkaSettings of(String bootstrap, Path configFile, String topic) throws IOException {
        Properties p = new Properties();
        if (configFile != null) {
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        String fromFile = p.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap != null && fromFile != null && !fromFile.trim().equals(bootstrap.trim())) {
            throw new IllegalArgumentException("--kafka " + bootstrap + " and bootstrap.servers=" + fromFile + " in "
                + configFile + " disagree: give the bootstrap once");
        }
        if (bootstrap == null && fromFile == null) {
            throw new IllegalArgumentException("no Kafka bootstrap: give --kafka HOST:PORT or bootstrap.servers in "
                + configFile);
        }
        if (bootstrap != null) {
            p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.trim());
        }
        DEFAULTS.forEach(p::putIfAbsent);
        // Records are sent as they were spooled: the serializers are ours, not the operator's to choose.
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaSettings(p, topic == null ? DEFAULT_TOPIC : topic);
    }

    /** A copy of the producer properties. */
    public Properties producer() {
        Properties copy = new Properties();
        copy.putAll(producer);
        return copy;
    }

    public String bootstrap() {
        return producer.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    public String topic() {
        return topic;
    }
}
