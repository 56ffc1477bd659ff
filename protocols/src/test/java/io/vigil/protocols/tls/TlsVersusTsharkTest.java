package io.vigil.protocols.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link TlsParser} against tshark 4.0 (see {@link TsharkDiff}): handshake
 * type (hellos only: 1 and 2), SNI, JA3 and JA3S (MD5 and full text) per frame. Every disagreement must be listed in
 * {@code src/test/resources/tls/known-differences.txt}.
 */
class TlsVersusTsharkTest {
    static final String[] FIELDS = {"tls.handshake.type", "tls.handshake.extensions_server_name",
        "tls.handshake.ja3", "tls.handshake.ja3s", "tls.handshake.ja3_full", "tls.handshake.ja3s_full"};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path root = TsharkDiff.corpus();
        assumeTrue(Files.isDirectory(root), "shared corpus not present: " + root.toAbsolutePath());
        assumeTrue(TsharkDiff.tsharkOnPath(), "tshark not on PATH");
        List<Path> pcaps = new ArrayList<>();
        pcaps.addAll(list(root.resolve("it"), "zeek_tls"));
        pcaps.addAll(list(root.resolve("attacks"), "zeek_tls_heartbleed"));
        assumeTrue(!pcaps.isEmpty(), "no TLS pcaps");
        TsharkDiff diff = new TsharkDiff("tls", "/tls/known-differences.txt");
        TlsParser parser = new TlsParser();
        TlsHello hello = new TlsHello();
        for (Path pcap : pcaps) {
            Map<Long, Map<String, String>> theirs = TsharkDiff.reference(pcap, FIELDS);
            for (Map<String, String> m : theirs.values()) { // we deliver hellos only
                String types = m.get(FIELDS[0]);
                if (types != null) {
                    String hellos = Stream.of(types.split(TsharkDiff.AGG + "|,")).filter(t -> t.equals("1") || t.equals("2"))
                        .collect(Collectors.joining(TsharkDiff.AGG));
                    if (hellos.isEmpty()) {
                        m.remove(FIELDS[0]);
                    } else {
                        m.put(FIELDS[0], hellos);
                    }
                }
            }
            Map<Long, Map<String, String>> ours = new TreeMap<>();
            Map<String, TsharkDiff.Follower> followers = new HashMap<>();
            for (TsharkDiff.Segment s : TsharkDiff.segments(pcap)) {
                boolean fromClient = s.dstPort < s.srcPort;
                TsharkDiff.Follower f = followers.computeIfAbsent(s.stream + (fromClient ? "c" : "s"),
                    k -> new TsharkDiff.Follower());
                f.add(s.seq, s.payload);
                int used = parser.parse(f.buf, 0, f.len, fromClient, hello, h -> {
                    TsharkDiff.put(ours, s.frame, FIELDS[0], Integer.toString(h.handshakeType));
                    TsharkDiff.put(ours, s.frame, FIELDS[1], TsharkDiff.ascii(h.data, h.sniOffset, h.sniLength));
                    if (h.ja3Valid) {
                        TsharkDiff.put(ours, s.frame, h.isClient ? FIELDS[2] : FIELDS[3], TlsParserTest.hex(h.ja3));
                        TsharkDiff.put(ours, s.frame, h.isClient ? FIELDS[4] : FIELDS[5], parser.lastJa3Text());
                    }
                });
                f.consume(used);
            }
            diff.compare(pcap.getFileName().toString(), ours, theirs, FIELDS);
        }
        diff.verify(10);
    }

    static List<Path> list(Path dir, String prefix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".pcap"))
                .sorted().collect(Collectors.toList());
        }
    }
}
