package io.vigil.export.spool;

/**
 * System properties Chronicle reads when its classes load (no analytics phone-home, no banner) and
 * the export libraries' log levels (slf4j-simple reads them when its first logger is made).
 * Set here as well as in the launcher, so {@code java -jar} and tests behave the same.
 */
public final class ChronicleDefaults {
    private ChronicleDefaults() {
    }

    public static void apply() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        // Chronicle logs file creation and rolling at INFO through slf4j: keep it at WARN.
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        // The Kafka client would warn on every reconnect during an outage; the forwarder says it once.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        // ...and logs a refused login or TLS handshake at ERROR on every retry: the start-up check says it once.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "off");
    }

    /** Sets a system property unless the command line (-D) already did. */
    public static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
