package io.vigil.sensor.evaluate;

import io.vigil.detectors.Alert;
import io.vigil.sensor.simulate.GroundTruth;
import io.vigil.sensor.simulate.LabelledEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches the alerts of one run against a scenario's ground truth.
 *
 * <p>An alert belongs to a labelled event when one of its endpoints (source, destination or the
 * device it is about) is one of the event's actors or victims and it was first raised between the
 * event's first packet and {@link #GRACE_MILLIS} after its last (a stopped poll is only noticed
 * after the poll is overdue). An attack is detected by its earliest such alert; its time to detect
 * runs from the attack's first packet. Every other alert of the test period is a false positive,
 * counted once per distinct cause (the aggregator already folds repeats), including alerts on the
 * benign novelties.
 */
public final class Scoring {
    public static final long GRACE_MILLIS = 120_000;

    /** An event with the alerts that belong to it, earliest first. */
    public record EventOutcome(LabelledEvent event, List<Alert> alerts) {
        public boolean detected() {
            return !alerts.isEmpty();
        }

        /** Capture time from the event's first packet to its first alert, or -1 when missed. */
        public long millisToDetect() {
            return alerts.isEmpty() ? -1 : Math.max(0, alerts.get(0).firstSeenNanos() / 1_000_000 - event.startMillis());
        }

        /** Alert types raised for it, in order of first appearance. */
        public Set<String> types() {
            Set<String> t = new LinkedHashSet<>();
            for (Alert a : alerts) {
                t.add(a.type().label());
            }
            return t;
        }

        /** Whether one of the alerts has a type the label expects (a detection may come from a neighbouring detector). */
        public boolean expectedType() {
            for (Alert a : alerts) {
                if (event.expectedAlerts().contains(a.type().label())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The outcome of one run on one scenario. */
    public record Outcome(GroundTruth truth, List<EventOutcome> attacks, List<EventOutcome> benign,
                          List<Alert> falsePositives, int alertsInTest, int truePositiveAlerts) {
        public int detected() {
            int n = 0;
            for (EventOutcome e : attacks) {
                n += e.detected() ? 1 : 0;
            }
            return n;
        }

        public double testHours() {
            return (truth.endMillis() - truth.learnUntilMillis()) / 3_600_000.0;
        }
    }

    private Scoring() {
    }

    public static Outcome score(GroundTruth truth, List<Alert> alerts) {
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(Comparator.comparingLong(Alert::firstSeenNanos).thenComparing(Alert::uid));
        List<EventOutcome> attacks = new ArrayList<>();
        Set<Alert> ofAttacks = new HashSet<>();
        for (LabelledEvent e : truth.events()) {
            if ("attack".equals(e.kind())) {
                List<Alert> matched = matching(sorted, e, Set.of());
                ofAttacks.addAll(matched);
                attacks.add(new EventOutcome(e, matched));
            }
        }
        // An attack's alert that also touches a benign event's host (the same workstation renewed its lease) is the attack's.
        List<EventOutcome> benign = new ArrayList<>();
        for (LabelledEvent e : truth.events()) {
            if (!"attack".equals(e.kind())) {
                benign.add(new EventOutcome(e, matching(sorted, e, ofAttacks)));
            }
        }
        List<Alert> falsePositives = new ArrayList<>();
        int inTest = 0;
        int truePositives = 0;
        for (Alert a : sorted) {
            if (a.firstSeenNanos() / 1_000_000 < truth.learnUntilMillis()) {
                continue; // cannot happen with a learning plan; counted nowhere if it does
            }
            inTest++;
            if (ofAttacks.contains(a)) {
                truePositives++;
            } else {
                falsePositives.add(a);
            }
        }
        return new Outcome(truth, attacks, benign, falsePositives, inTest, truePositives);
    }

    private static List<Alert> matching(List<Alert> sorted, LabelledEvent e, Set<Alert> taken) {
        List<Alert> matched = new ArrayList<>();
        for (Alert a : sorted) {
            if (!taken.contains(a) && belongs(a, e)) {
                matched.add(a);
            }
        }
        return matched;
    }

    static boolean belongs(Alert a, LabelledEvent e) {
        long t = a.firstSeenNanos() / 1_000_000;
        if (t < e.startMillis() || t > e.endMillis() + GRACE_MILLIS) {
            return false;
        }
        return names(a.source(), e) || names(a.destination(), e) || names(a.device(), e);
    }

    private static boolean names(Alert.Endpoint p, LabelledEvent e) {
        return p != null && p.ip() != null && (e.actors().contains(p.ip()) || e.victims().contains(p.ip()));
    }
}
