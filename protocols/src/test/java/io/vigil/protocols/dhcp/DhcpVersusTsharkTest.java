package io.vigil.protocols.dhcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Differential test against tshark on the shared corpus: message type (option 53), client MAC, hostname (12) and
 * requested IP (50), per frame, for every UDP frame tshark decodes as DHCP. Disagreements must be listed in
 * {@code src/test/resources/dhcp/known-differences.txt}.
 */
class DhcpVersusTsharkTest {
    private static final String[] FILES = {"it/zeek_dhcp.pcap", "attacks/zeek_dhcp_flood.pcap"};

    @Test
    void agreesWithTshark() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        DiffReport d = new DiffReport("DhcpVersusTsharkTest", KnownDifferences.load("/dhcp/known-differences.txt"));
        DhcpParser p = new DhcpParser();
        DhcpMessage m = new DhcpMessage();
        for (String f : FILES) {
            Path file = dir.resolve(f);
            if (!Files.exists(file)) {
                continue;
            }
            for (String[] c : Tshark.udpRows(file, "dhcp.type", "dhcp.option.dhcp", "dhcp.hw.mac_addr",
                    "dhcp.option.hostname", "dhcp.option.requested_ip_address")) {
                if (c[2].isEmpty()) {
                    continue; // not DHCP to tshark (it dissects by port)
                }
                byte[] b = Tshark.hex(c[1]);
                boolean ok = p.parse(b, 0, b.length, m);
                d.fieldIfTheirs(f, c[0], "is_bootp", ok ? "1" : "0", "1");
                if (!ok) {
                    continue;
                }
                d.fieldIfTheirs(f, c[0], "dhcp.option.dhcp",
                        m.messageType < 0 ? "" : Integer.toString(m.messageType), c[3]);
                d.fieldIfTheirs(f, c[0], "dhcp.hw.mac_addr", m.macString(), c[4]);
                d.fieldIfTheirs(f, c[0], "dhcp.option.hostname", m.string(m.hostnameOffset, m.hostnameLength), c[5]);
                d.fieldIfTheirs(f, c[0], "dhcp.option.requested_ip_address",
                        m.hasRequestedIp ? dotted(m.requestedIp) : "",
                        c[6]);
            }
        }
        d.verify(d.headline(), 1, false);
    }

    static String dotted(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xFF) + "." + (ip >>> 8 & 0xFF) + "." + (ip & 0xFF);
    }
}
