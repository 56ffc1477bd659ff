package io.vigil.export.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's cap: the newest records are dropped and counted, never one already spooled. */
class SpoolFullTest {
    @TempDir
    Path dir;

    @Test
    void fullSpoolDropsNewestCountsThemWarnsOnceAndKeepsEverySpooledRecord() throws Exception {
        List<String> warnings = new ArrayList<>();
        byte[] value = "x".repeat(200).getBytes(StandardCharsets.UTF_8);
        int spooled = 0;
        int attempts = 200;
        try (Spool spool = Spool.open(dir, FsyncPolicy.EVERY, 10_000, warnings::add)) {
            for (int i = 0; i < attempts; i++) {
                if (spool.append("vigil.alerts", "10.0.0." + i, value)) {
                    spooled++;
                }
            }
            assertTrue(spooled > 10 && spooled < attempts, "some fit, the rest did not: " + spooled);
            assertEquals(attempts - spooled, spool.dropped(), "every drop counted");
            assertTrue(spool.backlogBytes() <= 10_000, "the cap holds: " + spool.backlogBytes());
            assertFalse(spool.writable());
            assertEquals(1, warnings.size(), "one warning, not one per drop: " + warnings);
            assertTrue(warnings.get(0).contains("full"), warnings.get(0));
        }
        try (Spool spool = Spool.open(dir, FsyncPolicy.EVERY, 10_000, warnings::add)) {
            assertEquals(spooled, spool.backlogRecords(), "the backlog is recounted on open");
            try (ExcerptTailer t = spool.tailerAfter(AckedPosition.NONE)) {
                for (int i = 0; i < spooled; i++) {
                    SpoolRecord r = Spool.read(t);
                    assertEquals("10.0.0." + i, r.key(), "the first ones were kept, in order");
                    assertArrayEquals(value, r.value());
                }
                assertEquals(null, Spool.read(t));
            }
        }
    }

    @Test
    void acknowledgingMakesRoomAndTheRestartStartsAfterTheAcknowledgedRecord() throws Exception {
        List<String> warnings = new ArrayList<>();
        byte[] value = new byte[100];
        try (Spool spool = Spool.open(dir, FsyncPolicy.NONE, 1_000, warnings::add)) {
            while (spool.append("t", "k", value)) {
                // fill it
            }
            try (ExcerptTailer t = spool.tailerAfter(AckedPosition.NONE)) {
                SpoolRecord first = Spool.read(t);
                SpoolRecord second = Spool.read(t);
                spool.acknowledged(second.index(), 2, first.bytes() + second.bytes());
            }
            assertTrue(spool.append("t", "after", value), "room again after acknowledgements");
        }
        try (Spool spool = Spool.open(dir, FsyncPolicy.NONE, 1_000, warnings::add);
             ExcerptTailer t = spool.tailerAfter(spool.ackedIndex())) {
            SpoolRecord next = Spool.read(t);
            assertEquals("k", next.key());
            SpoolRecord last = null;
            for (SpoolRecord r; (r = Spool.read(t)) != null; ) {
                last = r;
            }
            assertEquals("after", last.key());
        }
    }
}
