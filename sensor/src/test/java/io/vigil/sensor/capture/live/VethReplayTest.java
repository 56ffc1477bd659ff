package io.vigil.sensor.capture.live;

import static io.vigil.sensor.TestSupport.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture as on a mirror port: a veth pair whose far end lives in a network namespace of
 * this test's own, tcpreplay injecting the shipped scenario into the far end, the sensor capturing
 * on the near end through real libpcap. At a rate it keeps up with, it must decode exactly what
 * an offline replay of the same packets decodes; flooded, every packet that reached the interface
 * must be either processed or counted as dropped (kernel or ring), never silently lost. Needs root,
 * ip(8), tcpreplay and editcap; skips with a message elsewhere.
 */
@Tag("live")
class VethReplayTest {
    private static final int PACKETS = 20_000;
    private static VethPair veth;

    @TempDir
    Path dir;

    @BeforeAll
    static void createVethPair() throws Exception {
        veth = VethPair.create("vg", "editcap");
    }

    @AfterAll
    static void removeVethPair() throws Exception {
        if (veth != null) {
            veth.close();
        }
    }

    private Path firstPackets() throws Exception {
        Path scenario = TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap");
        Path first = dir.resolve("first.pcap");
        TestSupport.run("editcap", "-r", scenario.toString(), first.toString(), "1-" + PACKETS);
        return first;
    }

    @Test
    @Timeout(180)
    void atARateItKeepsUpWithLiveDecodesWhatOfflineReplayDecodes() throws Exception {
        Path first = firstPackets();
        Path offline = dir.resolve("offline.json");
        CliResult r = TestSupport.vigil("replay", "-q", "--stats-json", offline.toString(), first.toString());
        assertEquals(0, r.exitCode(), r.err());
        String expected = Files.readString(offline);

        // 5 000 packets/s with 2 KiB ring frames: ~29 000 frames of kernel buffer, seconds of slack for a cold JVM
        // on a loaded CI machine; the highest rate without drops is measured in bench/RESULTS.md, not asserted here.
        String live = capture(List.of("--snaplen", "2048"), List.of("--pps", "5000", first.toString()));
        assertEquals(PACKETS, jsonLong(live, "packets"), "every injected packet captured: " + live);
        assertEquals(0, jsonLong(live, "kernel_drops"), live);
        assertEquals(0, jsonLong(live, "ring_drops"), live);
        assertEquals(jsonLong(expected, "bytes"), jsonLong(live, "bytes"), live);
        for (String counter : List.of("ipv4", "tcp", "udp", "icmp", "arp")) {
            assertEquals(jsonLong(expected, counter), jsonLong(live, counter), counter + ": " + live);
        }
        for (String app : List.of("modbus", "bacnet", "opcua", "dns", "tls", "snmp")) {
            assertEquals(pdus(expected, app), pdus(live, app), app + " PDUs live as offline");
            assertTrue(pdus(live, app) > 0 || app.equals("snmp"), app + " seen: " + live);
        }
    }

    @Test
    @Timeout(180)
    void floodedEveryPacketIsProcessedOrCountedAsDropped() throws Exception {
        Path first = firstPackets();
        long before = veth.rxPackets();
        String live = capture(List.of("--buffer-mb", "1", "--ring-size", "1024"),
            List.of("--topspeed", "--loop", "10", first.toString()));
        long arrived = veth.rxPackets() - before;
        long captured = jsonLong(live, "packets");
        long kernel = jsonLong(live, "kernel_drops");
        long ring = jsonLong(live, "ring_drops");
        assertEquals(arrived, captured + kernel, "what reached " + veth.near() + " was captured or counted by the kernel: " + live);
        assertEquals(captured, jsonLong(live, "packets_processed") + ring, "captured = processed + ring drops: " + live);
        System.out.printf("veth flood: %,d packets arrived, %,d processed, %,d kernel drops, %,d ring drops%n",
            arrived, jsonLong(live, "packets_processed"), kernel, ring);
    }

    private static long pdus(String stats, String app) {
        int at = stats.indexOf("\"" + app + "\":{");
        return at < 0 ? -1 : jsonLong(stats.substring(at), "pdus");
    }

    /** Captures on the near end while tcpreplay injects at the far end; returns the run's --stats-json. */
    private String capture(List<String> sensorOptions, List<String> replayOptions) throws Exception {
        Path stats = dir.resolve("live-" + System.nanoTime() + ".json");
        List<String> args = new ArrayList<>(List.of("--stats-json", stats.toString()));
        args.addAll(sensorOptions);
        veth.captureWhileInjecting(dir.resolve("sensor-" + System.nanoTime() + ".txt"),
            List.of("-Xmx1g", "-XX:+UseParallelGC"), args, replayOptions);
        return Files.readString(stats);
    }
}
