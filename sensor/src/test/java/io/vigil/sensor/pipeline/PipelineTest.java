package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.baseline.DeviceInventory;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.stats.RunSummary;
import io.vigil.sensor.synth.ConvergedTrafficGenerator;
import io.vigil.sensor.synth.FrameBuilder;
import io.vigil.protocols.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
    @TempDir
    static Path dir;
    static Path capture;
    static long packets;

    @BeforeAll
    static void generate() throws IOException {
        capture = dir.resolve("converged.pcap");
        packets = new ConvergedTrafficGenerator(9, 5_000).write(capture, 60_000);
    }

    /** Counts flows and remembers each flow's identity, from any shard. */
    private static final class FlowCollector implements ObservationHandler {
        final Set<String> ended = java.util.Collections.synchronizedSet(new HashSet<>());
        final AtomicLong starts = new AtomicLong();
        final AtomicLong packets = new AtomicLong();
        final Set<String> threads = java.util.Collections.synchronizedSet(new HashSet<>());

        @Override
        public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
            threads.add(Thread.currentThread().getName());
            // Count each flow once: on the shard that owns its client.
            if (!ownsSource) {
                return;
            }
            if (o.type == ObservationType.FLOW_START) {
                starts.incrementAndGet();
            } else if (o.type == ObservationType.FLOW_END) {
                packets.addAndGet(o.packetsToServer + o.packetsToClient);
                ended.add(o.vlan + " " + o.ipProto + " " + o.srcIpLo + ":" + o.srcPort + " " + o.dstIpLo + ":"
                    + o.dstPort + " " + o.firstSeenNanos);
            }
        }
    }

    private record Outcome(long packets, long flows, Set<String> flowSet, long flowPackets, long devices,
                           Set<String> names, Set<String> modelThreads, long handlerErrors, long modelStarts) {
    }

    private static Outcome run(int workers, int shards) throws Exception {
        return run(PipelineConfig.defaults(false).withFlowWorkers(workers).withDeviceShards(shards), null);
    }

    /** Replays the capture; a non-null {@code failing} handler runs first on every shard. */
    private static Outcome run(PipelineConfig base, ObservationHandler failing) throws Exception {
        // 65 536 flows a worker: ample for the capture (no evictions; asserted below), and three
        // workers with the default 1 M-flow tables took ~600 MB of the test fork's 1 GB heap.
        PipelineConfig config = base.withRingSize(1024).withMaxFlows(1 << 16);
        FlowCollector collector = new FlowCollector();
        List<DeviceInventory> inventories = new ArrayList<>();
        Pipeline pipeline = new Pipeline(config, i -> {
            DeviceInventory inv = new DeviceInventory(10_000);
            synchronized (inventories) {
                inventories.add(inv);
            }
            return failing == null ? List.of(inv, collector) : List.of(failing, inv, collector);
        }, 1, FlowEndReason.END_OF_CAPTURE);
        pipeline.start();
        FileReplay replay = new FileReplay(pipeline, ReplaySpeed.MAX, () -> false);
        replay.replay(List.of(capture));
        assertTrue(pipeline.finish(60, TimeUnit.SECONDS));
        long devices = inventories.stream().mapToLong(i -> i.table().size()).sum();
        Set<String> names = new HashSet<>();
        for (DeviceInventory inv : inventories) {
            for (var d : inv.table().devices()) {
                if (d.name() != null) {
                    names.add(d.id() + "=" + d.name() + "/" + d.nameSource());
                }
            }
        }
        assertEquals(0, pipeline.flowEvictions(), "the tables are large enough for the capture");
        return new Outcome(pipeline.packetsProcessed(), pipeline.flowsStarted(), collector.ended,
            collector.packets.get(), devices, names, collector.threads, pipeline.handlerErrors(), collector.starts.get());
    }

    @Test
    void deviceModelsOnTheFlowThreadSeeWhatTheirOwnThreadSees() throws Exception {
        Outcome inline = run(PipelineConfig.defaults(false), null);
        Outcome own = run(PipelineConfig.defaults(false).withOwnDeviceThread(true), null);
        assertEquals(Set.of("vigil-flow-0"), inline.modelThreads(), "one worker, one shard: no device thread");
        assertEquals(Set.of("vigil-device-0"), own.modelThreads());
        assertEquals(packets, inline.packets());
        assertEquals(own.flows(), inline.flows());
        assertEquals(inline.flows(), inline.flowSet().size(), "every started flow ended exactly once");
        assertEquals(own.flowSet(), inline.flowSet());
        assertEquals(own.flowPackets(), inline.flowPackets());
        assertEquals(own.devices(), inline.devices());
        assertEquals(own.names(), inline.names(), "the same observations in the same order");
    }

    @Test
    void aFailingModelOnTheFlowThreadCostsOnlyItsObservation() throws Exception {
        AtomicLong thrown = new AtomicLong();
        ObservationHandler failing = (o, s, d) -> {
            if (o.type == ObservationType.FLOW_START && (o.srcPort & 7) == 0) {
                thrown.incrementAndGet();
                throw new IllegalStateException("a model bug");
            }
        };
        Outcome healthy = run(PipelineConfig.defaults(false), null);
        Outcome hurt = run(PipelineConfig.defaults(false), failing);
        assertTrue(thrown.get() > 0);
        assertEquals(thrown.get(), hurt.handlerErrors(), "every failure counted");
        assertEquals(packets, hurt.packets(), "no packet lost to a model's failure");
        assertEquals(healthy.flowSet(), hurt.flowSet(), "the flows' ends, on observations that did not fail");
        assertEquals(healthy.modelStarts() - thrown.get(), hurt.modelStarts(),
            "the models after the failing one missed exactly the failing observations");
    }

    @Test
    void shardingChangesNothingButTheThreads() throws Exception {
        Outcome one = run(1, 1);
        assertEquals(packets, one.packets());
        assertEquals(one.flows(), one.flowSet().size(), "every started flow ended exactly once");
        Outcome many = run(3, 2);
        assertEquals(one.packets(), many.packets());
        assertEquals(one.flows(), many.flows());
        assertEquals(one.flowSet(), many.flowSet(), "the same flows, whichever worker kept them");
        assertEquals(one.flowPackets(), many.flowPackets());
        assertEquals(one.devices(), many.devices(), "each device counted by exactly one shard");
        // Names: the last DNS answer wins, so compare with the same single worker (the same order of answers).
        Outcome twoShards = run(1, 2);
        assertFalse(one.names().isEmpty(), "the capture names servers in DNS answers");
        assertEquals(one.names(), twoShards.names(), "a DNS answer names devices whichever shard owns them");
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aBatchOfMoreObservationsThanTheirRingHoldsGoesThrough() throws Exception {
        for (boolean ownDeviceThread : new boolean[] {true, false}) {
            PipelineConfig config = new PipelineConfig(1024, 1, 1, 1024, 1024, false,
                io.vigil.protocols.flow.FlowTimeouts.defaults(), 64, ownDeviceThread);
            FlowCollector collector = new FlowCollector();
            Pipeline pipeline = new Pipeline(config, i -> List.of(collector), 1, FlowEndReason.END_OF_CAPTURE);
            FrameBuilder f = new FrameBuilder();
            int frames = 300;
            // Published before the worker starts, so it takes all of them as one batch: 300 new flows,
            // 300 observations for a 64-slot ring, which must be published before the ring fills.
            for (int i = 0; i < frames; i++) {
                f.udp(1, 2, 0, 0x0A000001, 0x0A000002, 10_000 + i, 53, null, 20);
                assertTrue(pipeline.publish(f.buffer(), 0, f.length(), f.length(), 1_000_000_000L + i,
                    LinkType.ETHERNET, 0));
            }
            pipeline.start();
            assertTrue(pipeline.finish(30, TimeUnit.SECONDS), "drained, own device thread: " + ownDeviceThread);
            assertEquals(frames, pipeline.packetsProcessed());
            assertEquals(frames, collector.starts.get(), "every flow reached the models");
        }
    }

    @Test
    void fullRingDropsAndCountsInsteadOfBlockingCapture() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ObservationHandler stuck = (o, s, d) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        PipelineConfig config = new PipelineConfig(64, 1, 1, 1024, 1024, true,
            io.vigil.protocols.flow.FlowTimeouts.defaults(), 64, false);
        Pipeline pipeline = new Pipeline(config, i -> List.of(stuck), 1, FlowEndReason.END_OF_CAPTURE);
        pipeline.start();
        FrameBuilder f = new FrameBuilder();
        int published = 0;
        int offered = 5_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < offered; i++) {
            // A new UDP flow per frame: each one is an observation, so the stuck model backs everything up.
            f.udp(1, 2, 0, 0x0A000001, 0x0A000002, 10_000 + i, 53, null, 20);
            if (pipeline.publish(f.buffer(), 0, f.length(), f.length(), 1_000_000_000L + i, LinkType.ETHERNET, 0)) {
                published++;
            }
        }
        long publishMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(published < offered, "a stuck consumer must make the ring overflow");
        assertEquals(offered - published, pipeline.ringDrops(), "every dropped frame is counted");
        assertTrue(publishMillis < 30_000, "publishing never blocked on the stuck consumer");
        release.countDown();
        assertTrue(pipeline.finish(30, TimeUnit.SECONDS));
        assertEquals(published, pipeline.packetsProcessed(), "everything accepted is processed");
    }

    @Test
    void stopRequestFlushesWhatWasRead() throws Exception {
        RunSummary summary = new RunSummary();
        try (SensorSession session = new SensorSession(PipelineConfig.defaults(false), null, 1,
            FlowEndReason.SHUTDOWN)) {
            session.start();
            AtomicLong polls = new AtomicLong();
            // Stop after a few thousand packets, as a SIGINT would.
            FileReplay replay = new FileReplay(session.pipeline(), ReplaySpeed.MAX, () -> polls.incrementAndGet() > 3);
            replay.replay(List.of(capture));
            session.finish(summary);
            assertTrue(replay.packets() < packets, "stopped early");
            assertEquals(replay.packets(), summary.packetsProcessed, "every packet read was processed");
            assertEquals(0, summary.flowsActiveAtEnd, "flows flushed on stop");
            assertFalse(summary.flows == 0);
        }
    }
}
