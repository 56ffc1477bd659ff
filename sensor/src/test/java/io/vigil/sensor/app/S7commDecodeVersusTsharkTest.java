package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import io.vigil.sensor.testsupport.FieldAgreement;
import io.vigil.sensor.testsupport.KnownDifferences;
import io.vigil.sensor.testsupport.Tshark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end differential test of S7 against Wireshark on {@code ../shared/pcaps/s7comm}: every capture is decoded
 * by {@code vigil decode --proto s7comm} in-process (L2-L4 decoder, flow table, TCP reassembler, app layer, TPKT/COTP
 * framing and reassembly, S7 parser) and compared frame by frame, one field of one frame at a time, PDUs of a frame
 * joined with {@code |} as tshark aggregates them; a field counts as compared when either side has a value.
 *
 * <ol>
 * <li>Against the committed {@code *.tshark.csv} (tshark 4.0): ROSCTR, parameter function, userdata subfunction.</li>
 * <li>With tshark on PATH, against a live run over all captures with more fields: PDU reference, error class and
 * code, item count, item area/DB/byte address (timer and counter numbers apart), userdata function group, SZL id and
 * index, PI service name, block file name, negotiated PDU size. tshark shows the userdata subfunction of group 0
 * (mode transition) as "current mode", a different field: ours is not compared there.</li>
 * <li>With tshark, the ISO-on-TCP layer of every capture, S7comm-plus included (tshark 4.0 has no S7comm-plus
 * dissector but reassembles COTP): COTP CR/CC with their TSAPs, and for each completed data unit starting with 0x72
 * our S7comm-plus line in the same frame with the same version and data length (bytes 1-3 of tshark's reassembled
 * data).</li>
 * </ol>
 *
 * <p>Every disagreement must be listed with its reason in {@code src/test/resources/s7comm/known-differences.txt}
 * (file, frame, field, ours, tshark's, reason; tab-separated); a listed one that no longer occurs fails the test too.
 * Report in {@code target/s7comm-diff-report.txt}, unlisted differences in {@code target/s7comm-diff-unlisted.txt}.
 */
class S7commDecodeVersusTsharkTest {
    private static final String[] CSV_FIELDS = {"s7comm.header.rosctr", "s7comm.param.func",
        "s7comm.param.userdata.subfunc"};
    private static final String[] LIVE_FIELDS = {"s7comm.header.pduref", "s7comm.header.errcls",
        "s7comm.header.errcod", "s7comm.param.itemcount", "s7comm.param.item.area", "s7comm.param.item.db",
        "s7comm.param.item.address.byte", "s7comm.param.item.address.number", "s7comm.param.userdata.funcgroup",
        "s7comm.data.userdata.szl_id", "s7comm.data.userdata.szl_index", "s7comm.param.pistart.servicename",
        "s7comm.param.blockcontrol.filename", "s7comm.param.pdu_length"};
    private static final String[] COTP_FIELDS = {"cotp.type", "cotp.src-tsap", "cotp.dst-tsap", "s7plus.version",
        "s7plus.length"};

    @TempDir
    Path tmp;

    private KnownDifferences known;
    private FieldAgreement agreement;
    private final StringBuilder report = new StringBuilder();

    @Test
    void decodeAgreesWithTshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null && Files.isDirectory(corpus.resolve("s7comm")), "../shared/pcaps/s7comm not present");
        List<Path> captures = TestSupport.captures(corpus.resolve("s7comm"));
        known = KnownDifferences.load("/s7comm/known-differences.txt");
        agreement = new FieldAgreement(known);
        boolean tshark = TestSupport.onPath("tshark");
        long frames = 0;
        int withCsv = 0;
        for (Path pcap : captures) {
            String name = pcap.getFileName().toString();
            Map<Long, List<Map<String, String>>> ours = decode(pcap);
            Path csv = Tshark.csvOf(pcap);
            if (Files.exists(csv)) {
                withCsv++;
                frames += compare(name, "csv", ours, Tshark.csvByFrame(csv), CSV_FIELDS);
            }
            if (tshark) {
                compare(name, "live", ours, Tshark.fieldMaps(pcap, "s7comm", false, LIVE_FIELDS), LIVE_FIELDS);
                compare(name, "cotp", ours, cotpView(pcap), COTP_FIELDS);
            }
        }
        long compared = agreement.compared();
        double pct = agreement.percent();
        report.insert(0, String.format("S7comm vs tshark: %d captures (%d with csv), %d csv frames, %d fields compared,"
                + " %d agree (%.4f%%), %s%s%n", captures.size(), withCsv, frames, compared, agreement.agreed(), pct,
            known.counts(), tshark ? "" : " [tshark not on PATH: csv only]"));
        report.append("\nper field:\n");
        agreement.appendPerField(report, "  %-45s %6d compared %6d agree%n");
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("s7comm-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        known.writeUnlisted(target.resolve("s7comm-diff-unlisted.txt"));
        System.out.print(report);

        String failures = known.failures(tshark, 40);
        assertTrue(failures.isEmpty(), failures);
        assertTrue(withCsv >= 10 && frames >= 500, "csv captures " + withCsv + ", frames " + frames);
        assertTrue(compared > (tshark ? 4000 : 1500), "fields compared: " + compared);
        assertTrue(pct >= 99.0, "agreement " + pct + "%");
    }

    /**
     * The captures without a csv are S7comm-plus (TIA portal, HMI, OPC server against S7-1200/1500): each must be
     * classified as S7 and give S7comm-plus lines with opcodes and function codes, none malformed.
     */
    @Test
    void plusCapturesAreRecognised() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null && Files.isDirectory(corpus.resolve("s7comm")), "../shared/pcaps/s7comm not present");
        int files = 0;
        for (Path pcap : TestSupport.captures(corpus.resolve("s7comm"))) {
            if (Files.exists(Tshark.csvOf(pcap))) {
                continue;
            }
            files++;
            int plus = 0;
            int withFunction = 0;
            for (Map<String, Object> j : DecodeRun.decode(pcap, "s7comm", tmp)) {
                assertTrue(j.get("malformed") == null && j.get("protocol_mismatch") == null, pcap + ": " + j);
                if (Boolean.TRUE.equals(j.get("s7plus"))) {
                    plus++;
                    if (j.get("function") != null) {
                        withFunction++;
                    }
                }
            }
            assertTrue(plus >= 10 && withFunction >= plus / 2, pcap + ": " + plus + " S7comm-plus lines, "
                + withFunction + " with a function code");
        }
        assertTrue(files >= 4, "S7comm-plus captures: " + files);
    }

    /** Our PDU lines per frame, each reduced to tshark's field names and formats. */
    private Map<Long, List<Map<String, String>>> decode(Path pcap) throws IOException {
        Map<Long, List<Map<String, String>>> ours = new TreeMap<>();
        for (Map<String, Object> j : DecodeRun.decode(pcap, "s7comm", tmp)) {
            if (DecodeRun.mismatch(j)) {
                continue;
            }
            ours.computeIfAbsent(DecodeRun.frame(j), k -> new ArrayList<>()).add(view(j));
        }
        return ours;
    }

    static Map<String, String> view(Map<String, Object> j) {
        Map<String, String> v = new HashMap<>();
        String cotp = str(j.get("cotp"));
        if (cotp.equals("CR") || cotp.equals("CC")) {
            v.put("cotp.type", cotp.equals("CR") ? "0x0e" : "0x0d");
            v.put("cotp.src-tsap", str(j.get("src_tsap")));
            v.put("cotp.dst-tsap", str(j.get("dst_tsap")));
        }
        if (Boolean.TRUE.equals(j.get("s7plus"))) {
            v.put("s7plus.version", str(j.get("version")));
            v.put("s7plus.length", str(j.get("length")));
            return v;
        }
        if (!Boolean.FALSE.equals(j.get("s7plus"))) {
            return v;
        }
        v.put("s7comm.header.rosctr", str(j.get("rosctr")));
        v.put("s7comm.header.pduref", str(j.get("pdu_ref")));
        v.put("s7comm.header.errcls", hex(j.get("error_class"), 2));
        v.put("s7comm.header.errcod", hex(j.get("error_code"), 2));
        v.put("s7comm.param.func", hex(j.get("func_code"), 2));
        v.put("s7comm.param.itemcount", str(j.get("item_count")));
        List<String> area = new ArrayList<>();
        List<String> db = new ArrayList<>();
        List<String> address = new ArrayList<>();
        List<String> number = new ArrayList<>();
        if (j.get("items") instanceof List<?> items) {
            for (Object o : items) {
                @SuppressWarnings("unchecked")
                Map<String, Object> item = (Map<String, Object>) o;
                if (item.get("area_id") == null) {
                    continue;
                }
                area.add(hex(item.get("area_id"), 2));
                db.add(str(item.get("db")));
                if (item.get("address") != null) {
                    address.add(str(item.get("address")));
                } else {
                    number.add(str(item.get("number")));
                }
            }
        }
        v.put("s7comm.param.item.area", String.join("|", area));
        v.put("s7comm.param.item.db", String.join("|", db));
        v.put("s7comm.param.item.address.byte", String.join("|", address));
        v.put("s7comm.param.item.address.number", String.join("|", number));
        Object group = j.get("userdata_group");
        v.put("s7comm.param.userdata.funcgroup", str(group));
        // group 0 (mode transition): tshark shows the byte as "current mode", another field
        v.put("s7comm.param.userdata.subfunc", group != null && ((Number) group).intValue() == 0 ? ""
            : str(j.get("subfunc")));
        v.put("s7comm.data.userdata.szl_id", hex(j.get("szl_id"), 4));
        v.put("s7comm.data.userdata.szl_index", hex(j.get("szl_index"), 4));
        v.put("s7comm.param.pistart.servicename", str(j.get("pi_service")));
        v.put("s7comm.param.blockcontrol.filename", str(j.get("filename")));
        v.put("s7comm.param.pdu_length", str(j.get("pdu_size")));
        return v;
    }

    /** Compares one reference with ours; returns the number of frames either side has a value in. */
    private long compare(String name, String source, Map<Long, List<Map<String, String>>> ours,
                         Map<Long, Map<String, String>> theirs, String[] fields) {
        Set<Long> all = new TreeSet<>(theirs.keySet());
        for (Map.Entry<Long, List<Map<String, String>>> e : ours.entrySet()) {
            for (Map<String, String> v : e.getValue()) {
                for (String f : fields) {
                    if (!v.getOrDefault(f, "").isEmpty()) {
                        all.add(e.getKey());
                    }
                }
            }
        }
        long fileCompared = 0;
        long fileAgreed = 0;
        for (long frame : all) {
            Map<String, String> t = theirs.getOrDefault(frame, Map.of());
            for (String f : fields) {
                List<String> o = new ArrayList<>();
                for (Map<String, String> v : ours.getOrDefault(frame, List.of())) {
                    String x = v.getOrDefault(f, "");
                    if (!x.isEmpty()) {
                        o.add(x);
                    }
                }
                String ov = String.join("|", o);
                String tv = t.getOrDefault(f, "");
                if (ov.isEmpty() && tv.isEmpty()) {
                    continue;
                }
                fileCompared++;
                if (agreement.compare(source + " " + f, name, frame, f, ov, tv)) {
                    fileAgreed++;
                }
            }
        }
        report.append(String.format("%-48s %-4s %6d frames %6d fields %6d agree%n", name, source, all.size(),
            fileCompared, fileAgreed));
        return all.size();
    }

    /**
     * tshark's ISO-on-TCP view: CR/CC with TSAPs (hex TSAPs as "0x0102" become "0102"), and S7comm-plus version
     * and data length from the first bytes of each reassembled data unit that starts with 0x72.
     */
    private static Map<Long, Map<String, String>> cotpView(Path pcap) throws IOException, InterruptedException {
        Map<Long, Map<String, String>> raw = Tshark.fieldMaps(pcap, "cotp", false, "cotp.type", "cotp.src-tsap", "cotp.dst-tsap",
            "data.data");
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        for (Map.Entry<Long, Map<String, String>> e : raw.entrySet()) {
            Map<String, String> r = e.getValue();
            Map<String, String> v = new HashMap<>();
            String type = r.getOrDefault("cotp.type", "");
            if (type.equals("0x0e") || type.equals("0x0d")) {
                v.put("cotp.type", type);
                v.put("cotp.src-tsap", tsap(r.get("cotp.src-tsap")));
                v.put("cotp.dst-tsap", tsap(r.get("cotp.dst-tsap")));
            }
            String data = r.getOrDefault("data.data", "");
            if (type.equals("0x0f") && data.startsWith("72") && data.length() >= 8) {
                v.put("s7plus.version", Integer.toString(Integer.parseInt(data.substring(2, 4), 16)));
                v.put("s7plus.length", Integer.toString(Integer.parseInt(data.substring(4, 8), 16)));
            }
            if (!v.isEmpty()) {
                rows.put(e.getKey(), v);
            }
        }
        return rows;
    }

    private static String tsap(String t) {
        if (t == null) {
            return "";
        }
        return t.startsWith("0x") ? t.substring(2) : t;
    }

    private static String hex(Object o, int digits) {
        if (o == null) {
            return "";
        }
        return String.format("0x%0" + digits + "x", ((Number) o).longValue());
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
