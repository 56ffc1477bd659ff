package io.vigil.sensor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Up-front checks on capture file arguments, so a typo is one clear line, not a trace. */
final class CaptureFiles {
    private CaptureFiles() {
    }

    static void checkReadable(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new UserError("no capture file given");
        }
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw new UserError("cannot read capture file " + f + ": no such file");
            }
            if (Files.isDirectory(f)) {
                throw new UserError("cannot read capture file " + f + ": it is a directory");
            }
            if (!Files.isReadable(f)) {
                throw new UserError("cannot read capture file " + f + ": permission denied");
            }
        }
    }
}
