package io.vigil.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Alert ids: reproducible for a replay (node 0), unique per run once a node is mixed in. */
class AlertUidTest {
    private static final long T = 1_772_524_969_756_000_000L;

    @Test
    void replayIdsAreReproducibleAndLiveIdsDifferPerRun() {
        AlertAggregator replay1 = new AlertAggregator(2, a -> { });
        AlertAggregator replay2 = new AlertAggregator(2, a -> { });
        assertEquals(replay1.nextUid(T), replay2.nextUid(T), "same capture, same ids");

        AlertAggregator run1 = new AlertAggregator(2, a -> { });
        AlertAggregator run2 = new AlertAggregator(2, a -> { });
        run1.runNode(0x1234);
        run2.runNode(0x4321);
        String a = run1.nextUid(T);
        assertNotEquals(a, run2.nextUid(T), "a restart without a model does not repeat ids");
        UUID u = UUID.fromString(a);
        assertEquals(7, u.version());
        assertEquals(2, u.variant());
        assertEquals(T / 1_000_000, u.getMostSignificantBits() >>> 16, "time-ordered: ms in the top 48 bits");
    }
}
