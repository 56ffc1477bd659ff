package io.vigil.sensor.cli;

import io.vigil.export.inventory.Inventory;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "devices", mixinStandardHelpOptions = true,
    description = {"Replay capture files and print the asset inventory: every device with its MAC vendor, name, inferred "
        + "role, protocols served and used, and the risks its traffic shows."})
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files, replayed in the order given.")
    List<Path> files;

    @Option(names = "--json", description = "One JSON line per device instead of the table (as --inventory writes).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CaptureFiles.checkReadable(files);
        RunSummary summary = new RunSummary();
        Inventory inventory;
        try (SensorSession session = new SensorSession(PipelineConfig.defaults(false), null, 1,
            FlowEndReason.END_OF_CAPTURE)) {
            session.start();
            FileReplay replay = new FileReplay(session.pipeline(), ReplaySpeed.MAX, () -> false);
            replay.replay(files);
            session.finish(summary);
            for (String p : replay.problems()) {
                err.println("vigil: " + p);
            }
            if (replay.packets() == 0) {
                return VigilMain.EXIT_FAILED;
            }
            inventory = session.inventory();
        }
        if (json) {
            out.print(inventory.json());
        } else {
            out.print(inventory.table());
            out.println(inventory.summary());
        }
        out.flush();
        return VigilMain.EXIT_OK;
    }
}
