package io.vigil.detectors;

import io.vigil.protocols.observe.ObservationType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One kind of finding. Called for every observation of the detection phase that carries a new
 * feature value, an industrial operation or a sender this shard owns; decides from the
 * {@link Detection} whether to raise an alert. Each device shard has its own detector instances
 * (one thread, no locks): per-device state lives in the device models, and a detector may keep
 * shard-wide state of its own (e.g. how many devices contacted an external address).
 *
 * <p>Deciding and explaining are kept apart: {@code inspect} decides, and the cause key,
 * explanation and details are built in a method of their own ({@code report}); where an attack
 * repeats its cause on every packet (a scan's probes, a tunnel's queries, a password guesser's
 * connections), {@code report} only folds the repeat and a third method ({@code explain}) builds the
 * text once per cause. Alerts are rare, so those methods stay cold and C2 does not inline them;
 * inlined, their string and map building made up most of each inspect's compiled code (35-42 KB),
 * and every recompilation took 0.3-0.8 s of a core that, on a 2-core box, the packets were waiting
 * for (bench/RESULTS.md).
 */
public interface Detector {
    void inspect(Detection d);

    /**
     * Whether {@link #inspect} can act on observations of this type. Asked once per type when the
     * engine is built; the engine never calls inspect for the others, which spares most detectors
     * the millions of industrial requests a site's masters send. {@link #learn} still sees all.
     */
    default boolean inspects(ObservationType type) {
        return true;
    }

    /** Writes the shard-wide state later decisions depend on, for a model file; most detectors keep none. */
    default void writeStateTo(DataOutput out) throws IOException {
    }

    /**
     * Adds state written by {@link #writeStateTo} to this detector's. Called once per saved shard
     * when the shard count changed since the save, so state from several shards is merged.
     */
    default void readStateFrom(DataInput in) throws IOException {
    }

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
