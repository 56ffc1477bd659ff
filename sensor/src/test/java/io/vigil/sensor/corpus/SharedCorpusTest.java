package io.vigil.sensor.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.pipeline.Pipeline;
import io.vigil.sensor.pipeline.PipelineConfig;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays every capture of the shared public corpus through the real pipeline and checks it
 * against Wireshark's own tools: packet counts against capinfos, TCP and UDP conversations
 * against {@code tshark -q -z conv,tcp -z conv,udp}. Skips cleanly without the corpus or tools.
 *
 * <p>Conversations are compared as sets of endpoint pairs, ignoring VLAN and time, because
 * that is what tshark's conversation table is: Vigil's flow table additionally splits a pair by
 * VLAN, by idle timeout and by TCP port reuse, which tshark does not.
 */
class SharedCorpusTest {
    private static final Pattern CONV_ROW = Pattern.compile("^(\\S+):(\\d+)\\s+<->\\s+(\\S+):(\\d+)\\s");

    @Test
    void packetCountsAndConversationsMatchWireshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present: skipping the corpus comparison");
        assumeTrue(TestSupport.onPath("capinfos") && TestSupport.onPath("tshark"),
            "capinfos/tshark not installed: skipping the corpus comparison");
        List<Path> captures = TestSupport.captures(corpus);
        assertTrue(captures.size() > 10, "corpus looks empty: " + captures.size());

        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long totalPackets = 0;
        int tcpPairs = 0;
        int udpPairs = 0;
        for (Path capture : captures) {
            String name = corpus.relativize(capture).toString();
            long expectedPackets = capinfosCount(capture);
            Result ours = replay(capture);
            Conversations theirs = tsharkConversations(capture);
            totalPackets += ours.packets;
            tcpPairs += theirs.tcp.size();
            udpPairs += theirs.udp.size();
            String line = String.format(Locale.ROOT, "%-75s packets %7d/%7d  tcp %5d/%5d  udp %5d/%5d  malformed %d",
                name, ours.packets, expectedPackets, ours.tcp.size(), theirs.tcp.size(), ours.udp.size(),
                theirs.udp.size(), ours.malformed);
            report.add(line);
            if (ours.packets != expectedPackets) {
                failures.add(name + ": packets " + ours.packets + " but capinfos says " + expectedPackets);
            }
            diff(name, "tcp", ours.tcp, theirs.tcp, failures);
            diff(name, "udp", ours.udp, theirs.udp, failures);
        }
        Path out = TestSupport.repoRoot().resolve("sensor/target/corpus-report.txt");
        Files.createDirectories(out.getParent());
        report.add(String.format(Locale.ROOT, "%d captures, %d packets, %d tcp and %d udp conversations", captures.size(),
            totalPackets, tcpPairs, udpPairs));
        report.addAll(failures);
        Files.write(out, report, StandardCharsets.UTF_8);
        assertEquals(List.of(), failures, "differences from Wireshark (full report in " + out + ")");
    }

    private static void diff(String name, String proto, Set<String> ours, Set<String> theirs, List<String> failures) {
        if (ours.equals(theirs)) {
            return;
        }
        Set<String> missing = new TreeSet<>(theirs);
        missing.removeAll(ours);
        Set<String> extra = new TreeSet<>(ours);
        extra.removeAll(theirs);
        failures.add(name + ": " + proto + " conversations differ; only tshark: " + first(missing) + "; only vigil: "
            + first(extra));
    }

    private static String first(Set<String> s) {
        return s.size() + " " + s.stream().limit(5).toList();
    }

    private static long capinfosCount(Path capture) throws Exception {
        String out = TestSupport.run("capinfos", "-c", "-M", capture.toString());
        Matcher m = Pattern.compile("Number of packets:\\s+(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    private record Conversations(Set<String> tcp, Set<String> udp) {
    }

    private static Conversations tsharkConversations(Path capture) throws Exception {
        String out = TestSupport.run("tshark", "-n", "-q", "-z", "conv,tcp", "-z", "conv,udp", "-r", capture.toString());
        Set<String> tcp = new HashSet<>();
        Set<String> udp = new HashSet<>();
        Set<String> current = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("TCP Conversations")) {
                current = tcp;
            } else if (line.startsWith("UDP Conversations")) {
                current = udp;
            } else if (current != null) {
                Matcher m = CONV_ROW.matcher(line);
                if (m.find()) {
                    current.add(pair(m.group(1), Integer.parseInt(m.group(2)), m.group(3),
                        Integer.parseInt(m.group(4))));
                }
            }
        }
        return new Conversations(tcp, udp);
    }

    /** Direction-free, canonical text for an endpoint pair. */
    static String pair(String ipA, int portA, String ipB, int portB) {
        String a = canonical(ipA) + "/" + portA;
        String b = canonical(ipB) + "/" + portB;
        return a.compareTo(b) <= 0 ? a + " " + b : b + " " + a;
    }

    private static String canonical(String ip) {
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + ip, e);
        }
    }

    private static final class Result {
        final Set<String> tcp = Collections.synchronizedSet(new HashSet<>());
        final Set<String> udp = Collections.synchronizedSet(new HashSet<>());
        long packets;
        long malformed;
    }

    private static Result replay(Path capture) throws Exception {
        Result r = new Result();
        ObservationHandler collect = (Observation o, boolean ownsSource, boolean ownsDestination) -> {
            if (o.type != ObservationType.FLOW_START || !ownsSource) {
                return;
            }
            if (o.srcPort == 0 && o.dstPort == 0) {
                // A later IP fragment whose first fragment never arrived has no ports: Vigil keeps
                // it as a port-less flow (and counts fragment_without_first); tshark cannot
                // reassemble it and lists no conversation for it.
                return;
            }
            String p = pair(IpAddresses.toString(o.srcIpHi, o.srcIpLo), o.srcPort,
                IpAddresses.toString(o.dstIpHi, o.dstIpLo), o.dstPort);
            if (o.ipProto == 6) {
                r.tcp.add(p);
            } else if (o.ipProto == 17) {
                r.udp.add(p);
            }
        };
        Pipeline pipeline = new Pipeline(PipelineConfig.defaults(false).withRingSize(1024).withMaxFlows(65_536),
            i -> List.of(collect), 1, FlowEndReason.END_OF_CAPTURE);
        pipeline.start();
        FileReplay replay = new FileReplay(pipeline, ReplaySpeed.MAX, () -> false);
        replay.replay(List.of(capture));
        assertTrue(pipeline.finish(60, TimeUnit.SECONDS));
        r.packets = replay.packets();
        r.malformed = pipeline.decodeCounters().malformedTotal();
        return r;
    }
}
