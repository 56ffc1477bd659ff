package io.vigil.protocols.observe;

/**
 * Consumes observations on a device shard's thread. Implementations may keep state without
 * locks: the pipeline hands every observation about a given device to the same thread.
 *
 * <p>{@code ownsSource}/{@code ownsDestination} say which endpoints of the observation belong to
 * this shard: a flow between two devices is seen by both their shards, each updating only its own.
 */
public interface ObservationHandler {
    void onObservation(Observation o, boolean ownsSource, boolean ownsDestination);

    /**
     * Capture time reached {@code timestampNanos} in an observation this shard does not own: lets
     * handlers that judge absences (a poll that stopped) keep time on a shard whose own devices are
     * quiet. Called at most once per second of capture time.
     */
    default void onClock(long timestampNanos) {
    }

    /** Called once on the shard thread after the last observation. */
    default void onEndOfStream() {
    }
}
