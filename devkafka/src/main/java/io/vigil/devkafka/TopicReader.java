package io.vigil.devkafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** For integration tests against a dev broker: creates a topic and reads all of it back. */
public final class TopicReader {
    private TopicReader() {
    }

    public static void create(String bootstrap, String topic, int partitions) throws Exception {
        create(bootstrap, new Properties(), topic, partitions);
    }

    /** As {@link #create(String, String, int)}, with client security settings (a secured broker's {@code clientConfig()}). */
    public static void create(String bootstrap, Properties client, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put("bootstrap.servers", bootstrap);
        try (Admin a = Admin.create(p)) {
            a.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Every record of {@code topic}, reading until at least {@code atLeast} arrived (or two minutes passed). */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, int atLeast) {
        return readAll(bootstrap, new Properties(), topic, atLeast);
    }

    /** As {@link #readAll(String, String, int)}, with client security settings. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, Properties client, String topic,
                                                               int atLeast) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (out.size() < atLeast || emptyPolls < 2)) {
                var batch = c.poll(Duration.ofMillis(500));
                batch.forEach(out::add);
                emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
            }
        }
        return out;
    }
}
