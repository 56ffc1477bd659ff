package io.vigil.protocols.dhcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Shared plumbing of the DHCP/NTP/SNMP differential tests against tshark: finds the corpus, runs tshark for UDP
 * payloads plus fields, and keeps the per-field tally and the disagreements to check against a known-differences
 * file (tab separated: file, frame, field, ours, tshark, reason).
 */
public final class UdpDifferential {
    public final Map<String, long[]> perField = new TreeMap<>();
    public final List<String> disagreements = new ArrayList<>();
    public long compared;
    public long agreed;

    public static Path corpus() {
        for (String p : new String[] {"../../shared/pcaps", "../shared/pcaps"}) {
            Path d = Path.of(p);
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        return null;
    }

    public static boolean tsharkOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "tshark"))) {
                return true;
            }
        }
        return false;
    }

    /** Rows of frame.number, udp.payload and the given fields (first occurrence), UDP frames only. */
    public static List<String[]> tshark(Path file, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-Y", "udp", "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=f", "-e", "frame.number", "-e", "udp.payload"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                String[] c = line.split("\t", -1);
                if (c.length == fields.length + 2) {
                    rows.add(c);
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark timed out on " + file);
        }
        return rows;
    }

    public static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Compares one field when tshark has it; an empty ours against a non-empty tshark value is a disagreement. */
    public void field(String file, String frame, String field, String ours, String theirs) {
        if (theirs == null || theirs.isEmpty()) {
            return;
        }
        long[] c = perField.computeIfAbsent(field, k -> new long[2]);
        c[0]++;
        compared++;
        String o = ours == null ? "" : ours;
        if (o.equals(theirs)) {
            c[1]++;
            agreed++;
        } else {
            disagreements.add(String.join("\t", file, frame, field, o, theirs));
        }
    }

    public static Set<String> known(String resource) throws IOException {
        Set<String> s = new HashSet<>();
        try (InputStream in = UdpDifferential.class.getResourceAsStream(resource)) {
            if (in == null) {
                return s;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t");
                if (c.length >= 6) {
                    s.add(String.join("\t", c[0], c[1], c[2], c[3], c[4]));
                }
            }
        }
        return s;
    }

    /** Prints the tally; throws listing unlisted disagreements; checks the agreement rate. */
    public void check(String name, String knownResource) throws IOException {
        Set<String> known = known(knownResource);
        List<String> unlisted = new ArrayList<>();
        for (String d : disagreements) {
            if (!known.contains(d)) {
                unlisted.add(d);
            }
        }
        double pct = compared == 0 ? 0 : 100.0 * agreed / compared;
        StringBuilder sb = new StringBuilder(String.format("%s: %d fields compared, %d agree (%.3f%%), %d differences"
                + " (%d unlisted)%n", name, compared, agreed, pct, disagreements.size(), unlisted.size()));
        perField.forEach((k, v) -> sb.append(String.format("    %-28s %7d compared %7d agree%n", k, v[0], v[1])));
        System.out.print(sb);
        if (!unlisted.isEmpty()) {
            StringBuilder e = new StringBuilder(unlisted.size() + " unlisted differences (file, frame, field, ours, "
                    + "tshark):\n");
            unlisted.stream().limit(80).forEach(u -> e.append(u).append('\n'));
            throw new AssertionError(e.toString());
        }
        if (compared == 0 || pct < 99.0) {
            throw new AssertionError(name + " agreement " + pct + "% over " + compared);
        }
    }

    /** Bytes allocated by this thread, or -1 when the JVM cannot tell. */
    public static long allocatedBytes() {
        java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
        if (b instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean s = (com.sun.management.ThreadMXBean) b;
            if (s.isThreadAllocatedMemorySupported() && s.isThreadAllocatedMemoryEnabled()) {
                return s.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
        }
        return -1;
    }
}
