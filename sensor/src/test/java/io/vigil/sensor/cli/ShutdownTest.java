package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.synth.ConvergedTrafficGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensor as a real process: SIGTERM (what systemd and Ctrl-C's cousin send) in the middle of a
 * paced replay must drain the ring, flush every flow and still print and write the summary.
 */
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void sigtermDrainsFlushesAndReports() throws Exception {
        Path capture = dir.resolve("slow.pcap");
        // 60 s of capture time at 1x: the process is certainly still replaying when it is stopped.
        new ConvergedTrafficGenerator(5, 200).write(capture, 12_000);
        Path stats = dir.resolve("stats.json");
        Path flows = dir.resolve("flows.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            VigilMain.class.getName(), "replay", "--speed", "1x", "--stats-json", stats.toString(), "--flows",
            flows.toString(), capture.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.txt").toFile())
            .start();
        // Signal once the process has certainly started replaying: twice a measured start, plus two seconds.
        Thread.sleep(2 * TestSupport.processStartMillis() + 2_000);
        assertTrue(p.isAlive(), "still replaying");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits after SIGTERM");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertTrue(out.contains("replay:"), "summary printed on SIGTERM: " + out);
        assertTrue(out.contains("interrupted"), out);
        String json = Files.readString(stats);
        long packets = jsonLong(json, "packets");
        assertTrue(packets > 0 && packets < 12_000, json);
        assertEquals(packets, jsonLong(json, "packets_processed"), "the ring was drained: " + json);
        assertEquals(0, jsonLong(json, "flows_active_at_end"), json);
        assertEquals(jsonLong(json, "flows"), Files.readAllLines(flows).size(), "every flow flushed to the log");
    }
}
