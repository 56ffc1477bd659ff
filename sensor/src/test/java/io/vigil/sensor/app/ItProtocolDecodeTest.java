package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The IT protocols through the sensor's own path (flow table, reassembly, app layer, CLI): per
 * capture, as many PDU lines as Wireshark finds messages, and the fields an analyst checks first
 * (JA3, SNI, HTTP host, SSH software, DHCP client MAC, SNMP PDU type) equal to tshark's. The
 * parsers' field-by-field differentials live beside them in the protocols module.
 */
class ItProtocolDecodeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "it/zeek_tls_ecdhe.pcap;tls;tls.handshake.type == 1 || tls.handshake.type == 2;tls.handshake.ja3;ja3",
        "it/zeek_tls_chrome-34-google.pcap;tls;tls.handshake.type == 1 || tls.handshake.type == 2;tls.handshake.extensions_server_name;sni",
        "it/zeek_http_get.pcap;http;http.request || http.response;http.host;host",
        "it/zeek_ssh_single-conn.pcap;ssh;ssh.protocol;;",
        "it/zeek_dhcp.pcap;dhcp;dhcp;dhcp.hw.mac_addr;client_mac",
        "it/zeek_ntp.pcap;ntp;ntp;;",
        "it/zeek_snmpv2_get_next.pcap;snmp;snmp;;",
    })
    void decodesAsManyMessagesAsWireshark(String file, String proto, String filter, String tsharkField, String ours)
        throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed");
        Path capture = corpus.resolve(file);
        Path out = dir.resolve(proto + ".jsonl");
        TestSupport.CliResult r = TestSupport.vigil("decode", "--proto", proto, "-o", out.toString(),
            capture.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        // One tshark row per frame; a frame can carry several messages of the protocol.
        String field = tsharkField == null || tsharkField.isEmpty() ? "frame.number" : tsharkField;
        String tshark = TestSupport.run("tshark", "-n", "-r", capture.toString(), "-o", "http.desegment_body:FALSE",
            "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-e", "frame.number", "-e",
            field);
        List<String> rows = tshark.lines().filter(l -> !l.isBlank()).toList();
        long expected = rows.stream().mapToLong(l -> {
            String[] f = l.split("\t", -1);
            return f.length > 1 && !f[1].isEmpty() ? f[1].split("\\|", -1).length : 1;
        }).sum();
        assertTrue(expected > 0, "tshark found nothing in " + file);
        assertEquals(expected, lines.size(), "messages in " + file + ": " + lines);
        if (ours != null && !ours.isEmpty()) {
            for (String row : rows) {
                String[] f = row.split("\t", -1);
                if (f.length < 2 || f[1].isEmpty()) {
                    continue;
                }
                long frame = Long.parseLong(f[0]);
                for (String value : f[1].split("\\|")) {
                    assertTrue(lines.stream().anyMatch(l -> TestSupport.jsonLong(l, "frame") == frame
                            && value.equals(TestSupport.jsonString(l, ours))),
                        file + " frame " + frame + ": no " + ours + " = " + value + " in " + lines);
                }
            }
        }
    }
}
