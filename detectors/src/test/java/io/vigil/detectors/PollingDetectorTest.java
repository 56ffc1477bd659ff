package io.vigil.detectors;

import static io.vigil.detectors.Site.HOUR;
import static io.vigil.detectors.Site.SECOND;
import static io.vigil.detectors.Site.T0;
import static io.vigil.detectors.Site.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An HMI polls a PLC with Modbus FC3 once a second (±20 ms) for two hours of learning; a
 * workstation talks to a file server every second, so the shard's clock runs whether or not
 * polls arrive.
 */
class PollingDetectorTest {
    private static final int HMI = ip(10, 30, 0, 5);
    private static final int PLC = ip(10, 30, 0, 11);
    private static final int WORKSTATION = ip(10, 10, 1, 23);
    private static final int FILES = ip(10, 10, 1, 2);
    private static final long LEARN = 2 * HOUR;

    private final Site site = new Site(LEARN, new PollingDetector());
    private final Random jitter = new Random(7);

    /**
     * Polls every {@code periodNanos} from {@code fromSecond} for {@code seconds}: register 0, and
     * register 100 a quarter period later; returns the last poll's time.
     */
    private long poll(long fromSecond, long seconds, long periodNanos) {
        long last = 0;
        long end = T0 + (fromSecond + seconds) * SECOND;
        for (long t = T0 + fromSecond * SECOND; t < end; t += periodNanos) {
            long at = t + (long) ((jitter.nextDouble() - 0.5) * 40_000_000L);
            site.modbus(at, HMI, PLC, 3, 0);
            last = at + periodNanos / 4;
            site.modbus(last, HMI, PLC, 3, 100);
        }
        return last;
    }

    private void background(long fromSecond, long seconds) {
        for (long s = fromSecond; s < fromSecond + seconds; s++) {
            site.flow(T0 + s * SECOND + SECOND / 3, WORKSTATION, FILES, 445);
        }
    }

    private long learn() {
        site.flow(T0 - SECOND, HMI, PLC, 502); // the one connection the HMI keeps open
        return poll(0, LEARN / SECOND, SECOND);
    }

    @Test
    void steadyPollingRaisesNothing() {
        learn();
        poll(LEARN / SECOND, 1800, SECOND);
        site.end();
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void pollsThatStopAreReportedOnceTheLearnedSilenceIsExceeded() {
        learn();
        long last = poll(LEARN / SECOND, 60, SECOND);
        background(LEARN / SECOND + 60, 30);
        site.end();
        Alert a = site.only(AlertType.POLLING_STOPPED);
        long detectedAfter = a.firstSeenNanos() - last;
        assertTrue(detectedAfter > 5 * SECOND && detectedAfter <= 7 * SECOND, "detected after " + detectedAfter);
        assertTrue(a.explanation().startsWith("10.30.0.5 polled PLC 10.30.0.11 with Modbus FC3 (address 0) every "
            + "1.00 s (jitter "), a.explanation());
        assertTrue(a.explanation().matches(".*; no poll for [56]\\.\\d\\d s \\(a restart of either end looks the same .*"),
            a.explanation());
        assertEquals("T0829", a.type().techniqueId());
        assertEquals("10.30.0.5", a.source().ip());
        assertEquals(2, a.count(), "the pair's two polls are one alert");
    }

    @Test
    void aStopIsNoticedAtTheEndOfTheStream() {
        learn();
        long last = poll(LEARN / SECOND, 10, SECOND);
        long second = last / SECOND * SECOND;
        // The clock ticks at the first observation of a second: 4-5 s of silence then, under the 5 s allowed.
        site.flow(second + 5 * SECOND + 1_000_000, WORKSTATION, FILES, 445);
        // The capture's last packet, later in the same second: past the allowed silence, but no new tick.
        site.flow(second + 5 * SECOND + 999_000_000, WORKSTATION, FILES, 445);
        assertEquals(List.of(), site.types(), site.describe());
        site.end();
        assertTrue(site.only(AlertType.POLLING_STOPPED).explanation().contains("no poll for 5."), site.describe());
    }

    @Test
    void aRestartIsOneAlertThatShowsThePollsResuming() {
        learn();
        long from = LEARN / SECOND;
        poll(from, 60, SECOND);
        background(from + 60, 30); // 30 s of silence: the PLC reboots
        long resumed = poll(from + 90, 120, SECOND);
        site.end();
        assertEquals(List.of(AlertType.POLLING_STOPPED), site.types(), "one alert for the pair: " + site.describe());
        Alert a = site.alerts.get(0);
        assertEquals(4, a.count(), "both polls stopped, and both resumed: folded in");
        assertTrue(a.lastSeenNanos() > T0 + (from + 89) * SECOND && a.lastSeenNanos() < resumed);
    }

    @Test
    void aFasterPeriodIsReportedAfterEightPolls() {
        learn();
        long from = LEARN / SECOND;
        poll(from, 20, SECOND);
        poll(from + 20, 20, SECOND / 4);
        Alert a = site.only(AlertType.POLLING_PERIOD_CHANGED);
        // Reported as soon as the median of the last 8 intervals left the learned band: before all 8 are new.
        assertTrue(a.explanation().matches(".* every 1\\.00 s \\(jitter \\d+ ms\\) over 2 h; the last 8 came every "
            + "\\d{3} ms\\."), a.explanation());
        assertTrue(a.firstSeenNanos() < T0 + (from + 22) * SECOND, "within 2 s of the change");
        assertEquals("T0831", a.type().techniqueId());
    }

    @Test
    void irregularRequestsAreNotPolls() {
        site.flow(T0 - SECOND, HMI, PLC, 502);
        for (long s = 0; s < LEARN / SECOND; s += 1 + jitter.nextInt(30)) {
            site.modbus(T0 + s * SECOND, HMI, PLC, 3, 0);
        }
        background(LEARN / SECOND, 300);
        site.end();
        assertEquals(List.of(), site.types(), site.describe());
    }
}
