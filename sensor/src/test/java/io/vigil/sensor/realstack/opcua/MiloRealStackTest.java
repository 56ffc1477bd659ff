package io.vigil.sensor.realstack.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import io.vigil.sensor.realstack.Json;
import java.io.IOException;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Traffic of a real OPC UA stack (Eclipse Milo 1.1.2 client and server, security None) decodes as
 * the client spoke it: every message in order (HEL/ACK, OPN, each service request and its
 * response, CLO), the services, the NodeIds read/written/browsed/called, Good results, each
 * response matched to its request. Checked on the committed {@code pcaps/realstack/} capture and,
 * as root, on a session captured live on lo during the test.
 */
class MiloRealStackTest {
    @TempDir
    Path dir;

    static Path realstackDir() {
        return TestSupport.repoRoot().resolve("pcaps/realstack");
    }

    // ------------------------------------------------------------------ committed capture

    static Stream<String> captures() {
        return Stream.of(MiloCaptures.OPCUA_4840, MiloCaptures.OPCUA_HIGH);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void committedCaptureDecodesAsTheClientSpoke(String name) throws IOException {
        Path pcap = realstackDir().resolve(name + ".pcap");
        List<Map<String, Object>> expected = MiloCaptures.readExpected(realstackDir().resolve(name + ".expected.jsonl"));
        assertTrue(expected.size() >= 25, name + ": expected file has " + expected.size() + " messages");
        assertExpectationsShape(expected, name);
        assertDecodes(expected, decode(pcap), name);
        assertReplayStats(pcap, expected, name);
    }

    /** Wireshark, the independent reference, sees the same OPC UA messages with the same services. */
    @ParameterizedTest
    @MethodSource("captures")
    void wiresharkAgreesOnMessagesAndServices(String name) throws Exception {
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed: skipping");
        Path pcap = realstackDir().resolve(name + ".pcap");
        List<String> ours = new ArrayList<>();
        for (Map<String, Object> m : decode(pcap)) {
            String sid = (String) m.get("service_node_id");
            ours.add(m.get("frame") + " " + m.get("msg_type") + " "
                + (sid == null ? "-" : sid.substring(sid.indexOf("i=") + 2)) + " " + str(m.get("service")));
        }
        // 4840 is dissected as OPC UA by default; the high port needs a decode-as
        String out = TestSupport.run("tshark", "-r", pcap.toString(), "-d", "tcp.port==" + MiloCaptures.port(name)
            + ",opcua", "-Y", "opcua", "-T", "fields",
            "-e", "frame.number", "-e", "opcua.transport.type", "-e", "opcua.servicenodeid.numeric");
        List<String> theirs = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            theirs.add(f[0] + " " + f[1] + " " + (f[2].isEmpty() ? "-" : f[2]));
        }
        // compare frame, message type and service node id; vigil's service names are shown alongside
        List<String> oursComparable = new ArrayList<>();
        for (String o : ours) {
            String[] p = o.split(" ");
            oursComparable.add(p[0] + " " + p[1] + " " + p[2]);
        }
        assertEquals(theirs, oursComparable, "tshark (frame, message type, service node id) vs vigil " + ours);
        assertEquals(MiloCaptures.readExpected(realstackDir().resolve(name + ".expected.jsonl")).size(),
            theirs.size(), "tshark message count vs expectations");
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    // ------------------------------------------------------------------ live capture

    /**
     * Runs the same Milo session while capturing on lo through libpcap, then holds the fresh
     * capture to the same standard; the expectations of a fresh session must equal the committed
     * file's.
     */
    @ParameterizedTest
    @MethodSource("captures")
    @Tag("live")
    @Timeout(120)
    void liveCapturedSessionDecodesAsTheClientSpoke(String name) throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
            "live capture on lo needs root: skipping");
        int port = MiloCaptures.port(name);
        assumeTrue(tcpPortFree(port), "TCP port " + port + " busy: skipping");
        Path pcap = dir.resolve(name + ".pcap");
        List<Map<String, Object>> expected;
        try {
            expected = MiloCaptures.capture(port, pcap);
        } catch (LinkageError | org.pcap4j.core.PcapNativeException e) {
            assumeTrue(false, "libpcap unusable here (cannot load it or open lo): " + e);
            return;
        }
        Path fresh = dir.resolve(name + ".expected.jsonl");
        MiloCaptures.writeExpected(expected, fresh);
        List<Map<String, Object>> freshExpected = MiloCaptures.readExpected(fresh);
        assertEquals(MiloCaptures.readExpected(realstackDir().resolve(name + ".expected.jsonl")), freshExpected,
            name + ": a fresh Milo session no longer matches the committed expectations");
        assertDecodes(freshExpected, decode(pcap), name + " (live)");
        assertReplayStats(pcap, freshExpected, name + " (live)");
    }

    /**
     * Regenerates the Milo capture through Maven (root only):
     * {@code mvn -o -pl sensor -am test -Dtest=MiloRealStackTest#regenerate -Dvigil.realstack.regenerate=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "vigil.realstack.regenerate", matches = "true")
    void regenerate() throws Exception {
        MiloCaptures.main(new String[] {realstackDir().toString()});
    }

    // ------------------------------------------------------------------ checks

    private List<Map<String, Object>> decode(Path pcap) throws IOException {
        Path out = dir.resolve(pcap.getFileName() + ".decode.jsonl");
        CliResult r = TestSupport.vigil("decode", "--proto", "opcua", "-o", out.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err().strip(), "decode reported problems");
        return Json.lines(Files.readString(out));
    }

    /** The expectations themselves cover what the session is about. */
    private static void assertExpectationsShape(List<Map<String, Object>> expected, String label) {
        List<Object> services = new ArrayList<>();
        for (Map<String, Object> e : expected) {
            if (e.get("service") != null) {
                services.add(e.get("service"));
            }
        }
        for (String s : List.of("GetEndpoints", "CreateSession", "ActivateSession", "Read", "Write", "Browse", "Call",
            "CloseSession")) {
            assertTrue(services.contains(s + "Request") && services.contains(s + "Response"),
                label + ": expectations lack " + s + ": " + services);
        }
    }

    /**
     * Every expected message decodes, in order, with every expected field equal; no other message,
     * nothing malformed or encrypted; each response carries request_frame = the frame of the
     * request it answers (and the same request id), with a non-negative latency; requests carry no
     * request_frame.
     */
    static void assertDecodes(List<Map<String, Object>> expected, List<Map<String, Object>> actual, String label) {
        for (Map<String, Object> a : actual) {
            assertFalse(a.containsKey("malformed"), label + ": malformed message " + a);
            assertFalse(a.containsKey("protocol_mismatch"), label + ": protocol mismatch " + a);
            assertEquals(Boolean.FALSE, a.get("encrypted"), label + ": encrypted " + a);
        }
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = expected.get(i);
            Map<String, Object> a = actual.get(i);
            for (Map.Entry<String, Object> f : e.entrySet()) {
                if (f.getKey().startsWith("_")) {
                    continue;
                }
                if (!same(f.getValue(), a.get(f.getKey()))) {
                    fail(label + ": message #" + (i + 1) + " field " + f.getKey() + ": expected " + f.getValue()
                        + " but decoded " + a.get(f.getKey()) + "\n expected " + e + "\n decoded  " + a);
                }
            }
            if (!e.containsKey("node_ids")) {
                assertFalse(a.containsKey("node_ids"), label + ": message #" + (i + 1) + " has node ids " + a);
            }
            Object req = e.get("_request");
            if (req != null) {
                Map<String, Object> request = actual.get(((Number) req).intValue() - 1);
                assertEquals(request.get("frame"), a.get("request_frame"),
                    label + ": message #" + (i + 1) + " matched to the wrong request " + a);
                assertEquals(request.get("request_id"), a.get("request_id"), label + ": request id " + a);
                assertNotNull(a.get("latency_us"), label + ": latency " + a);
                assertTrue(((Number) a.get("latency_us")).longValue() >= 0, label + ": latency " + a);
            } else {
                assertFalse(a.containsKey("request_frame"), label + ": message #" + (i + 1) + " matched " + a);
            }
        }
        if (expected.size() != actual.size()) {
            fail(label + ": expected " + expected.size() + " messages, decoded " + actual.size() + "; missing "
                + expected.subList(n, expected.size()) + "; unexpected " + actual.subList(n, actual.size()));
        }
    }

    private static boolean same(Object expected, Object actual) {
        if (expected == null) {
            return actual == null;
        }
        if (expected instanceof Number en) {
            return actual instanceof Number an && en.doubleValue() == an.doubleValue();
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

    /** The full pipeline counts the same messages: none malformed, no mismatch, no reassembly gap. */
    @SuppressWarnings("unchecked")
    private void assertReplayStats(Path pcap, List<Map<String, Object>> expected, String label) throws IOException {
        Path stats = dir.resolve(pcap.getFileName() + ".stats.json");
        CliResult r = TestSupport.vigil("replay", "-q", "--stats-json", stats.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Object> s = Json.object(Files.readString(stats).strip());
        Map<String, Object> app = (Map<String, Object>) ((Map<String, Object>) s.get("app")).get("opcua");
        assertNotNull(app, label + ": no app counters for opcua: " + s);
        assertEquals((long) expected.size(), app.get("pdus"), label + ": opcua PDUs counted: " + s);
        assertEquals(0L, app.get("malformed"), label + ": " + s);
        assertEquals(0L, app.get("protocol_mismatches"), label + ": " + s);
        Map<String, Object> tcp = (Map<String, Object>) s.get("tcp_reassembly");
        assertEquals(0L, tcp.getOrDefault("gaps", 0L), label + ": reassembly gaps: " + s);
        assertEquals(0L, s.get("malformed"), label + ": L2-L4 malformed: " + s);
        assertEquals(0L, s.get("truncated"), label + ": truncated: " + s);
        assertEquals(List.of(), s.get("capture_problems"), label + ": " + s);
    }

    private static boolean tcpPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
