package io.vigil.sensor.capture.file;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes classic libpcap files (either byte order, microsecond or nanosecond timestamps). Meant for tests, benchmark
 * and scenario generators, not for the capture path: it favours simplicity over throughput.
 */
public final class PcapWriter implements Closeable {
    private final OutputStream out;
    private final ByteBuffer header;
    private final boolean nanosecond;
    private final int snaplen;

    public PcapWriter(Path file, int linkType, int snaplen, ByteOrder order, boolean nanosecond) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.header = ByteBuffer.allocate(24).order(order);
        this.nanosecond = nanosecond;
        this.snaplen = snaplen;
        header.putInt(nanosecond ? 0xA1B23C4D : 0xA1B2C3D4)
                .putShort((short) 2).putShort((short) 4)
                .putInt(0)              // thiszone: always 0 in practice
                .putInt(0)              // sigfigs
                .putInt(snaplen)
                .putInt(linkType);
        out.write(header.array(), 0, 24);
    }

    /** Writes a whole frame: original length = captured length = {@code length}. */
    public void write(long timestampNanos, byte[] frame, int offset, int length) throws IOException {
        write(timestampNanos, frame, offset, length, length);
    }

    /**
     * Writes {@code captureLength} bytes of a frame that was {@code originalLength} long on the wire. The captured
     * length is written as given, even above the snaplen, so generators can also produce sloppy files.
     */
    public void write(long timestampNanos, byte[] frame, int offset, int captureLength, int originalLength)
            throws IOException {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long nanos = Math.floorMod(timestampNanos, 1_000_000_000L);
        header.clear();
        header.putInt((int) seconds)
                .putInt((int) (nanosecond ? nanos : nanos / 1000))
                .putInt(captureLength)
                .putInt(originalLength);
        out.write(header.array(), 0, 16);
        out.write(frame, offset, captureLength);
    }

    public int snaplen() {
        return snaplen;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
