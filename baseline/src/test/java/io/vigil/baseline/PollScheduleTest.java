package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theSortFreeMedianCheckAgreesWithTheSortedMedian() {
        Random random = new Random(7);
        int disagreements = 0;
        int outside = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            PollSchedule s = new PollSchedule();
            int i = s.learn(42, 0, 0, 0xC0A80001L, 0, 3, 0, 0);
            long t = 0;
            for (int k = 0; k < PollSchedule.RECENT; k++) {
                // periods around 2 s, some of them a changed period or a restart gap
                double interval = random.nextInt(4) == 0 ? 0.5 + random.nextDouble() * 8 : 2 + random.nextGaussian() * 0.05;
                t += (long) (interval * S);
                s.observe(i, t);
            }
            double lo = 2 - random.nextDouble();
            double hi = 2 + random.nextDouble() * 2;
            double median = s.recentPeriodSeconds(i);
            boolean inside = median >= lo && median <= hi;
            if (!inside) {
                outside++;
                if (s.recentMedianWithin(i, lo, hi)) {
                    disagreements++; // the filter must never hide a median outside the band
                }
            }
        }
        assertEquals(0, disagreements);
        assertTrue(outside > 500, "the trials must exercise medians outside the band: " + outside);
    }

    @Test
    void unknownUntilEnoughRecentIntervals() {
        PollSchedule s = new PollSchedule();
        int i = s.learn(42, 0, 0, 0xC0A80001L, 0, 3, 0, 0);
        for (int k = 1; k < PollSchedule.RECENT; k++) {
            s.observe(i, k * 2 * S);
            assertFalse(s.recentMedianWithin(i, 0, 100));
        }
        s.observe(i, PollSchedule.RECENT * 2 * S);
        assertTrue(s.recentMedianWithin(i, 1.9, 2.1));
        assertFalse(s.recentMedianWithin(i, 2.5, 3));
    }
}
