package io.vigil.sensor.capture.live;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A mirror port for live-capture tests: a veth pair whose far end lives in a network namespace of
 * the test's own, tcpreplay injecting into the far end while the sensor captures on the near end
 * through real libpcap. Names carry a random suffix (and the caller's tag), so concurrent runs and
 * other users of the machine never meet. {@link #create} skips the test with a message when not
 * root or when ip(8), tcpreplay or another named tool is missing.
 */
final class VethPair implements AutoCloseable {
    private final String ns;
    private final String near;
    private final String far;

    private VethPair(String ns, String near, String far) {
        this.ns = ns;
        this.near = near;
        this.far = far;
    }

    /**
     * Creates the pair, both ends up, IPv6 off on both so only injected packets cross it.
     *
     * @param tag   two or three letters naming the test in interface names (at most 15 characters in all)
     * @param tools tools the test needs besides ip and tcpreplay
     */
    static VethPair create(String tag, String... tools) throws IOException, InterruptedException {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "veth capture needs root: skipping");
        List<String> needed = new ArrayList<>(List.of("ip", "tcpreplay"));
        needed.addAll(List.of(tools));
        for (String tool : needed) {
            assumeTrue(TestSupport.onPath(tool), tool + " not installed: skipping");
        }
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        VethPair pair = new VethPair("vigil-" + tag + "-" + suffix, tag + "n" + suffix, tag + "f" + suffix);
        try {
            pair.setUp();
        } catch (IllegalStateException e) {
            pair.close();
            assumeTrue(false, "cannot create a network namespace and veth pair here: " + e.getMessage());
        }
        return pair;
    }

    private void setUp() throws IOException, InterruptedException {
        TestSupport.run("ip", "netns", "add", ns);
        TestSupport.run("ip", "link", "add", near, "type", "veth", "peer", "name", far);
        TestSupport.run("ip", "link", "set", far, "netns", ns);
        // No IPv6 router solicitations or MLD reports: only the replayed packets cross the pair.
        TestSupport.run("sysctl", "-q", "-w", "net.ipv6.conf." + near + ".disable_ipv6=1");
        TestSupport.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf." + far + ".disable_ipv6=1");
        TestSupport.run("ip", "link", "set", near, "up");
        TestSupport.run("ip", "netns", "exec", ns, "ip", "link", "set", far, "up");
    }

    /** The end the sensor captures on. */
    String near() {
        return near;
    }

    /** Packets the near end has received so far (the kernel's count, before libpcap). */
    long rxPackets() throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", near, "statistics", "rx_packets")).strip());
    }

    /** Runs tcpreplay on the far end with these options (rate, loop, the capture) and waits for it. */
    void inject(List<String> tcpreplayOptions) throws IOException, InterruptedException {
        List<String> replay = new ArrayList<>(List.of("ip", "netns", "exec", ns, "nice", "-n", "19", "tcpreplay", "-q",
            "-i", far));
        replay.addAll(tcpreplayOptions);
        TestSupport.run(replay.toArray(String[]::new));
    }

    /**
     * {@code vigil capture -i NEAR ARGS} as a child process while tcpreplay injects at the far end,
     * then SIGTERM (drain, flush, report), as an operator stops it. Output goes to {@code log}, a file:
     * Process.destroy() closes the parent's end of a pipe, and the report comes after it.
     *
     * @return the sensor's output (stdout and stderr)
     */
    String captureWhileInjecting(Path log, List<String> jvmOptions, List<String> captureArgs,
                                 List<String> tcpreplayOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("capture", "-i", near));
        args.addAll(captureArgs);
        Process sensor = TestSupport.sensorProcess(log, jvmOptions, args);
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            while (!Files.readString(log).contains("capturing on")) {
                assertTrue(sensor.isAlive() && System.currentTimeMillis() < deadline,
                    "sensor started capturing: " + Files.readString(log));
                Thread.sleep(100);
            }
            inject(tcpreplayOptions);
            Thread.sleep(1_000); // the last packets cross the pair and the kernel ring
        } finally {
            sensor.destroy(); // SIGTERM
            assertTrue(sensor.waitFor(90, TimeUnit.SECONDS), "sensor exits on SIGTERM");
        }
        String output = Files.readString(log);
        // The JVM ends with 128+SIGTERM after its shutdown hook let the run drain and report.
        assertTrue(sensor.exitValue() == 0 || sensor.exitValue() == 143, "exit " + sensor.exitValue() + ": " + output);
        assertTrue(output.contains("capture:"), "summary printed on SIGTERM: " + output);
        return output;
    }

    /** Deletes the namespace, which takes the far end and with it the near end. */
    @Override
    public void close() throws IOException, InterruptedException {
        TestSupport.run("sh", "-c", "ip netns del " + ns + " 2>/dev/null; ip link del " + near + " 2>/dev/null; true");
    }
}
