package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our S7 decode ({@code vigil decode --proto s7comm}, end to end) against the ICSNPP Zeek plugin's baselines in
 * {@code ../shared/pcaps/s7comm/*.expected/zeek-icsnpp}: s7comm.log, s7comm_plus.log, s7comm_read_szl.log and
 * s7comm_upload_download.log. Timestamps are masked there, so records are compared as sequences in log order, field by
 * field, and must match exactly after these documented rules, which describe what the plugin leaves out or spells
 * differently (any other difference fails):
 * <ul>
 * <li>the plugin logs no Ack PDUs (ROSCTR 2, e.g. the error acks to refused Start Upload jobs);</li>
 * <li>it logs a multi-unit userdata response once, from its last unit: not the first unit (more data follows) nor
 * the follow-up request (long parameter form, return code 0x0A) that asks for the rest; and no SZL record for
 * either unit;</li>
 * <li>its PDU reference is the wire value read little-endian;</li>
 * <li>it puts the PI service name into subfunction_code of PI service jobs;</li>
 * <li>its userdata function_code is the type/group byte (0x44 = request, CPU functions).</li>
 * </ul>
 */
class S7commVersusZeekTest {
    @TempDir
    Path tmp;

    @Test
    void decodeAgreesWithIcsnppBaselines() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null && Files.isDirectory(corpus.resolve("s7comm")), "../shared/pcaps/s7comm not present");
        Path dir = corpus.resolve("s7comm");
        int records = 0;
        int logs = 0;
        for (String name : List.of("icsnpp_snap7", "icsnpp_s7ident", "icsnpp_s7comm_plus")) {
            Path pcap = dir.resolve(name + ".pcap");
            Path expected = dir.resolve(name + ".expected/zeek-icsnpp");
            if (!Files.exists(pcap) || !Files.isDirectory(expected)) {
                continue;
            }
            List<Map<String, Object>> ours = decode(pcap);
            records += compare(expected.resolve("s7comm.log"), ours, S7commVersusZeekTest::loggedS7comm,
                S7commVersusZeekTest::s7comm, "is_orig", "rosctr_code", "pdu_reference", "function_code",
                "subfunction_code", "error_code");
            records += compare(expected.resolve("s7comm_plus.log"), ours, j -> Boolean.TRUE.equals(j.get("s7plus")),
                S7commVersusZeekTest::s7plus, "is_orig", "version", "opcode", "function_code");
            records += compare(expected.resolve("s7comm_read_szl.log"), ours,
                j -> j.get("szl_id") != null && !multiUnit(j), S7commVersusZeekTest::szl, "is_orig", "method",
                "szl_id", "szl_index", "return_code");
            records += compare(expected.resolve("s7comm_upload_download.log"), ours,
                j -> j.get("func_code") instanceof Number f && f.intValue() >= 0x1A && f.intValue() <= 0x1F
                    && !Long.valueOf(2).equals(j.get("rosctr")),
                S7commVersusZeekTest::upDown, "is_orig", "rosctr", "pdu_reference", "function_name", "filename");
            logs++;
        }
        assumeTrue(logs > 0, "no ICSNPP S7 baselines");
        System.out.println("S7commVersusZeekTest: " + records + " Zeek records matched field by field");
        assertTrue(records >= 250, "records compared: " + records);
    }

    private List<Map<String, Object>> decode(Path pcap) throws IOException {
        return DecodeRun.decode(pcap, "s7comm", tmp);
    }

    /** Compares the log's records with ours, in order; returns the number of records. */
    private static int compare(Path log, List<Map<String, Object>> ours, Predicate<Map<String, Object>> logged,
                               Function<Map<String, Object>, String[]> view, String... fields) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        List<String> theirs = new ArrayList<>();
        for (Map<String, String> row : readZeek(log)) {
            String[] v = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                v[i] = row.get(fields[i]);
            }
            theirs.add(String.join(" ", v));
        }
        List<String> mine = new ArrayList<>();
        for (Map<String, Object> j : ours) {
            if (logged.test(j)) {
                mine.add(String.join(" ", view.apply(j)));
            }
        }
        assertEquals(String.join("\n", theirs), String.join("\n", mine), log + " (" + Arrays.toString(fields) + ")");
        assertTrue(!theirs.isEmpty(), log + " is empty");
        return theirs.size();
    }

    private static boolean loggedS7comm(Map<String, Object> j) {
        if (!Boolean.FALSE.equals(j.get("s7plus")) || Long.valueOf(2).equals(j.get("rosctr"))) {
            return false;
        }
        Object last = j.get("last_data_unit");
        boolean moreFollows = Long.valueOf(8).equals(j.get("userdata_type")) && last instanceof Number n
            && n.longValue() != 0;
        // a follow-up request uses the long parameter form (data unit reference) of a response
        boolean followUp = Long.valueOf(4).equals(j.get("userdata_type")) && j.get("data_unit_ref") != null;
        return !moreFollows && !followUp;
    }

    /** A unit of a multi-unit userdata response: the first (more follows) or one after a follow-up request. */
    private static boolean multiUnit(Map<String, Object> j) {
        Object last = j.get("last_data_unit");
        return Long.valueOf(8).equals(j.get("userdata_type"))
            && (last instanceof Number n && n.longValue() != 0 || Boolean.TRUE.equals(j.get("continuation")));
    }

    private static String[] s7comm(Map<String, Object> j) {
        long ref = num(j, "pdu_ref");
        String fc;
        String sub = "-";
        String error = hex2(j.get("error_code"));
        if (num(j, "rosctr") == 7) {
            fc = String.format("0x%02x", num(j, "userdata_type") << 4 | num(j, "userdata_group"));
            sub = hex2(j.get("subfunc"));
            if (num(j, "userdata_type") == 8) {
                error = hex2(j.get("userdata_error"));
            }
        } else {
            fc = hex2(j.get("func_code"));
            if (num(j, "func_code") == 0x28 && j.get("pi_service") != null) {
                sub = j.get("pi_service").toString();
            }
        }
        return new String[] {orig(j), Long.toString(num(j, "rosctr")), Long.toString((ref & 0xFF) << 8 | ref >>> 8),
            fc, sub, error};
    }

    private static String[] s7plus(Map<String, Object> j) {
        return new String[] {orig(j), j.get("version").toString(), hex2(j.get("opcode")),
            j.get("function") == null ? "-" : String.format("0x%04x", num(j, "function"))};
    }

    private static String[] szl(Map<String, Object> j) {
        return new String[] {orig(j), num(j, "userdata_type") == 4 ? "Request" : "Response",
            String.format("0x%04x", num(j, "szl_id")), String.format("0x%04x", num(j, "szl_index")),
            hex2(j.get("return_code"))};
    }

    private static final Map<String, String> UPDOWN = Map.of("request_download", "Request Download",
        "download_block", "Download Block", "download_ended", "Download Ended", "start_upload", "Start Upload",
        "upload", "Upload", "end_upload", "End Upload");

    private static String[] upDown(Map<String, Object> j) {
        long ref = num(j, "pdu_ref");
        return new String[] {orig(j), num(j, "rosctr") == 1 ? "Job-Request" : "ACK-Data",
            Long.toString((ref & 0xFF) << 8 | ref >>> 8), UPDOWN.get(j.get("func_name").toString()),
            j.get("filename") == null ? "-" : j.get("filename").toString()};
    }

    private static String orig(Map<String, Object> j) {
        return num(j, "dst_port") == 102 ? "T" : "F";
    }

    private static long num(Map<String, Object> j, String k) {
        Object o = j.get(k);
        return o instanceof Number n ? n.longValue() : -1;
    }

    private static String hex2(Object o) {
        return o instanceof Number n ? String.format("0x%02x", n.longValue()) : "-";
    }

    static List<Map<String, String>> readZeek(Path log) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        String[] fields = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("#fields")) {
                fields = line.substring("#fields\t".length()).split("\t");
            } else if (!line.startsWith("#") && fields != null && !line.isBlank()) {
                String[] c = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < fields.length && i < c.length; i++) {
                    row.put(fields[i], c[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
