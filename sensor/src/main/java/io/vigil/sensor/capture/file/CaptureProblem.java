package io.vigil.sensor.capture.file;

import java.nio.file.Path;

/**
 * Why a {@link CaptureFileReader} stopped before the end of the file. Bad content is reported as a value rather than an
 * exception so that a replay keeps every packet read before the damage and the caller decides how loud to be.
 *
 * @param file    the capture file
 * @param offset  byte offset of the record or block that could not be read
 * @param message what is wrong with it, without the file name or offset
 */
public record CaptureProblem(Path file, long offset, String message) {

    /** One line: {@code "<file>: <message> at byte offset <offset>; <n> packets read before it"}. */
    public String describe(long packetsReadBefore) {
        return file + ": " + message + " at byte offset " + offset + "; " + packetsReadBefore
                + (packetsReadBefore == 1 ? " packet" : " packets") + " read before it";
    }

    @Override
    public String toString() {
        return file + ": " + message + " at byte offset " + offset;
    }
}
