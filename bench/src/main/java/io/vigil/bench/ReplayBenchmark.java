package io.vigil.bench;

import io.vigil.detectors.DetectionEngine;
import io.vigil.detectors.LearningPlan;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.capture.file.CaptureFileException;
import io.vigil.sensor.capture.file.CaptureFileReader;
import io.vigil.sensor.cli.Durations;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import io.vigil.sensor.synth.ConvergedTrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * End-to-end replay benchmark: generates (once) a converged-data-centre capture of N packets,
 * then measures, in one JVM and one run so the ratios are comparable on a noisy machine:
 * <ol>
 * <li>read only: the reader handing each record to an empty handler, with read() into a buffer
 *     (the default) and with memory-mapped windows;</li>
 * <li>full pipeline: read, copy into the ring, decode L2–L4, flows, observations, devices —
 *     what {@code vigil replay} does; with LEARN (e.g. {@code 1h}) the detectors judge everything
 *     after the first LEARN of capture time, as {@code vigil replay --learn LEARN} does (alerts are
 *     counted, not printed); without it the run learns only.</li>
 * </ol>
 * Usage: {@code java -cp bench/target/benchmarks.jar io.vigil.bench.ReplayBenchmark FILE [PACKETS] [ROUNDS] [WORKERS] [RING] [LEARN]}
 */
public final class ReplayBenchmark {
    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "bench/out/converged-5m.pcap");
        long packets = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int ring = args.length > 4 ? Integer.parseInt(args[4]) : PipelineConfig.defaults(false).ringSize();
        long learnNanos = args.length > 5 ? Durations.parseNanos(args[5]) : -1;
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long t0 = System.nanoTime();
            long n = new ConvergedTrafficGenerator(1, 20_000).write(file, packets);
            System.out.printf(Locale.ROOT, "generated %,d packets (%,d bytes) in %.1f s%n", n, Files.size(file),
                (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "capture %s, %,d bytes; %d rounds; %d flow worker(s); ring %d; %d cores%n",
            file, Files.size(file), rounds, workers, ring, Runtime.getRuntime().availableProcessors());
        for (int r = 1; r <= rounds; r++) {
            readOnly(file, r, false);
            readOnly(file, r, true);
            pipeline(file, r, workers, ring, learnNanos);
        }
    }

    private static void readOnly(Path file, int round, boolean mapped) throws CaptureFileException {
        long t0 = System.nanoTime();
        long[] sink = new long[1];
        long n;
        try (CaptureFileReader reader = mapped ? CaptureFileReader.openMapped(file) : CaptureFileReader.open(file)) {
            while (reader.next((data, offset, cap, orig, ts, link, itf) -> sink[0] += cap)) {
                // the handler does the (minimal) work
            }
            n = reader.packetsRead();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "round %d  read-only %-5s %,12d packets  %6.2f s  %,12.0f packets/s%n", round,
            mapped ? "mmap" : "read", n, s, n / s);
    }

    private static void pipeline(Path file, int round, int workers, int ring, long learnNanos) throws Exception {
        PipelineConfig config = PipelineConfig.defaults(false).withFlowWorkers(workers).withRingSize(ring);
        RunSummary summary = new RunSummary();
        summary.mode = "replay";
        long t0 = System.nanoTime();
        FileReplay replay;
        LongAdder alerts = new LongAdder();
        DetectionSetup detection = learnNanos < 0 ? null
            : new DetectionSetup(LearningPlan.forDuration(learnNanos), DetectionEngine.DEFAULT_MIN_SURPRISE_BITS,
                alert -> alerts.increment());
        try (SensorSession session = new SensorSession(config, null, detection, 1, FlowEndReason.END_OF_CAPTURE)) {
            session.start();
            replay = new FileReplay(session.pipeline(), ReplaySpeed.MAX, () -> false);
            replay.replay(List.of(file));
            session.finish(summary);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT,
            "round %d  full pipeline  %,12d packets  %6.2f s  %,12.0f packets/s  (flows %,d, devices %,d, malformed %d%s)%n",
            round, replay.packets(), s, replay.packets() / s, summary.flows, summary.devices,
            summary.decode.malformedTotal(), learnNanos < 0 ? ", learning only" : ", alerts " + alerts.sum());
    }
}
