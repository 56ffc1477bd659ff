package io.vigil.detectors;

/**
 * One kind of finding. Called for every observation of the detection phase that carries a new
 * feature value, an industrial operation or a sender this shard owns; decides from the
 * {@link Detection} whether to raise an alert. Each device shard has its own detector instances
 * (one thread, no locks): per-device state lives in the device models, and a detector may keep
 * shard-wide state of its own (e.g. how many devices contacted an external address).
 */
public interface Detector {
    void inspect(Detection d);

    /**
     * Called instead of {@link #inspect} for the observations of the learning phase, for detectors
     * that learn a model of their own (rates, volumes, poll periods) from what they will later judge.
     */
    default void learn(Detection d) {
    }

    /**
     * Called in the detection phase at most once per second of capture time (before the first
     * observation of that second) and once at the end of the stream, for findings that are an
     * absence (a poll that stopped coming). {@link Detection#observation()} is null until the
     * detector fills {@link Detection#synthetic()}.
     */
    default void tick(Detection d, long nowNanos) {
    }
}
