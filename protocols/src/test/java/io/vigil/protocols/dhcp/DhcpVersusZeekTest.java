package io.vigil.protocols.dhcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Compares with Zeek's dhcp.log baseline for it/zeek_dhcp.pcap. Zeek aggregates a transaction into one row, so the
 * comparison is on the aggregate: the concatenated msg_types of all rows against our message types in capture
 * order, and the set of MACs, hostnames and requested addresses seen.
 */
class DhcpVersusZeekTest {
    @Test
    void agreesWithZeek() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        Path log = dir.resolve("it/zeek_dhcp.expected/zeek/base.protocols.dhcp.dhcp-all-msg-types/dhcp.log");
        Path pcap = dir.resolve("it/zeek_dhcp.pcap");
        assumeTrue(Files.exists(log) && Files.exists(pcap), "zeek_dhcp baseline absent");
        List<String> names = null;
        List<String> types = new ArrayList<>();
        Set<String> macs = new LinkedHashSet<>();
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> requested = new LinkedHashSet<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("#fields")) {
                names = List.of(line.substring(8).split("\t"));
            } else if (!line.startsWith("#")) {
                String[] z = line.split("\t");
                types.add(z[names.indexOf("msg_types")]);
                add(macs, z[names.indexOf("mac")]);
                add(hosts, z[names.indexOf("host_name")]);
                add(requested, z[names.indexOf("requested_addr")]);
            }
        }
        DhcpParser p = new DhcpParser();
        DhcpMessage m = new DhcpMessage();
        List<String> ourTypes = new ArrayList<>();
        Set<String> ourMacs = new LinkedHashSet<>();
        Set<String> ourHosts = new LinkedHashSet<>();
        Set<String> ourRequested = new LinkedHashSet<>();
        for (String[] r : Tshark.udpRows(pcap)) {
            byte[] b = Tshark.hex(r[1]);
            if (!p.parse(b, 0, b.length, m)) {
                continue;
            }
            ourTypes.add(DhcpMessage.typeName(m.messageType));
            add(ourMacs, m.macString());
            add(ourHosts, m.string(m.hostnameOffset, m.hostnameLength));
            if (m.hasRequestedIp) {
                ourRequested.add(DhcpVersusTsharkTest.dotted(m.requestedIp));
            }
        }
        DiffReport d = new DiffReport("DhcpVersusZeekTest", KnownDifferences.load("/dhcp/known-differences.txt"));
        String f = "it/zeek_dhcp.pcap";
        d.fieldIfTheirs(f, "-", "zeek.msg_types", String.join(",", ourTypes), String.join(",", types));
        d.fieldIfTheirs(f, "-", "zeek.mac", String.join(",", ourMacs), String.join(",", macs));
        d.fieldIfTheirs(f, "-", "zeek.host_name", String.join(",", ourHosts), String.join(",", hosts));
        // Zeek keeps the last requested address of a transaction; we list each distinct one.
        d.fieldIfTheirs(f, "-", "zeek.requested_addr.subset",
                ourRequested.containsAll(requested) ? "yes" : String.join(",",
                ourRequested), "yes");
        d.verify(d.headline(), 1, false);
    }

    private static void add(Set<String> s, String v) {
        if (v != null && !v.isEmpty() && !v.equals("-")) {
            s.add(v);
        }
    }
}
