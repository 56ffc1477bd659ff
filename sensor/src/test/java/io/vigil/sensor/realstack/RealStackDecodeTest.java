package io.vigil.sensor.realstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic of real protocol stacks (j2mod Modbus/TCP master and slave; BACnet/IP over real UDP
 * sockets) decodes exactly as the stacks spoke it: every PDU, in order, every field the stack
 * calls asked for or returned, nothing else. Checked on the committed captures of
 * {@code pcaps/realstack/} and, as root, on traffic captured live on lo during the test.
 */
class RealStackDecodeTest {
    @TempDir
    Path dir;

    static Path realstackDir() {
        return TestSupport.repoRoot().resolve("pcaps/realstack");
    }

    static Stream<String> captures() {
        return Stream.of(RealStackCaptures.MODBUS_502, RealStackCaptures.MODBUS_HIGH, RealStackCaptures.BACNET);
    }

    // ------------------------------------------------------------------ committed captures

    @ParameterizedTest
    @MethodSource("captures")
    void committedCaptureDecodesAsTheStacksSpoke(String name) throws IOException {
        Path pcap = realstackDir().resolve(name + ".pcap");
        List<Map<String, Object>> expected = RealStackCaptures.readExpected(
            realstackDir().resolve(name + ".expected.jsonl"));
        assertTrue(expected.size() >= 10, name + ": expected file has " + expected.size() + " PDUs");
        assertDecodes(expected, decode(pcap), name);
        assertReplayStats(pcap, expected, name);
    }

    /** Wireshark, as the independent reference, sees the same PDUs with the same function codes. */
    @ParameterizedTest
    @MethodSource("captures")
    void wiresharkAgreesOnFunctionCodesAndServices(String name) throws Exception {
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed: skipping");
        Path pcap = realstackDir().resolve(name + ".pcap");
        List<Map<String, Object>> vigil = decode(pcap);
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        if (name.equals(RealStackCaptures.BACNET)) {
            for (Map<String, Object> m : vigil) {
                ours.add(m.get("frame") + " " + m.get("service_choice") + " " + str(m.get("invoke_id")));
            }
            String out = TestSupport.run("tshark", "-r", pcap.toString(), "-Y", "bacapp", "-T", "fields",
                "-e", "frame.number", "-e", "bacapp.confirmed_service", "-e", "bacapp.unconfirmed_service",
                "-e", "bacapp.invoke_id");
            for (String line : tsvLines(out)) {
                String[] f = line.split("\t", -1);
                String service = !f[1].isEmpty() ? f[1] : f[2];
                theirs.add(f[0] + " " + service + " " + (f[3].isEmpty() ? "-" : f[3]));
            }
        } else {
            for (Map<String, Object> m : vigil) {
                ours.add(m.get("frame") + " " + m.get("func_code") + " " + str(m.get("exception_code")));
            }
            String out = TestSupport.run("tshark", "-r", pcap.toString(), "-d", "tcp.port==15020,mbtcp",
                "-Y", "modbus", "-T", "fields", "-e", "frame.number", "-e", "modbus.func_code",
                "-e", "modbus.exception_code");
            for (String line : tsvLines(out)) {
                String[] f = line.split("\t", -1);
                theirs.add(f[0] + " " + f[1] + " " + (f[2].isEmpty() ? "-" : f[2]));
            }
        }
        assertEquals(theirs, ours, name + ": tshark (frame, function/service, exception/invoke id) vs vigil");
    }

    // ------------------------------------------------------------------ live capture

    static Stream<String> liveSessions() {
        return captures();
    }

    /**
     * Runs the same stack session while capturing on lo through libpcap, then holds the fresh
     * capture to the same standard as the committed one; the session is deterministic, so its
     * expectations must also equal the committed file's.
     */
    @ParameterizedTest
    @MethodSource("liveSessions")
    @Tag("live")
    @Timeout(120)
    void liveCapturedSessionDecodesAsTheStacksSpoke(String name) throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
            "live capture on lo needs root: skipping");
        Path pcap = dir.resolve(name + ".pcap");
        List<Map<String, Object>> expected;
        try {
            if (name.equals(RealStackCaptures.BACNET)) {
                assumeTrue(udpPortFree(RealStackSessions.BACNET_DEVICE_PORT)
                    && udpPortFree(RealStackSessions.BACNET_CLIENT_PORT), "UDP 47808/47809 busy: skipping");
                expected = RealStackCaptures.captureBacnet(pcap);
            } else {
                int port = name.equals(RealStackCaptures.MODBUS_502) ? RealStackCaptures.MODBUS_PORT
                    : RealStackCaptures.HIGH_PORT;
                assumeTrue(tcpPortFree(port), "TCP port " + port + " busy: skipping");
                expected = RealStackCaptures.captureModbus(port, pcap);
            }
        } catch (LinkageError | org.pcap4j.core.PcapNativeException e) {
            assumeTrue(false, "libpcap unusable here (cannot load it or open lo): " + e);
            return;
        }
        // Compare through the file format so types (Integer/Long) match the parsed committed file.
        Path fresh = dir.resolve(name + ".expected.jsonl");
        RealStackCaptures.writeExpected(expected, fresh);
        List<Map<String, Object>> freshExpected = RealStackCaptures.readExpected(fresh);
        assertEquals(RealStackCaptures.readExpected(realstackDir().resolve(name + ".expected.jsonl")), freshExpected,
            name + ": a fresh stack session no longer matches the committed expectations");
        assertDecodes(freshExpected, decode(pcap), name + " (live)");
        assertReplayStats(pcap, freshExpected, name + " (live)");
    }

    /**
     * Regenerates pcaps/realstack through Maven (root only):
     * {@code mvn -o -pl sensor -am test -Dtest=RealStackDecodeTest#regenerate -Dvigil.realstack.regenerate=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "vigil.realstack.regenerate", matches = "true")
    void regenerate() throws Exception {
        RealStackCaptures.main(new String[] {realstackDir().toString()});
    }

    // ------------------------------------------------------------------ checks

    private List<Map<String, Object>> decode(Path pcap) throws IOException {
        Path out = dir.resolve(pcap.getFileName() + ".decode.jsonl");
        CliResult r = TestSupport.vigil("decode", "--proto", "modbus,bacnet", "-o", out.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err().strip(), "decode reported problems");
        return Json.lines(Files.readString(out));
    }

    /**
     * Every expected PDU decodes, in order, with every expected field equal (an expected null: the
     * field is null or absent); no other PDU, no malformed PDU, no protocol mismatch; and each
     * Modbus response is matched to the request just before it.
     */
    static void assertDecodes(List<Map<String, Object>> expected, List<Map<String, Object>> actual, String label) {
        for (Map<String, Object> a : actual) {
            assertFalse(a.containsKey("malformed"), label + ": malformed PDU " + a);
            assertFalse(a.containsKey("protocol_mismatch"), label + ": protocol mismatch " + a);
            assertFalse(a.containsKey("unknown_function"), label + ": unknown function " + a);
        }
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = expected.get(i);
            Map<String, Object> a = actual.get(i);
            for (Map.Entry<String, Object> f : e.entrySet()) {
                if (!same(f.getValue(), a.get(f.getKey()))) {
                    fail(label + ": PDU #" + (i + 1) + " field " + f.getKey() + ": expected " + f.getValue()
                        + " but decoded " + a.get(f.getKey()) + "\n expected " + e + "\n decoded  " + a);
                }
            }
        }
        if (expected.size() != actual.size()) {
            List<Map<String, Object>> extra = actual.subList(n, actual.size());
            List<Map<String, Object>> missing = expected.subList(n, expected.size());
            fail(label + ": expected " + expected.size() + " PDUs, decoded " + actual.size() + "; missing " + missing
                + "; unexpected " + extra);
        }
        for (int i = 0; i < actual.size(); i++) {
            Map<String, Object> a = actual.get(i);
            if (!"modbus".equals(a.get("proto")) || !Boolean.TRUE.equals(a.get("is_response"))) {
                continue;
            }
            assertTrue(i > 0, label + ": response before any request");
            Map<String, Object> req = actual.get(i - 1);
            assertEquals(Boolean.FALSE, req.get("is_response"), label + ": PDU before response #" + (i + 1));
            assertEquals(req.get("frame"), a.get("request_frame"), label + ": response matched to the wrong request " + a);
            assertEquals(req.get("trans_id"), a.get("trans_id"), label + ": transaction id " + a);
            assertTrue(((Number) a.get("latency_us")).longValue() >= 0, label + ": latency " + a);
        }
    }

    /** Numbers compare by value (a BACnet value is rendered as text: 42.0 vs "42.0"); lists elementwise. */
    private static boolean same(Object expected, Object actual) {
        if (expected == null) {
            return actual == null;
        }
        if (expected instanceof Number en) {
            Number an;
            if (actual instanceof Number n) {
                an = n;
            } else if (actual instanceof String s) {
                try {
                    an = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else {
                return false;
            }
            return en.doubleValue() == an.doubleValue();
        }
        if (expected instanceof List<?> el) {
            if (!(actual instanceof List<?> al) || el.size() != al.size()) {
                return false;
            }
            for (int i = 0; i < el.size(); i++) {
                if (!same(el.get(i), al.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(expected, actual);
    }

    /** The full pipeline counts the same PDUs: none malformed, no mismatch, no reassembly gap. */
    @SuppressWarnings("unchecked")
    private void assertReplayStats(Path pcap, List<Map<String, Object>> expected, String label) throws IOException {
        Path stats = dir.resolve(pcap.getFileName() + ".stats.json");
        CliResult r = TestSupport.vigil("replay", "-q", "--stats-json", stats.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Object> s = Json.object(Files.readString(stats).strip());
        String proto = (String) expected.get(0).get("proto");
        Map<String, Object> app = (Map<String, Object>) ((Map<String, Object>) s.get("app")).get(proto);
        assertTrue(app != null, label + ": no app counters for " + proto + ": " + s);
        assertEquals((long) expected.size(), app.get("pdus"), label + ": " + proto + " PDUs counted: " + s);
        assertEquals(0L, app.get("malformed"), label + ": " + s);
        assertEquals(0L, app.get("protocol_mismatches"), label + ": " + s);
        Map<String, Object> tcp = (Map<String, Object>) s.get("tcp_reassembly");
        assertEquals(0L, tcp.getOrDefault("gaps", 0L), label + ": reassembly gaps: " + s);
        assertEquals(0L, s.get("malformed"), label + ": L2-L4 malformed: " + s);
        assertEquals(0L, s.get("truncated"), label + ": truncated: " + s);
        assertEquals(List.of(), s.get("capture_problems"), label + ": " + s);
    }

    /** tshark -T fields lines; empty trailing fields are kept (no strip, which would eat the tabs). */
    private static List<String> tsvLines(String out) {
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static boolean tcpPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean udpPortFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
