package io.vigil.protocols.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.tls.TsharkDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link HttpParser} against tshark 4.0 (see {@link TsharkDiff}): method,
 * URI, Host, User-Agent and status code per frame. Every disagreement must be listed in
 * {@code src/test/resources/http/known-differences.txt}.
 */
class HttpVersusTsharkTest {
    static final String[] FIELDS = {"http.request.method", "http.request.uri", "http.host", "http.user_agent",
        "http.response.code"};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path dir = TsharkDiff.corpus().resolve("it");
        assumeTrue(Files.isDirectory(dir), "shared corpus not present: " + dir.toAbsolutePath());
        assumeTrue(TsharkDiff.tsharkOnPath(), "tshark not on PATH");
        List<Path> pcaps;
        try (Stream<Path> s = Files.list(dir)) {
            pcaps = s.filter(p -> p.getFileName().toString().startsWith("zeek_http") && p.toString().endsWith(".pcap"))
                .sorted().collect(Collectors.toList());
        }
        assumeTrue(!pcaps.isEmpty(), "no HTTP pcaps");
        TsharkDiff diff = new TsharkDiff("http", "/http/known-differences.txt");
        HttpMessage msg = new HttpMessage();
        for (Path pcap : pcaps) {
            Map<Long, Map<String, String>> theirs = TsharkDiff.reference(pcap, FIELDS);
            Map<Long, Map<String, String>> ours = new TreeMap<>();
            Map<String, TsharkDiff.Follower> followers = new HashMap<>();
            Map<String, HttpParser> parsers = new HashMap<>();
            for (TsharkDiff.Segment s : TsharkDiff.segments(pcap)) {
                boolean fromClient = s.dstPort < s.srcPort;
                TsharkDiff.Follower f = followers.computeIfAbsent(s.stream + (fromClient ? "c" : "s"),
                    k -> new TsharkDiff.Follower());
                HttpParser parser = parsers.computeIfAbsent(s.stream, k -> new HttpParser());
                f.add(s.seq, s.payload);
                int used = parser.parse(f.buf, 0, f.len, fromClient, msg, m -> {
                    TsharkDiff.put(ours, s.frame, FIELDS[0], TsharkDiff.ascii(m.data, m.methodOffset, m.methodLength));
                    TsharkDiff.put(ours, s.frame, FIELDS[1], TsharkDiff.ascii(m.data, m.uriOffset, m.uriLength));
                    TsharkDiff.put(ours, s.frame, FIELDS[2], TsharkDiff.ascii(m.data, m.hostOffset, m.hostLength));
                    TsharkDiff.put(ours, s.frame, FIELDS[3],
                        TsharkDiff.ascii(m.data, m.userAgentOffset, m.userAgentLength));
                    if (!m.isRequest) {
                        TsharkDiff.put(ours, s.frame, FIELDS[4], Integer.toString(m.statusCode));
                    }
                });
                f.consume(used);
            }
            diff.compare(pcap.getFileName().toString(), ours, theirs, FIELDS);
        }
        diff.verify(10);
    }
}
