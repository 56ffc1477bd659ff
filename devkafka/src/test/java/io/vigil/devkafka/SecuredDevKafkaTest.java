package io.vigil.devkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured dev broker is what it claims: it serves a client configured with its
 * {@code client.properties} alone, and refuses a wrong password, a client that does not trust its
 * CA and a plaintext client. One broker for the class.
 */
@Timeout(120)
class SecuredDevKafkaTest {
    @TempDir
    static Path dir;
    static DevKafka broker;

    @BeforeAll
    static void start() throws IOException {
        broker = DevKafka.start(dir.resolve("kafka"), 0, DevKafka.Security.SASL_SSL);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** describeCluster's failure cause with these client settings, or null when it succeeds. */
    private static Throwable describe(Properties client) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put("bootstrap.servers", broker.bootstrap());
        p.put("default.api.timeout.ms", "10000");
        p.put("request.timeout.ms", "5000");
        try (Admin a = Admin.create(p)) {
            a.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void clientPropertiesAloneProduceAndConsume() throws Exception {
        Properties client = load(broker.clientProperties());
        assertEquals("SASL_SSL", client.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.getProperty("sasl.mechanism"));
        assertTrue(Files.isReadable(Path.of(client.getProperty("ssl.truststore.location"))), client.toString());
        TopicReader.create(broker.bootstrap(), client, "t.scram", 1);
        Properties p = new Properties();
        p.putAll(client);
        p.put("bootstrap.servers", broker.bootstrap());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("t.scram", "k", "over SASL_SSL")).get(20, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, byte[]>> got = TopicReader.readAll(broker.bootstrap(), client, "t.scram", 1);
        assertEquals(1, got.size());
        assertEquals("over SASL_SSL", new String(got.get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    void oauthbearerUnsecuredTokenIsAccepted() throws Exception {
        Properties client = load(broker.oauthClientProperties());
        assertEquals("OAUTHBEARER", client.getProperty("sasl.mechanism"));
        assertEquals(null, describe(client));
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Properties client = broker.clientConfig();
        String jaas = client.getProperty("sasl.jaas.config");
        client.setProperty("sasl.jaas.config", jaas.replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));
        assertInstanceOf(SaslAuthenticationException.class, describe(client));
    }

    @Test
    void clientWithoutTheCaIsRefusedByTls() throws Exception {
        Properties client = broker.clientConfig();
        client.remove("ssl.truststore.type");
        client.remove("ssl.truststore.location");
        assertInstanceOf(SslAuthenticationException.class, describe(client));
    }

    @Test
    void plaintextClientGetsNothing() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        p.put("default.api.timeout.ms", "3000");
        p.put("request.timeout.ms", "2000");
        try (Admin a = Admin.create(p)) {
            assertThrows(Exception.class, () -> a.describeCluster().nodes().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSecuredDirectoryDoesNotRestartAsPlaintext() {
        IOException e = assertThrows(IOException.class, () -> DevKafka.start(dir.resolve("kafka"), 0));
        assertTrue(e.getMessage().contains("formatted for SASL_SSL"), e.getMessage());
    }
}
