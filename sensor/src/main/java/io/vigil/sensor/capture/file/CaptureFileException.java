package io.vigil.sensor.capture.file;

import java.nio.file.Path;

/**
 * A capture file cannot be opened at all: missing, unreadable, empty, or with a header that is not pcap/pcapng.
 * The message is always one line naming the file, the problem and the byte offset, so it can go straight to a log or CLI.
 */
public final class CaptureFileException extends Exception {
    private final Path file;
    private final long offset;

    public CaptureFileException(Path file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public CaptureFileException(Path file, long offset, String problem, Throwable cause) {
        super(file + ": " + oneLine(problem) + " at offset " + offset, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** Byte offset in the file where the problem was found (0 for problems with the file as a whole). */
    public long offset() {
        return offset;
    }

    private static String oneLine(String s) {
        return s == null ? "unknown problem" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
