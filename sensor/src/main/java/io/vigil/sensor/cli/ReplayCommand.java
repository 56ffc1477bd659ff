package io.vigil.sensor.cli;

import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.export.alerts.AlertLog;
import io.vigil.export.kafka.KafkaExport;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Replay pcap/pcapng files through the full pipeline and print a summary.",
        "Formats: pcap (both byte orders, usec and nsec) and pcapng (several interfaces and link types).",
        "Link types: Ethernet, Linux SLL/SLL2, raw IPv4/IPv6, BSD loopback/NULL."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files, replayed in the order given.")
    List<Path> files;

    @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "max",
        description = "max (default): as fast as possible; 1x, 10x, 0.5x: at the recorded pace times the factor.")
    String speed;

    @Option(names = "--drop-when-full",
        description = "Drop and count packets when the ring is full, as live capture does (default: wait, so a replay is lossless and reproducible).")
    boolean dropWhenFull;

    @Option(names = "--mmap",
        description = "Read files through memory mappings instead of read() into a 4 MiB buffer (slower where measured; for comparison).")
    boolean mmap;

    @Mixin
    PipelineOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CaptureFiles.checkReadable(files);
        ReplaySpeed replaySpeed;
        try {
            replaySpeed = ReplaySpeed.parse(speed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        RunReport.checkWritable(options.statsJson, "--stats-json");
        RunReport.checkWritable(options.flows, "--flows");
        RunReport.checkWritable(options.inventory, "--inventory");
        RunReport.checkWritable(options.saveModel, "--save-model");
        SavedModel loaded = ModelFiles.load(options, options.toConfig(dropWhenFull), err);

        AlertLog[] alertLog = new AlertLog[1];
        KafkaExport kafka = options.openKafka(err);
        try {
            DetectionSetup detection = options.detection(out, err, alertLog, loaded, kafka);
            return run(out, err, detection, replaySpeed, loaded, kafka);
        } finally {
            if (alertLog[0] != null) {
                alertLog[0].close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private Integer run(PrintWriter out, PrintWriter err, DetectionSetup detection,
                        ReplaySpeed replaySpeed, SavedModel loaded, KafkaExport kafka) throws Exception {
        boolean saved;
        AtomicBoolean stop = new AtomicBoolean();
        RunSummary summary = new RunSummary();
        summary.mode = "replay";
        try (GracefulShutdown shutdown = new GracefulShutdown(() -> stop.set(true))) {
            try (SensorSession session = new SensorSession(options.toConfig(dropWhenFull), options.flows, detection,
                options.assetExport(kafka == null ? null : kafka.records()), 1, FlowEndReason.END_OF_CAPTURE)) {
                ModelFiles.restore(session, loaded);
                session.start();
                FileReplay replay = new FileReplay(session.pipeline(), replaySpeed, stop::get).memoryMapped(mmap);
                replay.replay(files);
                session.finish(summary);
                RunReport.kafka(summary, kafka);
                RunReport.inventory(session, options, err);
                saved = ModelFiles.save(session, options, summary, err);
                summary.packets = replay.packets();
                summary.bytes = replay.bytes();
                summary.files = replay.filesRead();
                summary.captureSeconds = replay.captureSpanNanos() / 1e9;
                summary.problems.addAll(0, replay.problems());
                if (stop.get()) {
                    summary.problems.add("interrupted: replay stopped early, flows flushed");
                }
            } finally {
                RunReport.report(summary, options, out, err);
            }
        }
        if (summary.packets == 0 && !summary.problems.isEmpty()) {
            for (String p : summary.problems) {
                err.println("vigil: " + p);
            }
            return VigilMain.EXIT_FAILED;
        }
        return saved ? VigilMain.EXIT_OK : VigilMain.EXIT_FAILED;
    }
}
