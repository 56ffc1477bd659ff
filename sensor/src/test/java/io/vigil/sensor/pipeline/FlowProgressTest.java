package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.LinkType;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.FlowProgress;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.synth.FrameBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 10 MB upload over one TCP connection, through the real flow workers: it is reported while it
 * runs (at 1 MiB and 8 MiB), and the progress and end observations together count each byte once.
 */
class FlowProgressTest {
    private static final int CLIENT = 10 << 24 | 10 << 16 | 1 << 8 | 23;
    private static final int SERVER = 203 << 24 | 113 << 8 | 9;

    @Test
    void aLongUploadReportsItsProgressAndEachByteOnce() throws Exception {
        List<Observation> seen = new ArrayList<>();
        ObservationHandler keep = (o, src, dst) -> {
            if (src && o.type != ObservationType.FLOW_START) {
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
        FrameBuilder f = new FrameBuilder();
        byte[] payload = new byte[1400];
        long t = 1_700_000_000_000_000_000L;
        long seq = 1000;
        f.tcp(1, 2, 0, CLIENT, SERVER, 50000, 443, seq, 0, 0x02, null, 0);
        p.publish(f.buffer(), 0, f.length(), f.length(), t, LinkType.ETHERNET, 0);
        f.tcp(2, 1, 0, SERVER, CLIENT, 443, 50000, 5000, seq + 1, 0x12, null, 0);
        p.publish(f.buffer(), 0, f.length(), f.length(), t + 1000, LinkType.ETHERNET, 0);
        seq++;
        for (int i = 0; i < 7200; i++) {
            f.tcp(1, 2, 0, CLIENT, SERVER, 50000, 443, seq, 5001, 0x18, payload, payload.length);
            p.publish(f.buffer(), 0, f.length(), f.length(), t + 1_000_000L * (i + 2), LinkType.ETHERNET, 0);
            seq += payload.length;
        }
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> progress = seen.stream().filter(o -> o.type == ObservationType.FLOW_PROGRESS).toList();
        assertEquals(2, progress.size(), seen.toString());
        assertEquals(FlowProgress.threshold(1), progress.get(0).bytesToServer);
        assertEquals(0, progress.get(0).reportedBytesToServer);
        assertEquals(FlowProgress.threshold(2), progress.get(1).bytesToServer);
        assertEquals(FlowProgress.threshold(1), progress.get(1).reportedBytesToServer);
        assertEquals(0, progress.get(1).bytesToClient - progress.get(1).reportedBytesToClient, "nothing new downstream");
        assertTrue(progress.get(0).timestampNanos < progress.get(1).timestampNanos);
        assertEquals("10.10.1.23", io.vigil.protocols.IpAddresses.toString(progress.get(0).srcIpHi,
            progress.get(0).srcIpLo), "src is the client");

        Observation end = seen.stream().filter(o -> o.type == ObservationType.FLOW_END).findFirst().orElseThrow();
        assertEquals(FlowProgress.threshold(2), end.reportedBytesToServer);
        long counted = 0;
        for (Observation o : progress) {
            counted += o.bytesToServer - o.reportedBytesToServer;
        }
        counted += end.bytesToServer - end.reportedBytesToServer;
        assertEquals(end.bytesToServer, counted, "progress and end together count every byte once");
        assertTrue(end.bytesToServer > 7200 * 1400L);
    }

    @Test
    void levelsGrowEightfold() {
        assertEquals(0, FlowProgress.threshold(0));
        assertEquals(1L << 20, FlowProgress.threshold(1));
        assertEquals(64L << 20, FlowProgress.threshold(3));
        assertEquals(0, FlowProgress.levelOf((1L << 20) - 1));
        assertEquals(2, FlowProgress.levelOf(9L << 20));
        assertEquals(FlowProgress.MAX_LEVEL, FlowProgress.levelOf(Long.MAX_VALUE));
    }
}
