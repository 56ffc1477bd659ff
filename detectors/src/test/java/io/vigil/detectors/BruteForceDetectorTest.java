package io.vigil.detectors;

import static io.vigil.detectors.Site.HOUR;
import static io.vigil.detectors.Site.MINUTE;
import static io.vigil.detectors.Site.SECOND;
import static io.vigil.detectors.Site.T0;
import static io.vigil.detectors.Site.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A Linux server whose SSH is used by an admin and by a configuration tool that opens bursts of connections. */
class BruteForceDetectorTest {
    private static final int SERVER = ip(10, 10, 2, 20);
    private static final int ADMIN = ip(10, 10, 1, 5);
    private static final int ANSIBLE = ip(10, 10, 1, 6);
    private static final int GUESSER = ip(10, 10, 1, 66);

    private final Site site = new Site(HOUR, new BruteForceDetector());

    private long learn() {
        for (int m = 0; m < 60; m++) {
            long t = T0 + m * MINUTE;
            if (m % 10 == 0) {
                site.flow(t, ADMIN, SERVER, 22);
            }
            if (m % 30 == 0) {
                for (int k = 0; k < 8; k++) { // a playbook: 8 connections in 16 s
                    site.flow(t + k * 2 * SECOND, ANSIBLE, SERVER, 22);
                }
            }
        }
        return T0 + HOUR;
    }

    @Test
    void routineLoginsAndLearnedBurstsRaiseNothing() {
        long t = learn();
        for (int k = 0; k < 15; k++) { // a larger playbook, under twice what it did while learning
            site.flow(t + k * SECOND, ANSIBLE, SERVER, 22);
        }
        site.flow(t + 5 * MINUTE, ADMIN, SERVER, 22);
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void tenConnectionsWithinTwoMinutesFromANewClientAreGuessing() {
        long t = learn() + MINUTE;
        for (int k = 0; k < 25; k++) {
            site.flow(t + k * 6 * SECOND, GUESSER, SERVER, 22);
        }
        Alert a = site.only(AlertType.BRUTE_FORCE);
        assertEquals(t + 9 * 6 * SECOND, a.firstSeenNanos(), "the tenth connection raises it");
        assertEquals("device 10.10.2.20 got 10 SSH connections (tcp/22) from 10.10.1.66 within 54 s, a "
            + "password-guessing pattern; in 1 h of learning that client made at most 0 within 2 min.", a.explanation());
        assertEquals(16, a.count(), "every further attempt folds in");
        assertEquals("T1110", a.type().techniqueId());
    }

    @Test
    void aClientThatLearnedBurstsNeedsTwiceItsMaximum() {
        long t = learn() + MINUTE;
        for (int k = 0; k < 16; k++) {
            site.flow(t + k * SECOND, ANSIBLE, SERVER, 22);
        }
        assertTrue(site.only(AlertType.BRUTE_FORCE).explanation().contains("got 16 SSH connections"), site.describe());
    }

    @Test
    void otherPortsAreNotLoginServices() {
        long t = learn();
        for (int k = 0; k < 50; k++) {
            site.flow(t + k * SECOND, GUESSER, SERVER, 8080);
        }
        assertEquals(List.of(), site.types());
    }
}
