package io.vigil.protocols.ntp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Differential test against tshark: mode and stratum per frame of it/zeek_ntp.pcap. Disagreements must be listed in
 * {@code src/test/resources/ntp/known-differences.txt}.
 */
class NtpVersusTsharkTest {
    private static final String[] FILES = {"it/zeek_ntp.pcap"};

    @Test
    void agreesWithTshark() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        DiffReport d = new DiffReport("NtpVersusTsharkTest", KnownDifferences.load("/ntp/known-differences.txt"));
        NtpParser p = new NtpParser();
        NtpMessage m = new NtpMessage();
        for (String f : FILES) {
            Path file = dir.resolve(f);
            if (!Files.exists(file)) {
                continue;
            }
            for (String[] c : Tshark.udpRows(file, "ntp.flags.mode", "ntp.stratum", "ntp.flags.vn")) {
                if (c[2].isEmpty()) {
                    continue;
                }
                byte[] b = Tshark.hex(c[1]);
                boolean ok = p.parse(b, 0, b.length, m);
                d.fieldIfTheirs(f, c[0], "is_ntp", ok ? "1" : "0", "1");
                d.fieldIfTheirs(f, c[0], "ntp.flags.mode", Integer.toString(m.mode), c[2]);
                d.fieldIfTheirs(f, c[0], "ntp.stratum", m.stratum < 0 ? "" : Integer.toString(m.stratum), c[3]);
                d.fieldIfTheirs(f, c[0], "ntp.flags.vn", Integer.toString(m.version), c[4]);
            }
        }
        d.verify(d.headline(), 1, false);
    }
}
