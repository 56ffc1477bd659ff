package io.vigil.export.spool;

import java.util.Locale;

/**
 * When appended records are forced to disk. An append is in the page cache as soon as it returns,
 * so it survives a crash or SIGKILL of the sensor under every policy; fsync only matters for a
 * power cut or kernel crash.
 */
public enum FsyncPolicy {
    /** Never forced: the kernel writes back within its own dirty-page timeout (about 30 s on Linux). */
    NONE,
    /** Forced at most once a second by the forwarder thread, and at close (the default). */
    BATCH,
    /** Forced after every record, on the appending (device shard) thread: costs a disk flush per alert. */
    EVERY;

    public static FsyncPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fsync policy must be none, batch or every, got '" + s + "'");
        }
    }
}
