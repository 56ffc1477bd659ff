package io.vigil.sensor.pipeline;

import com.lmax.disruptor.EventHandler;
import io.vigil.protocols.flow.FlowHash;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Hands each observation to the models of the devices this shard owns. A device belongs to
 * exactly one shard (by a hash of its VLAN and address), so its state is only ever touched by
 * this thread.
 */
final class DeviceShard implements EventHandler<Observation> {
    private final int index;
    private final int shards;
    private final int flowWorkers;
    private final ObservationHandler[] handlers;
    private final CountDownLatch drained;
    private int endsSeen;
    private long observations;
    /** Capture second last passed on by onClock, for observations of other shards. */
    private long clockSecond = Long.MIN_VALUE;

    DeviceShard(int index, int shards, int flowWorkers, List<ObservationHandler> handlers, CountDownLatch drained) {
        this.index = index;
        this.shards = shards;
        this.flowWorkers = flowWorkers;
        this.handlers = handlers.toArray(new ObservationHandler[0]);
        this.drained = drained;
    }

    @Override
    public void onEvent(Observation o, long sequence, boolean endOfBatch) {
        if (o.type == ObservationType.END_OF_STREAM) {
            // Every flow worker sends one after flushing; the last one means nothing more can arrive.
            if (++endsSeen == flowWorkers) {
                for (ObservationHandler h : handlers) {
                    h.onEndOfStream();
                }
                drained.countDown();
            }
            return;
        }
        boolean ownsSource = owns(o.vlan, o.srcIpHi, o.srcIpLo);
        boolean ownsDestination = owns(o.vlan, o.dstIpHi, o.dstIpLo);
        if (!ownsSource && !ownsDestination) {
            long second = Math.floorDiv(o.timestampNanos, 1_000_000_000L);
            if (second > clockSecond) {
                clockSecond = second;
                for (ObservationHandler h : handlers) {
                    h.onClock(o.timestampNanos);
                }
            }
            return;
        }
        observations++;
        for (ObservationHandler h : handlers) {
            h.onObservation(o, ownsSource, ownsDestination);
        }
    }

    private boolean owns(int vlan, long ipHi, long ipLo) {
        return shards == 1 || FlowHash.shardOf(FlowHash.deviceHash(ipHi, ipLo, vlan), shards) == index;
    }

    long observations() {
        return observations;
    }
}
