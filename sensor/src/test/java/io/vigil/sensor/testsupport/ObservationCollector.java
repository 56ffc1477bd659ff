package io.vigil.sensor.testsupport;

import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.pipeline.Pipeline;
import io.vigil.sensor.pipeline.PipelineConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs frames through a whole one-producer pipeline (ring 1024, 1024 flows, flows ended at end of capture) and keeps a
 * copy of every observation the source side sees, except FLOW_START and FLOW_END.
 */
public final class ObservationCollector {
    private final List<Observation> seen = new ArrayList<>();

    /** A started pipeline whose observations this collector keeps. */
    public Pipeline start() {
        ObservationHandler keep = (o, src, dst) -> {
            if (src && o.type != ObservationType.FLOW_START && o.type != ObservationType.FLOW_END) {
                Observation copy = new Observation();
                copy.copyFrom(o);
                synchronized (seen) {
                    seen.add(copy);
                }
            }
        };
        Pipeline p = new Pipeline(PipelineConfig.defaults(false).withRingSize(1024).withMaxFlows(1024),
            i -> List.of(keep), 1, FlowEndReason.END_OF_CAPTURE);
        p.start();
        return p;
    }

    /** Every observation kept, in arrival order (read it after the pipeline finished). */
    public List<Observation> all() {
        return seen;
    }

    /** The observations of one type, in arrival order. */
    public List<Observation> of(ObservationType type) {
        return seen.stream().filter(o -> o.type == type).toList();
    }

    @Override
    public String toString() {
        return seen.toString();
    }
}
