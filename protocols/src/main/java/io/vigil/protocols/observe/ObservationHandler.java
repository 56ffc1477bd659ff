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

    /** Called once on the shard thread after the last observation. */
    default void onEndOfStream() {
    }
}
