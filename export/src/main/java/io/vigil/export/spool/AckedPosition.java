package io.vigil.export.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The index of the last record Kafka acknowledged, kept in a small text file next to the spool.
 * Chronicle's named tailers persist their position on read, which would skip records that were
 * read but never acknowledged after a crash; this file moves only after an acknowledgement.
 * Written to a temporary file, forced, then renamed over the old one, so a crash leaves either the
 * old or the new position, never a torn one.
 *
 * <p>Persisting is batched: an {@link #advance} writes at once when the last write is at least
 * {@link #PERSIST_INTERVAL_NANOS} old and otherwise only remembers the index, which {@link #flushIfDue}
 * (the forwarder's loop), {@link #flush} and {@link Spool#close} write later. A force and a rename
 * cost the forwarder about a millisecond per acknowledged run (bench/RESULTS.md), and the file only ever lags
 * behind what Kafka holds: a crash resends up to one interval of acknowledged records (consumers
 * deduplicate by finding uid), it never skips one.
 */
public final class AckedPosition {
    /** No record was ever acknowledged: forward from the start of the spool. */
    public static final long NONE = -1;
    /** At most one write this often while acknowledgements flow: the most a crash can resend. */
    static final long PERSIST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Path file;
    private final Path tmp;
    private final long intervalNanos;
    private long latest = NONE;
    private boolean dirty;
    private long lastWriteNanos;

    public AckedPosition(Path dir) {
        this(dir, PERSIST_INTERVAL_NANOS);
    }

    AckedPosition(Path dir, long intervalNanos) {
        this.file = dir.resolve("acked.position");
        this.tmp = dir.resolve("acked.position.tmp");
        this.intervalNanos = intervalNanos;
        this.lastWriteNanos = System.nanoTime() - intervalNanos;
    }

    /** The last acknowledged index: the newest advance, or what the file says when nothing advanced yet. */
    public synchronized long read() throws IOException {
        if (latest != NONE) {
            return latest;
        }
        if (!Files.exists(file)) {
            return NONE;
        }
        String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + " is corrupt ('" + s + "'); delete it to resend the whole spool");
        }
    }

    /** Kafka acknowledged everything up to {@code index}: written now if the last write is old enough, else later. */
    public synchronized void advance(long index) throws IOException {
        latest = index;
        dirty = true;
        flushIfDue();
    }

    /** Writes a remembered index whose interval is up; a clock read when there is nothing to write. */
    public synchronized void flushIfDue() throws IOException {
        if (dirty && System.nanoTime() - lastWriteNanos >= intervalNanos) {
            flush();
        }
    }

    /** Writes the remembered index now (end of a run, before acknowledged spool files are deleted). */
    public synchronized void flush() throws IOException {
        if (dirty) {
            write(latest);
            dirty = false;
            lastWriteNanos = System.nanoTime();
        }
    }

    private void write(long index) throws IOException {
        byte[] text = (index + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
