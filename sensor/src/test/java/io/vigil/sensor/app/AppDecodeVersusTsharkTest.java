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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end differential test against Wireshark on the shared corpus ({@code ../shared/pcaps/modbus} and
 * {@code ../shared/pcaps/bacnet}): every capture with a committed {@code *.tshark.csv} (tshark 4.0,
 * {@code -E occurrence=a -E aggregator='|'}) is decoded by {@code vigil decode --proto modbus|bacnet} in-process,
 * i.e. through the sensor's own path (L2-L4 decoder, flow table, TCP reassembler, app layer, parsers, transaction
 * matching), and the PDU lines are compared with the csv frame by frame.
 *
 * <p>Unit of comparison: one field of one frame. Our PDUs completing in a frame are listed in output order and joined
 * with {@code |}, absent values dropped, exactly as tshark aggregates them, so the order of PDUs within a frame is
 * part of the comparison. A field counts as compared when either side has a value: a frame tshark decodes that we miss
 * (or the reverse) is a disagreement on every field the other side has.
 *
 * <p>Modbus: trans_id, prot_id, unit_id, func_code, exception_code, reference_num, word_cnt, bit_cnt, request_frame.
 * tshark 4.0 shows reference/count only where the PDU itself carries them: not for read responses (FC 1-4), FC 23,
 * FC 24 responses (their address comes from the matched request in our output) nor for exceptions; word_cnt for FC 3,
 * 4, 16, bit_cnt for FC 1, 2, 15, and the FIFO count of an FC 24 response as word_cnt. It links no exception response
 * to its request.
 *
 * <p>BACnet/IP: bvlc.function, bacapp.type, invoke id, confirmed/unconfirmed service, and the first occurrence of
 * object type, instance and property identifier (tshark lists every object identifier of a frame, values included;
 * our flyweight keeps the service's own parameters, the first in wire order). For ConfirmedCOVNotification requests,
 * UnconfirmedCOVNotification and I-Have the first object identifier on the wire is the device. Object/property
 * fields are compared when both sides have them; tshark-only occurrences are counted in the report as
 * "object fields tshark-only". Frames tshark decodes as BACnet but not over BACnet/IP (802.2 LLC, MS/TP in LLC: no
 * bvlc.function) are not UDP and outside vigil's BACnet/IP decoder; they are counted in the report, not compared.
 *
 * <p>Every disagreement must be listed, with its reason, in {@code src/test/resources/app/known-differences.txt}
 * (file, frame, field, ours, tshark's, reason; tab-separated); a listed one that no longer occurs fails the test too.
 * A summary goes to {@code target/app-diff-report.txt}; unlisted differences to
 * {@code target/app-diff-unlisted.txt} for review.
 */
class AppDecodeVersusTsharkTest {
    private static final String[] MODBUS_FIELDS = {"trans_id", "prot_id", "unit_id", "func_code", "exception_code",
        "reference_num", "word_cnt", "bit_cnt", "request_frame"};
    private static final String[] MODBUS_CSV = {"mbtcp.trans_id", "mbtcp.prot_id", "mbtcp.unit_id", "modbus.func_code",
        "modbus.exception_code", "modbus.reference_num", "modbus.word_cnt", "modbus.bit_cnt", "modbus.request_frame"};

    private static final String[] BACNET_FIELDS = {"bvlc_function", "apdu_type", "invoke_id", "confirmed_service",
        "unconfirmed_service", "object_type", "instance", "property"};
    private static final String[] BACNET_CSV = {"bvlc.function", "bacapp.type", "bacapp.invoke_id",
        "bacapp.confirmed_service", "bacapp.unconfirmed_service", "bacapp.objectType", "bacapp.instance_number",
        "bacapp.property_identifier"};
    /** From this index on, BACnet fields are compared only when both sides have a value. */
    private static final int BACNET_BOTH_SIDES_FROM = 5;

    @TempDir
    Path tmp;

    private KnownDifferences known;
    private FieldAgreement agreement;
    private final StringBuilder report = new StringBuilder();

    @Test
    void decodeAgreesWithTshark() throws Exception {
        long started = System.nanoTime();
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        List<Path> modbus = withReference(corpus.resolve("modbus"));
        List<Path> bacnet = withReference(corpus.resolve("bacnet"));
        assumeTrue(!modbus.isEmpty() || !bacnet.isEmpty(), "no captures with a tshark reference in " + corpus);
        known = KnownDifferences.load("/app/known-differences.txt");
        agreement = new FieldAgreement(known);
        report.append(String.format("%-50s %8s %8s %8s %9s %9s%n", "file", "frames", "ours", "tshark", "fields",
            "agree"));
        long frames = 0;
        for (Path f : modbus) {
            frames += compareFile(f, "modbus");
        }
        for (Path f : bacnet) {
            frames += compareFile(f, "bacnet");
        }
        long compared = agreement.compared();
        double pct = agreement.percent();
        long ms = (System.nanoTime() - started) / 1_000_000;
        report.append(String.format("%nTOTAL %d files, %d frames, %d fields compared, %d agree (%.4f%%), %s, %d ms%n",
            modbus.size() + bacnet.size(), frames, compared, agreement.agreed(), pct, known.counts(), ms));
        report.append("\nper field:\n");
        agreement.appendPerField(report, "  %-30s %8d compared %8d agree%n");
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("app-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        known.writeUnlisted(target.resolve("app-diff-unlisted.txt"));
        System.out.print("AppDecodeVersusTsharkTest\n" + report);

        String failures = known.failures();
        assertTrue(failures.isEmpty(), failures);
        assertTrue(compared > 100_000, "fields compared: " + compared);
        assertTrue(pct >= 99.0, "agreement " + pct + "%");
    }

    private static List<Path> withReference(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        for (Path p : TestSupport.captures(dir)) {
            if (Files.exists(Tshark.csvOf(p))) {
                out.add(p);
            }
        }
        return out;
    }

    /** Decodes one capture, compares it with its csv; returns the number of frames either side has a PDU in. */
    private long compareFile(Path pcap, String proto) throws IOException {
        String name = pcap.getFileName().toString();
        boolean isModbus = proto.equals("modbus");
        String[] fields = isModbus ? MODBUS_FIELDS : BACNET_FIELDS;
        String[] csvFields = isModbus ? MODBUS_CSV : BACNET_CSV;

        // Ours: per frame, per field, values in PDU order.
        Map<Long, List<List<String>>> ours = new TreeMap<>();
        long oursPdus = 0;
        long mismatches = 0;
        for (Map<String, Object> j : DecodeRun.decode(pcap, proto, tmp)) {
            if (DecodeRun.mismatch(j)) {
                mismatches++; // no PDU: a non-Modbus flow on 502; if tshark decodes the frame it shows as missing
                continue;
            }
            oursPdus++;
            long frame = DecodeRun.frame(j);
            String[] v = isModbus ? modbusView(j) : bacnetView(j);
            List<List<String>> perFrame = ours.computeIfAbsent(frame, k -> {
                List<List<String>> l = new ArrayList<>();
                for (int i = 0; i < fields.length; i++) {
                    l.add(new ArrayList<>());
                }
                return l;
            });
            for (int i = 0; i < fields.length; i++) {
                if (!v[i].isEmpty()) {
                    perFrame.get(i).add(v[i]);
                }
            }
        }

        // Theirs: frames where tshark decoded a PDU of this protocol (for BACnet: BACnet/IP, with a BVLC).
        Map<Long, Map<String, String>> theirs = new TreeMap<>();
        long notBip = 0;
        for (Map<String, String> row : Tshark.csvRows(Tshark.csvOf(pcap))) {
            String key = isModbus ? "mbtcp.trans_id" : "bvlc.function";
            if (row.getOrDefault(key, "").isEmpty()) {
                if (!isModbus && !row.getOrDefault("bacapp.type", "").isEmpty()
                    || !isModbus && !row.getOrDefault("bacnet.control", "").isEmpty()) {
                    notBip++;
                }
                continue;
            }
            theirs.put(Long.parseLong(row.get("frame.number")), row);
        }

        Set<Long> all = new TreeSet<>(ours.keySet());
        all.addAll(theirs.keySet());
        long fileCompared = 0;
        long fileAgreed = 0;
        long tsharkOnlyObject = 0;
        for (long frame : all) {
            List<List<String>> o = ours.get(frame);
            Map<String, String> t = theirs.get(frame);
            for (int i = 0; i < fields.length; i++) {
                String ov = o == null ? "" : String.join("|", o.get(i));
                String tv = t == null ? "" : t.getOrDefault(csvFields[i], "");
                if (!isModbus) {
                    tv = bacnetTheirs(i, tv, t);
                }
                if (ov.isEmpty() && tv.isEmpty()) {
                    continue;
                }
                if (!isModbus && i >= BACNET_BOTH_SIDES_FROM && (ov.isEmpty() || tv.isEmpty())) {
                    if (!tv.isEmpty()) {
                        tsharkOnlyObject++;
                    }
                    if (o != null && t != null) {
                        continue;
                    }
                }
                fileCompared++;
                if (agreement.compare(proto + "." + fields[i], name, frame, fields[i], ov, tv)) {
                    fileAgreed++;
                }
            }
        }
        report.append(String.format("%-50s %8d %8d %8d %9d %9d  %.3f%%", name, all.size(), ours.size(), theirs.size(),
            fileCompared, fileAgreed, fileCompared == 0 ? 100.0 : 100.0 * fileAgreed / fileCompared));
        StringBuilder notes = new StringBuilder();
        if (mismatches > 0) {
            notes.append(" protocol_mismatch lines ").append(mismatches).append(';');
        }
        if (notBip > 0) {
            notes.append(" BACnet frames without BVLC (LLC/MS-TP, not compared) ").append(notBip).append(';');
        }
        if (tsharkOnlyObject > 0) {
            notes.append(" object fields tshark-only ").append(tsharkOnlyObject).append(';');
        }
        report.append(notes).append(String.format("  [%d PDUs]%n", oursPdus));
        return all.size();
    }

    /** What tshark 4.0 shows for this Modbus PDU line, field by field ("" where it has no value). */
    private static String[] modbusView(Map<String, Object> j) {
        String[] v = new String[MODBUS_FIELDS.length];
        v[0] = str(j.get("trans_id"));
        v[1] = str(j.get("prot_id"));
        v[2] = str(j.get("unit_id"));
        v[3] = str(j.get("func_code"));
        v[4] = str(j.get("exception_code"));
        int fc = ((Number) j.get("func_code")).intValue();
        boolean response = Boolean.TRUE.equals(j.get("is_response"));
        boolean exception = j.get("exception_code") != null;
        // Read responses (FC 1-4), FC 24 responses carry no address: ours comes from the matched request. FC 23:
        // tshark names its addresses differently (read/write reference), not reference_num.
        boolean addressFromRequest = response && (fc >= 1 && fc <= 4 || fc == 24);
        v[5] = "";
        v[6] = "";
        v[7] = "";
        if (fc == 24 && response && !exception) {
            v[6] = str(j.get("fifo_count")); // tshark shows the FIFO count as word_cnt
        } else if (!exception && !addressFromRequest && fc != 23 && j.get("ref") != null) {
            v[5] = str(j.get("ref"));
            String count = str(j.get("count"));
            if (fc == 3 || fc == 4 || fc == 16) {
                v[6] = count;
            } else if (fc == 1 || fc == 2 || fc == 15) {
                v[7] = count;
            }
        }
        // tshark 4.0 links no exception response to its request.
        v[8] = exception ? "" : str(j.get("request_frame"));
        return v;
    }

    private static String[] bacnetView(Map<String, Object> j) {
        String[] v = new String[BACNET_FIELDS.length];
        v[0] = str(j.get("bvlc_function_id"));
        v[1] = str(j.get("apdu_type_id"));
        v[2] = str(j.get("invoke_id"));
        Object apdu = j.get("apdu_type_id");
        int type = apdu == null ? -1 : ((Number) apdu).intValue();
        String choice = str(j.get("service_choice"));
        v[3] = type == 1 ? "" : choice;
        v[4] = type == 1 ? choice : "";
        // I-Have (unconfirmed 1), UnconfirmedCOVNotification (unconfirmed 2), ConfirmedCOVNotification request
        // (confirmed 1): the device identifier comes first on the wire.
        boolean deviceFirst = type == 1 && ("1".equals(choice) || "2".equals(choice)) || type == 0 && "1".equals(choice);
        if (deviceFirst && j.get("device_object_type_id") != null) {
            v[5] = str(j.get("device_object_type_id"));
            v[6] = str(j.get("device_instance"));
        } else {
            v[5] = str(j.get("object_type_id"));
            v[6] = str(j.get("instance"));
        }
        v[7] = str(j.get("property_id"));
        return v;
    }

    /** tshark's value of BACnet field i: hex to decimal, first occurrence of object/property fields. */
    private static String bacnetTheirs(int i, String v, Map<String, String> row) {
        if (v.isEmpty()) {
            return v;
        }
        if (i >= BACNET_BOTH_SIDES_FROM || i == 2) {
            int bar = v.indexOf('|');
            if (bar >= 0) {
                v = v.substring(0, bar);
            }
        }
        if (v.startsWith("0x")) {
            return Long.toString(Long.parseLong(v.substring(2), 16));
        }
        return v;
    }

    private static String str(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return o.toString();
    }
}
