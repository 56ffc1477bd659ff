package io.vigil.sensor.evaluate;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;
import io.vigil.detectors.LearningPlan;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One replay of a scenario capture through the real pipeline, learning until a time, keeping every alert raised. */
public final class ScenarioRun {
    /** The alerts (first occurrences; repeats folded by the aggregator), and what the run saw. */
    public record Result(List<Alert> alerts, long packets, long devices, List<String> problems) {
    }

    private ScenarioRun() {
    }

    public static Result replay(Path pcap, long learnUntilNanos, double minSurpriseBits, boolean naive)
        throws IOException, InterruptedException {
        List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
        AlertSink sink = alerts::add;
        DetectionSetup setup = new DetectionSetup(LearningPlan.until(learnUntilNanos), minSurpriseBits, sink, naive);
        RunSummary summary = new RunSummary();
        FileReplay replay;
        try (SensorSession session = new SensorSession(PipelineConfig.defaults(false), null, setup, 1,
            FlowEndReason.END_OF_CAPTURE)) {
            session.start();
            replay = new FileReplay(session.pipeline(), ReplaySpeed.MAX, () -> false);
            replay.replay(List.of(pcap));
            session.finish(summary);
        }
        List<String> problems = new ArrayList<>(replay.problems());
        problems.addAll(summary.problems);
        return new Result(List.copyOf(alerts), replay.packets(), summary.devices, problems);
    }
}
