package io.vigil.sensor.cli;

import io.vigil.detectors.DetectionEngine;
import io.vigil.sensor.evaluate.EvaluationReport;
import io.vigil.sensor.evaluate.ScenarioRun;
import io.vigil.sensor.evaluate.Scoring;
import io.vigil.sensor.simulate.GroundTruth;
import io.vigil.sensor.simulate.ScenarioConfig;
import io.vigil.sensor.simulate.ScenarioGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Generate labelled scenarios (as 'vigil simulate' does) for several seeds, replay each through the "
        + "sensor learning until its test period, and print per attack type whether it was detected and how fast, "
        + "with recall, precision and distinct false positives per hour per 100 devices - next to a naive "
        + "'alert on anything never seen before' baseline on the same captures."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seeds", paramLabel = "LIST", defaultValue = "1-5",
        description = "Seeds: a range (1-5) or a comma list (3,7,11). Default: ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--learn", paramLabel = "DURATION", defaultValue = "2h",
        description = "Learning period of each scenario. Default: ${DEFAULT-VALUE}.")
    String learn;

    @Option(names = "--test", paramLabel = "DURATION", defaultValue = "1h",
        description = "Test period (attacks and benign novelties) of each scenario. Default: ${DEFAULT-VALUE}.")
    String test;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Keep the generated captures and labels here (default: a temporary directory, deleted after).")
    Path out;

    @Option(names = "--min-surprise", paramLabel = "BITS", defaultValue = "8",
        description = "The sensor's novelty threshold, as for replay. Default: ${DEFAULT-VALUE}.")
    double minSurpriseBits = DetectionEngine.DEFAULT_MIN_SURPRISE_BITS;

    @Option(names = "--per-seed", description = "Also print every scenario's events with their outcome.")
    boolean perSeed;

    @Option(names = "--show-false-positives", paramLabel = "N", defaultValue = "20",
        description = "Print the explanations of up to N false positives of the sensor. Default: ${DEFAULT-VALUE}.")
    int falsePositivesShown;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Long> seedList = parseSeeds(seeds);
        long learnSeconds = seconds(learn, "--learn");
        long testSeconds = seconds(test, "--test");
        Path dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("vigil-evaluate");
        EvaluationReport report = new EvaluationReport();
        try {
            for (long seed : seedList) {
                Path pcap = dir.resolve("scenario-" + seed + ".pcap");
                GroundTruth truth = new ScenarioGenerator(new ScenarioConfig(seed, learnSeconds, testSeconds))
                    .write(pcap, dir.resolve("scenario-" + seed + ".labels.json"));
                long learnUntil = truth.learnUntilMillis() * 1_000_000L;
                ScenarioRun.Result product = ScenarioRun.replay(pcap, learnUntil, minSurpriseBits, false);
                ScenarioRun.Result baseline = ScenarioRun.replay(pcap, learnUntil, minSurpriseBits, true);
                for (String p : product.problems()) {
                    err.println("vigil: seed " + seed + ": " + p);
                }
                Scoring.Outcome scored = Scoring.score(truth, product.alerts());
                report.add(scored, Scoring.score(truth, baseline.alerts()));
                err.println(String.format(Locale.ROOT, "seed %d: %d packets, %d devices, %d/%d attacks detected, "
                        + "%d false positives", seed, product.packets(), truth.devices(), scored.detected(),
                    scored.attacks().size(), scored.falsePositives().size()));
            }
        } finally {
            if (out == null) {
                deleteTree(dir);
            }
        }
        console.println(String.format(Locale.ROOT, "vigil evaluate: %d scenario(s), seeds %s, learn %s, test %s each",
            seedList.size(), seeds, learn, test));
        console.print(report.text(perSeed, falsePositivesShown));
        console.flush();
        return VigilMain.EXIT_OK;
    }

    static List<Long> parseSeeds(String text) {
        List<Long> list = new ArrayList<>();
        try {
            String t = text.trim();
            int dash = t.indexOf('-', 1);
            if (dash > 0 && !t.contains(",")) {
                long from = Long.parseLong(t.substring(0, dash).trim());
                long to = Long.parseLong(t.substring(dash + 1).trim());
                if (to < from || to - from >= 1000) {
                    throw new NumberFormatException();
                }
                for (long s = from; s <= to; s++) {
                    list.add(s);
                }
            } else {
                for (String s : t.split(",")) {
                    list.add(Long.parseLong(s.trim()));
                }
            }
        } catch (NumberFormatException e) {
            throw new UserError("--seeds takes a range such as 1-5 or a list such as 3,7,11, got '" + text + "'");
        }
        return list;
    }

    private static long seconds(String text, String option) {
        try {
            long s = Durations.parseNanos(text) / 1_000_000_000L;
            if (s < 60) {
                throw new UserError(option + " must be at least 1m, got " + text);
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
