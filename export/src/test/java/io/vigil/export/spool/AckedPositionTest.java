package io.vigil.export.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched acknowledged position: what a restart reads (a fresh instance on the same directory,
 * as after a crash) may lag behind the acknowledgements, never run ahead of them, and catches up
 * when the interval is up or on a flush.
 */
class AckedPositionTest {
    @TempDir
    Path dir;

    private long onDisk() throws Exception {
        return new AckedPosition(dir).read();
    }

    @Test
    void withinTheIntervalTheFileLagsAndAFlushCatchesUp() throws Exception {
        AckedPosition p = new AckedPosition(dir, TimeUnit.HOURS.toNanos(1));
        assertEquals(AckedPosition.NONE, onDisk());
        p.advance(10);
        assertEquals(10, onDisk(), "the first acknowledgement after a quiet spell is written at once");
        p.advance(11);
        p.advance(12);
        p.flushIfDue();
        assertEquals(10, onDisk(), "later ones within the interval wait: a crash now resends 11 and 12");
        assertEquals(12, p.read(), "the running forwarder knows the newest");
        p.flush();
        assertEquals(12, onDisk());
    }

    @Test
    void aRememberedPositionIsWrittenOnceItsIntervalIsUp() throws Exception {
        AckedPosition p = new AckedPosition(dir, TimeUnit.MILLISECONDS.toNanos(20));
        p.advance(1);
        p.advance(2);
        assertEquals(1, onDisk());
        Thread.sleep(30);
        p.flushIfDue();
        assertEquals(2, onDisk(), "no acknowledgement needed after the last one for it to reach the file");
    }

    @Test
    void theSpoolWritesThePendingPositionOnClose() throws Exception {
        try (Spool spool = Spool.open(dir, FsyncPolicy.NONE, 1 << 20, w -> { })) {
            for (int i = 0; i < 3; i++) {
                spool.append("t", "k" + i, new byte[10]);
            }
            try (var t = spool.tailerAfter(AckedPosition.NONE)) {
                SpoolRecord a = Spool.read(t);
                SpoolRecord b = Spool.read(t);
                spool.acknowledged(a.index(), 1, a.bytes());
                spool.acknowledged(b.index(), 1, b.bytes()); // within 50 ms of the first: not yet on disk
            }
        }
        try (Spool spool = Spool.open(dir, FsyncPolicy.NONE, 1 << 20, w -> { })) {
            assertEquals(1, spool.backlogRecords(), "only the unacknowledged third record is left after a clean close");
        }
    }
}
