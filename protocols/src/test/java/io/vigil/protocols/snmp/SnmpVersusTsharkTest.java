package io.vigil.protocols.snmp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Differential test against tshark: version (snmp.version, or snmp.msgVersion for v3), community, PDU type
 * (snmp.data is the CHOICE index, i.e. our tag minus 0xA0), first varbind OID and USM user name, per frame.
 * Disagreements must be listed in {@code src/test/resources/snmp/known-differences.txt}.
 */
class SnmpVersusTsharkTest {
    private static final String[] FILES = {"it/zeek_snmpv1_get.pcap", "it/zeek_snmpv2_get_next.pcap",
        "it/zeek_snmpv3_get_next.pcap"};

    @Test
    void agreesWithTshark() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        DiffReport d = new DiffReport("SnmpVersusTsharkTest", KnownDifferences.load("/snmp/known-differences.txt"));
        SnmpParser p = new SnmpParser();
        SnmpMessage m = new SnmpMessage();
        for (String f : FILES) {
            Path file = dir.resolve(f);
            if (!Files.exists(file)) {
                continue;
            }
            for (String[] c : Tshark.udpRows(file, "snmp.version", "snmp.msgVersion", "snmp.community",
                    "snmp.data", "snmp.name", "snmp.msgUserName", "snmp.msgFlags")) {
                String version = c[2].isEmpty() ? c[3] : c[2];
                if (version.isEmpty()) {
                    continue;
                }
                byte[] b = Tshark.hex(c[1]);
                boolean ok = p.parse(b, 0, b.length, m);
                d.fieldIfTheirs(f, c[0], "is_snmp", ok ? "1" : "0", "1");
                d.fieldIfTheirs(f, c[0], "malformed", m.malformed ? m.malformedReason : "no", "no");
                d.fieldIfTheirs(f, c[0], "snmp.version", Integer.toString(m.version), version);
                d.fieldIfTheirs(f, c[0], "snmp.community", m.string(m.communityOffset, m.communityLength), c[4]);
                d.fieldIfTheirs(f, c[0], "snmp.data", m.pduType < 0 ? "" : Integer.toString(m.pduType - 0xA0), c[5]);
                d.fieldIfTheirs(f, c[0], "snmp.name", m.varbindCount > 0 ? m.oid(0) : "", c[6]);
                d.fieldIfTheirs(f, c[0], "snmp.msgUserName", m.string(m.userNameOffset, m.userNameLength), c[7]);
                d.fieldIfTheirs(f, c[0], "snmp.msgFlags", m.msgFlags < 0 ? "" : String.format("%02x", m.msgFlags),
                        c[8]);
            }
        }
        d.verify(d.headline(), 1, false);
    }
}
