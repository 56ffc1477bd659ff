package io.vigil.protocols.bacnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Message counts per (pdu_type, service) against the Zeek ICSNPP-BACnet baselines
 * ({@code *.expected/zeek-icsnpp/bacnet.log}) of the shared corpus. Network-layer messages (pdu_type NPDU) and BVLC-only
 * datagrams are left out: Zeek names them by its own tables. Messages, not datagrams, are counted: the later segments
 * of a segmented message (sequence number > 0) are not counted again.
 */
class BacnetVersusZeekTest {
    private static final String[] PDU_TYPES = {
        "CONFIRMED_REQUEST", "UNCONFIRMED_REQUEST", "SIMPLE_ACK", "COMPLEX_ACK", "SEGMENT_ACK", "ERROR_PDU",
        "REJECT_PDU", "ABORT_PDU",
    };

    @Test
    void countsMatchZeekIcsnpp() throws Exception {
        Path dir = SharedCorpus.dir("bacnet");
        assumeTrue(dir != null, "../shared/pcaps/bacnet not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> logs;
        try (Stream<Path> s = Files.list(dir)) {
            logs = s.map(d -> d.resolve("zeek-icsnpp/bacnet.log")).filter(Files::exists).sorted()
                    .collect(Collectors.toList());
        }
        assumeTrue(!logs.isEmpty(), "no Zeek baselines");
        BacnetParser parser = new BacnetParser();
        BacnetPdu pdu = new BacnetPdu();
        StringBuilder report = new StringBuilder();
        Map<String, String> mismatches = new TreeMap<>();
        for (Path log : logs) {
            String base = log.getParent().getParent().getFileName().toString().replace(".expected", "");
            Path pcap = dir.resolve(base + ".pcap");
            Map<String, Integer> zeek = new TreeMap<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length > 13 && !c[12].equals("NPDU") && !c[12].equals("-")) {
                    zeek.merge(c[12] + " " + c[13], 1, Integer::sum);
                }
            }
            Map<String, Integer> ours = new TreeMap<>();
            for (String l : Tshark.run(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", "udp",
                    "-T", "fields", "-e", "udp.payload"))) {
                if (l.isEmpty()) {
                    continue;
                }
                byte[] b = BacnetFrames.hex(l);
                if (!parser.parse(b, 0, b.length, pdu) || !pdu.hasApdu || pdu.apduType > 7) {
                    continue;
                }
                if (pdu.segmentContinuation) {
                    continue; // Zeek logs a segmented message once; its later segments are not new messages
                }
                String service;
                switch (pdu.apduType) {
                    case BacnetPdu.UNCONFIRMED_REQUEST:
                        service = snake(BacnetNames.unconfirmedServiceName(pdu.serviceChoice));
                        break;
                    case BacnetPdu.SEGMENT_ACK:
                        service = "-";
                        break;
                    case BacnetPdu.REJECT:
                        service = "reject";
                        break;
                    case BacnetPdu.ABORT:
                        service = "abort";
                        break;
                    default:
                        service = snake(BacnetNames.confirmedServiceName(pdu.serviceChoice));
                }
                ours.merge(PDU_TYPES[pdu.apduType] + " " + service, 1, Integer::sum);
            }
            report.append(base).append(": zeek ").append(zeek).append("\n   ours ").append(ours).append('\n');
            for (String k : zeek.keySet()) {
                if (!zeek.get(k).equals(ours.getOrDefault(k, 0))) {
                    mismatches.put(base + " " + k, "zeek " + zeek.get(k) + ", ours " + ours.getOrDefault(k, 0));
                }
            }
        }
        System.out.print(report);
        mismatches.forEach((k, v) -> System.out.println("  count differs: " + k + ": " + v));
        assertEquals(Map.of(), mismatches);
    }

    /** readProperty -> read_property, subscribeCOVProperty -> subscribe_cov_property, who-Is -> who_is. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        String s = camel.replace('-', '_');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isUpperCase(ch) && i > 0 && s.charAt(i - 1) != '_'
                    && (Character.isLowerCase(s.charAt(i - 1))
                        || i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1)))) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(ch));
        }
        return sb.toString();
    }
}
