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
}
