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
            if (!namesOtherDevices(o)) {
                return;
            }
            for (ObservationHandler h : handlers) {
                h.onObservation(o, false, false);
            }
            return;
        }
        observations++;
        for (ObservationHandler h : handlers) {
            h.onObservation(o, ownsSource, ownsDestination);
        }
    }

    /**
     * A DHCP request (sent from 0.0.0.0 for the address it asks for), a NetBIOS registration or answer
     * and a DNS answer (naming the addresses they state) name devices that neither endpoint's shard may own: every shard sees them
     * and names its own devices.
     */
    private boolean namesOtherDevices(Observation o) {
        return shards > 1 && (o.type == ObservationType.DHCP_MESSAGE || o.type == ObservationType.NETBIOS_NAME
            || (o.type == ObservationType.DNS_QUERY && o.dns.isResponse && o.dns.addressCount > 0));
    }

    private boolean owns(int vlan, long ipHi, long ipLo) {
        return shards == 1 || shardOf(vlan, ipHi, ipLo, shards) == index;
    }

    /** The shard that owns a device under {@code shards} shards. */
    static int shardOf(int vlan, long ipHi, long ipLo, int shards) {
        return FlowHash.shardOf(FlowHash.deviceHash(ipHi, ipLo, vlan), shards);
    }

    long observations() {
        return observations;
    }
}
