package io.vigil.export.spool;

/**
 * System properties Chronicle reads when its classes load: no analytics phone-home, no banner.
 * Set here as well as in the launcher, so {@code java -jar} and tests behave the same.
 */
final class ChronicleDefaults {
    private ChronicleDefaults() {
    }

    static void apply() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        // Chronicle logs file creation and rolling at INFO through slf4j: keep it at WARN.
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
