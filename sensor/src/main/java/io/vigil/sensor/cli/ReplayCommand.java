package io.vigil.sensor.cli;

import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.export.alerts.AlertLog;
import io.vigil.export.kafka.KafkaExport;
import io.vigil.sensor.metrics.MetricsServer;
import io.vigil.sensor.metrics.SensorMetrics;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

    @Option(names = "--http-linger", paramLabel = "SECONDS", defaultValue = "0",
        description = "With --http-port: keep serving the final metrics this long after the replay (Ctrl-C ends it "
            + "sooner), so a scraper or a test can read them.")
    long httpLingerSeconds;

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
        HttpEndpoint.checkOptions(options);
        if (httpLingerSeconds < 0 || (httpLingerSeconds > 0 && options.httpPort == null)) {
            throw new UserError("--http-linger needs --http-port and must not be negative");
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
        MetricsServer http = HttpEndpoint.start(options, err);
        try {
            try (GracefulShutdown shutdown = new GracefulShutdown(() -> stop.set(true))) {
                try (SensorSession session = new SensorSession(options.toConfig(dropWhenFull), options.flows,
                    detection, options.kafkaRecords(kafka == null ? null : kafka.records()), 1,
                    FlowEndReason.END_OF_CAPTURE)) {
                    ModelFiles.restore(session, loaded);
                    SensorMetrics metrics = new SensorMetrics(session, kafka == null ? null : kafka.status(), null,
                        options.metricsWindowSeconds * 1_000_000_000L);
                    HttpEndpoint.serve(http, metrics);
                    session.start();
                    metrics.running();
                    FileReplay replay = new FileReplay(session.pipeline(), replaySpeed, stop::get).memoryMapped(mmap);
                    replay.replay(files);
                    metrics.finished(stop.get() ? "replay interrupted" : "replay finished");
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
            if (!stop.get()) {
                linger(http, err); // outside the shutdown guard: Ctrl-C now ends the process at once
            }
        } finally {
            if (http != null) {
                http.close();
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

    /** Keeps the final numbers scrapeable for --http-linger seconds; an interrupt (or Ctrl-C) ends it sooner. */
    private void linger(MetricsServer http, PrintWriter err) {
        if (http == null || httpLingerSeconds == 0) {
            return;
        }
        if (!options.quiet) {
            err.println("vigil: replay done; serving its metrics on " + HttpEndpoint.url(options, http) + " for "
                + httpLingerSeconds + " s more");
            err.flush();
        }
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(httpLingerSeconds));
        } catch (InterruptedException e) {
            // asked to stop lingering: the numbers have been read
        }
    }
}
