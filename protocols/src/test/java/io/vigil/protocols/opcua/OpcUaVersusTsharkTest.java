package io.vigil.protocols.opcua;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Wireshark on the shared OPC UA corpus ({@code ../shared/pcaps/opcua}):
 * tshark supplies each frame's TCP payload; a simple in-order follower per connection and
 * direction (retransmitted bytes trimmed by raw sequence number, a gap drops the pending bytes and
 * the direction's partial state) feeds OpcUaParser; each message is attributed to the frame that
 * completes it, as Wireshark's desegmentation does. The reference values are the committed
 * {@code *.tshark.csv} files (tshark 4.0).
 *
 * <p>A connection is OPC UA when one side is port 4840 or a direction starts with a HEL; the HEL's
 * sender (else the side away from 4840) is the client. Per frame and field, the values of all
 * messages of the frame are compared as one {@code |}-joined list, absent values dropped as tshark
 * does; a field counts as compared when either side has a value. Every disagreement must be
 * listed, with its reason, in {@code src/test/resources/opcua/known-differences.txt}; a listed
 * difference that no longer occurs fails the test too.
 */
class OpcUaVersusTsharkTest {
    static final String[] FIELDS = {"type", "chunk", "scid", "tokenid", "seq", "rqid", "encodingmask", "numeric"};
    /** Column of each FIELDS entry in the csv. */
    private static final int[] CSV_COLUMN = {10, 11, 12, 13, 14, 15, 16, 17};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path dir = Paths.get("../../shared/pcaps/opcua");
        assumeTrue(Files.isDirectory(dir), "shared corpus not present: " + dir.toAbsolutePath());
        assumeTrue(onPath("tshark"), "tshark not on PATH");
        List<Path> pcaps;
        try (Stream<Path> s = Files.list(dir)) {
            pcaps = s.filter(p -> p.toString().endsWith(".pcap")).sorted().collect(Collectors.toList());
        }
        assumeTrue(!pcaps.isEmpty(), "no pcaps in " + dir);
        Map<String, String> known = knownDifferences();
        Set<String> seen = new HashSet<>();
        List<String> unlisted = new ArrayList<>();
        long compared = 0;
        long agreed = 0;
        long frames = 0;
        long messages = 0;
        StringBuilder summary = new StringBuilder();
        for (Path pcap : pcaps) {
            String name = pcap.getFileName().toString();
            Path csv = dir.resolve(name + ".tshark.csv");
            if (!Files.exists(csv)) {
                continue;
            }
            Map<Long, String[]> theirs = readCsv(csv);
            OpcUaParser parser = new OpcUaParser();
            Map<Long, List<String[]>> ours = runOurs(pcap, parser, null);
            TreeSet<Long> all = new TreeSet<>(theirs.keySet());
            all.addAll(ours.keySet());
            long fileCompared = 0;
            long fileAgreed = 0;
            for (long frame : all) {
                String[] t = theirs.get(frame);
                List<String[]> o = ours.getOrDefault(frame, List.of());
                frames++;
                messages += o.size();
                for (int f = 0; f < FIELDS.length; f++) {
                    String tv = t == null || t.length <= CSV_COLUMN[f] ? "" : t[CSV_COLUMN[f]];
                    String ov = join(o, f);
                    if (tv.isEmpty() && ov.isEmpty()) {
                        continue;
                    }
                    fileCompared++;
                    if (tv.equals(ov)) {
                        fileAgreed++;
                        continue;
                    }
                    String key = name + "\t" + frame + "\t" + FIELDS[f] + "\t" + ov + "\t" + tv;
                    if (known.containsKey(key)) {
                        seen.add(key);
                    } else {
                        unlisted.add(key);
                    }
                }
            }
            compared += fileCompared;
            agreed += fileAgreed;
            summary.append(String.format("  %-75s frames %5d fields %6d agree %6d malformed %d encrypted %d%n", name,
                all.size(), fileCompared, fileAgreed, parser.malformedMessages(), parser.encryptedMessages()));
        }
        double agreement = compared == 0 ? 0 : 100.0 * agreed / compared;
        System.out.printf("OpcUaVersusTsharkTest: %d frames, %d messages, %d fields compared, %d agree (%.3f%%), %d listed"
            + " differences%n%s", frames, messages, compared, agreed, agreement, known.size(), summary);
        List<String> stale = new ArrayList<>(known.keySet());
        stale.removeAll(seen);
        StringBuilder sb = new StringBuilder();
        if (!unlisted.isEmpty()) {
            sb.append(unlisted.size()).append(" unlisted differences (file, frame, field, ours, tshark):\n");
            unlisted.stream().limit(80).forEach(u -> sb.append("  ").append(u).append('\n'));
            Files.write(Paths.get("target/opcua-unlisted-differences.txt"), unlisted, StandardCharsets.UTF_8);
        }
        if (!stale.isEmpty()) {
            sb.append(stale.size()).append(" listed differences that no longer occur:\n");
            stale.stream().limit(40).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        assertTrue(sb.length() == 0, sb.toString());
        assertTrue(compared > 5_000, "fields compared: " + compared);
        assertTrue(agreement >= 99.0, "agreement " + agreement + "%");
    }

    static String join(List<String[]> msgs, int field) {
        StringBuilder sb = new StringBuilder();
        for (String[] a : msgs) {
            String v = a[field];
            if (v.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(v);
        }
        return sb.toString();
    }

    /** Our view of each frame: one String[FIELDS.length] per message completed in it. */
    static Map<Long, List<String[]>> runOurs(Path pcap) throws IOException, InterruptedException {
        return runOurs(pcap, new OpcUaParser(), null);
    }

    static Map<Long, List<String[]>> runOurs(Path pcap, OpcUaParser parser, List<String> services)
        throws IOException, InterruptedException {
        List<String> lines = run("tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,",
            "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "ip.dst",
            "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.seq_raw", "-e", "tcp.payload", "-Y", "tcp.len>0");
        Map<String, Follower> followers = new HashMap<>();
        Map<String, OpcUaFlowState> states = new HashMap<>();
        Map<String, Integer> serverPort = new HashMap<>();
        OpcUaMessage msg = new OpcUaMessage();
        Map<Long, List<String[]>> out = new LinkedHashMap<>();
        for (String line : lines) {
            String[] c = line.split(",", -1);
            if (c.length < 9 || c[8].isEmpty()) {
                continue;
            }
            long frame = Long.parseLong(c[0]);
            String src = (c[1].isEmpty() ? c[2] : c[1]) + ":" + firstOf(c[3]);
            String dst = (c[4].isEmpty() ? c[5] : c[4]) + ":" + firstOf(c[6]);
            int sport = Integer.parseInt(firstOf(c[3]));
            int dport = Integer.parseInt(firstOf(c[6]));
            long seq = Long.parseLong(firstOf(c[7]));
            byte[] payload = hex(firstOf(c[8]));
            String conn = src.compareTo(dst) < 0 ? src + "-" + dst : dst + "-" + src;
            Integer server = serverPort.get(conn);
            if (server == null) {
                if (payload.length >= 4 && payload[0] == 'H' && payload[1] == 'E' && payload[2] == 'L'
                    && OpcUaParser.looksLikeOpcUa(payload, 0, payload.length)) {
                    server = dport;
                } else if (dport == 4840 || sport == 4840) {
                    server = 4840;
                } else {
                    continue;
                }
                serverPort.put(conn, server);
            }
            boolean fromClient = dport == server;
            Follower f = followers.computeIfAbsent(src + ">" + dst, k -> new Follower());
            OpcUaFlowState st = states.computeIfAbsent(conn, k -> new OpcUaFlowState());
            if (f.add(seq, payload)) {
                st.onGap(fromClient);
            }
            st.setTime(frame, frame * 1000);
            int used = parser.parse(f.buf, 0, f.len, fromClient, msg, st, m -> {
                out.computeIfAbsent(frame, k -> new ArrayList<>()).add(tsharkView(m));
                if (services != null) {
                    services.add(m.typeName() + (m.serviceName() != null ? " " + m.serviceName() : ""));
                }
            });
            f.consume(used);
        }
        return out;
    }

    /** What tshark would print for this message, field by field ("" where tshark has no value). */
    static String[] tsharkView(OpcUaMessage m) {
        String[] v = new String[FIELDS.length];
        Arrays.fill(v, "");
        v[0] = m.typeName();
        v[1] = String.valueOf(m.chunk);
        boolean secure = m.type == OpcUaMessage.OPN || m.type == OpcUaMessage.MSG || m.type == OpcUaMessage.CLO;
        if (secure && m.secureChannelId >= 0) {
            v[2] = Long.toString(m.secureChannelId);
        }
        if ((m.type == OpcUaMessage.MSG || m.type == OpcUaMessage.CLO) && m.tokenId >= 0) {
            v[3] = Long.toString(m.tokenId);
        }
        if (m.sequenceNumber >= 0) {
            v[4] = Long.toString(m.sequenceNumber);
        }
        if (m.requestId >= 0) {
            v[5] = Long.toString(m.requestId);
        }
        if (m.serviceEncoding >= 0) {
            v[6] = String.format("0x%02x", m.serviceEncoding);
        }
        if (m.serviceId >= 0) {
            v[7] = Long.toString(m.serviceId);
        }
        return v;
    }

    /** In-order byte stream of one direction: trims retransmissions, drops pending bytes on a gap. */
    static final class Follower {
        static final long FAR = 1 << 20;
        byte[] buf = new byte[4096];
        int len;
        long next = -1;

        /** Returns true when the segment does not continue the stream (a gap): pending bytes were dropped. */
        boolean add(long seq, byte[] data) {
            int skip = 0;
            boolean gap = false;
            if (next >= 0) {
                long delta = seq - next; // raw sequence numbers wrap at 2^32
                if (delta > (1L << 31)) {
                    delta -= 1L << 32;
                } else if (delta < -(1L << 31)) {
                    delta += 1L << 32;
                }
                if (delta > 0 || delta < -FAR) {
                    len = 0;
                    gap = true;
                } else if (delta + data.length <= 0) {
                    return false;
                } else if (delta < 0) {
                    skip = (int) -delta;
                }
            }
            int n = data.length - skip;
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(data, skip, buf, len, n);
            len += n;
            next = (seq + data.length) & 0xFFFFFFFFL;
            return gap;
        }

        void consume(int n) {
            System.arraycopy(buf, n, buf, 0, len - n);
            len -= n;
        }
    }

    private static String firstOf(String s) {
        int i = s.indexOf(',');
        return i < 0 ? s : s.substring(0, i);
    }

    private static Map<Long, String[]> readCsv(Path csv) throws IOException {
        Map<Long, String[]> m = new HashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            for (int j = 0; j < c.length; j++) {
                c[j] = c[j].replace("\"", "");
            }
            m.put(Long.parseLong(c[0]), c);
        }
        return m;
    }

    /** known-differences.txt: file, frame, field, ours, tshark's, reason; tab-separated; # comments. */
    private static Map<String, String> knownDifferences() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = OpcUaVersusTsharkTest.class.getResourceAsStream("/opcua/known-differences.txt")) {
            if (in == null) {
                return m;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length < 6 || c[5].isBlank()) {
                    throw new IllegalStateException("known-differences.txt needs 6 tab-separated columns with a reason: "
                        + line);
                }
                m.put(String.join("\t", c[0], c[1], c[2], c[3], c[4]), c[5]);
            }
        }
        return m;
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                lines.add(l);
            }
        }
        p.waitFor();
        return lines;
    }
}
