package io.vigil.detectors;

/**
 * One kind of finding. Called for every observation of the detection phase that carries a new
 * feature value, an industrial operation or a sender this shard owns; decides from the
 * {@link Detection} whether to raise an alert. Detectors keep no state of their own beyond
 * what the device models hold, so any shard can run any detector.
 */
public interface Detector {
    void inspect(Detection d);
}
