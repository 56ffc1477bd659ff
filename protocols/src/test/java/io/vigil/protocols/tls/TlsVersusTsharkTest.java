package io.vigil.protocols.tls;

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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link TlsParser} against tshark 4.0: handshake type (hellos only: 1 and 2), SNI, JA3 and
 * JA3S (MD5 and full text) per frame. Each hello is attributed to the frame whose payload completed it, as
 * Wireshark's TCP desegmentation does ({@link TcpPayloadFollower#followByStream}); per frame and field, the values of
 * all hellos of the frame are compared as one list ({@link FrameFields}). Every disagreement must be listed in
 * {@code src/test/resources/tls/known-differences.txt}.
 */
class TlsVersusTsharkTest {
    static final String[] FIELDS = {"tls.handshake.type", "tls.handshake.extensions_server_name",
        "tls.handshake.ja3", "tls.handshake.ja3s", "tls.handshake.ja3_full", "tls.handshake.ja3s_full"};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path root = SharedCorpus.root();
        assumeTrue(root != null, "shared corpus not present: ../../shared/pcaps");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> pcaps = new ArrayList<>();
        pcaps.addAll(list(root.resolve("it"), "zeek_tls"));
        pcaps.addAll(list(root.resolve("attacks"), "zeek_tls_heartbleed"));
        assumeTrue(!pcaps.isEmpty(), "no TLS pcaps");
        DiffReport report = new DiffReport("tls", KnownDifferences.load("/tls/known-differences.txt"));
        TlsParser parser = new TlsParser();
        TlsHello hello = new TlsHello();
        for (Path pcap : pcaps) {
            Map<Long, Map<String, String>> reference = Tshark.fieldsByFrame(pcap, FrameFields.AGG,
                List.of("-o", "http.desegment_body:FALSE"), FIELDS);
            for (Map<String, String> m : reference.values()) { // we deliver hellos only
                String types = m.get(FIELDS[0]);
                if (types != null) {
                    String hellos = Stream.of(types.split(FrameFields.AGG + "|,"))
                        .filter(t -> t.equals("1") || t.equals("2")).collect(Collectors.joining(FrameFields.AGG));
                    if (hellos.isEmpty()) {
                        m.remove(FIELDS[0]);
                    } else {
                        m.put(FIELDS[0], hellos);
                    }
                }
            }
            FrameFields ours = new FrameFields();
            TcpPayloadFollower.followByStream(Tshark.tcpSegments(pcap), (s, fromClient, buf, len) ->
                parser.parse(buf, 0, len, fromClient, hello, h -> {
                    ours.put(s.frame, FIELDS[0], Integer.toString(h.handshakeType));
                    ours.put(s.frame, FIELDS[1], Bytes.latin1(h.data, h.sniOffset, h.sniLength));
                    if (h.ja3Valid) {
                        ours.put(s.frame, h.isClient ? FIELDS[2] : FIELDS[3], TlsParserTest.hex(h.ja3));
                        ours.put(s.frame, h.isClient ? FIELDS[4] : FIELDS[5], parser.lastJa3Text());
                    }
                }));
            FrameFields.compareFile(report, pcap.getFileName().toString(), ours, FrameFields.of(reference), FIELDS);
        }
        report.verify(report.headline(), 10, true);
    }

    static List<Path> list(Path dir, String prefix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return SharedCorpus.files(dir, n -> n.startsWith(prefix) && n.endsWith(".pcap"));
    }
}
