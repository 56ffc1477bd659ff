package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureSetTest {
    @Test
    void countsKeysAndReportsNewOnes() {
        FeatureSet s = new FeatureSet(100);
        assertEquals(0, s.observe(42, 1000));
        assertEquals(1, s.observe(42, 1001));
        assertEquals(0, s.observe(0, 1002), "key 0 is a key like any other");
        assertEquals(1, s.observe(0, 1003));
        assertEquals(2, s.count(42));
        assertEquals(2, s.count(0));
        assertEquals(0, s.count(7));
        assertFalse(s.contains(7));
        assertEquals(1000, s.firstSeenSeconds(42));
        assertEquals(-1, s.firstSeenSeconds(7));
        assertEquals(2, s.size());
        assertEquals(4, s.observations());
        assertEquals(0, s.singletons());
    }

    @Test
    void agreesWithAMapUnderRandomKeysAndGrowth() {
        FeatureSet s = new FeatureSet(5000);
        Map<Long, Integer> ref = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            long k = r.nextInt(3000) * 0x1000L; // clustered low bits: the mixing must spread them
            int before = s.observe(k, i);
            assertEquals(ref.getOrDefault(k, 0), before);
            ref.merge(k, 1, Integer::sum);
        }
        assertEquals(ref.size(), s.size());
        long singles = ref.values().stream().filter(c -> c == 1).count();
        assertEquals(singles, s.singletons());
        Map<Long, Integer> visited = new HashMap<>();
        s.forEach((key, count, first) -> visited.put(key, count));
        assertEquals(ref, visited);
    }

    @Test
    void surpriseIsCalibratedByHowOftenTheDeviceMetNewValues() {
        // A PLC: the same three peers, 100 000 times.
        FeatureSet plc = new FeatureSet(64);
        for (int i = 0; i < 100_000; i++) {
            plc.observe(i % 3, i);
        }
        // A workstation: a new DNS name every tenth query.
        FeatureSet workstation = new FeatureSet(100_000);
        for (int i = 0; i < 100_000; i++) {
            workstation.observe(i % 10 == 0 ? 1_000_000 + i : i % 50, i);
        }
        assertTrue(plc.missingMass() < 1e-4, "plc " + plc.missingMass());
        assertTrue(workstation.missingMass() > 0.05, "workstation " + workstation.missingMass());
        assertTrue(plc.surpriseBits() > 15, "plc " + plc.surpriseBits());
        assertTrue(workstation.surpriseBits() < 5, "workstation " + workstation.surpriseBits());
        // Before any evidence nothing is surprising.
        assertTrue(new FeatureSet(8).surpriseBits() < 1.01);
    }

    @Test
    void countsAValueOncePerTimeBucket() {
        FeatureSet s = new FeatureSet(16, 60);
        assertEquals(0, s.observe(1, 0));
        assertEquals(1, s.observe(1, 59), "same minute: not counted again");
        assertEquals(1, s.observe(1, 60));
        assertEquals(2, s.observe(1, 61));
        assertEquals(2, s.observations());
        assertEquals(0, s.singletons(), "seen in two minutes");
        assertEquals(0, s.observe(2, 61));
        assertEquals(1, s.singletons());
        // A persistent poll over six hours: 360 minutes of one peer.
        FeatureSet plc = new FeatureSet(16, 60);
        for (int sec = 0; sec < 6 * 3600; sec++) {
            plc.observe(7, sec);
        }
        assertEquals(360, plc.observations());
        assertTrue(plc.surpriseBits() > 9, "bits " + plc.surpriseBits());
    }

    @Test
    void stopsStoringAtTheBoundAndCountsTheRest() {
        FeatureSet s = new FeatureSet(10);
        for (int i = 0; i < 25; i++) {
            s.observe(i, i);
        }
        assertEquals(10, s.size());
        assertEquals(15, s.overflow());
        assertEquals(0, s.observe(24, 30), "an unstored key stays new");
        assertEquals(1, s.observe(3, 31), "stored keys keep counting");
        assertTrue(FeatureSet.bytesFor(10) <= 64 + 64 + 16 * 20);
        assertEquals(FeatureSet.bytesFor(4096), 64 + 64 + 8192L * 20);
    }

    @Test
    void aFullSetThatKeepsMeetingNewValuesStaysUnsurprised() {
        // A DNS server of 100 000 clients: its 512 stored clients come back every minute, while
        // clients it has no room for keep arriving. A new one must stay an ordinary event.
        FeatureSet dnsServer = new FeatureSet(512, 60);
        long unstored = 1_000_000;
        for (int minute = 0; minute < 180; minute++) {
            for (int client = 0; client < 512; client++) {
                dnsServer.observe(client, minute * 60L);
            }
            for (int k = 0; k < 200; k++) {
                dnsServer.observe(unstored++, minute * 60L + 1);
            }
        }
        assertTrue(dnsServer.surpriseBits() < 3, "bits " + dnsServer.surpriseBits());
        // Without the clients that did not fit it would look as settled as a PLC:
        FeatureSet settled = new FeatureSet(512, 60);
        for (int minute = 0; minute < 180; minute++) {
            for (int client = 0; client < 512; client++) {
                settled.observe(client, minute * 60L);
            }
        }
        assertTrue(settled.surpriseBits() > 15, "bits " + settled.surpriseBits());
    }
}
