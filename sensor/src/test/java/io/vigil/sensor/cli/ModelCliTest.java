package io.vigil.sensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import io.vigil.sensor.model.ModelFile;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.synth.ConvergedTrafficGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
    static void capturesAndTheModelLearnedOnA() throws Exception {
        a = dir.resolve("a.pcap");
        b = dir.resolve("b.pcap");
        ab = dir.resolve("ab.pcap");
        SplitSiteCaptures site = new SplitSiteCaptures();
        long lastA = site.write(a, b, ab);
        packetsInA = site.packetsInA();
        // Learning covers A up to and including its last packet.
        learnUntil = new BigDecimal(lastA + 1).movePointLeft(9).toPlainString();
        Run learn = vigil("replay", "--save-model", file("model.bin"), a.toString());
        assertEquals(0, learn.exit, learn.output);
        assertTrue(learn.output.contains("vigil: saved model " + file("model.bin") + ": 17 devices, "), learn.output);
    }

    @Test
    void learningOnAThenDetectingOnBInANewProcessMatchesOneRunOverBoth() throws Exception {
        Run single = vigil("replay", "--learn-until", learnUntil, "--min-surprise", "4", "--alerts", file("single.jsonl"),
            "--inventory", file("single-inventory.jsonl"), ab.toString());
        assertEquals(0, single.exit, single.output);
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

    @Test
    void aModelSavedWithOneShardLoadsIntoTwoAndDetectsTheSame() throws Exception {
        Run single = vigil("replay", "--device-shards", "2", "--learn-until", learnUntil, "--min-surprise", "4",
            "--alerts", file("single2.jsonl"), "--inventory", file("single2-inventory.jsonl"), ab.toString());
        assertEquals(0, single.exit, single.output);
        Run detect = vigil("replay", "--device-shards", "2", "--load-model", file("model.bin"), "--min-surprise", "4",
            "--alerts", file("split2.jsonl"), "--inventory", file("split2-inventory.jsonl"), b.toString());
        assertEquals(0, detect.exit, detect.output);
        assertTrue(detect.output.contains("with 1 shard"), detect.output);

        // Two shards write alerts concurrently: the same lines, in an order of their own.
        List<String> expected = new ArrayList<>(Files.readAllLines(dir.resolve("single2.jsonl")));
        List<String> actual = framesShifted(Files.readAllLines(dir.resolve("split2.jsonl")), packetsInA);
        assertTrue(expected.size() >= 5, "B raises alerts: " + expected);
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual);
        assertEquals(Files.readAllLines(dir.resolve("single2-inventory.jsonl")),
            Files.readAllLines(dir.resolve("split2-inventory.jsonl")));
    }

    @Test
    void aDamagedForeignOrNewerModelIsOneLineAndExitTwo() throws IOException {
        byte[] model = Files.readAllBytes(dir.resolve("model.bin"));
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(model, model.length - 100));
        Path corrupt = dir.resolve("corrupt.bin");
        byte[] flipped = model.clone();
        flipped[model.length / 2] ^= 0x10;
        Files.write(corrupt, flipped);
        Path newer = dir.resolve("newer.bin");
        byte[] future = model.clone();
        ByteBuffer.wrap(future).putInt(8, ModelFile.FORMAT_VERSION + 1);
        Files.write(newer, future);
        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, Arrays.copyOf(model, 12));

        assertLoadFails(truncated, "truncated (" + (model.length - 100) + " of " + model.length + " bytes)");
        assertLoadFails(corrupt, "corrupt (checksum mismatch)");
        assertLoadFails(newer, "written by a newer vigil (model format " + (ModelFile.FORMAT_VERSION + 1));
        assertLoadFails(tiny, "truncated (12 bytes, shorter than the header)");
        assertLoadFails(a, "not a vigil model file");
        assertLoadFails(dir.resolve("absent.bin"), "no such file");
    }

    private static void assertLoadFails(Path model, String reason) {
        CliResult r = TestSupport.vigil("replay", "--load-model", model.toString(), b.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("vigil: cannot load model " + model + ": " + reason), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.out().isEmpty(), "nothing was run: " + r.out());
    }

    @Test
    void sigtermDuringAReplaySavesTheModelAfterTheDrain() throws Exception {
        Path capture = dir.resolve("slow.pcap");
        new ConvergedTrafficGenerator(5, 200).write(capture, 12_000);
        Path model = dir.resolve("interrupted.bin");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-cp", System.getProperty("java.class.path"), VigilMain.class.getName(), "replay", "--max-flows",
            "4096", "--max-devices", "1024", "--speed", "1x", "--save-model", model.toString(), capture.toString()));
        Path out = dir.resolve("sigterm-out.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        // Signal once the process has certainly started replaying: twice a measured start, plus two seconds.
        Thread.sleep(2 * TestSupport.processStartMillis() + 2_000);
        assertTrue(p.isAlive(), "still replaying");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits after SIGTERM");
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(output.contains("interrupted") && output.contains("vigil: saved model " + model), output);
        SavedModel saved = ModelFile.read(model);
        assertTrue(saved.devices().size() > 10, "devices seen before the signal: " + saved.devices().size());
        assertTrue(saved.learning().lastLearnedNanos() > saved.learning().startNanos(), saved.learning().text());
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
