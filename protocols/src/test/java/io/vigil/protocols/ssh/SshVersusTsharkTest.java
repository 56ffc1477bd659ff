package io.vigil.protocols.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.tls.TsharkDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link SshParser} against tshark 4.0 (see {@link TsharkDiff}): the
 * identification string (ssh.protocol) per frame. Every disagreement must be listed in
 * {@code src/test/resources/ssh/known-differences.txt}.
 */
class SshVersusTsharkTest {
    static final String[] FIELDS = {"ssh.protocol"};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path root = TsharkDiff.corpus();
        assumeTrue(Files.isDirectory(root), "shared corpus not present: " + root.toAbsolutePath());
        assumeTrue(TsharkDiff.tsharkOnPath(), "tshark not on PATH");
        List<Path> pcaps = new ArrayList<>();
        for (Path p : List.of(root.resolve("it/zeek_ssh_single-conn.pcap"), root.resolve("attacks/zeek_ssh_sshguess.pcap"))) {
            if (Files.exists(p)) {
                pcaps.add(p);
            }
        }
        assumeTrue(!pcaps.isEmpty(), "no SSH pcaps");
        TsharkDiff diff = new TsharkDiff("ssh", "/ssh/known-differences.txt");
        SshBanner banner = new SshBanner();
        for (Path pcap : pcaps) {
            Map<Long, Map<String, String>> theirs = TsharkDiff.reference(pcap, FIELDS);
            Map<Long, Map<String, String>> ours = new TreeMap<>();
            Map<String, TsharkDiff.Follower> followers = new HashMap<>();
            Map<String, SshParser> parsers = new HashMap<>();
            for (TsharkDiff.Segment s : TsharkDiff.segments(pcap)) {
                boolean fromClient = s.dstPort < s.srcPort;
                TsharkDiff.Follower f = followers.computeIfAbsent(s.stream + (fromClient ? "c" : "s"),
                    k -> new TsharkDiff.Follower());
                SshParser parser = parsers.computeIfAbsent(s.stream, k -> new SshParser());
                f.add(s.seq, s.payload);
                int used = parser.parse(f.buf, 0, f.len, fromClient, banner, b -> TsharkDiff.put(ours, s.frame,
                    FIELDS[0], TsharkDiff.ascii(b.data, b.lineOffset, b.lineLength)));
                f.consume(used);
            }
            diff.compare(pcap.getFileName().toString(), ours, theirs, FIELDS);
        }
        diff.verify(4);
    }
}
