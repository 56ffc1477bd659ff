package io.vigil.sensor.cli;

import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints a run's summary and writes its statistics file; shared by replay and capture. */
final class RunReport {
    private RunReport() {
    }

    static void report(RunSummary summary, PipelineOptions options, PrintWriter out, PrintWriter err) {
        if (!options.quiet) {
            out.print(summary.toHumanText());
            out.flush();
        } else {
            for (String p : summary.problems) {
                err.println("vigil: " + p);
            }
        }
        if (options.statsJson != null) {
            try {
                Files.writeString(options.statsJson, summary.toJson() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("vigil: cannot write statistics to " + options.statsJson + ": " + e.getMessage());
            }
        }
    }

    /** Writes the inventory when --inventory was given (after the run has finished). */
    static void inventory(SensorSession session, PipelineOptions options, PrintWriter err) {
        if (options.inventory == null) {
            return;
        }
        try {
            Files.writeString(options.inventory, session.inventory().json(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("vigil: cannot write the inventory to " + options.inventory + ": " + e.getMessage());
        }
    }

    static void checkWritable(Path file, String option) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError("cannot write " + option + " file " + file + ": directory " + parent + " does not exist");
        }
    }
}
