package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning and alerting from the command line, on the committed j2mod capture: a real Modbus master reads with
 * FC1-FC4 for 10 ms, then writes (FC5, FC6, FC15, FC16). Learning the reads and detecting from the first write gives
 * one first-write finding, in OCSF form in the file and readable on the console, whose repeats are folded into it.
 */
class AlertsCliTest {
    @TempDir
    Path dir;

    private static Path j2mod() {
        return TestSupport.repoRoot().resolve("pcaps/realstack/j2mod-modbus-502.pcap");
    }

    @Test
    void firstWriteAfterLearningTheReadsIsOneExplainedFinding() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        CliResult r = vigil("replay", "--learn", "10ms", "--alerts", alerts.toString(), j2mod().toString());
        assertEquals(0, r.exitCode(), r.err());
        String sentence = "PLC 127.0.0.1 got Modbus FC5 write to coil 4 (value 65280) from 127.0.0.1, which in 10 ms "
            + "only read with FC1, FC2, FC3 and FC4.";
        assertTrue(r.out().contains("HIGH first_write 127.0.0.1 score 70: " + sentence), r.out());
        assertTrue(r.out().contains("alerts 1"), r.out());
        List<String> lines = Files.readAllLines(alerts);
        assertEquals(2, lines.size(), "the finding, then its update with the folded repeats: " + lines);
        String created = lines.get(0);
        for (String field : List.of("\"class_uid\":2004", "\"activity_id\":1", "\"severity_id\":4", "\"risk_score\":70",
            "\"types\":[\"first_write\"]", "\"uid\":\"T0855\"", "\"desc\":\"" + sentence + "\"",
            "\"dst_endpoint\":{\"ip\":\"127.0.0.1\",\"mac\":null,\"port\":502}", "\"device\":{\"ip\":\"127.0.0.1\"",
            "\"summary\":\"modbus FC5 write coil 4 value 65280\"", "\"learned_kinds\":\"read\"")) {
            assertTrue(created.contains(field), field + " in " + created);
        }
        String uid = created.replaceAll(".*\"finding_info\":\\{\"uid\":\"([^\"]+)\".*", "$1");
        String updated = lines.get(1);
        assertTrue(updated.contains("\"activity_id\":2") && updated.contains("\"count\":4")
            && updated.contains("\"uid\":\"" + uid + "\""), updated);
    }

    @Test
    void learningTheWholeCaptureRaisesNothing() {
        CliResult r = vigil("replay", "--learn", "1h", j2mod().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("alerts 0"), r.out());
    }

    @Test
    void badLearningOptionsAreOneLineErrors() {
        String f = j2mod().toString();
        CliResult r = vigil("replay", "--learn", "soon", f);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().strip().startsWith("vigil: --learn: not a duration: 'soon'"), r.err());
        r = vigil("replay", "--alerts", dir.resolve("a.jsonl").toString(), f);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--alerts needs --learn or --learn-until"), r.err());
        r = vigil("replay", "--learn", "1h", "--learn-until", "2026-01-01T00:00:00Z", f);
        assertEquals(2, r.exitCode());
        r = vigil("replay", "--learn-until", "yesterday", f);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not a time: 'yesterday'"), r.err());
    }

    @Test
    void learnUntilAnInstantWorksLikeADuration() {
        // The capture starts at 1795620027.7637 s; its first write comes at .7743.
        CliResult r = vigil("replay", "--learn-until", "1795620027.774", "--alerts", "-", j2mod().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("{\"class_uid\":2004"), "JSON on stdout: " + r.out());
        assertTrue(r.err().contains("first_write 127.0.0.1"), "readable line on stderr: " + r.err());
    }
}
