package io.vigil.sensor.cli;

import io.vigil.baseline.Device;
import io.vigil.sensor.model.LearningWindow;
import io.vigil.sensor.model.ModelFile;
import io.vigil.sensor.model.ModelFileException;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.pipeline.PipelineConfig;
import io.vigil.sensor.pipeline.SensorSession;
import io.vigil.sensor.stats.RunSummary;
import java.io.PrintWriter;

/** --load-model and --save-model for replay and capture: one line each on stderr, one-line errors. */
final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * The model of --load-model, or null; a bad file, or one with more devices for a shard than
     * --max-devices, is a {@link UserError} (exit 2) before anything runs.
     */
    static SavedModel load(PipelineOptions options, PipelineConfig config, PrintWriter err) {
        if (options.loadModel == null) {
            return null;
        }
        SavedModel model;
        try {
            model = ModelFile.read(options.loadModel);
        } catch (ModelFileException e) {
            throw new UserError(e.getMessage());
        }
        int[] perShard = new int[config.deviceShards()];
        for (Device d : model.devices()) {
            if (++perShard[SensorSession.shardOf(d, perShard.length)] > config.maxDevices()) {
                throw new UserError("cannot load model " + options.loadModel + ": it holds more than --max-devices "
                    + config.maxDevices() + " devices for one device shard");
            }
        }
        if (!options.quiet) {
            err.println("vigil: loaded model " + options.loadModel + ": " + describe(model.devices().size(),
                model.fileBytes(), model.learning()) + "; saved by vigil " + model.sensorVersion() + " with "
                + model.shards() + (model.shards() == 1 ? " shard" : " shards"));
        }
        return model;
    }

    static void restore(SensorSession session, SavedModel model) {
        if (model == null) {
            return;
        }
        try {
            session.restore(model);
        } catch (ModelFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Saves the model of --save-model after the run drained; false (and a problem in the summary) when it failed. */
    static boolean save(SensorSession session, PipelineOptions options, RunSummary summary, PrintWriter err) {
        if (options.saveModel == null) {
            return true;
        }
        try {
            SavedModel model = session.model(VigilMain.VERSION);
            long bytes = ModelFile.write(options.saveModel, model);
            if (!options.quiet) {
                err.println("vigil: saved model " + options.saveModel + ": " + describe(model.devices().size(), bytes,
                    model.learning()));
            }
            return true;
        } catch (ModelFileException e) {
            summary.problems.add(e.getMessage());
            return false;
        }
    }

    private static String describe(int devices, long bytes, LearningWindow learned) {
        return devices + (devices == 1 ? " device, " : " devices, ") + bytes + " bytes, learned " + learned.text();
    }
}
