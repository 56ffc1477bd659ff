package io.vigil.sensor.metrics;

import static io.vigil.sensor.TestSupport.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import io.vigil.sensor.cli.VigilMain;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Mistakes with the HTTP options are one-line usage errors, like every other option's. */
class HttpOptionsTest {
    private static final String CAPTURE = TestSupport.repoRoot().resolve("pcaps/l2l4/arp-icmp.pcap").toString();

    private static void assertUsageError(CliResult r, String expected) {
        assertEquals(VigilMain.EXIT_USAGE, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("vigil: ") && err.contains(expected), err);
    }

    @Test
    void lingerNeedsAPort() {
        assertUsageError(vigil("replay", "--http-linger", "5", CAPTURE), "--http-linger needs --http-port");
    }

    @Test
    void portOutOfRange() {
        assertUsageError(vigil("replay", "--http-port", "70000", CAPTURE), "between 0 and 65535");
    }

    @Test
    void metricsWindowOutOfRange() {
        assertUsageError(vigil("replay", "--http-port", "0", "--metrics-window", "0", CAPTURE),
            "--metrics-window must be between 1 and 86400 seconds, got 0");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertUsageError(vigil("replay", "--http-port", String.valueOf(taken.getLocalPort()), CAPTURE),
                "--http-port: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void withoutThePortNothingListensAndTheReplayIsUnchanged() {
        CliResult r = vigil("replay", CAPTURE);
        assertEquals(VigilMain.EXIT_OK, r.exitCode(), r.err());
        assertFalse(r.err().contains("metrics and health on"), r.err());
    }
}
