package io.vigil.protocols.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Runs tshark (and the other Wireshark tools) for the differential tests and reads what it prints. */
public final class Tshark {
    /** A run that takes longer is stuck: fail rather than hang the build. */
    private static final long TIMEOUT_SECONDS = 300;

    private Tshark() {
    }

    /** True when an executable {@code tool} is on PATH (callers assumeTrue on it). */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    public static boolean available() {
        return onPath("tshark");
    }

    /** Runs a command, stderr discarded, and returns its stdout lines. */
    public static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null;) {
                lines.add(l);
            }
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return lines;
    }

    public static List<String> run(String... cmd) throws IOException, InterruptedException {
        return run(Arrays.asList(cmd));
    }

    /** Every TCP segment with payload, in capture order. */
    public static List<TcpSegment> tcpSegments(Path pcap) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-e", "frame.number", "-e", "tcp.stream",
            "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "ipv6.dst",
            "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.seq_raw", "-e", "tcp.payload", "-Y", "tcp.len>0"));
        List<TcpSegment> out = new ArrayList<>();
        for (String line : run(cmd)) {
            String[] c = line.split("\t", -1);
            if (c.length < 11 || c[10].isEmpty()) {
                continue;
            }
            out.add(new TcpSegment(Long.parseLong(c[0]), firstOf(c[1]), firstOf(c[2].isEmpty() ? c[3] : c[2]),
                Integer.parseInt(firstOf(c[4])), firstOf(c[5].isEmpty() ? c[6] : c[5]), Integer.parseInt(firstOf(c[7])),
                Long.parseLong(firstOf(c[8])), Long.parseLong(firstOf(c[9])), hex(firstOf(c[10]))));
        }
        return out;
    }

    /**
     * Rows of frame.number, udp.payload and the given fields (first occurrence) for every UDP frame; rows whose
     * column count is off (a field with a tab in it) are dropped.
     */
    public static List<String[]> udpRows(Path pcap, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-Y", "udp", "-T", "fields",
            "-E", "separator=/t", "-E", "occurrence=f", "-e", "frame.number", "-e", "udp.payload"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : run(cmd)) {
            String[] c = line.split("\t", -1);
            if (c.length == fields.length + 2) {
                rows.add(c);
            }
        }
        return rows;
    }

    /**
     * tshark's values per frame: frame -> field -> all occurrences joined with {@code aggregator}; frames without
     * any of the fields are left out. {@code options} go before {@code -T fields}.
     */
    public static Map<Long, Map<String, String>> fieldsByFrame(Path pcap, String aggregator, List<String> options,
                                                               String... fields)
        throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "aggregator=" + aggregator, "-e",
            "frame.number"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Map<Long, Map<String, String>> out = new TreeMap<>();
        for (String line : run(cmd)) {
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

    /** The first of tshark's comma-aggregated occurrences (the outer header where a frame has several). */
    public static String firstOf(String s) {
        int i = s.indexOf(',');
        return i < 0 ? s : s.substring(0, i);
    }

    public static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
