package io.vigil.sensor;

import io.vigil.sensor.cli.VigilMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the sensor's end-to-end tests. */
public final class TestSupport {
    private TestSupport() {
    }

    /** Result of one in-process CLI run. */
    public record CliResult(int exitCode, String out, String err) {
    }

    public static CliResult vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VigilMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }

    /**
     * The sensor as a process of its own, as a user runs it (fresh JVM, its own logging set-up, the
     * Chronicle flags the launcher gives), stdout and stderr together into {@code log}.
     */
    public static Process vigilProcess(Path log, String... args) throws IOException {
        return sensorProcess(log, List.of("-Xmx512m"), List.of(args));
    }

    /** A sensor process run to its end (at most {@code timeoutSeconds}): its exit code and output. */
    public static CliResult vigilProcessRun(Path log, long timeoutSeconds, String... args)
        throws IOException, InterruptedException {
        Process p = vigilProcess(log, args);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("vigil " + String.join(" ", args) + " did not end within " + timeoutSeconds
                + " s: " + Files.readString(log));
        }
        String output = Files.readString(log);
        return new CliResult(p.exitValue(), output, output);
    }

    /** The repository root, found from the module directory surefire runs in. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with mvnw) not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** ../shared/pcaps next to the repository, or null when this machine does not have it. */
    public static Path sharedPcaps() {
        Path p = repoRoot().resolve("../shared/pcaps").normalize();
        return Files.isDirectory(p) ? p : null;
    }

    private static long processStartMillis = -1;

    /**
     * How long a sensor process takes, on this machine and under its present load, to start and
     * replay a tiny capture. Tests that signal a running process wait a multiple of it, not a fixed
     * time: a loaded 2-core CI box may need several seconds just to start a JVM.
     */
    public static synchronized long processStartMillis() throws IOException, InterruptedException {
        if (processStartMillis < 0) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.vigil.sensor.cli.VigilMain", "replay", "-q", repoRoot().resolve("pcaps/l2l4/arp-icmp.pcap").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            processStartMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        return processStartMillis;
    }

    /**
     * The sensor as a process of its own, as a user runs it: this JVM's classpath, Chronicle's flags
     * (the spool) and {@code jvmOptions}, all output to {@code log}. A file, not a pipe:
     * Process.destroy() closes the parent's pipe ends, and a SIGTERMed sensor reports after that.
     */
    public static Process sensorProcess(Path log, List<String> jvmOptions, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        for (String flag : System.getProperty("vigil.chronicle.jvm.args", "").split(" ")) {
            if (!flag.isBlank()) {
                cmd.add(flag);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(VigilMain.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool and returns its standard output; fails the test on a non-zero exit. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                + new String(err));
        }
        return new String(out);
    }

    /**
     * Checks that the section of a committed document between {@code begin} and {@code end} is
     * {@code content}, as the sensor generates it now; with {@code -Dvigil.writeDocs=true} rewrites
     * it first. Generated docs cannot drift from what they describe.
     */
    public static void assertGeneratedSection(String doc, String begin, String end, CharSequence content)
        throws IOException {
        Path file = repoRoot().resolve(doc);
        String text = Files.readString(file);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String generated = text.substring(0, from + begin.length()) + "\n" + content + text.substring(to);
        if (Boolean.getBoolean("vigil.writeDocs")) {
            Files.writeString(file, generated);
        }
        org.junit.jupiter.api.Assertions.assertEquals(generated, text,
            doc + " drifted from the sensor; rerun with -Dvigil.writeDocs=true");
    }

    /** A top-level numeric field of a flat-ish JSON object, -1 when absent. */
    public static long jsonLong(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    public static String jsonString(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    public static List<Path> captures(Path dir) throws IOException {
        List<Path> list = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                .filter(f -> {
                    String n = f.getFileName().toString();
                    return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap");
                })
                .sorted()
                .forEach(list::add);
        }
        return list;
    }
}
