package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.jsonLong;
import static io.vigil.sensor.TestSupport.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import io.vigil.sensor.synth.ConvergedTrafficGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    /** Asked for 20 000; the generator completes its last exchange, so a few more. */
    private static long packets;

    @TempDir
    static Path dir;
    static Path capture;

    @BeforeAll
    static void generate() throws IOException {
        capture = dir.resolve("converged.pcap");
        packets = new ConvergedTrafficGenerator(42, 2_000).write(capture, 20_000);
    }

    private static void assertOneLineError(CliResult r, int code, String expected) {
        assertEquals(code, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "error must be one line: " + err);
        assertFalse(err.contains("Exception"), "no stack trace or exception class for a user error: " + err);
        assertTrue(err.startsWith("vigil: "), err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        assertOneLineError(vigil("replay", "--bogus", capture.toString()), 2, "Unknown option: '--bogus'");
        assertOneLineError(vigil("capture", "-i", "lo", "--nope"), 2, "Unknown option: '--nope'");
        assertOneLineError(vigil("frobnicate"), 2, "frobnicate");
    }

    @Test
    void missingOrUnreadableFileIsOneLineAndExitTwo() {
        assertOneLineError(vigil("replay", dir.resolve("absent.pcap").toString()), 2,
            "cannot read capture file " + dir.resolve("absent.pcap") + ": no such file");
        assertOneLineError(vigil("decode", dir.resolve("absent.pcap").toString()), 2, "no such file");
        assertOneLineError(vigil("replay", dir.toString()), 2, "is a directory");
        assertOneLineError(vigil("replay", "--speed", "fast", capture.toString()), 2, "invalid speed 'fast'");
        assertOneLineError(vigil("replay", "--ring-size", "1000", capture.toString()), 2, "power of two");
        assertOneLineError(vigil("replay", "--kafka-assets-topic", "site assets", capture.toString()), 2,
            "--kafka-assets-topic: 'site assets' is not a Kafka topic name");
        assertOneLineError(vigil("alerts"), 2, "Missing required option: '--kafka=BOOTSTRAP'");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("replay", "capture", "decode", "alerts")) {
            CliResult r = vigil(cmd, "--help");
            assertEquals(0, r.exitCode(), cmd);
            assertTrue(r.out().contains("Usage: vigil " + cmd), r.out());
        }
        CliResult top = vigil("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("replay") && top.out().contains("capture") && top.out().contains("decode"));
    }

    @Test
    void replayWritesStatisticsJson() throws IOException {
        Path stats = dir.resolve("stats.json");
        Path flows = dir.resolve("flows.jsonl");
        CliResult r = vigil("replay", "--stats-json", stats.toString(), "--flows", flows.toString(),
            capture.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("replay: 20,"), r.out());
        String json = Files.readString(stats);
        assertEquals(packets, jsonLong(json, "packets"));
        assertEquals(packets, jsonLong(json, "packets_processed"));
        assertEquals(Files.size(capture) - 24 - 16L * packets, jsonLong(json, "bytes"));
        assertEquals(0, jsonLong(json, "malformed"));
        assertEquals(0, jsonLong(json, "truncated"));
        assertEquals(0, jsonLong(json, "ring_drops"));
        assertEquals(0, jsonLong(json, "flows_active_at_end"), "every flow is flushed at the end of a replay");
        long flowCount = jsonLong(json, "flows");
        assertTrue(flowCount > 1000, json);
        List<String> lines = Files.readAllLines(flows);
        assertEquals(flowCount, lines.size(), "one flow record per flow");
        // The generator's hosts: 200 workstations, 20 servers, 12 PLCs, 3 HMIs, 16 BACnet controllers = 251
        // addresses; three servers also talk on a second VLAN (backup on 20, BACnet on 40), and a device
        // is an address on a VLAN, so at most 254. A 20k-packet run touches most of them.
        long devices = jsonLong(json, "devices");
        assertTrue(devices > 200 && devices <= 254, json);
        assertTrue(jsonLong(json, "arp") > 0 && jsonLong(json, "vlan") == packets, json);
        for (String key : List.of("kernel_drops", "wall_seconds", "packets_per_second", "capture_problems")) {
            assertTrue(json.contains("\"" + key + "\""), key + " missing: " + json);
        }
    }

    @Test
    void decodePrintsOneObjectPerPacket() throws IOException {
        Path out = dir.resolve("decode.jsonl");
        CliResult r = vigil("decode", "--proto", "packet", "-o", out.toString(), capture.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(packets, lines.size());
        String first = lines.get(0);
        assertEquals(1, jsonLong(first, "frame"));
        for (String key : List.of("ts", "src_mac", "dst_mac", "vlan", "src_ip", "dst_ip", "ip_proto", "src_port",
            "dst_port", "tcp_flags", "len")) {
            assertTrue(first.contains("\"" + key + "\":"), key + " missing: " + first);
        }
        assertEquals(packets, jsonLong(lines.get(lines.size() - 1), "frame"));
        // The generator opens 36 Modbus connections first: HMI 10.30.2.10 sends a SYN to PLC 10.30.1.10:502.
        assertEquals("10.30.2.10", TestSupport.jsonString(first, "src_ip"));
        assertEquals("10.30.1.10", TestSupport.jsonString(first, "dst_ip"));
        assertEquals(502, jsonLong(first, "dst_port"));
        assertEquals(2, jsonLong(first, "tcp_flags"));
        assertEquals(30, jsonLong(first, "vlan"));
        assertEquals(6, jsonLong(first, "ip_proto"));
    }

    @Test
    void decodePrintsApplicationPdusThatReplayCounts() throws IOException {
        Path out = dir.resolve("pdus.jsonl");
        CliResult r = vigil("decode", "--proto", "modbus,bacnet", "-o", out.toString(), capture.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        long modbus = lines.stream().filter(l -> l.contains("\"proto\":\"modbus\"")).count();
        long bacnet = lines.stream().filter(l -> l.contains("\"proto\":\"bacnet\"")).count();
        assertEquals(lines.size(), modbus + bacnet, "only the protocols asked for");
        // The generator polls with FC3 and always gets an answer: requests and responses pair up.
        long requests = lines.stream().filter(l -> l.contains("\"func_code\":3,\"is_response\":false")).count();
        long responses = lines.stream().filter(l -> l.contains("\"func_code\":3,\"is_response\":true")).count();
        assertEquals(requests, responses);
        assertEquals(modbus, requests + responses);
        assertTrue(lines.stream().filter(l -> l.contains("\"is_response\":true")).allMatch(l -> l.contains("\"request_frame\"")),
            "every response matched to its request");
        Path stats = dir.resolve("pdu-stats.json");
        assertEquals(0, vigil("replay", "-q", "--stats-json", stats.toString(), capture.toString()).exitCode());
        String json = Files.readString(stats);
        String app = json.substring(json.indexOf("\"app\""));
        assertEquals(modbus, jsonLong(app.substring(app.indexOf("\"modbus\"")), "pdus"), json);
        assertEquals(bacnet, jsonLong(app.substring(app.indexOf("\"bacnet\"")), "pdus"), json);
        assertTrue(modbus > 1000 && bacnet > 500, json);
        assertOneLineError(vigil("decode", "--proto", "smtp", capture.toString()), 2, "unknown --proto 'smtp'");
    }

    @Test
    void badMagicFailsWithOffsetAndExitOne() throws IOException {
        Path bad = dir.resolve("bad.pcap");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24});
        CliResult r = vigil("replay", "-q", bad.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("bad magic"), r.err());
        assertTrue(r.err().contains("offset 0"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void truncatedCaptureKeepsPacketsBeforeTheCut() throws IOException {
        byte[] whole = Files.readAllBytes(capture);
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 7));
        Path stats = dir.resolve("cut-stats.json");
        CliResult r = vigil("replay", "--stats-json", stats.toString(), cut.toString());
        assertEquals(0, r.exitCode(), "some packets were read, so the run succeeds: " + r.err());
        String json = Files.readString(stats);
        assertEquals(packets - 1, jsonLong(json, "packets"));
        assertTrue(r.out().contains("offset"), "the problem names the byte offset: " + r.out());
        assertTrue(json.contains("offset"), json);
    }

    @Test
    void memoryMappedReadingGivesTheSameRun() throws IOException {
        Path a = dir.resolve("read.json");
        Path b = dir.resolve("mmap.json");
        assertEquals(0, vigil("replay", "-q", "--stats-json", a.toString(), capture.toString()).exitCode());
        assertEquals(0, vigil("replay", "-q", "--mmap", "--stats-json", b.toString(), capture.toString()).exitCode());
        String ja = Files.readString(a);
        String jb = Files.readString(b);
        for (String key : List.of("packets", "bytes", "flows", "devices", "malformed", "observations")) {
            assertEquals(jsonLong(ja, key), jsonLong(jb, key), key);
        }
    }

    @Test
    void severalFilesAreReplayedInOrder() throws IOException {
        Path stats = dir.resolve("two.json");
        CliResult r = vigil("replay", "-q", "--stats-json", stats.toString(), capture.toString(), capture.toString());
        assertEquals(0, r.exitCode(), r.err());
        String json = Files.readString(stats);
        assertEquals(2L * packets, jsonLong(json, "packets"));
        assertEquals(2, jsonLong(json, "files"));
    }

    @Test
    void pacedReplayHonoursTimestamps() throws IOException {
        // 2 000 packets at 20 000 packets/s of capture time = ~0.1 s; at 0.5x it must take ~0.2 s or more.
        Path small = dir.resolve("small.pcap");
        new ConvergedTrafficGenerator(3, 20_000).write(small, 2_000);
        Path stats = dir.resolve("paced.json");
        CliResult r = vigil("replay", "-q", "--speed", "0.5x", "--stats-json", stats.toString(), small.toString());
        assertEquals(0, r.exitCode(), r.err());
        String json = Files.readString(stats);
        double capture = Double.parseDouble(json.replaceAll(".*\"capture_seconds\":([0-9.]+).*", "$1").strip());
        double wall = Double.parseDouble(json.replaceAll(".*\"wall_seconds\":([0-9.]+).*", "$1").strip());
        assertTrue(wall >= capture * 2 * 0.9, "wall " + wall + " s for " + capture + " s of capture at 0.5x");
    }
}
