package io.vigil.export.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * One look at the broker when export starts, so a bad configuration gives one clear sentence
 * (unreachable bootstrap, refused credentials, untrusted broker certificate, missing topic, no
 * permission) instead of a client log scrolling by. It never stops the sensor: the spool keeps the
 * alerts until Kafka takes them.
 */
final class KafkaPreflight {
    private static final int WAIT_SECONDS = 10;
    /**
     * With TLS or SASL: a handshake and a login are several round trips and cold crypto code, which
     * on a busy machine take longer than 10 s before the broker has said anything wrong. Calling
     * that "unreachable" would be false; waiting longer delays nothing, the forwarder runs beside.
     */
    private static final int SECURED_WAIT_SECONDS = 30;

    private KafkaPreflight() {
    }

    /**
     * What the check found.
     *
     * @param message    the problem in one sentence
     * @param brokerAway whether the broker did not answer or refused this client altogether: then the
     *                   end of a run need not wait for it. A broker that answered but lacks the alerts
     *                   topic (it may auto-create it) or denies it still takes the other topics' records.
     */
    record Problem(String message, boolean brokerAway) {
    }

    /** @return null when the topic is there and we may describe it, else the problem */
    static Problem check(KafkaSettings settings, String spoolDir) {
        Properties admin = new Properties();
        settings.producer().forEach((k, v) -> {
            String key = (String) k;
            if (AdminClientConfig.configNames().contains(key) || !ProducerConfig.configNames().contains(key)) {
                admin.put(key, v);
            }
        });
        boolean secured = !"PLAINTEXT".equalsIgnoreCase(
            admin.getProperty("security.protocol", "PLAINTEXT").trim());
        int wait = secured ? SECURED_WAIT_SECONDS : WAIT_SECONDS;
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf((wait - 2) * 1000));
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(wait * 1000));
        String unreachable = " is unreachable (no answer within " + wait + " s)";
        String where = "Kafka at " + settings.bootstrap();
        String keep = "; the sensor keeps capturing and spools alerts to " + spoolDir + " until Kafka takes them";
        Admin a = null;
        try {
            a = Admin.create(admin);
            a.describeTopics(List.of(settings.topic())).allTopicNames().get(wait + 1L, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UnknownTopicOrPartitionException) {
                return new Problem(where + " has no topic " + settings.topic() + " (create it with "
                    + "deploy/create-topics.sh " + settings.bootstrap() + ", or the broker must allow auto-creation)" + keep,
                    false);
            }
            if (c instanceof AuthenticationException) {
                return new Problem(where + " " + KafkaProblems.security(c) + keep, true);
            }
            if (c instanceof AuthorizationException) {
                return new Problem(where + " does not allow this principal to use topic " + settings.topic() + ": "
                    + c.getMessage() + keep, false);
            }
            if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
                return new Problem(where + unreachable + keep, true);
            }
            return new Problem(where + ": " + rootMessage(c) + keep, true);
        } catch (java.util.concurrent.TimeoutException e) {
            return new Problem(where + unreachable + keep, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            // Admin.create rejects a bad configuration (unknown protocol, unresolvable host, bad JAAS).
            return new Problem(where + ": bad client configuration: " + rootMessage(e) + keep, true);
        } finally {
            if (a != null) {
                // Do not wait for a call still pending against an unreachable broker.
                a.close(Duration.ZERO);
            }
        }
    }

    /** The innermost cause's message: "Failed to create new KafkaAdminClient" says less than its cause. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
