package io.vigil.sensor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.cli.VigilMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code vigil capture -i lo --http-port 0} as a real process: ready while it captures, libpcap's drop
 * counters per interface, and our own scrapes counted as captured loopback traffic. Needs root.
 */
class LiveCaptureMetricsTest {
    private static final Pattern URL = Pattern.compile("metrics and health on (http://\\S+) ");

    @Test
    @Timeout(300)
    void readyWhileCapturingWithKernelDropsPerInterface() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "live capture needs root: skipping");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
            VigilMain.class.getName(), "capture", "-i", "lo", "--http-port", "0"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String base = null;
            StringBuilder seen = new StringBuilder();
            for (String line; (line = err.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = URL.matcher(line);
                if (m.find()) {
                    base = m.group(1);
                }
                if (line.contains("capturing on lo")) {
                    break;
                }
            }
            assumeTrue(base != null && !seen.toString().contains("cannot open interface"),
                "libpcap cannot capture here: " + seen);
            HttpResponse<String> ready = Http.get(base + "/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("ready\n", ready.body());
            Exposition e = Exposition.parse(Http.get(base + "/metrics").body());
            assertEquals(1, (long) e.value("vigil_ready"));
            assertTrue(e.value("vigil_kernel_drops_total{interface=\"lo\"}") >= 0);
            assertTrue(e.value("vigil_interface_drops_total{interface=\"lo\"}") >= 0);
            assertEquals("counter", e.type.get("vigil_kernel_drops_total"));
        } finally {
            p.destroy(); // SIGTERM: drains and reports
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "exits after SIGTERM");
        }
    }
}
