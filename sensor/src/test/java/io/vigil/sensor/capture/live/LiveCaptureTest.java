package io.vigil.sensor.capture.live;

import static io.vigil.sensor.TestSupport.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Live capture on the loopback interface through real libpcap; needs root (or CAP_NET_RAW). */
@Tag("live")
class LiveCaptureTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void capturesLoopbackTrafficThroughTheWholePipeline() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
            "live capture needs root: skipping");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path stats = dir.resolve("live.json");
        int datagrams = 500;
        CompletableFuture<CliResult> run = CompletableFuture.supplyAsync(() -> TestSupport.vigil("capture", "-i", "lo",
            "--bpf", "udp and dst port " + port, "--duration", "5", "--stats-json", stats.toString()));
        Thread.sleep(2_000);
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket receiver = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            byte[] payload = new byte[100];
            for (int i = 0; i < datagrams; i++) {
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                if (i % 50 == 0) {
                    Thread.sleep(5);
                }
            }
        }
        CliResult r = run.get(30, TimeUnit.SECONDS);
        assumeTrue(!r.err().contains("cannot open interface") && !r.err().contains("cannot load libpcap"),
            "libpcap unusable here: " + r.err());
        assertEquals(0, r.exitCode(), r.err());
        String json = Files.readString(stats);
        long captured = jsonLong(json, "packets");
        long drops = jsonLong(json, "ring_drops") + jsonLong(json, "kernel_drops");
        assertEquals(datagrams, captured + drops, "every datagram captured or counted as dropped: " + json);
        assertEquals(jsonLong(json, "packets"), jsonLong(json, "packets_processed") + jsonLong(json, "ring_drops"));
        assertEquals(1, jsonLong(json, "flows"), "one UDP conversation: " + json);
        assertTrue(json.contains("\"name\":\"lo\""), json);
        assertTrue(r.out().contains("capture:"), r.out());
    }

    @Test
    void unknownInterfaceIsOneLineError() {
        CliResult r = TestSupport.vigil("capture", "-i", "no-such-if0", "--duration", "1");
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("vigil: ") && !err.contains("\n"), err);
        assertTrue(err.contains("no-such-if0") || err.contains("libpcap"), err);
    }
}
