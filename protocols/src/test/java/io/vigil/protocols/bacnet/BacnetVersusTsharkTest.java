package io.vigil.protocols.bacnet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import io.vigil.protocols.testsupport.TsharkCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final BacnetParser parser = new BacnetParser();
    private final BacnetPdu pdu = new BacnetPdu();

    private DiffReport report;

    @Test
    void agreesWithWireshark() throws Exception {
        Path dir = SharedCorpus.dir("bacnet");
        assumeTrue(dir != null, "../shared/pcaps/bacnet not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> files = SharedCorpus.files(dir, n -> (n.endsWith(".pcap") || n.endsWith(".pcapng"))
                && Files.exists(dir.resolve(n + ".tshark.csv")));
        assumeTrue(!files.isEmpty(), "no captures with tshark references");
        report = new DiffReport("bacnet", KnownDifferences.load("/bacnet/known-differences.txt"));
        int frames = 0;
        int bacnetFrames = 0;
        for (Path f : files) {
            int[] counts = compareFile(f);
            frames += counts[0];
            bacnetFrames += counts[1];
            report.line(String.format("  %-55s udp frames %5d, BACnet/IP %5d", f.getFileName(), counts[0],
                    counts[1]));
        }
        report.verify(String.format("BacnetVersusTsharkTest: %d files, %d UDP frames, %d BACnet/IP; %s", files.size(),
                frames, bacnetFrames, report.headline()), 10_001, false);
    }

    private int[] compareFile(Path file) throws Exception {
        String name = file.getFileName().toString();
        Map<String, Map<String, String>> csv = readCsv(file.resolveSibling(name + ".tshark.csv"));
        int udp = 0;
        int bacnet = 0;
        for (String[] c : Tshark.udpRows(file, EXTRA)) {
            if (c[1].isEmpty()) {
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
        report.field(file, frame, field, ours, theirs);
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
        Map<String, Map<String, String>> rows = TsharkCsv.byFrameAndName(csv);
        for (Map<String, String> row : rows.values()) {
            String[] listFields = {"bacapp.property_identifier"};
            for (String lf : listFields) {
                row.put(lf + "(all)", row.getOrDefault(lf, ""));
            }
        }
        return rows;
    }
}
