package io.vigil.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning on one capture, saving the model, and detecting on the next capture in a new process
 * gives what one run over both captures gives, with learning ending where the first capture ends.
 * Each run is its own JVM (the real {@code vigil} process), so nothing survives between runs but
 * the model file.
 */
class ModelCliTest {
    @TempDir
    static Path dir;
    private static Path a;
    private static Path b;
    private static Path ab;
    private static String learnUntil;
    private static long packetsInA;

    @BeforeAll
    static void captures() throws IOException {
        a = dir.resolve("a.pcap");
        b = dir.resolve("b.pcap");
        ab = dir.resolve("ab.pcap");
        SplitSiteCaptures site = new SplitSiteCaptures();
        long lastA = site.write(a, b, ab);
        packetsInA = site.packetsInA();
        // Learning covers A up to and including its last packet.
        learnUntil = new BigDecimal(lastA + 1).movePointLeft(9).toPlainString();
    }

    @Test
    void learningOnAThenDetectingOnBInANewProcessMatchesOneRunOverBoth() throws Exception {
        Run single = vigil("replay", "--learn-until", learnUntil, "--min-surprise", "4", "--alerts", file("single.jsonl"),
            "--inventory", file("single-inventory.jsonl"), ab.toString());
        assertEquals(0, single.exit, single.output);

        Run learn = vigil("replay", "--save-model", file("model.bin"), a.toString());
        assertEquals(0, learn.exit, learn.output);
        assertTrue(learn.output.contains("vigil: saved model " + file("model.bin") + ": 17 devices, "), learn.output);
        Run detect = vigil("replay", "--load-model", file("model.bin"), "--min-surprise", "4", "--alerts",
            file("split.jsonl"), "--inventory", file("split-inventory.jsonl"), b.toString());
        assertEquals(0, detect.exit, detect.output);
        assertTrue(detect.output.contains("vigil: loaded model " + file("model.bin") + ": 17 devices, "), detect.output);

        List<String> expected = Files.readAllLines(dir.resolve("single.jsonl"));
        List<String> types = new ArrayList<>();
        for (String line : expected) {
            types.add(line.replaceAll(".*\"types\":\\[\"([a-z_]+)\"\\].*", "$1"));
        }
        assertTrue(types.containsAll(List.of("first_write", "new_device", "scan")), "B raises alerts: " + types);
        assertEquals(expected, framesShifted(Files.readAllLines(dir.resolve("split.jsonl")), packetsInA));
        assertEquals(Files.readAllLines(dir.resolve("single-inventory.jsonl")),
            Files.readAllLines(dir.resolve("split-inventory.jsonl")));
    }

    /**
     * Evidence names frames by their number in the capture read: B's frames come after A's in A+B.
     * Frame 0 (flow start and end observations, which no single frame carries) stays 0.
     */
    private static List<String> framesShifted(List<String> lines, long by) {
        Pattern frame = Pattern.compile("\"frame\":(\\d+)");
        List<String> shifted = new ArrayList<>();
        for (String line : lines) {
            Matcher m = frame.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                m.appendReplacement(sb, "\"frame\":" + (n == 0 ? 0 : n + by));
            }
            m.appendTail(sb);
            shifted.add(sb.toString());
        }
        return shifted;
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    private record Run(int exit, String output) {
    }

    /** The sensor in a JVM of its own, as a user runs it. */
    private static Run vigil(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-cp", System.getProperty("java.class.path"), VigilMain.class.getName()));
        command.addAll(List.of(args));
        // Small tables: the captures are small, and each JVM starts faster.
        command.addAll(1 + command.indexOf(args[0]), List.of("--max-flows", "4096", "--max-devices", "1024"));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("vigil did not finish: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
