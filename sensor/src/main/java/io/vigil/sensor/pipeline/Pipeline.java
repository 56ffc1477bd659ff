package io.vigil.sensor.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.vigil.protocols.app.AppCounters;
import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.sensor.metrics.LatencyHistogram;
import io.vigil.sensor.ring.NativeMemory;
import io.vigil.sensor.ring.PacketSlot;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * capture ──► packet ring ──► flow workers (sharded by address pair) ──► observation ring ──►
 * device shards (sharded by device) ──► models.
 *
 * <p>The capture side calls {@link #publish} from one thread (or from several, when built for
 * several interfaces). It never blocks when built with {@code dropWhenFull}: a full ring drops
 * the frame and counts it. {@link #finish} drains everything and flushes every flow.
 */
public final class Pipeline {
    private static final long REPLAY_BACKOFF_NANOS = 50_000;
    /** How long a live pipeline thread parks when it has nothing to do (see waitStrategy). */
    private static final long LIVE_PARK_NANOS = 50_000;

    private final PipelineConfig config;
    private final Disruptor<PacketSlot> packetDisruptor;
    private final Disruptor<Observation> observationDisruptor;
    private final RingBuffer<PacketSlot> packets;
    private final FlowWorker[] flowWorkers;
    private final DeviceShard[] deviceShards;
    private final CountDownLatch drained;
    private final AtomicLong handlerErrors = new AtomicLong();
    private final LatencyHistogram captureToDecode = new LatencyHistogram();
    private final boolean multiProducer;
    private final AtomicLong sharedFrameNumber = new AtomicLong();
    private long frameNumber;
    private final AtomicLong ringDrops = new AtomicLong();
    private final AtomicLong oversizedFrames = new AtomicLong();
    private volatile String firstHandlerError;
    private volatile boolean finished;

    /**
     * How a pipeline thread waits for work. Replay (the reader mostly ahead): the Disruptor's default
     * sleeping strategy, spinning and yielding before it parks, which keeps a 10 M-packet replay
     * fastest. Live: park {@link #LIVE_PARK_NANOS} at once. Spinning and yielding between frames that
     * come every 10 µs kept the flow and device threads switching in and out 20 000-25 000 times a
     * second at 100 kpps, and on a 2-core box that switching took the core the packets waited for:
     * 25-43 % of alerts within 1 ms of capture, against 77 % parked (bench/RESULTS.md). Each park adds
     * at most ~50 µs (plus timer slack) per stage.
     */
    private static WaitStrategy waitStrategy(boolean live) {
        return live ? new SleepingWaitStrategy(0, LIVE_PARK_NANOS) : new SleepingWaitStrategy();
    }

    /**
     * @param handlersForShard the observation handlers of device shard i (models, logs); each
     *                         list is used by that shard's thread only
     * @param producers        how many threads will call publish (more than one needs a multi-producer ring)
     * @param endReason        reason given to flows still open at the end (END_OF_CAPTURE or SHUTDOWN)
     */
    public Pipeline(PipelineConfig config, IntFunction<List<ObservationHandler>> handlersForShard, int producers,
                    FlowEndReason endReason) {
        this.config = config;
        this.multiProducer = producers > 1;
        this.packetDisruptor = new Disruptor<>(PacketSlot::new, config.ringSize(), threads("vigil-flow"),
            producers > 1 ? ProducerType.MULTI : ProducerType.SINGLE, waitStrategy(config.dropWhenFull()));
        this.observationDisruptor = new Disruptor<>(Observation::new, config.observationRingSize(),
            threads("vigil-device"), config.flowWorkers() > 1 ? ProducerType.MULTI : ProducerType.SINGLE,
            waitStrategy(config.dropWhenFull()));
        RingBuffer<Observation> observationRing = observationDisruptor.getRingBuffer();

        this.flowWorkers = new FlowWorker[config.flowWorkers()];
        for (int i = 0; i < flowWorkers.length; i++) {
            flowWorkers[i] = new FlowWorker(i, flowWorkers.length, config, observationRing, endReason,
                captureToDecode.newWriter());
        }
        this.drained = new CountDownLatch(config.deviceShards());
        this.deviceShards = new DeviceShard[config.deviceShards()];
        for (int i = 0; i < deviceShards.length; i++) {
            deviceShards[i] = new DeviceShard(i, deviceShards.length, flowWorkers.length, handlersForShard.apply(i),
                drained);
        }
        packetDisruptor.setDefaultExceptionHandler(new CountingExceptionHandler<>());
        observationDisruptor.setDefaultExceptionHandler(new CountingExceptionHandler<>());
        packetDisruptor.handleEventsWith(flowWorkers);
        if (config.deviceStageOnFlowThread()) {
            runDeviceShardOnFlowThread(observationRing);
        } else {
            observationDisruptor.handleEventsWith(deviceShards);
        }
        this.packets = packetDisruptor.getRingBuffer();
    }

    /**
     * One flow worker and one device shard (the default): the flow worker drains the observation ring
     * itself after each batch it publishes, and the shard's handlers run on its thread. The ring stays,
     * so observations are batched and ordered exactly as with a thread of its own. On a 2-core box a
     * third pipeline thread only shares the cores with the other two and the JIT, and on this kind of VM
     * each park and wake-up of a thread costs ~20 µs of CPU and ~50-100 µs of delay: at 100 kpps
     * live, the three threads spent 63-87 % of their CPU in parkNanos (async-profiler). Without the
     * device thread the pipeline used ~20 % less CPU, capture→alert p50 fell from ≤ 0.4 to ≤ 0.3 ms, and a
     * 10 M-packet replay took as long, cold and warm (bench/RESULTS.md).
     */
    private void runDeviceShardOnFlowThread(RingBuffer<Observation> observationRing) {
        EventPoller<Observation> poller = observationRing.newPoller();
        observationRing.addGatingSequences(poller.getSequence());
        DeviceShard shard = deviceShards[0];
        // As the Disruptor's handler would: a failing observation is counted and skipped, the next one goes on.
        CountingExceptionHandler<Observation> errors = new CountingExceptionHandler<>();
        flowWorkers[0].runShardInline(poller, (o, sequence, endOfBatch) -> {
            try {
                shard.onEvent(o, sequence, endOfBatch);
            } catch (Throwable t) {
                errors.handleEventException(t, sequence, o);
            }
            return true;
        });
    }

    /**
     * Live capture measures capture-to-decode from the packet's capture timestamp (kernel time) to the wall
     * clock; a replay, whose timestamps are history, from when the packet entered the ring. Call before start.
     */
    public void latencyFromCaptureTimestamp(boolean live) {
        for (FlowWorker w : flowWorkers) {
            w.latencyFromCaptureTimestamp(live);
        }
    }

    /** Capture-to-decode latency, sampled one packet in {@value FlowWorker#LATENCY_SAMPLE_EVERY} per worker. */
    public LatencyHistogram captureToDecode() {
        return captureToDecode;
    }

    public void start() {
        observationDisruptor.start();
        packetDisruptor.start();
    }

    /**
     * Copies a frame into the next slot. Returns false when the ring was full and the frame was
     * dropped (only with dropWhenFull; otherwise waits for a free slot).
     */
    public boolean publish(ByteBuffer data, int offset, int captureLength, int originalLength, long timestampNanos,
                           int linkType, int interfaceId) {
        long seq = claim();
        if (seq < 0) {
            return false;
        }
        PacketSlot slot = packets.get(seq);
        try {
            int n = fill(slot, captureLength, originalLength, timestampNanos, linkType, interfaceId);
            data.get(offset, slot.data, 0, n);
        } finally {
            packets.publish(seq);
        }
        return true;
    }

    /** As {@link #publish(ByteBuffer, int, int, int, long, int, int)} for a frame in a byte array. */
    public boolean publish(byte[] data, int offset, int captureLength, int originalLength, long timestampNanos,
                           int linkType, int interfaceId) {
        long seq = claim();
        if (seq < 0) {
            return false;
        }
        PacketSlot slot = packets.get(seq);
        try {
            int n = fill(slot, captureLength, originalLength, timestampNanos, linkType, interfaceId);
            System.arraycopy(data, offset, slot.data, 0, n);
        } finally {
            packets.publish(seq);
        }
        return true;
    }

    /**
     * As {@link #publish(byte[], int, int, int, long, int, int)} for a frame in native memory (libpcap's
     * buffer), copied straight into the slot: live capture allocates nothing per frame.
     */
    public boolean publishNative(long address, int captureLength, int originalLength, long timestampNanos,
                                 int linkType, int interfaceId) {
        long seq = claim();
        if (seq < 0) {
            return false;
        }
        PacketSlot slot = packets.get(seq);
        try {
            int n = fill(slot, captureLength, originalLength, timestampNanos, linkType, interfaceId);
            NativeMemory.copy(address, slot.data, n);
        } finally {
            packets.publish(seq);
        }
        return true;
    }

    private long claim() {
        if (!config.dropWhenFull()) {
            if (!packets.hasAvailableCapacity(1)) {
                waitForRoom();
            }
            return packets.next();
        }
        try {
            return packets.tryNext();
        } catch (InsufficientCapacityException full) {
            ringDrops.incrementAndGet();
            return -1;
        }
    }

    /**
     * A replay outruns the workers; rather than spin for each free slot (and take a core from
     * the very threads it waits for), it sleeps until a quarter of the ring has drained.
     */
    private void waitForRoom() {
        int room = Math.max(1, config.ringSize() / 4);
        while (!packets.hasAvailableCapacity(room)) {
            LockSupport.parkNanos(REPLAY_BACKOFF_NANOS);
        }
    }

    private int fill(PacketSlot slot, int captureLength, int originalLength, long timestampNanos, int linkType,
                     int interfaceId) {
        int n = slot.ensureCapacity(captureLength);
        if (n < captureLength) {
            oversizedFrames.incrementAndGet();
        }
        slot.kind = PacketSlot.KIND_PACKET;
        slot.frameNumber = multiProducer ? sharedFrameNumber.incrementAndGet() : ++frameNumber;
        slot.timestampNanos = timestampNanos;
        slot.ingestNanos = System.nanoTime();
        slot.captureLength = n;
        slot.originalLength = originalLength;
        slot.linkType = linkType;
        slot.interfaceId = interfaceId;
        return n;
    }

    /** Lets workers expire idle flows on a quiet network; the capture clock is in the slot. */
    public void tick(long nowNanos) {
        long seq = packets.next();
        PacketSlot slot = packets.get(seq);
        slot.kind = PacketSlot.KIND_TICK;
        slot.timestampNanos = nowNanos;
        slot.captureLength = 0;
        packets.publish(seq);
    }

    /**
     * Ends the stream: every worker flushes its flows, every model sees the last observation.
     * Returns false when the drain did not complete within the timeout (a handler is stuck).
     */
    public boolean finish(long timeout, TimeUnit unit) throws InterruptedException {
        if (finished) {
            return true;
        }
        finished = true;
        long seq = packets.next();
        PacketSlot slot = packets.get(seq);
        slot.kind = PacketSlot.KIND_END;
        slot.captureLength = 0;
        packets.publish(seq);
        boolean done = drained.await(timeout, unit);
        packetDisruptor.halt();
        observationDisruptor.halt();
        return done;
    }

    public PipelineConfig config() {
        return config;
    }

    public long packetsProcessed() {
        return sumOverWorkers(w -> w.packets());
    }

    public long bytesProcessed() {
        return sumOverWorkers(w -> w.bytes());
    }

    public long ringDrops() {
        return ringDrops.get();
    }

    /** Frames larger than a slot can ever hold, cut to PacketSlot.MAX_CAPACITY. */
    public long oversizedFrames() {
        return oversizedFrames.get();
    }

    public long handlerErrors() {
        return handlerErrors.get();
    }

    public String firstHandlerError() {
        return firstHandlerError;
    }

    /**
     * Merged decode counters: exact after finish(); while running, a moment-old view for the metrics endpoint
     * (each worker's counters are plain longs only it writes, read racily, which a 64-bit JVM does not tear).
     */
    public DecodeCounters decodeCounters() {
        DecodeCounters total = new DecodeCounters();
        for (FlowWorker w : flowWorkers) {
            w.counters().addTo(total);
        }
        return total;
    }

    /** Merged application-layer counters: exact after finish(), moment-old while running (as decodeCounters). */
    public AppCounters appCounters() {
        AppCounters total = new AppCounters();
        for (FlowWorker w : flowWorkers) {
            w.appLayer().counters().addTo(total);
        }
        return total;
    }

    /** TCP reassembly counters summed over workers, by name; call after finish(). */
    public Map<String, Long> tcpReassembly() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("segments", sumOverWorkers(w -> w.appLayer().reassembler().segments()));
        m.put("bytes_delivered", sumOverWorkers(w -> w.appLayer().reassembler().bytesDelivered()));
        m.put("out_of_order", sumOverWorkers(w -> w.appLayer().reassembler().outOfOrderSegments()));
        m.put("retransmissions", sumOverWorkers(w -> w.appLayer().reassembler().retransmissions()));
        m.put("overlaps", sumOverWorkers(w -> w.appLayer().reassembler().overlaps()));
        m.put("gaps", sumOverWorkers(w -> w.appLayer().reassembler().gaps()));
        m.put("gap_bytes", sumOverWorkers(w -> w.appLayer().reassembler().gapBytes()));
        m.put("buffer_overflows", sumOverWorkers(w -> w.appLayer().reassembler().bufferOverflows()));
        m.put("pool_exhausted", sumOverWorkers(w -> w.appLayer().reassembler().poolExhausted()));
        m.put("midstream_pickups", sumOverWorkers(w -> w.appLayer().reassembler().midstreamPickups()));
        m.put("bytes_dropped_at_flow_end", sumOverWorkers(w -> w.appLayer().reassembler().bytesDroppedAtRelease()));
        return m;
    }

    public long flowsStarted() {
        return sumOverWorkers(w -> w.flowTable().flowsStarted());
    }

    public long flowEvictions() {
        return sumOverWorkers(w -> w.flowTable().evictions());
    }

    public long flowOverflows() {
        return sumOverWorkers(w -> w.flowTable().overflows());
    }

    public long activeFlows() {
        return sumOverWorkers(w -> w.flowTable().activeFlows());
    }

    /** Sum of each worker's peak: exact with one worker, an upper bound with several (peaks at different times). */
    public long peakActiveFlows() {
        return sumOverWorkers(w -> w.flowTable().peakActiveFlows());
    }

    public long flowTableBytes() {
        return sumOverWorkers(w -> w.flowTable().memoryBytes());
    }

    private long sumOverWorkers(java.util.function.ToLongFunction<FlowWorker> value) {
        long sum = 0;
        for (FlowWorker w : flowWorkers) {
            sum += value.applyAsLong(w);
        }
        return sum;
    }

    public long observations() {
        long sum = 0;
        for (DeviceShard s : deviceShards) {
            sum += s.observations();
        }
        return sum;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A bug in one handler must not stop the sensor: the event is skipped, counted and the
     * first failure kept for the summary.
     */
    private final class CountingExceptionHandler<T> implements ExceptionHandler<T> {
        @Override
        public void handleEventException(Throwable ex, long sequence, T event) {
            if (handlerErrors.getAndIncrement() == 0) {
                firstHandlerError = ex.toString();
                // A bug, not bad input: keep the trace for the report, count the rest quietly.
                System.err.println("vigil: internal error in a pipeline handler; event skipped, further ones counted");
                ex.printStackTrace();
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            handleEventException(ex, -1, null);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            handleEventException(ex, -1, null);
        }
    }
}
