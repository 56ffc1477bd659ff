package io.vigil.sensor.capture;

import io.vigil.sensor.capture.file.CaptureFileException;
import io.vigil.sensor.capture.file.CaptureFileReader;
import io.vigil.sensor.capture.file.CaptureProblem;
import io.vigil.sensor.capture.file.PacketHandler;
import io.vigil.sensor.pipeline.Pipeline;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Feeds capture files, one after the other, into the pipeline: as fast as the pipeline takes
 * them, or paced by their timestamps. A file that cannot be opened or stops early is reported
 * with its byte offset and replay goes on with the next one, keeping every packet read.
 */
public final class FileReplay implements PacketHandler {
    private final Pipeline pipeline;
    private final ReplaySpeed speed;
    private final BooleanSupplier stopRequested;
    private boolean memoryMapped;
    private final List<String> problems = new ArrayList<>();
    private long packets;
    private long bytes;
    private long dropped;
    private long firstTimestampNanos = Long.MIN_VALUE;
    private long lastTimestampNanos = Long.MIN_VALUE;
    private long pacingStartWallNanos;
    private long pacingStartCaptureNanos;
    private int filesRead;

    public FileReplay(Pipeline pipeline, ReplaySpeed speed, BooleanSupplier stopRequested) {
        this.pipeline = pipeline;
        this.speed = speed;
        this.stopRequested = stopRequested;
    }

    /**
     * Read files through memory mappings instead of read() into a buffer. Slower on the machines
     * measured (page faults, see bench/RESULTS.md); kept for comparison on other hardware.
     */
    public FileReplay memoryMapped(boolean mapped) {
        this.memoryMapped = mapped;
        return this;
    }

    /** Replays every file; returns normally even when some were unreadable (see problems()). */
    public void replay(List<Path> files) {
        for (Path file : files) {
            if (stopRequested.getAsBoolean()) {
                break;
            }
            replayOne(file);
        }
    }

    private void replayOne(Path file) {
        try (CaptureFileReader reader = memoryMapped ? CaptureFileReader.openMapped(file)
            : CaptureFileReader.open(file)) {
            filesRead++;
            long before = packets;
            while (reader.next(this)) {
                if ((packets & 0xFFF) == 0 && stopRequested.getAsBoolean()) {
                    return;
                }
            }
            CaptureProblem problem = reader.problem();
            if (problem != null) {
                problems.add(problem.describe(packets - before));
            }
        } catch (CaptureFileException e) {
            problems.add(e.getMessage());
        }
    }

    @Override
    public void onPacket(ByteBuffer data, int offset, int captureLength, int originalLength, long timestampNanos,
                         int linkType, int interfaceId) {
        if (firstTimestampNanos == Long.MIN_VALUE) {
            firstTimestampNanos = timestampNanos;
        }
        if (timestampNanos > lastTimestampNanos) {
            lastTimestampNanos = timestampNanos;
        }
        if (!speed.isMax()) {
            pace(timestampNanos);
        }
        packets++;
        bytes += originalLength;
        if (!pipeline.publish(data, offset, captureLength, originalLength, timestampNanos, linkType, interfaceId)) {
            dropped++;
        }
    }

    /** Sleeps until this packet is due; a timestamp going backwards is sent at once. */
    private void pace(long timestampNanos) {
        long now = System.nanoTime();
        if (packets == 0) {
            pacingStartWallNanos = now;
            pacingStartCaptureNanos = timestampNanos;
            return;
        }
        long due = pacingStartWallNanos + speed.wallOffsetNanos(timestampNanos - pacingStartCaptureNanos);
        while (now < due && !stopRequested.getAsBoolean()) {
            LockSupport.parkNanos(Math.min(due - now, 100_000_000L));
            now = System.nanoTime();
        }
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** Packets dropped because the ring was full (only when replaying with drop-when-full). */
    public long dropped() {
        return dropped;
    }

    public int filesRead() {
        return filesRead;
    }

    public List<String> problems() {
        return problems;
    }

    /** Capture time spanned by the replayed packets, 0 when fewer than two. */
    public long captureSpanNanos() {
        return packets < 2 ? 0 : lastTimestampNanos - firstTimestampNanos;
    }

    public long lastTimestampNanos() {
        return lastTimestampNanos;
    }
}
