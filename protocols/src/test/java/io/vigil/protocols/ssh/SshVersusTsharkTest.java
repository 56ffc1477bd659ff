package io.vigil.protocols.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.Bytes;
import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.FrameFields;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.TcpPayloadFollower;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link SshParser} against tshark 4.0: the identification string (ssh.protocol) per frame,
 * attributed to the frame that completed it ({@link TcpPayloadFollower#followByStream}). Every disagreement must be
 * listed in {@code src/test/resources/ssh/known-differences.txt}.
 */
class SshVersusTsharkTest {
    static final String[] FIELDS = {"ssh.protocol"};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path root = SharedCorpus.root();
        assumeTrue(root != null, "shared corpus not present: ../../shared/pcaps");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> pcaps = new ArrayList<>();
        for (Path p : List.of(root.resolve("it/zeek_ssh_single-conn.pcap"),
                root.resolve("attacks/zeek_ssh_sshguess.pcap"))) {
            if (Files.exists(p)) {
                pcaps.add(p);
            }
        }
        assumeTrue(!pcaps.isEmpty(), "no SSH pcaps");
        DiffReport report = new DiffReport("ssh", KnownDifferences.load("/ssh/known-differences.txt"));
        SshBanner banner = new SshBanner();
        for (Path pcap : pcaps) {
            Map<Long, Map<String, String>> theirs = Tshark.fieldsByFrame(pcap, FrameFields.AGG,
                List.of("-o", "http.desegment_body:FALSE"), FIELDS);
            FrameFields ours = new FrameFields();
            Map<String, SshParser> parsers = new HashMap<>();
            TcpPayloadFollower.followByStream(Tshark.tcpSegments(pcap), (s, fromClient, buf, len) ->
                parsers.computeIfAbsent(s.stream, k -> new SshParser()).parse(buf, 0, len, fromClient, banner,
                    b -> ours.put(s.frame, FIELDS[0], Bytes.latin1(b.data, b.lineOffset, b.lineLength))));
            FrameFields.compareFile(report, pcap.getFileName().toString(), ours, FrameFields.of(theirs), FIELDS);
        }
        report.verify(report.headline(), 4, true);
    }
}
