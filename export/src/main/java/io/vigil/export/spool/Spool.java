package io.vigil.export.spool;

import io.vigil.export.RecordSink;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The durable spool between the detectors and Kafka: a Chronicle Queue (memory-mapped, hourly
 * files) that records are appended to before they count as emitted. A record survives a crash of
 * the sensor as soon as {@link #send} returns (it is in the page cache); the {@link FsyncPolicy}
 * decides when it also survives a power cut.
 *
 * <p>Bounded: {@code maxBytes} caps the unacknowledged backlog. When a record would exceed it the
 * record is dropped, counted and warned about once (the newest go, never an unacknowledged record
 * already spooled: those are the oldest evidence). Acknowledged hourly files are deleted.
 *
 * <p>Appends come from every device shard, hence synchronised; alerts are rare, so the lock and the
 * per-record encoding cost nothing measurable against the packet path.
 */
public final class Spool implements RecordSink, AutoCloseable {
    static {
        ChronicleDefaults.apply();
    }

    /** Upper bound of the per-record overhead: Chronicle's 4-byte header, the time, two stop-bit lengths, an int length. */
    private static final int OVERHEAD = 4 + 8 + 5 + 5 + 4;

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final FsyncPolicy fsync;
    private final long maxBytes;
    private final Consumer<String> warn;
    private final AckedPosition acked;
    private final AtomicLong backlogRecords = new AtomicLong();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean full;
    private volatile boolean writable = true;
    private boolean dirty;

    private Spool(Path dir, FsyncPolicy fsync, long maxBytes, Consumer<String> warn) throws IOException {
        this.dir = dir;
        this.fsync = fsync;
        this.maxBytes = maxBytes;
        this.warn = warn;
        this.acked = new AckedPosition(dir);
        this.queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.FAST_HOURLY).build();
        this.appender = queue.createAppender();
        // Shards append under this object's lock, so one appender serves several threads in turn.
        appender.singleThreadedCheckDisabled(true);
    }

    /**
     * Opens (or creates) the spool in {@code dir} and counts the backlog left by an earlier run.
     *
     * @param maxBytes cap on unacknowledged bytes
     * @param warn     where the one-line warnings go (stderr in the sensor)
     */
    public static Spool open(Path dir, FsyncPolicy fsync, long maxBytes, Consumer<String> warn) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException("spool directory " + dir + " is not writable");
        }
        Spool spool = new Spool(dir, fsync, maxBytes, warn);
        try {
            spool.countBacklog();
        } catch (RuntimeException | IOException e) {
            spool.close();
            throw e;
        }
        return spool;
    }

    private void countBacklog() throws IOException {
        long position = acked.read();
        try (ExcerptTailer t = tailerAfter(position)) {
            deleteFilesBefore(t.currentFile());
            for (SpoolRecord r; (r = read(t)) != null; ) {
                backlogRecords.incrementAndGet();
                backlogBytes.addAndGet(r.bytes());
            }
        }
    }

    /** A tailer positioned just after {@code ackedIndex} (at the start for {@link AckedPosition#NONE}). */
    public ExcerptTailer tailerAfter(long ackedIndex) {
        ExcerptTailer t = queue.createTailer();
        t.singleThreadedCheckDisabled(true);
        if (ackedIndex == AckedPosition.NONE) {
            t.toStart();
        } else if (t.moveToIndex(ackedIndex)) {
            try (DocumentContext dc = t.readingDocument()) {
                // skips the acknowledged record itself
            }
        } else {
            // The acknowledged index is gone (files deleted by hand): resend what is left rather than lose it.
            warn.accept("spool: acknowledged position " + Long.toHexString(ackedIndex) + " not found in " + dir
                + "; forwarding everything still spooled (Kafka consumers deduplicate by finding uid)");
            t.toStart();
        }
        return t;
    }

    /** The next record, or null when the tailer is at the end. */
    public static SpoolRecord read(ExcerptTailer t) {
        try (DocumentContext dc = t.readingDocument()) {
            if (!dc.isPresent()) {
                return null;
            }
            Bytes<?> b = dc.wire().bytes();
            int size = (int) b.readRemaining();
            long appendMillis = b.readLong();
            String topic = b.readUtf8();
            String key = b.readUtf8();
            byte[] value = new byte[b.readInt()];
            b.read(value);
            return new SpoolRecord(dc.index(), appendMillis, topic, key, value, size + 4);
        }
    }

    /** Appends a record; drops and counts it when the backlog is at its cap. */
    @Override
    public void send(String topic, String key, byte[] value) {
        append(topic, key, value);
    }

    /** @return whether the record was spooled (false: dropped, the spool is full) */
    public synchronized boolean append(String topic, String key, byte[] value) {
        long bound = OVERHEAD + utf8Length(topic) + utf8Length(key) + value.length;
        if (backlogBytes.get() + bound > maxBytes) {
            dropped.incrementAndGet();
            if (!full) {
                full = true;
                warn.accept(String.format("spool: %s is full (%,d unacknowledged bytes, cap %,d): dropping new alerts and "
                    + "counting them until Kafka acknowledges the backlog", dir, backlogBytes.get(), maxBytes));
            }
            return false;
        }
        long size;
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            long start = b.writePosition();
            b.writeLong(System.currentTimeMillis());
            b.writeUtf8(topic);
            b.writeUtf8(key);
            b.writeInt(value.length);
            b.write(value);
            size = b.writePosition() - start + 4;
        } catch (RuntimeException e) {
            // Disk full or I/O error: count the alert as dropped and say so once; a detector thread
            // must not die because the spool's disk did.
            dropped.incrementAndGet();
            if (writable) {
                writable = false;
                warn.accept("spool: cannot append to " + dir + " (" + e + "): dropping alerts and counting them");
            }
            return false;
        }
        writable = true;
        appended.incrementAndGet();
        backlogRecords.incrementAndGet();
        backlogBytes.addAndGet(size);
        if (fsync == FsyncPolicy.EVERY) {
            appender.sync();
        } else {
            dirty = true;
        }
        return true;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Forces appended records to disk under {@link FsyncPolicy#BATCH}; called by the forwarder once a second. */
    public synchronized void syncIfDirty() {
        if (dirty && fsync == FsyncPolicy.BATCH) {
            appender.sync();
        }
        dirty = false;
    }

    /**
     * Kafka acknowledged records up to {@code index} (in order): they leave the backlog. The position
     * on disk follows within {@link AckedPosition#PERSIST_INTERVAL_NANOS} through {@link #persistAckedIfDue},
     * and at once on {@link #persistAcked} or {@link #close}.
     */
    public void acknowledged(long index, long records, long bytes) throws IOException {
        acked.advance(index);
        backlogRecords.addAndGet(-records);
        if (backlogBytes.addAndGet(-bytes) < maxBytes / 2 && full) {
            full = false;
            warn.accept("spool: " + dir + " has room again; " + dropped.get() + " alerts were dropped while it was full");
        }
    }

    /** Writes the acknowledged position if its batching interval is up; called from the forwarder's loop. */
    public void persistAckedIfDue() throws IOException {
        acked.flushIfDue();
    }

    /** Writes the acknowledged position now. */
    public void persistAcked() throws IOException {
        acked.flush();
    }

    public long ackedIndex() throws IOException {
        return acked.read();
    }

    /**
     * Deletes whole hourly files before {@code current} (the file holding the acknowledged position):
     * everything in them was acknowledged. Names sort by time, so name order is age order.
     */
    public void deleteFilesBefore(File current) {
        if (current == null) {
            return;
        }
        try {
            // The file on disk must not name a record in a file about to go: a restart would not find it.
            acked.flush();
        } catch (IOException e) {
            warn.accept("spool: cannot write the acknowledged position in " + dir + ": " + e.getMessage());
            return;
        }
        String keep = current.getName();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX))
                .filter(p -> p.getFileName().toString().compareTo(keep) < 0)
                .forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        warn.accept("spool: cannot delete acknowledged file " + p + ": " + e.getMessage());
                    }
                });
            queue.refreshDirectoryListing();
        } catch (IOException e) {
            warn.accept("spool: cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Bytes the spool's files take on disk (allocated blocks, not their sparse length). */
    public long diskBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(Spool::allocated).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long allocated(Path p) {
        try {
            Object blocks = Files.getAttribute(p, "unix:blocks");
            return blocks instanceof Long ? (Long) blocks * 512 : Files.size(p);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            try {
                return Files.size(p);
            } catch (IOException ignored) {
                return 0;
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public long backlogRecords() {
        return backlogRecords.get();
    }

    public long backlogBytes() {
        return backlogBytes.get();
    }

    public long appended() {
        return appended.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public boolean writable() {
        return writable && !full;
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized void close() {
        if (!queue.isClosed()) {
            try {
                acked.flush();
            } catch (IOException e) {
                warn.accept("spool: cannot write the acknowledged position in " + dir + " (" + e.getMessage()
                    + "); the next start resends what was acknowledged since the last write");
            }
            if (fsync != FsyncPolicy.NONE && dirty) {
                appender.sync();
            }
            appender.close();
            queue.close();
        }
    }
}
