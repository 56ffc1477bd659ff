package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNP3 against the other two decoders whose expectations ship with the corpus:
 * <ul>
 * <li>Zeek's {@code dnp3.log} ({@code *.expected/zeek/*}/dnp3.log and the ICSNPP plugin's): Zeek
 *     logs a line per response with the pending request's function ({@code fc_request}), the
 *     response's ({@code fc_reply}) and its IIN, and a pending request without response at the end
 *     of the connection; the same pairing over vigil's fragments must give the same lines, in order;</li>
 * <li>Zeek's event dumps ({@code output}): every {@code dnp3_object_header} (direction, group
 *     &lt;&lt; 8 | variation, qualifier, number of objects) and every {@code dnp3_crob} (control code,
 *     count, on/off time, status), in order;</li>
 * <li>the ICSNPP logs of {@code icsnpp_dnp3_example}: {@code dnp3_control.log} (every CROB: function,
 *     index, trip/close, operation, clear, count, on/off time, status) and {@code dnp3_objects.log}
 *     (per READ/RESPONSE header: function, object, count, range), as multisets;</li>
 * <li>suricata-verify's eve expectations: each {@code event_type: dnp3} filter must match as many of
 *     vigil's fragments (confirms excluded: Suricata logs none) as its count says, on every key vigil
 *     has (link control, addresses, application control and function, object headers, IIN names, file
 *     names); point values other than file names are not compared.</li>
 * </ul>
 */
class Dnp3VersusZeekAndSuricataTest {
    @TempDir
    Path tmp;

    /**
     * One decoded capture: the DNP3 lines, and per connection its originator (Zeek), client
     * (Suricata), transport and last frame.
     */
    private record Decoded(List<Map<String, Object>> dnp3, Map<String, String> origin, Map<String, String> client,
                           Map<String, String> transport, Map<String, Long> lastFrame,
                           Map<String, List<Long>> fragmentFrames) {
    }

    private Decoded decode(Path pcap) throws IOException {
        List<Map<String, Object>> dnp3 = new ArrayList<>();
        Map<String, String> origin = new HashMap<>();
        Map<String, String> client = new HashMap<>();
        Map<String, String> transport = new HashMap<>();
        Map<String, Long> lastFrame = new LinkedHashMap<>();
        Map<String, List<Long>> fragmentFrames = new HashMap<>(); // per direction: frames completing a fragment
        for (Map<String, Object> j : Dnp3Captures.decode(pcap, tmp, true)) {
            if (j.get("proto") != null) {
                if (!Boolean.TRUE.equals(j.get("protocol_mismatch"))) {
                    dnp3.add(j);
                    if (hasApplication(j)) {
                        fragmentFrames.computeIfAbsent(sender(j) + ">" + receiver(j), k -> new ArrayList<>())
                            .add(Dnp3Captures.num(j, "frame"));
                    }
                }
                continue;
            }
            if (j.get("src_port") == null) {
                continue;
            }
            String a = j.get("src_ip") + " " + j.get("src_port");
            String b = j.get("dst_ip") + " " + j.get("dst_port");
            String conn = conn(a, b);
            long frame = Dnp3Captures.num(j, "frame");
            lastFrame.put(conn, frame);
            if (!client.containsKey(conn)) {
                client.put(conn, a);
                // Zeek takes the side that is not on the DNP3 port as the originator.
                boolean flip = Dnp3Captures.num(j, "src_port") == 20000 && Dnp3Captures.num(j, "dst_port") != 20000;
                origin.put(conn, flip ? b : a);
                transport.put(conn, Dnp3Captures.num(j, "ip_proto") == 6 ? "TCP" : "UDP");
            }
        }
        return new Decoded(dnp3, origin, client, transport, lastFrame, fragmentFrames);
    }

    private static String conn(String a, String b) {
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    private static String sender(Map<String, Object> j) {
        return j.get("src_ip") + " " + j.get("src_port");
    }

    private static String receiver(Map<String, Object> j) {
        return j.get("dst_ip") + " " + j.get("dst_port");
    }

    private static boolean hasApplication(Map<String, Object> j) {
        return j.get("func_code") != null;
    }

    // ---- Zeek dnp3.log ----

    @Test
    void dnp3LogAgreesWithZeek() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        List<Path> logs;
        try (Stream<Path> s = Files.walk(corpus)) {
            logs = s.filter(p -> p.getFileName().toString().equals("dnp3.log")).sorted().toList();
        }
        assumeTrue(!logs.isEmpty(), "no Zeek dnp3.log baselines");
        int lines = 0;
        for (Path log : logs) {
            Path pcap = captureOf(log);
            List<String> theirs = new ArrayList<>();
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!l.startsWith("#")) {
                    String[] c = l.split("\t", -1);
                    theirs.add(String.join(" ", c[2], c[3], c[4], c[5], c[6], c[7], c[8]));
                }
            }
            assertEquals(theirs, zeekLog(decode(pcap)), pcap.getFileName() + " vs " + log);
            lines += theirs.size();
        }
        assertTrue(lines > 400, "dnp3.log lines compared: " + lines);
    }

    /**
     * Zeek's pairing: a request waits for the next response of its connection, which writes the
     * line; a request still waiting when its connection goes (after its last packet) is written alone.
     */
    private static List<String> zeekLog(Decoded d) {
        List<String> out = new ArrayList<>();
        Map<String, String> pending = new HashMap<>();
        List<String> byEnd = new ArrayList<>(d.lastFrame().keySet());
        byEnd.sort((x, y) -> Long.compare(d.lastFrame().get(x), d.lastFrame().get(y)));
        int ended = 0;
        for (Map<String, Object> j : d.dnp3()) {
            if (!hasApplication(j)) {
                continue;
            }
            long frame = Dnp3Captures.num(j, "frame");
            while (ended < byEnd.size() && d.lastFrame().get(byEnd.get(ended)) < frame) {
                unanswered(d, byEnd.get(ended++), pending, out);
            }
            String conn = conn(sender(j), receiver(j));
            String orig = d.origin().get(conn);
            if (sender(j).equals(orig)) {
                pending.put(conn, (String) j.get("func_name"));
            } else {
                String req = pending.put(conn, null);
                out.add(String.join(" ", orig, receiver(j).equals(orig) ? sender(j) : receiver(j),
                    req == null ? "-" : req, (String) j.get("func_name"), Dnp3Captures.str(j.get("iin"))));
            }
        }
        while (ended < byEnd.size()) {
            unanswered(d, byEnd.get(ended++), pending, out);
        }
        return out;
    }

    private static void unanswered(Decoded d, String conn, Map<String, String> pending, List<String> out) {
        String req = pending.remove(conn);
        if (req != null) {
            String orig = d.origin().get(conn);
            String[] parts = conn.split(" ");
            String a = parts[0] + " " + parts[1];
            String resp = a.equals(orig) ? parts[2] + " " + parts[3] : a;
            out.add(String.join(" ", orig, resp, req, "-", "-"));
        }
    }

    private static Path captureOf(Path expected) {
        String s = expected.toString();
        return Path.of(s.substring(0, s.indexOf(".expected/")) + ".pcap");
    }

    // ---- Zeek event dumps ----

    @Test
    void objectHeadersAndCrobsAgreeWithZeekEvents() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        List<Path> outputs;
        try (Stream<Path> s = Files.walk(corpus.resolve("dnp3"))) {
            outputs = s.filter(p -> p.getFileName().toString().equals("output") && p.toString().contains("/zeek/"))
                .sorted().toList();
        }
        assumeTrue(!outputs.isEmpty(), "no Zeek event dumps");
        int headers = 0;
        int crobs = 0;
        for (Path output : outputs) {
            List<String> theirHeaders = new ArrayList<>();
            List<String> theirCrobs = new ArrayList<>();
            for (String l : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                String[] c = l.split(", ");
                if (c[0].equals("dnp3_object_header")) {
                    theirHeaders.add(String.join(" ", c[1], c[2], c[3], c[4]));
                } else if (c[0].equals("dnp3_crob")) {
                    theirCrobs.add(String.join(" ", c[1], c[2], c[3], c[4], c[5], c[6]));
                }
            }
            Decoded d = decode(captureOf(output));
            List<String> ourHeaders = new ArrayList<>();
            List<String> ourCrobs = new ArrayList<>();
            for (Map<String, Object> j : d.dnp3()) {
                if (!hasApplication(j)) {
                    continue;
                }
                String isOrig = sender(j).equals(d.origin().get(conn(sender(j), receiver(j)))) ? "T" : "F";
                for (Map<String, Object> h : list(j.get("headers"))) {
                    String q = (String) h.get("qualifier");
                    ourHeaders.add(String.join(" ", isOrig, Integer.toString(Dnp3Captures.objectCode((String) h.get("obj"))),
                        q == null ? "-" : Integer.toString(Integer.parseInt(q.substring(2), 16)),
                        Dnp3Captures.str(h.get("count"))));
                }
                for (Map<String, Object> c : list(j.get("commands"))) {
                    if ("g12v1".equals(c.get("obj"))) {
                        ourCrobs.add(String.join(" ", isOrig, Dnp3Captures.str(c.get("code")),
                            Dnp3Captures.str(c.get("count")), Dnp3Captures.str(c.get("on_time")),
                            Dnp3Captures.str(c.get("off_time")), Dnp3Captures.str(c.get("status"))));
                    }
                }
            }
            assertEquals(theirHeaders, ourHeaders, "object headers of " + output);
            assertEquals(theirCrobs, ourCrobs, "CROBs of " + output);
            headers += theirHeaders.size();
            crobs += theirCrobs.size();
        }
        assertTrue(headers > 150 && crobs > 10, "headers " + headers + ", CROBs " + crobs);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    // ---- ICSNPP ----

    private static final String[] TRIP = {"Nul", "Close", "Trip", "Reserved"};
    private static final String[] OPERATION = {"Nul", "Pulse On", "Pulse Off", "Latch On", "Latch Off"};
    private static final Map<String, String> ICSNPP_OBJECTS = Map.of("g60v1", "Class 0 Data", "g60v2",
        "Class 1 Data", "g60v3", "Class 2 Data", "g60v4", "Class 3 Data", "g1v2", "Binary Input With Status",
        "g10v2", "Binary Output Status", "g30v2", "16-Bit Analog Input", "g40v2", "16-Bit Analog Output Status");

    @Test
    void controlsAndObjectsAgreeWithIcsnpp() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        Path dir = corpus.resolve("dnp3/icsnpp_dnp3_example.expected/zeek-icsnpp");
        assumeTrue(Files.isDirectory(dir), "no ICSNPP baseline");
        Map<String, Integer> theirControls = new TreeMap<>();
        for (String l : Files.readAllLines(dir.resolve("dnp3_control.log"), StandardCharsets.UTF_8)) {
            if (!l.startsWith("#")) {
                String[] c = l.split("\t", -1);
                theirControls.merge(String.join("|", List.of(c).subList(11, 21)), 1, Integer::sum);
            }
        }
        Map<String, Integer> theirObjects = new TreeMap<>();
        for (String l : Files.readAllLines(dir.resolve("dnp3_objects.log"), StandardCharsets.UTF_8)) {
            if (!l.startsWith("#")) {
                String[] c = l.split("\t", -1);
                theirObjects.merge(String.join("|", List.of(c).subList(11, 16)), 1, Integer::sum);
            }
        }
        Map<String, Integer> ourControls = new TreeMap<>();
        Map<String, Integer> ourObjects = new TreeMap<>();
        Decoded d = decode(corpus.resolve("dnp3/icsnpp_dnp3_example.pcap"));
        for (Map<String, Object> j : d.dnp3()) {
            if (!hasApplication(j)) {
                continue;
            }
            String fn = (String) j.get("func_name");
            boolean response = Boolean.TRUE.equals(j.get("is_response"));
            for (Map<String, Object> c : list(j.get("commands"))) {
                if (!"g12v1".equals(c.get("obj"))) {
                    continue;
                }
                int code = (int) Dnp3Captures.num(c, "code");
                long status = Dnp3Captures.num(c, "status");
                ourControls.merge(String.join("|", "Control Relay Output Block", fn, Dnp3Captures.str(c.get("index")),
                    TRIP[code >> 6], (code & 15) < OPERATION.length ? OPERATION[code & 15] : "Unknown",
                    (code & 0x20) != 0 ? "T" : "F", Dnp3Captures.str(c.get("count")),
                    Dnp3Captures.str(c.get("on_time")), Dnp3Captures.str(c.get("off_time")),
                    !response ? "-" : status == 0 ? "Success" : Long.toString(status)), 1, Integer::sum);
            }
            if (!fn.equals("READ") && !fn.equals("RESPONSE")) {
                continue; // ICSNPP logs the objects of reads and responses
            }
            for (Map<String, Object> h : list(j.get("headers"))) {
                String obj = (String) h.get("obj");
                if (obj.startsWith("g12")) {
                    continue; // CROBs go to dnp3_control.log
                }
                long count = Dnp3Captures.num(h, "count");
                ourObjects.merge(String.join("|", fn, ICSNPP_OBJECTS.getOrDefault(obj, obj),
                    count > 0 ? Long.toString(count) : "-", h.get("start") == null ? "-" : Dnp3Captures.str(h.get("start")),
                    h.get("stop") == null ? "-" : Dnp3Captures.str(h.get("stop"))), 1, Integer::sum);
            }
        }
        assertEquals(theirControls, ourControls);
        assertEquals(theirObjects, ourObjects);
        assertTrue(theirControls.values().stream().mapToInt(Integer::intValue).sum() > 500);
    }

    // ---- Suricata ----

    @Test
    void eveRecordsAgreeWithSuricataVerify() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        List<Path> tests;
        try (Stream<Path> s = Files.walk(corpus.resolve("dnp3"))) {
            tests = s.filter(p -> p.toString().contains("/suricata") && p.toString().endsWith(".yaml")).sorted()
                .toList();
        }
        assumeTrue(!tests.isEmpty(), "no suricata-verify expectations");
        int filters = 0;
        int keys = 0;
        for (Path test : tests) {
            Decoded d = decode(captureOf(test));
            for (Map<String, String> match : dnp3Filters(test)) {
                long expected = Long.parseLong(match.remove("#count"));
                long count = 0;
                for (Map<String, Object> j : d.dnp3()) {
                    if (hasApplication(j) && Dnp3Captures.num(j, "func_code") != 0 && matches(match, j, d)) {
                        count++;
                    }
                }
                assertEquals(expected, count, test.getFileName() + " filter " + match);
                filters++;
                keys += match.size();
            }
        }
        assertTrue(filters > 70 && keys > 2000, "filters " + filters + ", keys " + keys);
    }

    /** The {@code event_type: dnp3} filters of a suricata-verify test: match keys and "#count". */
    private static List<Map<String, String>> dnp3Filters(Path yaml) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> cur = null;
        String lastKey = null;
        int lastIndent = 0;
        for (String l : Files.readAllLines(yaml, StandardCharsets.UTF_8)) {
            String t = l.trim();
            int indent = l.length() - l.stripLeading().length();
            if (t.startsWith("- filter:")) {
                cur = new LinkedHashMap<>();
                out.add(cur);
                lastKey = null;
            } else if (cur != null && t.startsWith("count:") && !cur.containsKey("#count")) {
                cur.put("#count", t.substring(6).trim());
            } else if (cur != null && t.contains(": ") && !t.startsWith("-")) {
                int c = t.indexOf(": ");
                String v = t.substring(c + 2).trim();
                if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
                    v = v.substring(1, v.length() - 1);
                }
                lastKey = t.substring(0, c);
                lastIndent = indent;
                cur.put(lastKey, v);
            } else if (cur != null && lastKey != null && indent > lastIndent && !t.isEmpty()) {
                cur.put(lastKey, cur.get(lastKey) + " " + t); // a plain scalar continued on the next line
            }
        }
        out.removeIf(m -> !"dnp3".equals(m.get("event_type")) || !m.containsKey("#count"));
        return out;
    }

    private static boolean matches(Map<String, String> match, Map<String, Object> j, Decoded d) {
        String count = match.get("pcap_cnt");
        if (count != null) {
            // Suricata parses TCP data once the peer has acknowledged it, so it logs a fragment at its
            // frame or later: the fragment must be its direction's latest at that packet.
            long at = Long.parseLong(count);
            long frame = Dnp3Captures.num(j, "frame");
            if (frame > at) {
                return false;
            }
            for (long f : d.fragmentFrames().get(sender(j) + ">" + receiver(j))) {
                if (f > frame && f <= at) {
                    return false;
                }
            }
        }
        for (Map.Entry<String, String> e : match.entrySet()) {
            String ours = suricataView(e.getKey(), j, d);
            if (ours != null && !ours.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** vigil's value for a Suricata eve key; null for keys vigil does not model (point values). */
    private static String suricataView(String key, Map<String, Object> j, Decoded d) {
        String conn = conn(sender(j), receiver(j));
        String client = d.client().get(conn);
        String server = sender(j).equals(client) ? receiver(j) : sender(j);
        long fc = Dnp3Captures.num(j, "func_code");
        switch (key) {
            case "event_type": return "dnp3";
            case "src_ip": return client.split(" ")[0];
            case "src_port": return client.split(" ")[1];
            case "dest_ip": return server.split(" ")[0];
            case "dest_port": return server.split(" ")[1];
            case "proto": return d.transport().get(conn);
            case "pcap_cnt": return null; // compared in matches()
            case "dnp3.type": return fc == 130 ? "unsolicited_response" : fc >= 129 ? "response" : "request";
            case "dnp3.src": return Dnp3Captures.str(j.get("src"));
            case "dnp3.dst": return Dnp3Captures.str(j.get("dst"));
            case "dnp3.control.dir": return Dnp3Captures.str(j.get("dir"));
            case "dnp3.control.pri": return Dnp3Captures.str(j.get("prm"));
            case "dnp3.control.fcb": return Dnp3Captures.str(Boolean.TRUE.equals(j.get("fcb")));
            case "dnp3.control.fcv": return Dnp3Captures.str(Boolean.TRUE.equals(j.get("fcv")));
            case "dnp3.control.function_code": return Dnp3Captures.str(j.get("link_func"));
            case "dnp3.application.complete": return "true";
            case "dnp3.application.function_code": return Dnp3Captures.str(j.get("func_code"));
            case "dnp3.application.control.fir": return Dnp3Captures.str(j.get("fir"));
            case "dnp3.application.control.fin": return Dnp3Captures.str(j.get("fin"));
            case "dnp3.application.control.con": return Dnp3Captures.str(j.get("con"));
            case "dnp3.application.control.uns": return Dnp3Captures.str(j.get("uns"));
            case "dnp3.application.control.sequence": return Dnp3Captures.str(j.get("seq"));
            default:
                break;
        }
        if (key.startsWith("dnp3.iin.indicators[")) {
            List<Object> flags = j.get("iin_flags") == null ? List.of() : list2(j.get("iin_flags"));
            int i = index(key, "dnp3.iin.indicators[");
            return i < flags.size() ? (String) flags.get(i) : "";
        }
        if (key.startsWith("dnp3.application.objects[")) {
            int i = index(key, "dnp3.application.objects[");
            List<Map<String, Object>> headers = list(j.get("headers"));
            if (i >= headers.size()) {
                return "";
            }
            Map<String, Object> h = headers.get(i);
            String field = key.substring(key.indexOf(']') + 2);
            int code = Dnp3Captures.objectCode((String) h.get("obj"));
            int q = Integer.parseInt(((String) h.get("qualifier")).substring(2), 16);
            switch (field) {
                case "group": return Integer.toString(code >> 8);
                case "variation": return Integer.toString(code & 0xFF);
                case "qualifier": return Integer.toString(q);
                case "prefix_code": return Integer.toString((q >> 4) & 7);
                case "range_code": return Integer.toString(q & 15);
                case "count": return Dnp3Captures.str(h.get("count"));
                case "start": return h.get("start") == null ? "0" : Dnp3Captures.str(h.get("start"));
                case "stop": return h.get("stop") == null ? "0" : Dnp3Captures.str(h.get("stop"));
                case "points[0].filename": return Dnp3Captures.str(j.get("name"));
                default: return null;
            }
        }
        throw new AssertionError("unmapped Suricata key " + key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list2(Object o) {
        return (List<Object>) o;
    }

    private static int index(String key, String prefix) {
        return Integer.parseInt(key.substring(prefix.length(), key.indexOf(']', prefix.length())));
    }
}
