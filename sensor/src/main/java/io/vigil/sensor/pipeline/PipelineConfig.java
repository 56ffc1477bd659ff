package io.vigil.sensor.pipeline;

import io.vigil.protocols.flow.FlowTimeouts;

/**
 * Sizes and policies of the pipeline. Defaults fit a 2-core appliance; see deploy/ for sizing.
 *
 * @param ringSize          packet ring slots (power of two); each slot starts at 2 KiB
 * @param flowWorkers       decode/flow threads; packets are sharded by a symmetric address-pair hash
 * @param deviceShards      device-model threads; observations are sharded by device address
 * @param maxFlows          flow-table capacity per flow worker (hard memory bound)
 * @param maxDevices        device-table capacity per device shard
 * @param dropWhenFull      true: a full ring drops the packet and counts it (live capture never
 *                          blocks); false: the source waits (file replay, so results are reproducible)
 * @param timeouts          flow timeouts
 * @param observationRingSize observation ring slots (power of two)
 * @param ownDeviceThread   with one flow worker and one device shard: the shard on a thread of its own
 *                          rather than on the flow worker's (see Pipeline); more shards or workers
 *                          always have threads of their own
 */
public record PipelineConfig(int ringSize, int flowWorkers, int deviceShards, int maxFlows, int maxDevices,
                             boolean dropWhenFull, FlowTimeouts timeouts, int observationRingSize,
                             boolean ownDeviceThread) {

    public PipelineConfig {
        if (Integer.bitCount(ringSize) != 1 || ringSize < 64) {
            throw new IllegalArgumentException("ring size must be a power of two >= 64: " + ringSize);
        }
        if (Integer.bitCount(observationRingSize) != 1 || observationRingSize < 64) {
            throw new IllegalArgumentException("observation ring size must be a power of two >= 64: " + observationRingSize);
        }
        if (flowWorkers < 1 || deviceShards < 1) {
            throw new IllegalArgumentException("need at least one flow worker and one device shard");
        }
        if (maxFlows < 16 || maxDevices < 16) {
            throw new IllegalArgumentException("max flows and max devices must be at least 16");
        }
    }

    public static final int DEFAULT_RING_SIZE = 16_384;
    /**
     * Small on purpose: an observation slot with its protocol payloads is ~3 kB, and a slot the flow
     * worker fills must still be in cache when the device shard reads it. 16 384 slots (48 MB) made
     * both threads wait on memory; 4 096 still holds 16 batches of 256.
     */
    public static final int DEFAULT_OBSERVATION_RING_SIZE = 4_096;

    public static PipelineConfig defaults(boolean dropWhenFull) {
        return new PipelineConfig(DEFAULT_RING_SIZE, 1, 1, 1 << 20, 1 << 18, dropWhenFull, FlowTimeouts.defaults(),
            DEFAULT_OBSERVATION_RING_SIZE, false);
    }

    public PipelineConfig withFlowWorkers(int n) {
        return new PipelineConfig(ringSize, n, deviceShards, maxFlows, maxDevices, dropWhenFull, timeouts,
            observationRingSize, ownDeviceThread);
    }

    public PipelineConfig withDeviceShards(int n) {
        return new PipelineConfig(ringSize, flowWorkers, n, maxFlows, maxDevices, dropWhenFull, timeouts,
            observationRingSize, ownDeviceThread);
    }

    public PipelineConfig withRingSize(int n) {
        return new PipelineConfig(n, flowWorkers, deviceShards, maxFlows, maxDevices, dropWhenFull, timeouts,
            observationRingSize, ownDeviceThread);
    }

    public PipelineConfig withMaxFlows(int n) {
        return new PipelineConfig(ringSize, flowWorkers, deviceShards, n, maxDevices, dropWhenFull, timeouts,
            observationRingSize, ownDeviceThread);
    }

    public PipelineConfig withOwnDeviceThread(boolean own) {
        return new PipelineConfig(ringSize, flowWorkers, deviceShards, maxFlows, maxDevices, dropWhenFull, timeouts,
            observationRingSize, own);
    }

    /** Whether the device shard runs on the flow worker's thread (one of each, and not asked otherwise). */
    public boolean deviceStageOnFlowThread() {
        return !ownDeviceThread && flowWorkers == 1 && deviceShards == 1;
    }
}
