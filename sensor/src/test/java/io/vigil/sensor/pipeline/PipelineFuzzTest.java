package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.app.AppCounters;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.capture.file.CaptureFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through the whole sensor path at once: frames from the project's own captures
 * (Modbus, BACnet, TLS, DNS, tunnels, fragments, VLANs) mutated at random and replayed through
 * decode, flows, TCP reassembly and the application parsers. Nothing may throw (a thrown
 * exception is counted as a handler error), every frame must be processed, and what fails to
 * parse must show up in the malformed counters rather than disappear.
 */
class PipelineFuzzTest {
    private static final int CASES = 150_000;

    private static List<byte[]> seeds() throws Exception {
        List<Path> files = new ArrayList<>();
        Path root = TestSupport.repoRoot().resolve("pcaps");
        files.add(root.resolve("demo/converged-dc.pcap"));
        try (var s = Files.list(root.resolve("l2l4"))) {
            s.filter(f -> f.toString().endsWith(".pcap")).sorted().forEach(files::add);
        }
        List<byte[]> frames = new ArrayList<>();
        for (Path f : files) {
            try (CaptureFileReader r = CaptureFileReader.open(f)) {
                while (r.next((data, off, cap, orig, ts, link, itf) -> {
                    if (link == 1) {
                        byte[] b = new byte[cap];
                        data.get(off, b, 0, cap);
                        frames.add(b);
                    }
                })) {
                    // collect
                }
            }
        }
        return frames;
    }

    @Test
    void mutatedFramesNeverBreakThePipeline() throws Exception {
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() > 1000, "seed frames: " + seeds.size());
        Pipeline pipeline = new Pipeline(PipelineConfig.defaults(false).withRingSize(4096).withMaxFlows(4096),
            i -> List.of((o, s, d) -> { }), 1, FlowEndReason.END_OF_CAPTURE);
        pipeline.start();
        SplittableRandom random = new SplittableRandom(20261125);
        long ts = 1_700_000_000_000_000_000L;
        for (int i = 0; i < CASES; i++) {
            byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
            ts += 1 + random.nextInt(2_000_000);
            pipeline.publish(frame, 0, frame.length, frame.length, ts, 1, 0);
        }
        assertTrue(pipeline.finish(120, TimeUnit.SECONDS), "drained");
        assertEquals(0, pipeline.handlerErrors(), "first failure: " + pipeline.firstHandlerError());
        assertEquals(CASES, pipeline.packetsProcessed());
        AppCounters app = pipeline.appCounters();
        assertTrue(pipeline.decodeCounters().malformedTotal() + pipeline.decodeCounters().truncatedTotal() > 0,
            "mutations must show up as malformed or truncated frames");
        assertTrue(app.pdus(AppProtocol.MODBUS) > 0 && app.pdus(AppProtocol.BACNET) > 0,
            "the mutated stream still carries parseable PDUs");
        assertTrue(app.malformed(AppProtocol.MODBUS) + app.malformed(AppProtocol.BACNET) > 0,
            "malformed PDUs are counted per protocol");
    }

    /** Byte flips, overwrites with boundary values, truncation and extension, or the frame as is. */
    private static byte[] mutate(byte[] seed, SplittableRandom r) {
        int kind = r.nextInt(6);
        byte[] b = seed.clone();
        switch (kind) {
            case 0:
                return b;
            case 1:
                for (int n = 1 + r.nextInt(4); n > 0; n--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 2:
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    int[] hostile = {0x00, 0xFF, 0x7F, 0x80, 0x01};
                    b[r.nextInt(b.length)] = (byte) hostile[r.nextInt(hostile.length)];
                }
                return b;
            case 3:
                return Arrays.copyOf(b, 1 + r.nextInt(b.length));
            case 4:
                byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt(256);
                }
                return longer;
            default:
                // Corrupt the application payload region only, where parsers live.
                int from = Math.min(b.length - 1, 54);
                for (int i = from; i < b.length; i++) {
                    if (r.nextInt(8) == 0) {
                        b[i] = (byte) r.nextInt(256);
                    }
                }
                return b;
        }
    }
}
