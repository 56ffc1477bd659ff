package io.vigil.detectors;

import static io.vigil.detectors.Site.HOUR;
import static io.vigil.detectors.Site.MINUTE;
import static io.vigil.detectors.Site.SECOND;
import static io.vigil.detectors.Site.T0;
import static io.vigil.detectors.Site.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.observe.FlowProgress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A workstation that backs up to a file server (40 MB each working hour, 4 MB at night) and
 * uploads a little to one cloud service; then a burst, a night-time copy, and an upload to an
 * address it never used.
 */
class VolumeDetectorTest {
    private static final int WORKSTATION = ip(10, 10, 1, 23);
    private static final int FILES = ip(10, 10, 2, 2);
    private static final int CLOUD = ip(52, 1, 2, 3);
    private static final int DROP = ip(203, 0, 113, 9);
    private static final long MB = 1_000_000;
    /** T0 is 22:13 UTC; this is 00:00 UTC the next day. */
    private static final long MIDNIGHT = (T0 / (24 * HOUR) + 1) * 24 * HOUR;

    private Site site;

    /** One flow to {@code server} carrying {@code bytes} from the workstation, reported at its end. */
    private void upload(long t, int server, int port, long bytes) {
        site.flow(t, WORKSTATION, server, port);
        site.flowEnd(t + 10 * SECOND, WORKSTATION, server, port, bytes, 20_000, 0, 0);
    }

    private boolean working(long t) {
        long hour = (t / HOUR) % 24;
        return hour >= 8 && hour < 18;
    }

    /** {@code hours} of routine from {@code start}: a backup every hour, a cloud sync every 20 minutes. */
    private void routine(long start, int hours) {
        for (int h = 0; h < hours; h++) {
            long t = start + h * HOUR;
            upload(t + 5 * MINUTE, FILES, 445, working(t) ? 40 * MB : 4 * MB);
            for (int k = 0; k < 3; k++) {
                upload(t + (15 + 20 * k) * MINUTE, CLOUD, 443, 2 * MB);
            }
        }
    }

    @Test
    void routineAfterLearningRaisesNothing() {
        site = new Site(6 * HOUR, new VolumeDetector());
        routine(MIDNIGHT + 8 * HOUR, 10);
        site.end();
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void aBurstFourTimesTheLargestLearnedWindowIsASpike() {
        site = new Site(6 * HOUR, new VolumeDetector());
        routine(MIDNIGHT + 8 * HOUR, 6);
        long t = MIDNIGHT + 14 * HOUR + 30 * MINUTE;
        upload(t, FILES, 445, 200 * MB);
        Alert a = site.only(AlertType.VOLUME_SPIKE);
        assertEquals("device 10.10.1.23 sent 200 MB within 5 min; its largest 5 min while learning (6 h) was 40 MB.",
            a.explanation());
        assertEquals("bytes", a.details().get("measure"));
    }

    @Test
    void afterADayOfLearningTheNightIsJudgedAgainstNights() {
        site = new Site(48 * HOUR, new VolumeDetector());
        routine(MIDNIGHT, 48);
        long day = MIDNIGHT + 48 * HOUR;
        upload(day + 10 * HOUR + 40 * MINUTE, FILES, 445, 45 * MB); // a working hour: like the backups
        assertEquals(List.of(), site.types(), site.describe());
        upload(day + 2 * HOUR + 24 * HOUR + 40 * MINUTE, FILES, 445, 45 * MB); // the same at 02:40 UTC
        Alert a = site.only(AlertType.VOLUME_SPIKE);
        assertTrue(a.explanation().contains("sent 45 MB within 5 min; its largest 5 min between 02:00 and 03:00 UTC "
            + "while learning (2 days) was 4.0 MB."), a.explanation());
    }

    @Test
    void anUploadToANewExternalAddressIsExfiltrationWhileItRuns() {
        site = new Site(6 * HOUR, new VolumeDetector());
        routine(T0, 6);
        long t = T0 + 6 * HOUR + 10 * MINUTE;
        site.flow(t, WORKSTATION, DROP, 443);
        site.progress(t + 2 * SECOND, WORKSTATION, DROP, 443, FlowProgress.threshold(1), 0);
        assertEquals(List.of(), site.types(), "1 MiB is under the 8 MiB floor");
        site.progress(t + 12 * SECOND, WORKSTATION, DROP, 443, FlowProgress.threshold(2), FlowProgress.threshold(1));
        Alert a = site.only(AlertType.EXFILTRATION);
        assertEquals("device 10.10.1.23 sent 8.4 MB to 203.0.113.9 within 10 s, an external address it never used; "
            + "its largest hour to all external addresses while learning (6 h) was 6.0 MB.", a.explanation());
        assertEquals("T1048", a.type().techniqueId());
        site.flowEnd(t + 60 * SECOND, WORKSTATION, DROP, 443, 48 * MB, 100_000, FlowProgress.threshold(2), 0);
        assertEquals(2, a.count(), "the rest of the upload folds into the same alert");
    }

    @Test
    void aSteadyReplicationStreamIsCreditedAtItsRateNotInLumps() {
        site = new Site(HOUR, new VolumeDetector());
        int replica = ip(10, 10, 2, 3);
        long start = MIDNIGHT;
        site.flow(start, WORKSTATION, replica, 873);
        long rate = 100_000; // bytes a second, for 8 hours: progress at 1, 8, 64 and 512 MiB
        for (int level = 1; level <= 4; level++) {
            long threshold = FlowProgress.threshold(level);
            long at = start + threshold / rate * SECOND;
            site.progress(at, start, WORKSTATION, replica, 873, threshold, FlowProgress.threshold(level - 1));
        }
        // The 512 MiB report comes after 1.5 h and carries 448 MiB: at the stream's rate, 30 MB a window.
        assertEquals(List.of(), site.types(), site.describe());
    }

    @Test
    void moreOfTheSameToAKnownCloudServiceIsNotExfiltration() {
        site = new Site(6 * HOUR, new VolumeDetector());
        routine(T0, 6);
        upload(T0 + 6 * HOUR + 10 * MINUTE, CLOUD, 443, 6 * MB);
        assertEquals(List.of(), site.types(), site.describe());
    }
}
