package io.vigil.protocols.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Shared machinery of the TLS/HTTP/SSH differential tests against tshark 4.0 on
 * {@code ../shared/pcaps}: per-frame TCP payloads, a simple in-order follower per stream and
 * direction (retransmitted bytes trimmed by sequence number, a gap restarts the direction), the
 * reference fields per frame, and the comparison with a known-differences list.
 *
 * <p>Each parsed message is attributed to the frame whose payload completed it, as Wireshark's
 * TCP desegmentation does (HTTP body desegmentation is switched off so that a head is reported
 * where it ends, not where its body does). Per frame and field, the values of all messages of the
 * frame are compared as one list; a field counts as compared when either side has a value.
 */
public final class TsharkDiff {
    /** Aggregator for several values in one frame: never occurs in the compared strings. */
    public static final String AGG = "\u0001";

    private final String label;
    private final Map<String, String> known;
    private final Set<String> seen = new HashSet<>();
    private final List<String> unlisted = new ArrayList<>();
    private final StringBuilder summary = new StringBuilder();
    private long compared;
    private long agreed;

    public TsharkDiff(String label, String knownResource) throws IOException {
        this.label = label;
        this.known = knownDifferences(knownResource);
    }

    public static Path corpus() {
        return Paths.get("../../shared/pcaps");
    }

    public static boolean tsharkOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, "tshark"))) {
                return true;
            }
        }
        return false;
    }

    /** One TCP segment with payload. */
    public static final class Segment {
        public long frame;
        public String stream;
        public int srcPort;
        public int dstPort;
        public long seq;
        public byte[] payload;
    }

    public static List<Segment> segments(Path pcap) throws IOException, InterruptedException {
        List<String> lines = run("tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-E", "separator=/t",
            "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.seq",
            "-e", "tcp.payload", "-Y", "tcp.len>0");
        List<Segment> out = new ArrayList<>();
        for (String line : lines) {
            String[] c = line.split("\t", -1);
            if (c.length < 6 || c[5].isEmpty()) {
                continue;
            }
            Segment s = new Segment();
            s.frame = Long.parseLong(c[0]);
            s.stream = firstOf(c[1]);
            s.srcPort = Integer.parseInt(firstOf(c[2]));
            s.dstPort = Integer.parseInt(firstOf(c[3]));
            s.seq = Long.parseLong(firstOf(c[4]));
            s.payload = hex(firstOf(c[5]));
            out.add(s);
        }
        return out;
    }

    /** tshark's values: frame -> field -> values joined with {@link #AGG}. */
    public static Map<Long, Map<String, String>> reference(Path pcap, String... fields)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Arrays.asList("tshark", "-n", "-r", pcap.toString(), "-o",
            "http.desegment_body:FALSE", "-T", "fields", "-E", "separator=/t", "-E", "aggregator=" + AGG, "-e",
            "frame.number"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Map<Long, Map<String, String>> out = new TreeMap<>();
        for (String line : run(cmd.toArray(new String[0]))) {
            String[] c = line.split("\t", -1);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < fields.length && i + 1 < c.length; i++) {
                if (!c[i + 1].isEmpty()) {
                    m.put(fields[i], c[i + 1]);
                }
            }
            if (!m.isEmpty()) {
                out.put(Long.parseLong(c[0]), m);
            }
        }
        return out;
    }

    /** Compares one file: ours and theirs are frame -> field -> aggregated values. */
    public void compare(String file, Map<Long, Map<String, String>> ours, Map<Long, Map<String, String>> theirs,
                        String... fields) {
        TreeMap<Long, Boolean> frames = new TreeMap<>();
        ours.keySet().forEach(k -> frames.put(k, true));
        theirs.keySet().forEach(k -> frames.put(k, true));
        long c = 0;
        long a = 0;
        for (long frame : frames.keySet()) {
            for (String f : fields) {
                String o = ours.getOrDefault(frame, Map.of()).getOrDefault(f, "");
                String t = theirs.getOrDefault(frame, Map.of()).getOrDefault(f, "");
                if (o.isEmpty() && t.isEmpty()) {
                    continue;
                }
                c++;
                if (o.equals(t)) {
                    a++;
                    continue;
                }
                String key = file + "\t" + frame + "\t" + f + "\t" + o.replace(AGG, "|") + "\t" + t.replace(AGG, "|");
                if (known.containsKey(key)) {
                    seen.add(key);
                } else {
                    unlisted.add(key);
                }
            }
        }
        compared += c;
        agreed += a;
        summary.append(String.format("  %-40s fields %5d agree %5d%n", file, c, a));
    }

    /** Fails on unlisted or stale differences, too few comparisons, or agreement under 99%. */
    public void verify(long minCompared) throws IOException {
        double agreement = compared == 0 ? 0 : 100.0 * agreed / compared;
        System.out.printf("%s: %d fields compared, %d agree (%.3f%%), %d listed differences%n%s", label, compared,
            agreed, agreement, known.size(), summary);
        List<String> stale = new ArrayList<>(known.keySet());
        stale.removeAll(seen);
        StringBuilder sb = new StringBuilder();
        if (!unlisted.isEmpty()) {
            sb.append(unlisted.size()).append(" unlisted differences (file, frame, field, ours, tshark):\n");
            unlisted.stream().limit(80).forEach(u -> sb.append("  ").append(u).append('\n'));
            Files.write(Paths.get("target/" + label + "-unlisted-differences.txt"), unlisted, StandardCharsets.UTF_8);
        }
        if (!stale.isEmpty()) {
            sb.append(stale.size()).append(" listed differences that no longer occur:\n");
            stale.forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        assertTrue(sb.length() == 0, sb.toString());
        assertTrue(compared >= minCompared, "fields compared: " + compared);
        assertTrue(agreement >= 99.0, "agreement " + agreement + "%");
    }

    /** Adds a value to ours[frame][field]. */
    public static void put(Map<Long, Map<String, String>> ours, long frame, String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        ours.computeIfAbsent(frame, k -> new LinkedHashMap<>()).merge(field, value, (x, y) -> x + AGG + y);
    }

    /** In-order byte stream of one direction. */
    public static final class Follower {
        static final long FAR = 1 << 20;
        public byte[] buf = new byte[4096];
        public int len;
        long next = -1;

        public void add(long seq, byte[] data) {
            int skip = 0;
            if (next >= 0) {
                if (seq < next - FAR || seq > next) {
                    len = 0; // a gap: start over at this segment
                } else if (seq + data.length <= next) {
                    return;
                } else if (seq < next) {
                    skip = (int) (next - seq);
                }
            }
            int n = data.length - skip;
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(data, skip, buf, len, n);
            len += n;
            next = seq + data.length;
        }

        public void consume(int n) {
            System.arraycopy(buf, n, buf, 0, len - n);
            len -= n;
        }
    }

    public static String ascii(byte[] b, int off, int len) {
        return off < 0 ? "" : new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static String firstOf(String s) {
        int i = s.indexOf(',');
        return i < 0 ? s : s.substring(0, i);
    }

    private static Map<String, String> knownDifferences(String resource) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = TsharkDiff.class.getResourceAsStream(resource)) {
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
                    throw new IllegalStateException(resource + " needs 6 tab-separated columns with a reason: " + line);
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

    private static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        p.waitFor();
        return lines;
    }
}
