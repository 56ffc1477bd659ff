package io.vigil.sensor.simulate;

public final class ScenarioGenerator {
    public ScenarioGenerator(ScenarioConfig config) {
    }

    public GroundTruth write(java.nio.file.Path pcap, java.nio.file.Path labelsJson) throws java.io.IOException {
        throw new UnsupportedOperationException("stub");
    }
}
