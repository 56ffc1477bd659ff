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
 * Two HMIs poll a PLC with Modbus FC3 once a second (±20 ms) for two hours of learning; a
 * workstation talks to a file server every second, so the shard's clock runs whether or not
 * polls arrive.
 */
class PollingDetectorTest {
    private static final int HMI = ip(10, 30, 0, 5);
    private static final int HMI2 = ip(10, 30, 0, 6);
    private static final int PLC = ip(10, 30, 0, 11);
    private static final int WORKSTATION = ip(10, 10, 1, 23);
    private static final int FILES = ip(10, 10, 1, 2);
    private static final long LEARN = 2 * HOUR;

    private final Site site = new Site(LEARN, new PollingDetector());
    private final Random jitter = new Random(7);
    /** Whether the PLC's responses are in the capture (they are not where a SPAN sees one direction). */
    private boolean answered;

    /**
     * Polls every {@code periodNanos} from {@code fromSecond} for {@code seconds}: register 0, and
     * register 100 a quarter period later; returns the last poll's time.
     */
    private long poll(long fromSecond, long seconds, long periodNanos) {
        return poll(HMI, fromSecond, seconds, periodNanos);
    }

    private long poll(int master, long fromSecond, long seconds, long periodNanos) {
        long last = 0;
        long end = T0 + (fromSecond + seconds) * SECOND;
        for (long t = T0 + fromSecond * SECOND; t < end; t += periodNanos) {
            long at = t + (long) ((jitter.nextDouble() - 0.5) * 40_000_000L);
            request(at, master, 0);
            last = at + periodNanos / 4;
            request(last, master, 100);
        }
        return last;
    }

    private void request(long t, int master, int register) {
        site.modbus(t, master, PLC, 3, register);
        if (answered) {
            site.modbusResponse(t + 4_000_000, PLC, master, 3, register);
        }
    }

    /** Both HMIs, once a second each; returns the first HMI's last poll. */
    private long pollBoth(long fromSecond, long seconds) {
        long last = 0;
        for (long s = fromSecond; s < fromSecond + seconds; s++) {
            last = poll(HMI, s, 1, SECOND);
            poll(HMI2, s, 1, SECOND);
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

    private long learnBoth() {
        site.flow(T0 - SECOND, HMI, PLC, 502);
        site.flow(T0 - SECOND, HMI2, PLC, 502);
        return pollBoth(0, LEARN / SECOND);
    }

    @Test
    void pollsThatStopAreReportedOnceTheLearnedSilenceIsExceeded() {
        learnBoth();
        long last = pollBoth(LEARN / SECOND, 60);
        poll(HMI2, LEARN / SECOND + 60, 30, SECOND); // the other HMI goes on: this master stopped, not the PLC
        site.end();
        Alert a = site.only(AlertType.POLLING_STOPPED);
        long detectedAfter = a.firstSeenNanos() - last;
        // The first poll (register 0) is overdue 5 s after it came, a quarter second before the second one.
        assertTrue(detectedAfter > 4 * SECOND && detectedAfter <= 7 * SECOND, "detected after " + detectedAfter);
        assertTrue(a.explanation().startsWith("10.30.0.5 polled PLC 10.30.0.11 with Modbus FC3 (address 0) every "
            + "1.00 s (jitter "), a.explanation());
        assertTrue(a.explanation().matches(".*; no poll for [56]\\.\\d\\d s while the device still answers other polls .*"),
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
        // The PLC's only master went quiet: a restart, unless it lasts past the grace.
        long grace = (long) PollingDetector.RESTART_GRACE_SECONDS * SECOND;
        // The clock ticks at the first observation of a second: just under the grace then.
        site.flow(second + grace + 1_000_000, WORKSTATION, FILES, 445);
        // The capture's last packet, later in the same second: past the grace, but no new tick.
        site.flow(second + grace + 999_000_000, WORKSTATION, FILES, 445);
        assertEquals(List.of(), site.types(), site.describe());
        site.end();
        assertTrue(site.only(AlertType.POLLING_STOPPED).explanation().contains("no poll for 2 min, and the device "
            + "answered none of its other polls since either: the device or the path to it is down"), site.describe());
    }

    @Test
    void aRestartThatEveryMasterSeesIsNotAnAlert() {
        learnBoth();
        long from = LEARN / SECOND;
        pollBoth(from, 60);
        background(from + 60, 30); // 30 s of silence for both HMIs: the PLC reboots
        pollBoth(from + 90, 120);
        site.end();
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void aMasterThatStopsWhileThePlcAnswersAnotherIsReportedAtItsDeadline() {
        answered = true;
        learnBoth();
        long last = pollBoth(LEARN / SECOND, 60);
        poll(HMI2, LEARN / SECOND + 60, 30, SECOND);
        site.end();
        Alert a = site.only(AlertType.POLLING_STOPPED);
        long detectedAfter = a.firstSeenNanos() - last;
        assertTrue(detectedAfter > 4 * SECOND && detectedAfter <= 7 * SECOND, "detected after " + detectedAfter);
        assertTrue(a.explanation().contains(" while the device still answers other polls "), a.explanation());
    }

    /**
     * A PLC reboot as a SPAN port sees it: each HMI's next request goes unanswered and is retried
     * on new connections every few seconds; after 30 s the PLC answers again, and the second HMI
     * reconnects a few seconds before the first. The retried requests keep one poll "arriving"
     * while the other is overdue, and the PLC answers one master before the other is back: neither
     * is a master that stopped.
     */
    @Test
    void aRebootWhoseRequestsGoUnansweredIsNotAnAlert() {
        answered = true;
        learnBoth();
        long from = LEARN / SECOND;
        pollBoth(from, 60);
        answered = false;
        for (long s = from + 60; s < from + 90; s += 5) {
            request(T0 + s * SECOND, HMI, 0);
            request(T0 + s * SECOND + SECOND / 2, HMI2, 0);
            background(s, 5);
        }
        answered = true;
        poll(HMI2, from + 90, 4, SECOND);
        pollBoth(from + 94, 120);
        site.end();
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void aMasterThatRestartsIsOneAlertThatShowsThePollsResuming() {
        learnBoth();
        long from = LEARN / SECOND;
        pollBoth(from, 60);
        poll(HMI2, from + 60, 30, SECOND); // only the first HMI is silent for 30 s
        long resumed = pollBoth(from + 90, 120);
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
