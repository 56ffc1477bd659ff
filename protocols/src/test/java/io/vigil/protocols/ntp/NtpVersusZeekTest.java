package io.vigil.protocols.ntp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compares with Zeek's ntp.log baseline for it/zeek_ntp.pcap: one row per NTP message, in capture order; version,
 * mode, stratum, poll (seconds), reference id (for stratum > 1, an IPv4 address) and transmit time (Unix seconds).
 */
class NtpVersusZeekTest {
    @Test
    void agreesWithZeek() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        Path log = dir.resolve("it/zeek_ntp.expected/zeek/base.protocols.ntp.ntp/ntp.log");
        Path pcap = dir.resolve("it/zeek_ntp.pcap");
        assumeTrue(Files.exists(log) && Files.exists(pcap), "zeek_ntp baseline absent");
        List<String[]> zeek = new ArrayList<>();
        String[] names = null;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("#fields")) {
                names = line.substring(8).split("\t");
            } else if (!line.startsWith("#")) {
                zeek.add(line.split("\t"));
            }
        }
        List<String> fields = List.of(names);
        List<String[]> rows = Tshark.udpRows(pcap, "ntp.flags.mode");
        rows.removeIf(r -> r[2].isEmpty());
        DiffReport d = new DiffReport("NtpVersusZeekTest", KnownDifferences.load("/ntp/known-differences.txt"));
        NtpParser p = new NtpParser();
        NtpMessage m = new NtpMessage();
        String f = "it/zeek_ntp.pcap";
        for (int i = 0; i < Math.min(rows.size(), zeek.size()); i++) {
            byte[] b = Tshark.hex(rows.get(i)[1]);
            p.parse(b, 0, b.length, m);
            String[] z = zeek.get(i);
            String frame = rows.get(i)[0];
            d.fieldIfTheirs(f, frame, "zeek.version", Integer.toString(m.version), z[fields.indexOf("version")]);
            d.fieldIfTheirs(f, frame, "zeek.mode", Integer.toString(m.mode), z[fields.indexOf("mode")]);
            d.fieldIfTheirs(f, frame, "zeek.stratum", Integer.toString(m.stratum), z[fields.indexOf("stratum")]);
            d.fieldIfTheirs(f, frame, "zeek.poll", String.format("%.6f", Math.pow(2, m.poll)),
                    z[fields.indexOf("poll")]);
            if (m.stratum > 1) {
                int r = m.referenceId;
                d.fieldIfTheirs(f, frame, "zeek.ref_id",
                        (r >>> 24) + "." + (r >>> 16 & 0xFF) + "." + (r >>> 8 & 0xFF) + "."
                        + (r & 0xFF), z[fields.indexOf("ref_id")]);
            }
            // Unix seconds as a double, as Zeek keeps time; at 1.5e9 s a double resolves ~0.24 us, so the last printed
            // digit depends on the order of operations (see known-differences.txt).
            double unix = (m.transmitTimestamp >>> 32) - 2208988800L + (m.transmitTimestamp & 0xFFFFFFFFL) / 4294967296.0;
            d.fieldIfTheirs(f, frame, "zeek.xmt_time", String.format("%.6f", unix), z[fields.indexOf("xmt_time")]);
        }
        d.fieldIfTheirs(f, "-", "zeek.rows", Integer.toString(rows.size()), Integer.toString(zeek.size()));
        d.verify(d.headline(), 1, false);
    }
}
