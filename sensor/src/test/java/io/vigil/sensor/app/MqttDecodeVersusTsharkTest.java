package io.vigil.sensor.app;

import static io.vigil.sensor.app.IecMqttFrameDiff.decimal;
import static io.vigil.sensor.app.IecMqttFrameDiff.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import io.vigil.sensor.testsupport.Tshark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests of the MQTT decoder on {@code ../shared/pcaps/mqtt} through {@code vigil decode
 * --proto mqtt} (flow table, TCP reassembler, app layer, parser):
 * <ul>
 * <li>against tshark, run here (the corpus has no csv for MQTT), frame by frame as
 *     {@link AppDecodeVersusTsharkTest} does, every disagreement listed with its reason in
 *     {@code src/test/resources/app/mqtt-known-differences.txt};</li>
 * <li>against the Suricata-verify expectations ({@code *.expected/suricata-verify/*.test.yaml}):
 *     every {@code event_type: mqtt} filter, on the fields that map (type, QoS/retain/dup, protocol
 *     name and level, connect flags, client id, user name, will topic, session present, return and
 *     reason codes, packet id, topic, subscribe topics and QoS, granted QoS); the record count of
 *     a filter must equal the number of our packets that match it. Not mapped: passwords (never
 *     printed), message bodies, properties, Suricata's own truncation settings;</li>
 * <li>against Zeek's mqtt_connect/subscribe/publish logs for zeek_mqtt.pcap.</li>
 * </ul>
 */
class MqttDecodeVersusTsharkTest {
    private static final String[] FIELDS = {"msgtype", "qos", "retain", "dup", "msgid", "ver", "clientid",
        "username", "passwd", "kalive", "topic", "subqos", "code", "codes", "len"};
    private static final String[] TSHARK = {"mqtt.msgtype", "mqtt.qos", "mqtt.retain", "mqtt.dupflag", "mqtt.msgid",
        "mqtt.ver", "mqtt.clientid", "mqtt.username", "mqtt.conflag.passwd", "mqtt.kalive", "mqtt.topic",
        "mqtt.sub.qos", "mqtt.subscription_options_qos", "mqtt.conack.val", "mqtt.connack.reason_code",
        "mqtt.puback.reason_code", "mqtt.pubrec.reason_code", "mqtt.pubrel.reason_code", "mqtt.pubcomp.reason_code",
        "mqtt.disconnect.reason_code", "mqtt.auth.reason_code", "mqtt.suback.qos", "mqtt.suback.reason_code",
        "mqtt.unsuback.reason_code", "mqtt.len"};

    @TempDir
    Path tmp;

    private static Path corpus() {
        Path c = TestSupport.sharedPcaps();
        assumeTrue(c != null && Files.isDirectory(c.resolve("mqtt")), "../shared/pcaps/mqtt not present");
        return c.resolve("mqtt");
    }

    @Test
    void decodeAgreesWithTshark() throws Exception {
        Path dir = corpus();
        assumeTrue(TestSupport.onPath("tshark"), "tshark not on PATH");
        IecMqttFrameDiff diff = new IecMqttFrameDiff("/app/mqtt-known-differences.txt", FIELDS);
        for (Path pcap : TestSupport.captures(dir)) {
            Map<Long, String[]> theirs = new LinkedHashMap<>();
            Tshark.fields(pcap, "mqtt", true, TSHARK).forEach((frame, row) -> theirs.put(frame, theirs(row)));
            Map<Long, String[]> ours = IecMqttFrameDiff.byFrame(DecodeRun.decode(pcap, "mqtt", tmp),
                FIELDS.length, MqttDecodeVersusTsharkTest::view);
            diff.compare(pcap.getFileName().toString(), ours, new java.util.TreeMap<>(theirs), "");
        }
        String failures = diff.finish("mqtt");
        assertTrue(failures.isEmpty(), failures);
        assertTrue(diff.compared() > 400, "fields compared: " + diff.compared());
        assertTrue(diff.agreement() >= 99.0, "agreement " + diff.agreement() + "%");
    }

    /** tshark's row in FIELDS order: sub QoS from either version's field, one code field out of the per-type ones. */
    private static String[] theirs(String[] row) {
        String[] v = new String[FIELDS.length];
        for (int i = 0; i < 11; i++) {
            v[i] = decimal(row[i]);
        }
        v[11] = decimal(first(row, 11, 13));
        v[12] = decimal(first(row, 13, 21));
        v[13] = decimal(first(row, 21, 24));
        v[14] = decimal(row[24]);
        return v;
    }

    private static String first(String[] row, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!row[i].isEmpty()) {
                return row[i];
            }
        }
        return "";
    }

    private static String[] view(Map<String, Object> j) {
        String[] v = new String[FIELDS.length];
        boolean connect = "CONNECT".equals(j.get("msg_type"));
        v[0] = str(j.get("msg_type_id"));
        v[1] = str(j.get("qos"));
        v[2] = str(j.get("retain"));
        v[3] = str(j.get("dup"));
        v[4] = str(j.get("packet_id"));
        v[5] = connect ? str(j.get("protocol_version")) : "";
        v[6] = str(j.get("client_id"));
        v[7] = str(j.get("username"));
        v[8] = str(j.get("has_password"));
        v[9] = str(j.get("keepalive"));
        v[10] = j.get("topic") != null ? str(j.get("topic")) : str(j.get("topics"));
        v[11] = str(j.get("requested_qos"));
        // tshark shows a reason code only where the packet carries the octet (MQTT 5 may omit it).
        long rl = ((Number) j.get("remaining_len")).longValue();
        int type = ((Number) j.get("msg_type_id")).intValue();
        boolean carried = type == 2 || (type >= 4 && type <= 7 ? rl >= 3 : rl >= 1);
        v[12] = j.get("return_code") != null ? str(j.get("return_code")) : carried ? str(j.get("reason_code")) : "";
        v[13] = j.get("return_codes") != null ? str(j.get("return_codes")) : str(j.get("reason_codes"));
        v[14] = str(j.get("remaining_len"));
        return v;
    }

    // ------------------------------------------------------------------ Suricata

    @Test
    void decodeAgreesWithSuricataEveExpectations() throws Exception {
        Path dir = corpus();
        // file, yaml, type, Suricata's keys as printed, reason; tab-separated
        Map<String, String> known = new LinkedHashMap<>();
        Set<String> seen = new TreeSet<>();
        try (var in = getClass().getResourceAsStream("/app/mqtt-suricata-known-differences.txt")) {
            if (in != null) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String[] c = line.split("\t", -1);
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    if (c.length < 5 || c[4].isBlank()) {
                        throw new IllegalStateException("mqtt-suricata-known-differences.txt needs 5 columns: " + line);
                    }
                    known.put(String.join("\t", c[0], c[1], c[2], c[3]), c[4]);
                }
            }
        }
        int filters = 0;
        int checked = 0;
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Path pcap : TestSupport.captures(dir)) {
            String name = pcap.getFileName().toString();
            Path expected = dir.resolve(name.replaceAll("\\.pcap$", "") + ".expected");
            if (!Files.isDirectory(expected)) {
                continue;
            }
            List<Map<String, Object>> ours = DecodeRun.decode(pcap, "mqtt", tmp);
            List<Path> yamls;
            try (var s = Files.walk(expected)) {
                yamls = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            }
            for (Path yaml : yamls) {
                for (Filter f : filters(yaml)) {
                    filters++;
                    Map<String, Map<String, String>> groups = f.groups();
                    if (groups.isEmpty()) {
                        continue;
                    }
                    for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
                        long n = ours.stream().filter(j -> matches(j, g.getKey(), g.getValue())).count();
                        // Keys we do not map (message bodies, Suricata's truncation) may tell records
                        // apart that look alike to us: then we need at least as many.
                        boolean exact = groups.size() == 1 && allMapped(g.getValue());
                        boolean ok = exact ? n == f.count : groups.size() == 1 ? n >= f.count
                            : (n > 0) == (f.count > 0);
                        checked++;
                        String key = String.join("\t", name, yaml.getFileName().toString(), g.getKey(),
                            g.getValue().toString());
                        String line = String.format("%s: expected %d, ours %d", key.replace('\t', ' '), f.count, n);
                        if (!ok && known.containsKey(key)) {
                            seen.add(key);
                            report.append("  known ").append(line).append(" (").append(known.get(key)).append(")\n");
                            continue;
                        }
                        report.append(ok ? "  ok    " : "  FAIL  ").append(line).append('\n');
                        if (!ok) {
                            failures.add(line);
                        }
                    }
                }
            }
        }
        for (String k : known.keySet()) {
            if (!seen.contains(k)) {
                failures.add("listed Suricata difference no longer occurs: " + k);
            }
        }
        System.out.print("MQTT versus Suricata-verify: " + checked + " checks from " + filters + " filters\n" + report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "mqtt-suricata-report.txt"), report.toString(), StandardCharsets.UTF_8);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(checked >= 50, "checks: " + checked);
    }

    private static boolean allMapped(Map<String, String> want) {
        return want.entrySet().stream().allMatch(e -> suricataField(e.getKey()) && !e.getValue().contains("[truncated"));
    }

    private static boolean suricataField(String field) {
        return !(field.equals("password") || field.startsWith("message") || field.startsWith("properties")
            || field.startsWith("will.properties") || field.equals("will.message") || field.equals("truncated")
            || field.equals("skipped_length") || field.equals("flags.will_retain"));
    }

    /** Whether our PDU line is a packet of Suricata's type {@code type} with every mapped field equal. */
    private static boolean matches(Map<String, Object> j, String type, Map<String, String> want) {
        if (!type.equalsIgnoreCase(str(j.get("msg_type")))) {
            return false;
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!suricataField(e.getKey()) || e.getValue().contains("[truncated")) {
                continue;
            }
            String ours = suricataView(j, e.getKey());
            if (ours != null && !ours.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Our value for a Suricata field (below mqtt.TYPE.), as Suricata prints it; null when it does not map. */
    private static String suricataView(Map<String, Object> j, String field) {
        int type = ((Number) j.get("msg_type_id")).intValue();
        switch (field) {
            case "qos":
                // Fixed-header QoS bits: PUBLISH's own; 1 for PUBREL, SUBSCRIBE, UNSUBSCRIBE (flags 0010).
                return j.get("qos") != null ? str(j.get("qos")) : type == 6 || type == 8 || type == 10 ? "1" : "0";
            case "retain":
                return j.get("retain") != null ? bool(j.get("retain")) : "false";
            case "dup":
                return j.get("dup") != null ? bool(j.get("dup")) : "false";
            case "protocol_string":
                return str(j.get("protocol_name"));
            case "protocol_version":
                return str(j.get("protocol_version"));
            case "flags.username":
                return bool(j.get("username") != null);
            case "flags.password":
                return bool(j.get("has_password"));
            case "flags.will":
                return bool(j.get("will_topic") != null);
            case "flags.clean_session":
                return bool(j.get("clean_session"));
            case "client_id":
                return str(j.get("client_id"));
            case "username":
                return str(j.get("username"));
            case "will.topic":
                return str(j.get("will_topic"));
            case "session_present":
                return bool(j.get("session_present"));
            case "return_code":
                return j.get("return_code") != null ? str(j.get("return_code")) : str(j.get("reason_code"));
            case "reason_code":
                return str(j.get("reason_code"));
            case "message_id":
                return str(j.get("packet_id"));
            case "topic":
                return str(j.get("topic"));
            case "topics": {
                Object topics = j.get("topics");
                Object qos = j.get("requested_qos");
                if (!(topics instanceof List<?> t)) {
                    return "";
                }
                List<String> out = new ArrayList<>();
                for (int i = 0; i < t.size(); i++) {
                    out.add(qos instanceof List<?> q ? t.get(i) + ":" + str(q.get(i)) : String.valueOf(t.get(i)));
                }
                return String.join("|", out);
            }
            case "qos_granted":
                return str(j.get("return_codes"));
            case "reason_codes":
                return str(j.get("reason_codes"));
            default:
                return null; // password, message, properties, truncation: not mapped
        }
    }

    private static String bool(Object o) {
        return Boolean.TRUE.equals(o) ? "true" : "false";
    }

    /** One Suricata-verify filter: its count and its match keys. */
    private record Filter(int count, Map<String, String> match) {
        /** mqtt.TYPE.FIELD keys grouped by TYPE (has-key mqtt.TYPE gives an empty group); only event_type mqtt. */
        Map<String, Map<String, String>> groups() {
            Map<String, Map<String, String>> g = new LinkedHashMap<>();
            if (!"mqtt".equals(match.get("event_type"))) {
                return g;
            }
            for (Map.Entry<String, String> e : match.entrySet()) {
                String k = e.getKey();
                if (k.equals("has-key") && e.getValue().startsWith("mqtt.")) {
                    g.computeIfAbsent(e.getValue().substring(5), x -> new LinkedHashMap<>());
                } else if (k.startsWith("mqtt.")) {
                    int dot = k.indexOf('.', 5);
                    g.computeIfAbsent(k.substring(5, dot), x -> new LinkedHashMap<>()).put(k.substring(dot + 1),
                        e.getValue());
                }
            }
            return g;
        }
    }

    private static final Pattern FILTER = Pattern.compile("^(\\s*)-\\s*filter:\\s*$");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\\-]+):\\s*(.*?)\\s*$");

    /** Just enough YAML for suricata-verify's check lists: filters, their count and match keys. */
    static List<Filter> filters(Path yaml) throws IOException {
        List<Filter> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(yaml, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FILTER.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            int count = -1;
            Map<String, String> match = new LinkedHashMap<>();
            for (int k = i + 1; k < lines.size(); k++) {
                String l = lines.get(k);
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int li = l.length() - l.stripLeading().length();
                if (li <= indent) {
                    break;
                }
                Matcher kv = KEY.matcher(l);
                if (!kv.matches()) {
                    continue;
                }
                if (kv.group(1).equals("count")) {
                    count = Integer.parseInt(kv.group(2));
                } else if (!kv.group(1).equals("match")) {
                    match.put(kv.group(1), yamlValue(kv.group(2)));
                }
            }
            out.add(new Filter(count, match));
        }
        return out;
    }

    /** Scalars unquoted; [a, b] as a|b; [ {topic: x, qos: 0}, ...] as x:0|...; a trailing comment dropped. */
    private static String yamlValue(String v) {
        if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
            return v.substring(1, v.length() - 1);
        }
        if (v.startsWith("[")) {
            String inner = v.substring(1, v.lastIndexOf(']')).trim();
            if (inner.isEmpty()) {
                return "";
            }
            List<String> out = new ArrayList<>();
            if (inner.startsWith("{")) {
                Matcher m = Pattern.compile("\\{\\s*topic:\\s*([^,}]+?)\\s*,\\s*qos:\\s*(\\d+)\\s*}").matcher(inner);
                while (m.find()) {
                    out.add(m.group(1) + ":" + m.group(2));
                }
            } else {
                for (String s : inner.split(",")) {
                    out.add(s.trim());
                }
            }
            return String.join("|", out);
        }
        int hash = v.indexOf(" #");
        return hash >= 0 ? v.substring(0, hash).trim() : v;
    }

    // ------------------------------------------------------------------ Zeek

    @Test
    void decodeAgreesWithZeekLogs() throws Exception {
        Path dir = corpus();
        Path logs = dir.resolve("zeek_mqtt.expected/zeek/base.protocols.mqtt.mqtt");
        assumeTrue(Files.isDirectory(logs), "zeek_mqtt expected logs not present");
        List<Map<String, Object>> ours = DecodeRun.decode(dir.resolve("zeek_mqtt.pcap"), "mqtt", tmp);

        // mqtt_connect.log: orig port, proto_name, proto_version, client_id, connect_status
        Set<String> zeekConnect = new TreeSet<>();
        for (Map<String, String> r : zeekLog(logs.resolve("mqtt_connect.log"))) {
            zeekConnect.add(String.join(" ", r.get("id.orig_p"), r.get("proto_name"), r.get("proto_version"),
                r.get("client_id"), r.get("connect_status")));
        }
        Set<String> ourConnect = new TreeSet<>();
        for (Map<String, Object> c : ours) {
            if (!"CONNECT".equals(c.get("msg_type"))) {
                continue;
            }
            Object port = c.get("src_port");
            Map<String, Object> ack = ours.stream().filter(a -> "CONNACK".equals(a.get("msg_type"))
                && port.equals(a.get("dst_port"))).findFirst().orElseThrow();
            long version = ((Number) c.get("protocol_version")).longValue();
            ourConnect.add(String.join(" ", str(port), str(c.get("protocol_name")),
                version == 3 ? "3.1" : version == 4 ? "3.1.1" : "5.0", str(c.get("client_id")),
                ((Number) ack.get("return_code")).longValue() == 0 ? "Connection Accepted" : "refused"));
        }
        assertEquals(zeekConnect, ourConnect, "mqtt_connect.log");

        // mqtt_subscribe.log: action, topics, requested QoS, granted QoS
        Set<String> zeekSub = new TreeSet<>();
        for (Map<String, String> r : zeekLog(logs.resolve("mqtt_subscribe.log"))) {
            zeekSub.add(String.join(" ", r.get("action"), r.get("topics"), r.get("qos_levels"),
                r.get("granted_qos_level")));
        }
        Set<String> ourSub = new TreeSet<>();
        for (Map<String, Object> s : ours) {
            if ("SUBSCRIBE".equals(s.get("msg_type"))) {
                Object id = s.get("packet_id");
                Map<String, Object> ack = ours.stream().filter(a -> "SUBACK".equals(a.get("msg_type"))
                    && id.equals(a.get("packet_id"))).findFirst().orElseThrow();
                ourSub.add(String.join(" ", "MQTT::SUBSCRIBE", str(s.get("topics")).replace('|', ','),
                    str(s.get("requested_qos")).replace('|', ','), str(ack.get("return_codes"))));
            }
        }
        assertEquals(zeekSub, ourSub, "mqtt_subscribe.log");

        // mqtt_publish.log: orig port, from_client, retain, qos, topic, payload_len
        List<String> zeekPub = new ArrayList<>();
        for (Map<String, String> r : zeekLog(logs.resolve("mqtt_publish.log"))) {
            zeekPub.add(String.join(" ", r.get("id.orig_p"), r.get("from_client"), r.get("retain"), r.get("qos"),
                r.get("topic"), r.get("payload_len")));
        }
        List<String> ourPub = new ArrayList<>();
        for (Map<String, Object> p : ours) {
            if ("PUBLISH".equals(p.get("msg_type"))) {
                boolean fromClient = ((Number) p.get("dst_port")).longValue() == 1883;
                long qos = ((Number) p.get("qos")).longValue();
                ourPub.add(String.join(" ", str(fromClient ? p.get("src_port") : p.get("dst_port")),
                    fromClient ? "T" : "F", Boolean.TRUE.equals(p.get("retain")) ? "T" : "F",
                    qos == 0 ? "at most once" : qos == 1 ? "at least once" : "exactly once", str(p.get("topic")),
                    str(p.get("payload_len"))));
            }
        }
        assertEquals(zeekPub, ourPub, "mqtt_publish.log (in log order)");
    }

    /** A Zeek TSV log as rows of field name → value. */
    private static List<Map<String, String>> zeekLog(Path log) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] names = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("#fields")) {
                names = line.substring("#fields".length() + 1).split("\t");
            } else if (!line.startsWith("#") && names != null && !line.isBlank()) {
                String[] c = line.split("\t", -1);
                Map<String, String> r = new LinkedHashMap<>();
                for (int i = 0; i < names.length && i < c.length; i++) {
                    r.put(names[i], c[i]);
                }
                rows.add(r);
            }
        }
        return rows;
    }
}
