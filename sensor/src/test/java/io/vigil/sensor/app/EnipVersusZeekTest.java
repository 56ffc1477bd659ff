package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil decode --proto enip} against the Zeek (cisagov icsnpp-enip) baselines and the
 * Suricata-verify expectations in the shared corpus, on the fields that map:
 * <ul>
 * <li>enip.log: command, length, session handle, status, sender context, options per
 *     encapsulation message;</li>
 * <li>cip.log: one record per CIP service, a Multiple Service Packet's own and each of its
 *     services': sequence count, direction, service (7 bits), status (responses), class, instance
 *     and attribute of the request path (requests);</li>
 * <li>cip_io.log: connection id, sequence number, data length per implicit I/O datagram;</li>
 * <li>cip_identity.log: vendor, device type, product code, revision, status, serial, product name,
 *     state;</li>
 * <li>Suricata (sv_enip_test1, enip_cip_example): the ListIdentity identity (revision 4.3,
 *     1756-ENBT/A, vendor 1, status success) and the 41 Multiple Service Packet requests to class 2
 *     instance 1.</li>
 * </ul>
 * Records are compared as multisets (Zeek's timestamps are masked): every Zeek record must be among
 * ours and ours must not have more.
 */
class EnipVersusZeekTest {
    @TempDir
    Path tmp;

    @Test
    void zeekLogsMatch() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        Path dir = corpus.resolve("enip");
        assumeTrue(Files.isDirectory(dir), "no enip corpus");
        StringBuilder report = new StringBuilder();
        long zeekRecords = 0;
        long matched = 0;
        List<String> problems = new ArrayList<>();
        for (Path pcap : TestSupport.captures(dir)) {
            String name = pcap.getFileName().toString();
            Path zeek = dir.resolve(name.replaceAll("\\.pcap(ng)?$", "") + ".expected/zeek-icsnpp");
            if (!Files.isDirectory(zeek)) {
                continue;
            }
            List<Map<String, Object>> lines = decode(pcap);
            String[] logs = {"enip.log", "cip.log", "cip_io.log", "cip_identity.log"};
            for (String log : logs) {
                Path f = zeek.resolve(log);
                if (!Files.exists(f)) {
                    continue;
                }
                Map<String, Integer> theirs = zeekRecords(f, log);
                Map<String, Integer> ours = ourRecords(lines, log);
                int total = theirs.values().stream().mapToInt(Integer::intValue).sum();
                int found = 0;
                for (var e : theirs.entrySet()) {
                    int have = ours.getOrDefault(e.getKey(), 0);
                    found += Math.min(have, e.getValue());
                    if (have < e.getValue()) {
                        problems.add(name + " " + log + ": zeek has " + e.getValue() + " x [" + e.getKey() + "], ours "
                            + have);
                    }
                }
                for (var e : ours.entrySet()) {
                    int extra = e.getValue() - theirs.getOrDefault(e.getKey(), 0);
                    if (extra > 0) {
                        problems.add(name + " " + log + ": ours has " + extra + " more [" + e.getKey() + "]");
                    }
                }
                zeekRecords += total;
                matched += found;
                report.append(String.format("%-45s %-17s zeek %5d  matched %5d  ours %5d%n", name, log, total, found,
                    ours.values().stream().mapToInt(Integer::intValue).sum()));
            }
        }
        report.append(String.format("TOTAL zeek records %d, matched %d%n", zeekRecords, matched));
        System.out.print("EnipVersusZeekTest\n" + report);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(zeekRecords > 1500, "zeek records: " + zeekRecords);
    }

    @Test
    void suricataExpectationsHold() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        Path sv = corpus.resolve("enip/sv_enip_test1.pcap");
        Path example = corpus.resolve("enip/icsnpp_enip_cip_example.pcap");
        assumeTrue(Files.exists(sv) && Files.exists(example), "suricata-verify captures absent");
        int identities = 0;
        for (Map<String, Object> j : decode(sv)) {
            if ("list_identity".equals(j.get("command")) && j.get("vendor_id") != null) {
                identities++;
                assertEquals("4.3", j.get("revision"));
                assertEquals("1756-ENBT/A", j.get("product_name"));
                assertEquals(1L, j.get("vendor_id")); // Rockwell Automation/Allen-Bradley
                assertEquals(0L, j.get("status"));
            }
        }
        assertEquals(1, identities, "one ListIdentity response (suricata: one enip event with identity)");
        int msp = 0;
        for (Map<String, Object> j : decode(example)) {
            if (Long.valueOf(0x0A).equals(j.get("cip_service")) && Long.valueOf(2).equals(j.get("class"))
                && Long.valueOf(1).equals(j.get("instance"))) {
                msp++;
            }
        }
        assertEquals(41, msp, "suricata: 41 Multiple Service Packet requests to Message Router instance 1");
    }

    private List<Map<String, Object>> decode(Path pcap) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Map<String, Object> j : DecodeRun.decode(pcap, "enip", tmp)) {
            if (!DecodeRun.mismatch(j)) {
                lines.add(j);
            }
        }
        return lines;
    }

    /** Zeek records after the 11 connection columns (ts, uid, id, is_orig, source/destination), joined by '|'. */
    private static Map<String, Integer> zeekRecords(Path f, String log) throws java.io.IOException {
        Map<String, Integer> m = new TreeMap<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            String rec;
            switch (log) {
                case "enip.log":
                    // command code, name, length, session, status, context, options
                    rec = String.join("|", c[11], c[13], c[14], c[15], c[16], c[17]);
                    break;
                case "cip.log":
                    // seq, direction, service code, name, status code, status, ext code, ext, class, name, instance, attr
                    rec = String.join("|", c[11], c[12], c[13], c[15], c[19], c[21], c[22]);
                    break;
                case "cip_io.log":
                    rec = String.join("|", c[11], c[12], c[13]);
                    break;
                default:
                    // version, address, port, vendor id, name, type id, name, product, revision, status, serial, name, state
                    rec = String.join("|", c[14], c[16], c[18], c[19], c[20], c[21], c[22], c[23]);
                    break;
            }
            m.merge(rec, 1, Integer::sum);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> ourRecords(List<Map<String, Object>> lines, String log) {
        Map<String, Integer> m = new TreeMap<>();
        for (Map<String, Object> j : lines) {
            boolean io = "io".equals(j.get("kind"));
            switch (log) {
                case "enip.log":
                    if (!io) {
                        long status = ((Number) j.get("status")).longValue();
                        long options = j.get("options") == null ? 0 : ((Number) j.get("options")).longValue();
                        m.merge(String.join("|", String.format("0x%02x", num(j.get("command_id"))),
                            str(j.get("length")), hex8(j.get("session")), status == 0 ? "Success" : "0x" + status,
                            "0x" + j.get("sender_context"), String.format("0x%08x", options)), 1, Integer::sum);
                    }
                    break;
                case "cip_io.log":
                    if (io) {
                        m.merge(String.join("|", hex8(j.get("connection_id")), str(j.get("sequence")),
                            str(j.get("data_length"))), 1, Integer::sum);
                    }
                    break;
                case "cip.log": {
                    if (io || j.get("cip_service") == null) {
                        break;
                    }
                    boolean response = Boolean.TRUE.equals(j.get("is_response"));
                    String seq = j.get("cip_sequence") == null ? "-" : str(j.get("cip_sequence"));
                    String dir = response ? "response" : "request";
                    int service = num(j.get("cip_service")) & 0x7F;
                    m.merge(cipRecord(seq, dir, service, response ? j.get("general_status") : null,
                        response ? null : j.get("class"), response ? null : j.get("instance"),
                        response ? null : j.get("attribute")), 1, Integer::sum);
                    if (j.get("services") != null) {
                        for (Map<String, Object> s : (List<Map<String, Object>>) j.get("services")) {
                            m.merge(cipRecord(seq, dir, num(s.get("service")) & 0x7F, s.get("general_status"),
                                s.get("class"), s.get("instance"), s.get("attribute")), 1, Integer::sum);
                        }
                    }
                    break;
                }
                default:
                    if (j.get("vendor_id") != null) {
                        m.merge(String.join("|", str(j.get("vendor_id")), str(j.get("device_type")),
                            str(j.get("product_code")), str(j.get("revision")),
                            String.format("0x%04x", num(j.get("device_status"))), str(j.get("serial_number")),
                            str(j.get("product_name")), String.format("0x%04x", num(j.get("device_state")))), 1,
                            Integer::sum);
                    }
                    break;
            }
        }
        return m;
    }

    private static String cipRecord(String seq, String dir, int service, Object status, Object cls, Object instance,
                                    Object attribute) {
        return String.join("|", seq, dir, String.format("0x%02x", service), hexOrDash(status), hexOrDash(cls),
            hexOrDash(instance), hexOrDash(attribute));
    }

    private static String hexOrDash(Object o) {
        return o == null ? "-" : String.format("0x%02x", ((Number) o).longValue());
    }

    private static int num(Object o) {
        return o == null ? -1 : ((Number) o).intValue();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String hex8(Object o) {
        return o == null ? "" : String.format("0x%08x", ((Number) o).longValue());
    }
}
