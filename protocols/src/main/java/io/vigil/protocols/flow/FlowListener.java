package io.vigil.protocols.flow;

/**
 * Receives flow starts and ends on the table's own thread, in the middle of {@link FlowTable#update},
 * {@link FlowTable#expire} or {@link FlowTable#flushAll}. The view is the table's single flyweight,
 * valid only for the duration of the call: copy what must be kept. Implementations must not call
 * back into the table.
 */
public interface FlowListener {
    /** Called after the flow's first packet has been accounted, so counters and TCP state include it. */
    void onFlowStart(FlowView flow);

    void onFlowEnd(FlowView flow, FlowEndReason reason);

    /** A listener that ignores everything, for benchmarks and tables kept only for their counters. */
    FlowListener NONE = new FlowListener() {
        @Override
        public void onFlowStart(FlowView flow) {
        }

        @Override
        public void onFlowEnd(FlowView flow, FlowEndReason reason) {
        }
    };
}
