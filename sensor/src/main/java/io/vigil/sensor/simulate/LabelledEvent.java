package io.vigil.sensor.simulate;

import java.util.List;

/**
 * One injected event of a scenario's ground truth.
 *
 * @param kind           "attack" or "benign"
 * @param type           the event label, such as "first_write" or "reboot"
 * @param expectedAlerts alert type labels any one of which detects it; empty for a benign event (any alert on it is a
 *                       false positive)
 * @param startMillis    capture time of its first packet (for polling_stopped: when the first missed poll was due)
 * @param endMillis      capture time of its last packet
 * @param actors         the IPs that act (the attacker)
 * @param victims        the IPs acted upon
 * @param technique      the ATT&CK technique id, "" for benign events
 */
public record LabelledEvent(String id, String kind, String type, List<String> expectedAlerts, long startMillis,
                            long endMillis, List<String> actors, List<String> victims, String technique,
                            String description) {
    public LabelledEvent {
        expectedAlerts = List.copyOf(expectedAlerts);
        actors = List.copyOf(actors);
        victims = List.copyOf(victims);
    }

    public boolean attack() {
        return "attack".equals(kind);
    }
}
