package io.vigil.sensor.simulate;

import java.util.List;

public record GroundTruth(long seed, long startMillis, long learnUntilMillis, long endMillis, int devices,
                          List<LabelledEvent> events) {
    public void write(java.nio.file.Path labelsJson) throws java.io.IOException {
        throw new UnsupportedOperationException("stub");
    }
}
