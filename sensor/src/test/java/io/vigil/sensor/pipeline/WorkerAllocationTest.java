package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.capture.file.CaptureFileReader;
import io.vigil.sensor.synth.ConvergedTrafficGenerator;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole per-packet path on the flow worker's thread (L2–L4 decode, flow table, TCP
 * reassembly, Modbus/BACnet/DNS parsers, observation publishing) allocates nothing per packet:
 * a second pass over the same traffic, once pools and per-flow state have warmed up, may only
 * allocate per new flow, never per packet.
 */
class WorkerAllocationTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void secondPassAllocatesNothingPerPacket() throws Exception {
        Path capture = dir.resolve("alloc.pcap");
        new ConvergedTrafficGenerator(11, 20_000).write(capture, 100_000);
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (CaptureFileReader r = CaptureFileReader.open(capture)) {
            while (r.next((data, off, cap, orig, ts, link, itf) -> {
                byte[] b = new byte[cap];
                data.get(off, b, 0, cap);
                frames.add(b);
                times.add(ts);
            })) {
                // collect
            }
        }
        Pipeline pipeline = new Pipeline(PipelineConfig.defaults(false).withRingSize(4096).withMaxFlows(1 << 16),
            i -> List.of((o, s, d) -> { }), 1, FlowEndReason.END_OF_CAPTURE);
        pipeline.start();
        long span = times.get(times.size() - 1) - times.get(0) + 1_000_000_000L;
        replay(pipeline, frames, times, 0);
        replay(pipeline, frames, times, span);
        awaitProcessed(pipeline, 2L * frames.size());
        Thread worker = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("vigil-flow")).findFirst().orElseThrow();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getThreadAllocatedBytes(worker.getId());
        replay(pipeline, frames, times, 2 * span);
        awaitProcessed(pipeline, 3L * frames.size());
        long allocated = mx.getThreadAllocatedBytes(worker.getId()) - before;
        assertTrue(pipeline.finish(60, TimeUnit.SECONDS));
        assertEquals(0, pipeline.handlerErrors());
        assertTrue(pipeline.appCounters().pdus(io.vigil.protocols.app.AppProtocol.MODBUS) > 0);
        // Per new flow a Modbus connection may allocate its transaction table; nothing per packet.
        assertTrue(allocated < 256 * 1024,
            "worker allocated " + allocated + " bytes for " + frames.size() + " packets ("
                + (double) allocated / frames.size() + " B/packet)");
    }

    private static void replay(Pipeline p, List<byte[]> frames, List<Long> times, long shift) {
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            p.publish(f, 0, f.length, f.length, times.get(i) + shift, 1, 0);
        }
    }

    private static void awaitProcessed(Pipeline p, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.packetsProcessed() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, p.packetsProcessed());
    }
}
