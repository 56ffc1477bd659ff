package io.vigil.sensor.cli;

import io.vigil.sensor.simulate.GroundTruth;
import io.vigil.sensor.simulate.LabelledEvent;
import io.vigil.sensor.simulate.ScenarioConfig;
import io.vigil.sensor.simulate.ScenarioGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Generate a labelled scenario: a converged data centre's normal traffic through a learning period, "
        + "then a test period with one instance of every attack kind and a few benign novelties. Writes "
        + "DIR/scenario-SEED.pcap and DIR/scenario-SEED.labels.json (the ground truth)."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", required = true, description = "Fixes every device, rhythm and attack; same seed, same bytes.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the pcap and labels.")
    Path out;

    @Option(names = "--learn", paramLabel = "DURATION", defaultValue = "2h",
        description = "Learning period of normal traffic (default ${DEFAULT-VALUE}).")
    String learn;

    @Option(names = "--test", paramLabel = "DURATION", defaultValue = "1h",
        description = "Test period holding the labelled events (default ${DEFAULT-VALUE}).")
    String test;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        ScenarioConfig config;
        try {
            config = new ScenarioConfig(seed, Durations.parseNanos(learn) / 1_000_000_000L,
                Durations.parseNanos(test) / 1_000_000_000L);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Files.createDirectories(out);
        Path pcap = out.resolve("scenario-" + seed + ".pcap");
        Path labels = out.resolve("scenario-" + seed + ".labels.json");
        ScenarioGenerator generator = new ScenarioGenerator(config);
        GroundTruth truth;
        try {
            truth = generator.write(pcap, labels);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        for (LabelledEvent e : truth.events()) {
            o.printf("%s %-6s %-24s %s .. %s  %s -> %s  %s%n", e.id(), e.kind(), e.type(), time(e.startMillis()),
                time(e.endMillis()), String.join(",", e.actors()), e.victims().isEmpty() ? "-"
                    : String.join(",", e.victims()), e.expectedAlerts().isEmpty() ? "(no alert expected)"
                    : "[" + String.join(", ", e.expectedAlerts()) + "]");
        }
        o.printf("wrote %s and %s: %d devices, %d packets, %d bytes, %s .. %s, learning until %s%n", pcap, labels,
            truth.devices(), generator.packets(), generator.bytes(), time(truth.startMillis()),
            time(truth.endMillis()), time(truth.learnUntilMillis()));
        o.flush();
        return VigilMain.EXIT_OK;
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
