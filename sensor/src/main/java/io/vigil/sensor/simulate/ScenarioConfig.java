package io.vigil.sensor.simulate;

/**
 * What to simulate: the seed fixes every device, rhythm and attack; the learning period holds only normal traffic and
 * the test period carries the labelled events.
 */
public record ScenarioConfig(long seed, long learnSeconds, long testSeconds) {
    public ScenarioConfig {
        if (learnSeconds < 60 || testSeconds < 120) {
            throw new IllegalArgumentException("learning needs at least 60 s and the test period at least 120 s");
        }
    }

    /** Two hours of learning and one hour of test, what {@code vigil evaluate} uses. */
    public static ScenarioConfig defaults(long seed) {
        return new ScenarioConfig(seed, 7_200, 3_600);
    }
}
