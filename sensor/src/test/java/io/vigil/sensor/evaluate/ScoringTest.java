package io.vigil.sensor.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertType;
import io.vigil.sensor.simulate.GroundTruth;
import io.vigil.sensor.simulate.LabelledEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matching rules of {@link Scoring} and the figures of {@link EvaluationReport} on hand-made alerts. */
class ScoringTest {
    private static final long T0 = 1_764_000_000_000L;
    private static final long LEARN_UNTIL = T0 + 3_600_000;
    private static final long END = LEARN_UNTIL + 3_600_000;

    private static final LabelledEvent WRITE = new LabelledEvent("a1", "attack", "first_write", List.of("first_write"),
        LEARN_UNTIL + 600_000, LEARN_UNTIL + 610_000, List.of("10.30.0.5"), List.of("10.30.0.11"), "T0855", "");
    private static final LabelledEvent SCAN = new LabelledEvent("a2", "attack", "scan_horizontal", List.of("scan"),
        LEARN_UNTIL + 900_000, LEARN_UNTIL + 905_000, List.of("10.10.1.7"), List.of(), "T0846", "");
    private static final LabelledEvent REBOOT = new LabelledEvent("b1", "benign", "reboot", List.of(),
        LEARN_UNTIL + 1_200_000, LEARN_UNTIL + 1_230_000, List.of("10.30.0.12"), List.of(), "", "");
    private static final GroundTruth TRUTH = new GroundTruth(1, T0, LEARN_UNTIL, END, 50, List.of(WRITE, SCAN, REBOOT));

    private static Alert alert(String uid, AlertType type, long atMillis, String src, String dst) {
        Alert.Evidence ev = new Alert.Evidence(1, atMillis * 1_000_000L, src, 40000, dst, 502, "x");
        return new Alert(uid, type, uid, 3, 50, 50, "because", null, new Alert.Endpoint(src, 0, 40000, null),
            new Alert.Endpoint(dst, 0, 502, null), "tcp", null, ev);
    }

    @Test
    void anAttackIsDetectedByItsEarliestAlertNamingAnActorOrVictim() {
        Alert late = alert("u2", AlertType.FIRST_WRITE, WRITE.startMillis() + 1_500, "10.30.0.5", "10.30.0.11");
        Alert early = alert("u1", AlertType.NEW_PEER, WRITE.startMillis() + 250, "10.30.0.99", "10.30.0.11");
        Scoring.Outcome o = Scoring.score(TRUTH, List.of(late, early));

        Scoring.EventOutcome write = o.attacks().get(0);
        assertTrue(write.detected());
        assertEquals(250, write.millisToDetect());
        assertEquals(List.of("new_peer", "first_write"), List.copyOf(write.types()));
        assertTrue(write.expectedType());
        assertFalse(o.attacks().get(1).detected(), "nothing named the scanner");
        assertEquals(1, o.detected());
        assertEquals(0, o.falsePositives().size());
        assertEquals(2, o.truePositiveAlerts());
    }

    @Test
    void alertsOutsideAnEventsWindowOrOnOtherHostsAreFalsePositives() {
        Alert before = alert("u1", AlertType.NEW_PEER, WRITE.startMillis() - 1, "10.30.0.5", "10.30.0.11");
        Alert afterGrace = alert("u2", AlertType.NEW_PEER, WRITE.endMillis() + Scoring.GRACE_MILLIS + 1,
            "10.30.0.5", "10.30.0.11");
        Alert elsewhere = alert("u3", AlertType.SCAN, SCAN.startMillis() + 10, "10.10.1.8", "10.10.2.1");
        Alert onReboot = alert("u4", AlertType.NEW_PEER, REBOOT.startMillis() + 5_000, "10.30.0.5", "10.30.0.12");
        Scoring.Outcome o = Scoring.score(TRUTH, List.of(before, afterGrace, elsewhere, onReboot));

        assertEquals(0, o.detected());
        assertEquals(4, o.falsePositives().size());
        assertTrue(o.benign().get(0).detected(), "the alert on the rebooted PLC is charged to the benign event");
        EvaluationReport r = new EvaluationReport();
        r.add(o, o);
        EvaluationReport.Figures f = r.product();
        assertEquals(0.0, f.recall());
        assertEquals(4 / (1.0 * 50 / 100), f.falsePositivesPerHourPer100Devices(), 1e-9);
        assertEquals(1, f.benignAlerted());
    }

    @Test
    void reportPrintsEveryAttackTypeWithBothDetectorSets() {
        Alert hit = alert("u1", AlertType.FIRST_WRITE, WRITE.startMillis() + 100, "10.30.0.5", "10.30.0.11");
        Alert scan = alert("u2", AlertType.SCAN, SCAN.startMillis() + 2_000, "10.10.1.7", "10.30.0.1");
        EvaluationReport r = new EvaluationReport();
        r.add(Scoring.score(TRUTH, List.of(hit)), Scoring.score(TRUTH, List.of(hit, scan)));
        String text = r.text(true, 5);
        assertTrue(text.contains("first_write                1/1       0.100 s        1/1       0.100 s        first_write"),
            text);
        assertTrue(text.contains("scan_horizontal            0/1       -              1/1       2.000 s"), text);
        assertEquals(0.5, r.product().recall());
        assertEquals(1.0, r.baseline().recall());
        assertEquals(0.1, r.product().medianSecondsToDetect(), 1e-9);
    }
}
