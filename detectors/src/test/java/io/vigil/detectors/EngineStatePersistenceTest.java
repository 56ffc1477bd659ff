package io.vigil.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.baseline.DeviceInventory;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shard-wide state an engine saves in a model file (detector state and the alert id sequence)
 * decides later alerts the same way after a reload, and the learning plan of a loaded model
 * judges from the first observation.
 */
class EngineStatePersistenceTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * SECOND;
    private static final int UPDATES = ip(198, 51, 100, 1);

    private final Observation o = new Observation();
    private int clientPort = 40_000;

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private record Shard(DeviceInventory inventory, DetectionEngine engine, List<Alert> alerts) {
    }

    private static Shard shard() {
        DeviceInventory inventory = new DeviceInventory(100);
        List<Alert> alerts = new ArrayList<>();
        DetectionEngine engine = new DetectionEngine(inventory.table(), LearningPlan.none(),
            new AlertAggregator(0, alerts::add), List.of(new NewPeerDetector(), new BeaconDetector()),
            DetectionEngine.DEFAULT_MIN_SURPRISE_BITS);
        return new Shard(inventory, engine, alerts);
    }

    private void flow(Shard s, long t, int src, int dst) {
        o.clear();
        o.type = ObservationType.FLOW_START;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(src);
        o.dstIpLo = IpAddresses.v4MappedLo(dst);
        o.srcPort = clientPort++;
        o.dstPort = 443;
        o.ipProto = 6;
        o.srcMac = 0x0000_0222_3300_0000L | (src & 0xFF);
        o.dstMac = 0x0000_0222_3300_0000L | (dst & 0xFF);
        s.inventory().onObservation(o, true, true);
        s.engine().onObservation(o, true, true);
    }

    private static byte[] state(DetectionEngine e) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        e.writeStateTo(new DataOutputStream(b));
        return b.toByteArray();
    }

    private static void restore(DetectionEngine e, byte[] state) throws IOException {
        e.readStateFrom(new DataInputStream(new ByteArrayInputStream(state)));
    }

    /** A fourth host checking the same external address every minute. */
    private boolean beaconsFromAFourthHost(Shard s) {
        for (int i = 0; i < 10; i++) {
            flow(s, T0 + 3_600 * SECOND + i * 60 * SECOND, ip(10, 2, 0, 4), UPDATES);
        }
        return s.alerts().stream().anyMatch(a -> a.type() == AlertType.BEACONING);
    }

    @Test
    void aDestinationKnownToBePopularStaysPopularAfterAReload() throws IOException {
        Shard before = shard();
        for (int h = 1; h <= 3; h++) {
            flow(before, T0 + h * SECOND, ip(10, 2, 0, h), UPDATES); // three hosts of the site use it
        }
        byte[] saved = state(before.engine());

        Shard reloaded = shard();
        restore(reloaded.engine(), saved);
        assertFalse(beaconsFromAFourthHost(reloaded), "four clients: a popular destination, not a beacon");
        assertTrue(beaconsFromAFourthHost(shard()), "control: without the saved state the same traffic is a beacon");
    }

    @Test
    void stateSavedByTwoShardsIsMergedIntoOne() throws IOException {
        Shard a = shard();
        Shard b = shard();
        flow(a, T0, ip(10, 2, 0, 1), UPDATES);
        flow(a, T0 + SECOND, ip(10, 2, 0, 2), UPDATES);
        flow(b, T0 + SECOND, ip(10, 2, 0, 3), UPDATES);
        Shard merged = shard();
        restore(merged.engine(), state(a.engine()));
        restore(merged.engine(), state(b.engine()));
        assertFalse(beaconsFromAFourthHost(merged), "clients of both old shards count");
    }

    @Test
    void alertIdsContinueAfterAReload() throws IOException {
        Shard before = shard();
        String first = before.engine().alerts().nextUid(T0);
        before.engine().alerts().nextUid(T0);
        Shard reloaded = shard();
        restore(reloaded.engine(), state(before.engine()));
        assertEquals(2, reloaded.engine().alerts().sequence());
        String next = reloaded.engine().alerts().nextUid(T0);
        assertFalse(next.equals(first), "a reloaded shard does not hand out an id again");
    }

    @Test
    void aResumedPlanJudgesAtOnceAndNamesTheEarlierLearning() {
        LearningPlan plan = LearningPlan.resumed(T0, T0 + 6 * 3_600 * SECOND);
        assertTrue(plan.detecting(T0), "even a capture older than the model is judged");
        plan.observe(T0 + 7 * 3_600 * SECOND);
        assertEquals(T0, plan.startNanos());
        assertEquals("6 h", plan.spanText());

        LearningPlan more = LearningPlan.forDuration(3_600 * SECOND).continuing(T0);
        more.observe(T0 + 10 * 3_600 * SECOND);
        assertFalse(more.detecting(T0 + 10 * 3_600 * SECOND + 1), "learns the extra hour first");
        assertTrue(more.detecting(T0 + 11 * 3_600 * SECOND));
        assertEquals("11 h", more.spanText());
    }
}
