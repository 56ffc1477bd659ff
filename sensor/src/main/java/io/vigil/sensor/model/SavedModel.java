package io.vigil.sensor.model;

import io.vigil.baseline.Device;
import java.util.List;

/**
 * The learned state of a run as it goes into, or came out of, a model file.
 *
 * @param sensorVersion   version of the vigil that wrote it
 * @param createdAtMillis wall-clock time of the save
 * @param learning        what the model learned from, in capture time
 * @param shardStates     each saved device shard's engine state ({@link io.vigil.detectors.DetectionEngine#writeStateTo})
 * @param devices         every device of every shard, with its model
 * @param fileBytes       size of the file read; 0 before writing
 */
public record SavedModel(String sensorVersion, long createdAtMillis, LearningWindow learning, List<byte[]> shardStates,
                         List<Device> devices, long fileBytes) {

    public int shards() {
        return shardStates.size();
    }
}
