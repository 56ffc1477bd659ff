package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import io.vigil.sensor.testsupport.FieldAgreement;
import io.vigil.sensor.testsupport.KnownDifferences;
import io.vigil.sensor.testsupport.Tshark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end differential test of the EtherNet/IP + CIP decoder against Wireshark on the shared
 * corpus ({@code ../shared/pcaps/enip} and {@code attacks/quickdraw_enip}): each capture is decoded by
 * {@code vigil decode --proto enip} in-process (the sensor's own path: L2-L4 decoder, flow table, TCP
 * reassembler, app layer, parser, request matching) and by tshark run here (no csv is committed for
 * ENIP), and the two are compared field by field, frame by frame.
 *
 * <p>Unit of comparison: one field of one frame; our messages completing in a frame are listed in
 * output order and joined with {@code |}, as tshark aggregates occurrences. A field counts as
 * compared when either side has a value. How our lines map to tshark's fields:
 * <ul>
 * <li>enip.command/session/status/context, enip.cpf.cai.connid, cip.seq, enip.cpf.sai.connid/seq (I/O),
 *     enip.rs.version, enip.lir.vendor/serial/name: one value per message. tshark reads the first two
 *     context bytes of a ListIdentity request as "max response delay", so only the last six are
 *     compared there.</li>
 * <li>cip.sc: the service (7 bits), then on requests the embedded service of an Unconnected Send, then
 *     each service of a Multiple Service Packet. cip.genstat: the general status, then each service's.</li>
 * <li>cip.class/cip.instance: for a connected message the object its connection reaches (from the
 *     Forward Open seen on the flow), then the request path (its first and, for Logix nested objects,
 *     second class/instance pair), the embedded request's path, the Forward
 *     Open/Close connection path, each service's path (requests). On responses tshark shows either
 *     the connection's object alone or its matched request's paths; vigil carries the request's own
 *     and embedded path onto a matched response (not each MSP service's), so on responses, when both
 *     have values, the common prefix is compared.</li>
 * <li>cip.attribute (requests only): path attributes and the ids of Get/Set_Attribute_List, in wire
 *     order. On responses tshark mixes the request's with the ids it could decode from the reply
 *     data (which needs each object's attribute types), which vigil does not decode.</li>
 * <li>cip.symbol, cip.cm.ot_connid/to_connid, cip.cm.otrpi/torpi (requests).</li>
 * </ul>
 *
 * <p>Every disagreement must be listed with its reason in
 * {@code src/test/resources/app/enip-known-differences.txt} (file, frame, field, ours, tshark's,
 * reason; tab-separated); a listed one that no longer occurs fails too. Report:
 * {@code target/enip-diff-report.txt}.
 */
class EnipDecodeVersusTsharkTest {
    private static final String[] FIELDS = {"enip.command", "enip.session", "enip.status", "enip.context",
        "enip.cpf.cai.connid", "cip.seq", "enip.cpf.sai.connid", "enip.cpf.sai.seq", "enip.rs.version",
        "enip.lir.vendor", "enip.lir.serial", "enip.lir.name", "cip.sc", "cip.genstat", "cip.class", "cip.instance",
        "cip.attribute", "cip.symbol", "cip.cm.ot_connid", "cip.cm.to_connid", "cip.cm.otrpi", "cip.cm.torpi"};
    private static final int CLASS = index("cip.class");
    private static final int INSTANCE = index("cip.instance");
    private static final int ATTRIBUTE = index("cip.attribute");
    private static final int RPI_OT = index("cip.cm.otrpi");
    private static final int RPI_TO = index("cip.cm.torpi");

    @TempDir
    Path tmp;

    private KnownDifferences known;
    private FieldAgreement agreement;
    private final StringBuilder report = new StringBuilder();

    @Test
    void decodeAgreesWithTshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        assumeTrue(TestSupport.onPath("tshark"), "tshark not on PATH");
        List<Path> files = new ArrayList<>();
        for (String dir : new String[] {"enip", "attacks/quickdraw_enip"}) {
            if (Files.isDirectory(corpus.resolve(dir))) {
                files.addAll(TestSupport.captures(corpus.resolve(dir)));
            }
        }
        assumeTrue(!files.isEmpty(), "no ENIP captures");
        known = KnownDifferences.load("/app/enip-known-differences.txt");
        agreement = new FieldAgreement(known);
        report.append(String.format("%-45s %7s %7s %7s %8s %8s%n", "file", "frames", "ours", "tshark", "fields",
            "agree"));
        long frames = 0;
        for (Path f : files) {
            frames += compareFile(f);
        }
        long compared = agreement.compared();
        double pct = agreement.percent();
        report.append(String.format("%nTOTAL %d files, %d frames, %d fields compared, %d agree (%.4f%%), %s%n",
            files.size(), frames, compared, agreement.agreed(), pct, known.counts()));
        report.append("\nper field:\n");
        agreement.appendPerField(report, "  %-22s %7d compared %7d agree%n");
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("enip-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        known.writeUnlisted(target.resolve("enip-diff-unlisted.txt"));
        System.out.print("EnipDecodeVersusTsharkTest\n" + report);

        String failures = known.failures();
        assertTrue(failures.isEmpty(), failures);
        assertTrue(compared > 10_000, "fields compared: " + compared);
        assertTrue(pct >= 99.0, "agreement " + pct + "%");
    }

    private long compareFile(Path pcap) throws Exception {
        String name = pcap.getFileName().toString();

        Map<Long, List<List<String>>> ours = new TreeMap<>();
        Map<Long, Boolean> oursResponse = new TreeMap<>();
        for (Map<String, Object> j : DecodeRun.decode(pcap, "enip", tmp)) {
            if (DecodeRun.mismatch(j)) {
                continue;
            }
            long frame = DecodeRun.frame(j);
            List<List<String>> perFrame = ours.computeIfAbsent(frame, k -> {
                List<List<String>> l = new ArrayList<>();
                for (int i = 0; i < FIELDS.length; i++) {
                    l.add(new ArrayList<>());
                }
                return l;
            });
            view(j, perFrame);
            oursResponse.merge(frame, Boolean.TRUE.equals(j.get("is_response")), (a, b) -> a || b);
        }

        Map<Long, String[]> theirs = Tshark.fields(pcap, "enip", false, FIELDS);

        Set<Long> all = new TreeSet<>(ours.keySet());
        all.addAll(theirs.keySet());
        long fileCompared = 0;
        long fileAgreed = 0;
        for (long frame : all) {
            List<List<String>> o = ours.get(frame);
            String[] t = theirs.get(frame);
            boolean response = oursResponse.getOrDefault(frame, false);
            for (int i = 0; i < FIELDS.length; i++) {
                List<String> ol = o == null ? List.of() : o.get(i);
                String tv = t == null ? "" : t[i];
                if (response && (i == ATTRIBUTE || i == RPI_OT || i == RPI_TO)) {
                    continue; // see class javadoc: not compared on responses
                }
                if (response && (i == CLASS || i == INSTANCE) && !tv.isEmpty() && !ol.isEmpty()) {
                    List<String> parts = List.of(tv.split("\\|"));
                    int n = Math.min(parts.size(), ol.size());
                    tv = String.join("|", parts.subList(0, n));
                    ol = ol.subList(0, n);
                }
                String ov = String.join("|", ol);
                if (ov.isEmpty() && tv.isEmpty()) {
                    continue;
                }
                fileCompared++;
                if (agreement.compare(name, frame, FIELDS[i], ov, tv)) {
                    fileAgreed++;
                }
            }
        }
        report.append(String.format("%-45s %7d %7d %7d %8d %8d  %.3f%%%n", name, all.size(), ours.size(),
            theirs.size(), fileCompared, fileAgreed, fileCompared == 0 ? 100.0 : 100.0 * fileAgreed / fileCompared));
        return all.size();
    }

    /** Appends what tshark would show for this line to each field's list. */
    @SuppressWarnings("unchecked")
    private static void view(Map<String, Object> j, List<List<String>> f) {
        if ("io".equals(j.get("kind"))) {
            add(f, "enip.cpf.sai.connid", hex8(j.get("connection_id")));
            add(f, "enip.cpf.sai.seq", str(j.get("sequence")));
            return;
        }
        int command = num(j.get("command_id"));
        add(f, "enip.command", String.format("0x%04x", command));
        add(f, "enip.session", hex8(j.get("session")));
        add(f, "enip.status", hex8(j.get("status")));
        String context = str(j.get("sender_context"));
        boolean listIdentityRequest = command == 0x63 && num(j.get("length")) == 0;
        add(f, "enip.context", listIdentityRequest ? context.substring(4) : context);
        add(f, "enip.cpf.cai.connid", hex8(j.get("connection_id")));
        add(f, "cip.seq", str(j.get("cip_sequence")));
        add(f, "enip.rs.version", str(j.get("protocol_version")).isEmpty() || command != 0x65 ? ""
            : str(j.get("protocol_version")));
        if (j.get("vendor_id") != null) {
            add(f, "enip.lir.vendor", String.format("0x%04x", num(j.get("vendor_id"))));
            add(f, "enip.lir.serial", str(j.get("serial_number")));
            add(f, "enip.lir.name", str(j.get("product_name")));
        }
        if (j.get("cip_service") == null) {
            return;
        }
        boolean response = Boolean.TRUE.equals(j.get("is_response"));
        List<Map<String, Object>> services = j.get("services") == null ? List.of()
            : (List<Map<String, Object>>) j.get("services");
        add(f, "cip.sc", hex2(num(j.get("cip_service")) & 0x7F));
        if (!response && j.get("embedded_service") != null) {
            add(f, "cip.sc", hex2(num(j.get("embedded_service")) & 0x7F));
        }
        for (Map<String, Object> s : services) {
            add(f, "cip.sc", hex2(num(s.get("service")) & 0x7F));
        }
        if (response) {
            add(f, "cip.genstat", hexOpt(j.get("general_status")));
            for (Map<String, Object> s : services) {
                add(f, "cip.genstat", hexOpt(s.get("general_status")));
            }
        }
        // tshark puts the connection's object (from its Forward Open) before a connected message's path
        add(f, "cip.class", hexOpt(j.get("connection_class")));
        add(f, "cip.instance", hexOpt(j.get("connection_instance")));
        add(f, "cip.class", hexOpt(j.get("class")));
        add(f, "cip.instance", hexOpt(j.get("instance")));
        add(f, "cip.attribute", str(j.get("attribute")));
        boolean embedded = j.get("embedded_service") != null;
        if (!embedded) {
            add(f, "cip.class", hexOpt(j.get("nested_class")));
            add(f, "cip.instance", hexOpt(j.get("nested_instance")));
        }
        add(f, "cip.class", hexOpt(j.get("embedded_class")));
        add(f, "cip.instance", hexOpt(j.get("embedded_instance")));
        if (embedded) {
            add(f, "cip.class", hexOpt(j.get("nested_class")));
            add(f, "cip.instance", hexOpt(j.get("nested_instance")));
        }
        add(f, "cip.attribute", str(j.get("embedded_attribute")));
        add(f, "cip.class", hexOpt(j.get("conn_path_class")));
        add(f, "cip.instance", hexOpt(j.get("conn_path_instance")));
        if (j.get("attributes") != null) {
            for (Object a : (List<Object>) j.get("attributes")) {
                add(f, "cip.attribute", str(a));
            }
        }
        for (Map<String, Object> s : services) {
            add(f, "cip.class", hexOpt(s.get("class")));
            add(f, "cip.instance", hexOpt(s.get("instance")));
            add(f, "cip.attribute", str(s.get("attribute")));
            if (s.get("attributes") != null) {
                for (Object a : (List<Object>) s.get("attributes")) {
                    add(f, "cip.attribute", str(a));
                }
            }
        }
        if (j.get("tag") != null) {
            for (String part : ((String) j.get("tag")).split("\\.")) {
                add(f, "cip.symbol", part);
            }
        }
        add(f, "cip.cm.ot_connid", hex8(j.get("ot_connection_id")));
        add(f, "cip.cm.to_connid", hex8(j.get("to_connection_id")));
        if (!response) {
            add(f, "cip.cm.otrpi", str(j.get("ot_rpi")));
            add(f, "cip.cm.torpi", str(j.get("to_rpi")));
        }
    }

    private static int index(String field) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(field)) {
                return i;
            }
        }
        throw new IllegalArgumentException(field);
    }

    private static void add(List<List<String>> f, String field, String v) {
        if (!v.isEmpty()) {
            f.get(index(field)).add(v);
        }
    }

    private static int num(Object o) {
        return o == null ? -1 : ((Number) o).intValue();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String hex2(int v) {
        return String.format("0x%02x", v);
    }

    /** As tshark shows logical segment values: 8-bit as 0x%02x, 16-bit as 0x%04x, 32-bit as 0x%08x. */
    private static String hexOpt(Object o) {
        if (o == null) {
            return "";
        }
        long v = ((Number) o).longValue();
        return String.format(v > 0xFFFF ? "0x%08x" : v > 0xFF ? "0x%04x" : "0x%02x", v);
    }

    private static String hex8(Object o) {
        return o == null ? "" : String.format("0x%08x", ((Number) o).longValue());
    }
}
