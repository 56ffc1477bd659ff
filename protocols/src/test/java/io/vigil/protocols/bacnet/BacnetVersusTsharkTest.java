package io.vigil.protocols.bacnet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Wireshark on the shared corpus ({@code ../shared/pcaps/bacnet}).
 *
 * <p>The reference is each capture's committed {@code *.tshark.csv} (bvlc.function, bacnet.control, bacapp.type,
 * invoke id, services, object type, instance, property identifier); tshark on PATH supplies the UDP payloads and, in
 * the same run, a few more fields (first occurrence): vendor id, error class/code, reject/abort reasons, DNET/SNET/hop
 * count, network message type, segmentation fields, Who-Is limits, process id, max APDU/segments codes.
 *
 * <p>Which frames: every UDP frame. {@code ct_bacnet-ethernet-device.pcap} is mostly BACnet over raw Ethernet 802.2
 * LLC and {@code ct_BACnetIP-MSTP-Mix.pcap} mostly MS/TP in Cimetrics LLC encapsulation: neither is BACnet/IP, they are
 * not UDP, and so they drop out by themselves; the few BACnet/IP (UDP) frames of both files are compared like the rest.
 *
 * <p>Which occurrence: tshark lists every object identifier and property identifier of a frame, values included (the
 * object-list of a device, the device of an I-Am). Our flyweight keeps the service's own parameters, so the first
 * occurrence (in wire order) is compared, and the complete property list of ReadPropertyMultiple and
 * WritePropertyMultiple requests, whose lists carry no values. A field is compared only when both sides have it.
 *
 * <p>Every disagreement must be listed, with its reason, in {@code src/test/resources/bacnet/known-differences.txt}.
 */
class BacnetVersusTsharkTest {
    private static final String[] EXTRA = {
        "bacapp.vendor_identifier", "bacapp.error_class", "bacapp.error_code", "bacapp.reject_reason",
        "bacapp.abort_reason", "bacnet.dnet", "bacnet.snet", "bacnet.hopc", "bacnet.mesgtyp",
        "bacapp.sequence_number", "bacapp.window_size", "bacapp.who_is.low_limit", "bacapp.who_is.high_limit",
        "bacapp.processId", "bacapp.max_adpu_size", "bacapp.response_segments", "bacapp.segmented_request",
        "bacapp.more_segments",
    };

    static Path corpus() {
        for (String p : new String[] {"../../shared/pcaps/bacnet", "../shared/pcaps/bacnet"}) {
            Path d = Path.of(p);
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        return null;
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private final BacnetParser parser = new BacnetParser();
    private final BacnetPdu pdu = new BacnetPdu();

    private long compared;
    private long agreed;
    private final Map<String, long[]> perField = new TreeMap<>();
    private final List<String> disagreements = new ArrayList<>();

    @Test
    void agreesWithWireshark() throws Exception {
        Path dir = corpus();
        assumeTrue(dir != null, "../shared/pcaps/bacnet not present");
        assumeTrue(onPath("tshark"), "tshark not on PATH");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".pcap") || n.endsWith(".pcapng"))
                        && Files.exists(p.resolveSibling(n + ".tshark.csv"));
            }).sorted().collect(Collectors.toList());
        }
        assumeTrue(!files.isEmpty(), "no captures with tshark references");
        int frames = 0;
        int bacnetFrames = 0;
        StringBuilder summary = new StringBuilder();
        for (Path f : files) {
            int[] counts = compareFile(f);
            frames += counts[0];
            bacnetFrames += counts[1];
            summary.append(String.format("  %-55s udp frames %5d, BACnet/IP %5d%n", f.getFileName(), counts[0],
                    counts[1]));
        }
        Set<String> known = knownDifferences();
        List<String> unlisted = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String d : disagreements) {
            if (known.contains(d)) {
                used.add(d);
            } else {
                unlisted.add(d);
            }
        }
        double pct = compared == 0 ? 0 : 100.0 * agreed / compared;
        summary.insert(0, String.format("BacnetVersusTsharkTest: %d files, %d UDP frames, %d BACnet/IP, %d fields "
                + "compared, %d agree (%.3f%%), %d differences (%d listed)%n", files.size(), frames, bacnetFrames,
                compared, agreed, pct, disagreements.size(), used.size()));
        perField.forEach((k, v) -> summary.append(String.format("    %-32s %7d compared %7d agree%n", k, v[0], v[1])));
        System.out.print(summary);
        if (!unlisted.isEmpty()) {
            StringBuilder sb = new StringBuilder(unlisted.size() + " unlisted differences (file, frame, field, ours, "
                    + "tshark):\n");
            unlisted.stream().limit(80).forEach(u -> sb.append(u).append('\n'));
            throw new AssertionError(sb.toString());
        }
        assertTrue(compared > 10_000, "fields compared: " + compared);
        assertTrue(pct >= 99.0, "agreement " + pct);
    }

    private static Set<String> knownDifferences() throws IOException {
        Set<String> s = new HashSet<>();
        try (InputStream in = BacnetVersusTsharkTest.class.getResourceAsStream("/bacnet/known-differences.txt")) {
            if (in == null) {
                return s;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t");
                if (c.length >= 6) {
                    s.add(String.join("\t", c[0], c[1], c[2], c[3], c[4]));
                }
            }
        }
        return s;
    }

    private int[] compareFile(Path file) throws Exception {
        String name = file.getFileName().toString();
        Map<String, Map<String, String>> csv = readCsv(file.resolveSibling(name + ".tshark.csv"));
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-Y", "udp", "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=f", "-e", "frame.number", "-e", "udp.payload"));
        for (String e : EXTRA) {
            cmd.add("-e");
            cmd.add(e);
        }
        List<String> lines = run(cmd);
        int udp = 0;
        int bacnet = 0;
        for (String line : lines) {
            String[] c = line.split("\t", -1);
            if (c.length < 2 + EXTRA.length || c[1].isEmpty()) {
                continue;
            }
            udp++;
            Map<String, String> theirs = new HashMap<>(csv.getOrDefault(c[0], Map.of()));
            for (int i = 0; i < EXTRA.length; i++) {
                theirs.put(EXTRA[i], c[2 + i]);
            }
            byte[] payload = BacnetFrames.hex(c[1]);
            boolean isBacnet = parser.parse(payload, 0, payload.length, pdu);
            if (isBacnet) {
                bacnet++;
            }
            Map<String, String> ours = ours(isBacnet);
            String tsharkSays = theirs.getOrDefault("bvlc.function", "").isEmpty() ? "0" : "1";
            if (isBacnet || tsharkSays.equals("1")) {
                field(name, c[0], "is_bacnet_ip", isBacnet ? "1" : "0", tsharkSays);
            }
            for (Map.Entry<String, String> e : ours.entrySet()) {
                String t = normalize(e.getKey(), theirs.getOrDefault(e.getKey(), ""));
                if (!t.isEmpty()) {
                    field(name, c[0], e.getKey(), e.getValue(), t);
                }
            }
        }
        return new int[] {udp, bacnet};
    }

    private void field(String file, String frame, String field, String ours, String theirs) {
        long[] c = perField.computeIfAbsent(field, k -> new long[2]);
        c[0]++;
        compared++;
        if (ours.equals(theirs)) {
            agreed++;
            c[1]++;
        } else {
            disagreements.add(String.join("\t", file, frame, field, ours, theirs));
        }
    }

    /** tshark prints some fields in hex (0x0a), booleans as True/False or 1/0, and repeats fields with '|'. */
    private static String normalize(String field, String v) {
        if (v.isEmpty()) {
            return v;
        }
        if (field.endsWith("(all)")) {
            return v.replace('|', ',');
        }
        int bar = v.indexOf('|');
        if (bar >= 0) {
            v = v.substring(0, bar);
        }
        if (v.startsWith("0x")) {
            return Long.toString(Long.parseLong(v.substring(2), 16));
        }
        if (v.equalsIgnoreCase("true")) {
            return "1";
        }
        if (v.equalsIgnoreCase("false")) {
            return "0";
        }
        return v;
    }

    /** Our fields under tshark's names, only those our decode has. */
    private Map<String, String> ours(boolean isBacnet) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!isBacnet) {
            return m;
        }
        m.put("bvlc.function", Integer.toString(pdu.bvlcFunction));
        if (!pdu.hasNpdu) {
            return m;
        }
        m.put("bacnet.control", Integer.toString(pdu.npduControl));
        put(m, "bacnet.dnet", pdu.dnet);
        put(m, "bacnet.snet", pdu.snet);
        put(m, "bacnet.hopc", pdu.hopCount);
        put(m, "bacnet.mesgtyp", pdu.networkMessageType);
        if (!pdu.hasApdu) {
            return m;
        }
        m.put("bacapp.type", Integer.toString(pdu.apduType));
        put(m, "bacapp.invoke_id", pdu.invokeId);
        put(m, "bacapp.confirmed_service", pdu.confirmedService());
        put(m, "bacapp.unconfirmed_service", pdu.unconfirmedService());
        put(m, "bacapp.sequence_number", pdu.sequenceNumber);
        put(m, "bacapp.window_size", pdu.windowSize);
        if (pdu.apduType == BacnetPdu.CONFIRMED_REQUEST) {
            put(m, "bacapp.max_adpu_size", pdu.maxApduCode);
            put(m, "bacapp.response_segments", pdu.maxSegmentsCode);
        }
        if (pdu.apduType == BacnetPdu.CONFIRMED_REQUEST || pdu.apduType == BacnetPdu.COMPLEX_ACK) {
            m.put("bacapp.segmented_request", pdu.segmented ? "1" : "0");
            m.put("bacapp.more_segments", pdu.moreFollows ? "1" : "0");
        }
        if (pdu.apduType == BacnetPdu.ERROR) {
            put(m, "bacapp.error_class", pdu.errorClass);
            put(m, "bacapp.error_code", pdu.errorCode);
        }
        put(m, "bacapp.reject_reason", pdu.rejectReason);
        put(m, "bacapp.abort_reason", pdu.abortReason);
        if (pdu.segmentContinuation) {
            return m;
        }
        int us = pdu.unconfirmedService();
        int cs = pdu.confirmedService();
        boolean deviceFirst = us == 1 || us == 2 || (cs == 1 && pdu.apduType == BacnetPdu.CONFIRMED_REQUEST);
        if (deviceFirst && pdu.deviceObjectType >= 0) {
            put(m, "bacapp.objectType", pdu.deviceObjectType);
            put(m, "bacapp.instance_number", pdu.deviceInstance);
        } else if (pdu.objectType >= 0) {
            put(m, "bacapp.objectType", pdu.objectType);
            put(m, "bacapp.instance_number", pdu.instance);
        }
        put(m, "bacapp.property_identifier", pdu.propertyId);
        if (us == 0) {
            put(m, "bacapp.vendor_identifier", pdu.vendorId);
        }
        if (us == 8) {
            put(m, "bacapp.who_is.low_limit", pdu.lowLimit);
            put(m, "bacapp.who_is.high_limit", pdu.highLimit);
        }
        put(m, "bacapp.processId", pdu.processId);
        if (pdu.apduType == BacnetPdu.CONFIRMED_REQUEST && (cs == 14 || cs == 16)
                && pdu.itemCount == pdu.propertyCount && pdu.itemCount > 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < pdu.itemCount; i++) {
                sb.append(i == 0 ? "" : ",").append(pdu.itemProperty[i]);
            }
            m.put("bacapp.property_identifier(all)", sb.toString());
        }
        return m;
    }

    private static void put(Map<String, String> m, String k, long v) {
        if (v >= 0) {
            m.put(k, Long.toString(v));
        }
    }

    private static Map<String, Map<String, String>> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Map<String, Map<String, String>> rows = new HashMap<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = splitCsv(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            List<String> c = splitCsv(lines.get(i));
            Map<String, String> row = new HashMap<>();
            for (int k = 0; k < header.size() && k < c.size(); k++) {
                row.put(header.get(k), c.get(k));
            }
            String[] listFields = {"bacapp.property_identifier"};
            for (String lf : listFields) {
                row.put(lf + "(all)", row.getOrDefault(lf, ""));
            }
            rows.put(row.get("frame.number"), row);
        }
        return rows;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    static List<String> run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null;) {
                lines.add(l);
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark timed out: " + cmd);
        }
        return lines;
    }
}
