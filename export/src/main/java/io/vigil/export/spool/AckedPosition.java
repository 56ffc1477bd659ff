package io.vigil.export.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The index of the last record Kafka acknowledged, kept in a small text file next to the spool.
 * Chronicle's named tailers persist their position on read, which would skip records that were
 * read but never acknowledged after a crash; this file moves only after an acknowledgement.
 * Written to a temporary file, forced, then renamed over the old one, so a crash leaves either the
 * old or the new position, never a torn one.
 */
public final class AckedPosition {
    /** No record was ever acknowledged: forward from the start of the spool. */
    public static final long NONE = -1;

    private final Path file;
    private final Path tmp;

    public AckedPosition(Path dir) {
        this.file = dir.resolve("acked.position");
        this.tmp = dir.resolve("acked.position.tmp");
    }

    public long read() throws IOException {
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

    public void write(long index) throws IOException {
        byte[] text = (index + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
