package io.vigil.detectors;

import static io.vigil.detectors.Site.HOUR;
import static io.vigil.detectors.Site.SECOND;
import static io.vigil.detectors.Site.T0;
import static io.vigil.detectors.Site.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PLC read ten times a second by its HMI for an hour (bursts of up to 30 in a second when the
 * operator opens a screen), then flooded with Modbus requests or with connections.
 */
class RequestFloodDetectorTest {
    private static final int HMI = ip(10, 30, 0, 5);
    private static final int PLC = ip(10, 30, 0, 11);
    private static final int ATTACKER = ip(10, 10, 1, 66);

    private final Site site = new Site(HOUR, new RequestFloodDetector());

    private long learn() {
        site.flow(T0, HMI, PLC, 502);
        for (int s = 0; s < 3600; s++) {
            int perSecond = s % 600 == 0 ? 30 : 10;
            for (int k = 0; k < perSecond; k++) {
                site.modbus(T0 + s * SECOND + k * (SECOND / perSecond), HMI, PLC, 3, 100);
            }
        }
        return T0 + 3600 * SECOND;
    }

    @Test
    void routineReadsAndOperatorBurstsRaiseNothing() {
        long t = learn();
        for (int s = 0; s < 600; s++) {
            int perSecond = s % 100 == 0 ? 40 : 10;
            for (int k = 0; k < perSecond; k++) {
                site.modbus(t + s * SECOND + k * (SECOND / perSecond), HMI, PLC, 3, 100);
            }
        }
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void aModbusFloodIsOneAlertWithinItsFirstSecond() {
        long t = learn() + 10 * SECOND;
        site.flow(t, ATTACKER, PLC, 502);
        for (int k = 0; k < 5000; k++) { // 2 000 requests a second for 2.5 s
            site.modbus(t + k * (SECOND / 2000), ATTACKER, PLC, 3, 0);
        }
        Alert a = site.only(AlertType.REQUEST_FLOOD);
        assertTrue(a.firstSeenNanos() - t < SECOND, "detected " + (a.firstSeenNanos() - t) + " ns after it began");
        // The HMI's operator bursts (31 in a second) set the line for any one peer: 5 x 31.
        assertEquals("PLC 10.30.0.11 got 156 requests (connections and industrial requests) in 1 s from 10.10.1.66; "
            + "in 1 h of learning its most in that window was 31 from any one peer.", a.explanation());
        assertTrue(a.count() >= 1 && a.count() <= 2, "folded per 10 s window: " + a.count());
        assertEquals("T0814", a.type().techniqueId());
    }

    @Test
    void theFloorIsFiveTimesTheLearnedMaximum() {
        long t = learn() + 10 * SECOND;
        for (int k = 0; k < 150; k++) { // 150 in one second from the HMI: above the 100 floor, under 5 x 31
            site.modbus(t + k * (SECOND / 200), HMI, PLC, 3, 100);
        }
        assertEquals(List.of(), site.types(), site.describe());
        for (int k = 0; k < 200; k++) {
            site.modbus(t + SECOND * 5 + k * (SECOND / 250), HMI, PLC, 3, 100);
        }
        assertTrue(site.only(AlertType.REQUEST_FLOOD).explanation().contains("got 156 requests"), site.describe());
    }

    @Test
    void aSynFloodFromSpoofedSourcesCountsConnectionsTogether() {
        long t = learn() + 10 * SECOND;
        for (int k = 0; k < 3000; k++) {
            site.flow(t + k * (SECOND / 3000), ip(172, 16, k / 250, k % 250 + 1), PLC, 502);
        }
        Alert a = site.only(AlertType.REQUEST_FLOOD);
        assertTrue(a.explanation().contains("requests (connections and industrial requests) in 1 s from all peers "
            + "together; in 1 h of learning its most in that window was 31."), a.explanation());
    }
}
