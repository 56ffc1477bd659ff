package io.vigil.sensor.simulate;

public record ScenarioConfig(long seed, long learnSeconds, long testSeconds) {
    public static ScenarioConfig defaults(long seed) {
        return new ScenarioConfig(seed, 7200, 3600);
    }
}
