package io.vigil.sensor.cli;

import io.vigil.export.ExportStatus;
import io.vigil.export.kafka.KafkaExport;
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

    /**
     * Ends the Kafka export once the session has flushed its last alerts: waits a little for the
     * backlog to reach a reachable broker (what is left stays spooled for the next start) and puts
     * its counts, drops included, in the summary.
     */
    static void kafka(RunSummary summary, KafkaExport kafka) {
        if (kafka == null) {
            return;
        }
        kafka.close(KafkaExport.DRAIN);
        ExportStatus s = kafka.status();
        summary.kafkaLine = kafka.summaryLine();
        summary.kafka.put("acknowledged", s.acknowledged());
        summary.kafka.put("spool_depth", s.spoolDepth());
        summary.kafka.put("spool_dropped", s.spoolDropped());
        summary.kafka.put("send_errors", s.sendErrors());
        summary.kafka.put("resent", s.retries());
        summary.kafka.put("ack_latency_p99_us", s.ackLatencyMicros().getValueAtPercentile(99));
        if (s.spoolDropped() > 0) {
            summary.problems.add("spool full: " + s.spoolDropped() + " alerts dropped (not sent to Kafka); raise "
                + "--spool-max-gb or restore the broker");
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
