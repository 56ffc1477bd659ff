package io.vigil.sensor.cli;

import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.live.LiveCapture;
import io.vigil.sensor.capture.live.LiveCaptureException;
import io.vigil.export.alerts.AlertLog;
import io.vigil.export.kafka.KafkaExport;
import io.vigil.sensor.metrics.MetricsServer;
import io.vigil.sensor.metrics.SensorMetrics;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "capture", mixinStandardHelpOptions = true,
    description = {"Capture live from one or more interfaces (libpcap) until interrupted (Ctrl-C, SIGTERM) or --duration.",
        "Never transmits. A full ring drops packets and counts them; libpcap's own drops are reported too."})
final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", required = true,
        description = "Interface to capture on; repeat for several.")
    List<String> interfaces;

    @Option(names = "--bpf", paramLabel = "EXPR", description = "Capture filter (tcpdump syntax), applied in the kernel.")
    String bpf;

    // Immediate mode makes libpcap use a TPACKET_V2 ring whose every frame is snaplen-sized: at 65535 a 64 MiB
    // buffer holds ~1 000 packets and a 50 ms stall drops at 20 k packets/s (measured on a veth pair); 9216
    // keeps jumbo frames whole and holds ~6 800.
    @Option(names = "--snaplen", paramLabel = "N", defaultValue = "9216",
        description = "Bytes kept per packet (default: ${DEFAULT-VALUE}, a jumbo frame). Each kernel ring frame is "
            + "this large, so a larger value holds fewer packets in --buffer-mb; disable GRO/LRO on the capture NIC "
            + "(ethtool -K IFACE gro off lro off) rather than raising it.")
    int snaplen;

    @Option(names = "--buffer-mb", paramLabel = "N", defaultValue = "64",
        description = "Kernel capture buffer per interface in MiB (default: ${DEFAULT-VALUE}).")
    int bufferMb;

    @Option(names = "--no-promisc", description = "Do not put the interfaces in promiscuous mode.")
    boolean noPromisc;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
        description = "Stop after this many seconds (default: run until interrupted).")
    long durationSeconds;

    @Mixin
    PipelineOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (snaplen < 64 || snaplen > 262_144) {
            throw new UserError("--snaplen must be between 64 and 262144, got " + snaplen);
        }
        if (bufferMb < 1 || bufferMb > 4096) {
            throw new UserError("--buffer-mb must be between 1 and 4096, got " + bufferMb);
        }
        if (durationSeconds < 0) {
            throw new UserError("--duration must not be negative");
        }
        HttpEndpoint.checkOptions(options);
        RunReport.checkWritable(options.statsJson, "--stats-json");
        RunReport.checkWritable(options.flows, "--flows");
        RunReport.checkWritable(options.inventory, "--inventory");
        RunReport.checkWritable(options.saveModel, "--save-model");
        SavedModel loaded = ModelFiles.load(options, options.toConfig(true), err);

        AlertLog[] alertLog = new AlertLog[1];
        KafkaExport kafka = options.openKafka(err);
        try {
            DetectionSetup detection = options.detection(out, err, alertLog, loaded, kafka);
            return run(out, err, detection, loaded, kafka);
        } finally {
            if (alertLog[0] != null) {
                alertLog[0].close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private Integer run(PrintWriter out, PrintWriter err, DetectionSetup detection, SavedModel loaded, KafkaExport kafka)
        throws Exception {
        MetricsServer http = HttpEndpoint.start(options, err);
        try {
            RunSummary summary = new RunSummary();
            boolean saved;
            summary.mode = "capture";
            try (SensorSession session = new SensorSession(options.toConfig(true), options.flows, detection,
                options.kafkaRecords(kafka == null ? null : kafka.records()), interfaces.size(), FlowEndReason.SHUTDOWN)) {
                LiveCapture capture;
                try {
                    capture = new LiveCapture(interfaces, bpf, snaplen, bufferMb, !noPromisc, session.pipeline());
                } catch (LiveCaptureException e) {
                    throw new UserError(e.getMessage());
                }
                ModelFiles.restore(session, loaded);
                session.uniqueAlertIds(new java.security.SecureRandom());
                session.pipeline().latencyFromCaptureTimestamp(true);
                SensorMetrics metrics = new SensorMetrics(session, kafka == null ? null : kafka.status(),
                    capture::latestStats, options.metricsWindowSeconds * 1_000_000_000L);
                HttpEndpoint.serve(http, metrics);
                Thread timer = null;
                try (GracefulShutdown shutdown = new GracefulShutdown(capture::stop)) {
                    if (durationSeconds > 0) {
                        timer = new Thread(() -> {
                            try {
                                Thread.sleep(TimeUnit.SECONDS.toMillis(durationSeconds));
                                capture.stop();
                            } catch (InterruptedException ignored) {
                                // capture ended first
                            }
                        }, "vigil-duration");
                        timer.setDaemon(true);
                        timer.start();
                    }
                    try {
                        // One collection now, before the first packet, moves the rings, the flow table and a
                        // loaded model (a few hundred MB, all live) to the old generation. Left to the first
                        // young collections they were copied there mid-capture (150-180 ms pauses) and a
                        // full collection followed (0.7 s): at 20 kpps the kernel buffer overflowed.
                        System.gc();
                        session.start();
                        metrics.running();
                        if (!options.quiet) {
                            err.println("vigil: capturing on " + String.join(", ", interfaces)
                                + (bpf == null ? "" : " with filter '" + bpf + "'") + "; Ctrl-C to stop");
                        }
                        capture.run();
                        metrics.finished("capture stopped");
                        session.finish(summary);
                        RunReport.kafka(summary, kafka);
                        RunReport.inventory(session, options, err);
                        // Inside the shutdown guard: on SIGINT/SIGTERM the JVM waits for the drain, this save and the report.
                        saved = ModelFiles.save(session, options, summary, err);
                        summary.bytes = session.pipeline().bytesProcessed();
                        fillInterfaceStats(summary, capture);
                    } finally {
                        capture.close();
                        if (timer != null) {
                            timer.interrupt();
                        }
                        RunReport.report(summary, options, out, err);
                    }
                }
            }
            return saved ? VigilMain.EXIT_OK : VigilMain.EXIT_FAILED;
        } finally {
            if (http != null) {
                http.close();
            }
        }
    }

    private static void fillInterfaceStats(RunSummary summary, LiveCapture capture) {
        for (LiveCapture.InterfaceStats s : capture.stats()) {
            summary.packets += s.captured();
            summary.kernelDrops += Math.max(0, s.kernelDrops());
            summary.interfaceDrops += Math.max(0, s.interfaceDrops());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("captured", s.captured());
            m.put("received", s.received());
            m.put("kernel_drops", s.kernelDrops());
            m.put("interface_drops", s.interfaceDrops());
            m.put("ring_drops", s.ringDrops());
            m.put("error", s.error());
            summary.interfaces.add(m);
            if (s.error() != null) {
                summary.problems.add("capture on " + s.name() + " stopped: " + s.error());
            }
        }
    }
}
