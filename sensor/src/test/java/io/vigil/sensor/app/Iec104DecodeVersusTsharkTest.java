package io.vigil.sensor.app;

import static io.vigil.sensor.app.IecMqttFrameDiff.decimal;
import static io.vigil.sensor.app.IecMqttFrameDiff.str;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import io.vigil.sensor.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end differential test of the IEC 60870-5-104 decoder against Wireshark on
 * {@code ../shared/pcaps/iec104}: each capture is decoded by {@code vigil decode --proto iec104}
 * in-process (flow table, TCP reassembler, app layer, parser) and compared frame by frame, as
 * {@link AppDecodeVersusTsharkTest} does for Modbus, with
 * <ul>
 * <li>the committed {@code *.tshark.csv} (tshark 4.0): APCI type, type id, cause of transmission,
 *     common address, every IOA;</li>
 * <li>when tshark is on PATH, a live run for what the csv lacks: U function, N(S), N(R), number of
 *     objects, SQ, originator address, negative and test bits.</li>
 * </ul>
 * Every disagreement is listed with its reason in {@code src/test/resources/app/iec104-known-differences.txt}.
 */
class Iec104DecodeVersusTsharkTest {
    private static final String[] FIELDS = {"type", "typeid", "causetx", "addr", "ioa", "utype", "tx", "rx", "numix",
        "sq", "oa", "nega", "test", "value", "time"};
    private static final String[] CSV = {"iec60870_104.type", "iec60870_asdu.typeid", "iec60870_asdu.causetx",
        "iec60870_asdu.addr", "iec60870_asdu.ioa"};
    private static final String[] LIVE = {"iec60870_104.utype", "iec60870_104.tx", "iec60870_104.rx",
        "iec60870_asdu.numix", "iec60870_asdu.sq", "iec60870_asdu.oa", "iec60870_asdu.nega", "iec60870_asdu.test"};
    /**
     * tshark's element values, one field per kind of element; a frame's values are those of the
     * first of these fields it has (frames here carry one type). The order of LIVE then these,
     * then the CP56Time2a, is the order of the live tshark run.
     */
    private static final String[] VALUES = {"iec60870_asdu.siq.spi", "iec60870_asdu.diq.dpi", "iec60870_asdu.vti.v",
        "iec60870_asdu.bitstring", "iec60870_asdu.normval", "iec60870_asdu.scalval", "iec60870_asdu.float",
        "iec60870_asdu.bcr.count", "iec60870_asdu.sco.on", "iec60870_asdu.dco.on", "iec60870_asdu.rco.up",
        "iec60870_asdu.qoi", "iec60870_asdu.qcc", "iec60870_asdu.qrp", "iec60870_asdu.coi_r"};
    private static final DateTimeFormatter TSHARK_TIME =
        DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss.SSSSSSSSS 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void decodeAgreesWithTshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null && Files.isDirectory(corpus.resolve("iec104")), "../shared/pcaps/iec104 not present");
        boolean live = TestSupport.onPath("tshark");
        IecMqttFrameDiff diff = new IecMqttFrameDiff("/app/iec104-known-differences.txt", FIELDS);
        for (Path pcap : TestSupport.captures(corpus.resolve("iec104"))) {
            Path csv = Tshark.csvOf(pcap);
            if (!Files.exists(csv)) {
                continue;
            }
            Map<Long, String[]> theirs = new TreeMap<>();
            Tshark.csvColumns(csv, CSV).forEach((frame, row) -> theirs.put(frame, merged(row, null)));
            if (live) {
                String[] asked = new String[LIVE.length + VALUES.length + 1];
                System.arraycopy(LIVE, 0, asked, 0, LIVE.length);
                System.arraycopy(VALUES, 0, asked, LIVE.length, VALUES.length);
                asked[asked.length - 1] = "iec60870_asdu.cp56time";
                Tshark.fields(pcap, "iec60870_104", true, asked).forEach((frame, row) ->
                    theirs.merge(frame, merged(null, live(row)), (a, b) -> {
                        System.arraycopy(b, CSV.length, a, CSV.length, FIELDS.length - CSV.length);
                        return a;
                    }));
            }
            Map<Long, String[]> ours = IecMqttFrameDiff.byFrame(DecodeRun.decode(pcap, "iec104", tmp),
                FIELDS.length, j -> view(j, live));
            diff.compare(pcap.getFileName().toString(), ours, theirs, live ? "" : "(csv fields only)");
        }
        String failures = diff.finish("iec104");
        assertTrue(failures.isEmpty(), failures);
        assertTrue(diff.compared() > (live ? 2_000 : 1_000), "fields compared: " + diff.compared());
        assertTrue(diff.agreement() >= 99.0, "agreement " + diff.agreement() + "%");
    }

    /** A live tshark row reduced to FIELDS after the csv ones: LIVE, the first value field present, the first time. */
    private static String[] live(String[] row) {
        String[] v = new String[LIVE.length + 2];
        System.arraycopy(row, 0, v, 0, LIVE.length);
        v[LIVE.length] = "";
        for (int i = 0; i < VALUES.length; i++) {
            if (!row[LIVE.length + i].isEmpty()) {
                v[LIVE.length] = row[LIVE.length + i];
                break;
            }
        }
        String time = row[row.length - 1];
        int bar = time.indexOf('|');
        time = bar >= 0 ? time.substring(0, bar) : time;
        v[LIVE.length + 1] = time.isEmpty() ? ""
            : Long.toString(Instant.from(TSHARK_TIME.parse(time.replaceAll(" +", " "))).toEpochMilli());
        return v;
    }

    /** tshark's values in FIELDS order, hex as decimal. */
    private static String[] merged(String[] csv, String[] live) {
        String[] v = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            String s = i < CSV.length ? (csv == null ? "" : csv[i]) : (live == null ? "" : live[i - CSV.length]);
            v[i] = decimal(s);
        }
        return v;
    }

    private static String[] view(Map<String, Object> j, boolean live) {
        String[] v = new String[FIELDS.length];
        String apci = str(j.get("apci_type"));
        v[0] = apci.equals("I") ? "0" : apci.equals("S") ? "1" : "3";
        v[1] = str(j.get("type_id"));
        v[2] = str(j.get("cot"));
        v[3] = str(j.get("common_address"));
        v[4] = str(j.get("ioa"));
        List<String> rest = new ArrayList<>(); // LIVE order, then value and time
        rest.add(utype(str(j.get("u_func"))));
        rest.add(str(j.get("tx_seq")));
        rest.add(str(j.get("rx_seq")));
        rest.add(str(j.get("num_objects")));
        rest.add(str(j.get("sq")));
        rest.add(str(j.get("oa")));
        rest.add(str(j.get("negative")));
        rest.add(str(j.get("test")));
        rest.add(tsharkFloats(j.get("values")));
        Object time = j.get("time");
        rest.add(time == null ? "" : Long.toString(Instant.parse((String) time).toEpochMilli()));
        for (int i = 0; i < rest.size(); i++) {
            v[CSV.length + i] = live ? rest.get(i) : "";
        }
        return v;
    }

    /** Values as tshark prints them: integers as such, fractions with six significant digits (FT_FLOAT). */
    private static String tsharkFloats(Object values) {
        if (!(values instanceof List<?> l)) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            double d = ((Number) o).doubleValue();
            if (d == Math.rint(d)) {
                out.add(Long.toString((long) d));
            } else {
                String g = String.format(Locale.ROOT, "%.6g", d);
                out.add(g.contains("e") ? g : g.replaceAll("0+$", "").replaceAll("\\.$", ""));
            }
        }
        return String.join("|", out);
    }

    /** tshark's iec60870_104.utype is the U control octet shifted right by two. */
    private static String utype(String name) {
        switch (name) {
            case "": return "";
            case "STARTDT_ACT": return "1";
            case "STARTDT_CON": return "2";
            case "STOPDT_ACT": return "4";
            case "STOPDT_CON": return "8";
            case "TESTFR_ACT": return "16";
            case "TESTFR_CON": return "32";
            default: return Integer.toString(Integer.parseInt(name.substring(2), 16) >>> 2);
        }
    }
}
