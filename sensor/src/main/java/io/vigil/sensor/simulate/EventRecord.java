package io.vigil.sensor.simulate;

import java.util.List;

/** An event being injected: its label fields, and the first and last of its packets as the wire emits them. */
final class EventRecord {
    final String type;
    final boolean attack;
    final List<String> expectedAlerts;
    final String technique;
    final List<String> actors;
    final List<String> victims;
    final String description;
    long firstMicros = Long.MAX_VALUE;
    long lastMicros = Long.MIN_VALUE;
    /** An absence (polling that stopped) lasts until the capture's last packet. */
    boolean lastsUntilTheEnd;

    EventRecord(String type, boolean attack, List<String> expectedAlerts, String technique, List<String> actors,
                List<String> victims, String description) {
        this.type = type;
        this.attack = attack;
        this.expectedAlerts = expectedAlerts;
        this.technique = technique;
        this.actors = actors;
        this.victims = victims;
        this.description = description;
    }

    void saw(long micros) {
        firstMicros = Math.min(firstMicros, micros);
        lastMicros = Math.max(lastMicros, micros);
    }

    LabelledEvent label(String id) {
        return new LabelledEvent(id, attack ? "attack" : "benign", type, expectedAlerts, firstMicros / 1000,
            lastMicros / 1000, actors, victims, technique, description);
    }
}
