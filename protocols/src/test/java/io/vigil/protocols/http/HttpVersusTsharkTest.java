package io.vigil.protocols.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.Bytes;
import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.FrameFields;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.TcpPayloadFollower;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link HttpParser} against tshark 4.0: method, URI, Host, User-Agent and status code per frame
 * (HTTP body desegmentation switched off in tshark, so that a head is reported where it ends, not where its body
 * does; each head attributed to the frame that completed it, {@link TcpPayloadFollower#followByStream}). Every
 * disagreement must be listed in {@code src/test/resources/http/known-differences.txt}.
 */
class HttpVersusTsharkTest {
    static final String[] FIELDS = {"http.request.method", "http.request.uri", "http.host", "http.user_agent",
        "http.response.code"};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path dir = SharedCorpus.dir("it");
        assumeTrue(dir != null, "shared corpus not present: ../../shared/pcaps/it");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> pcaps = SharedCorpus.files(dir, n -> n.startsWith("zeek_http") && n.endsWith(".pcap"));
        assumeTrue(!pcaps.isEmpty(), "no HTTP pcaps");
        DiffReport report = new DiffReport("http", KnownDifferences.load("/http/known-differences.txt"));
        HttpMessage msg = new HttpMessage();
        for (Path pcap : pcaps) {
            Map<Long, Map<String, String>> theirs = Tshark.fieldsByFrame(pcap, FrameFields.AGG,
                List.of("-o", "http.desegment_body:FALSE"), FIELDS);
            FrameFields ours = new FrameFields();
            Map<String, HttpParser> parsers = new HashMap<>();
            TcpPayloadFollower.followByStream(Tshark.tcpSegments(pcap), (s, fromClient, buf, len) ->
                parsers.computeIfAbsent(s.stream, k -> new HttpParser()).parse(buf, 0, len, fromClient, msg, m -> {
                    ours.put(s.frame, FIELDS[0], Bytes.latin1(m.data, m.methodOffset, m.methodLength));
                    ours.put(s.frame, FIELDS[1], Bytes.latin1(m.data, m.uriOffset, m.uriLength));
                    ours.put(s.frame, FIELDS[2], Bytes.latin1(m.data, m.hostOffset, m.hostLength));
                    ours.put(s.frame, FIELDS[3], Bytes.latin1(m.data, m.userAgentOffset, m.userAgentLength));
                    if (!m.isRequest) {
                        ours.put(s.frame, FIELDS[4], Integer.toString(m.statusCode));
                    }
                }));
            FrameFields.compareFile(report, pcap.getFileName().toString(), ours, FrameFields.of(theirs), FIELDS);
        }
        report.verify(report.headline(), 10, true);
    }
}
