package io.vigil.protocols.modbus;

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
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Wireshark on the shared Modbus corpus ({@code ../shared/pcaps/modbus}):
 * tshark supplies each frame's TCP payload; a simple in-order follower (per 4-tuple and direction,
 * retransmitted bytes trimmed by sequence number, a gap drops the pending bytes) feeds
 * ModbusParser + ModbusTransactions; each ADU is attributed to the frame that completes it, as
 * Wireshark's TCP desegmentation does. The reference values are the committed
 * {@code *.tshark.csv} files (tshark 4.0).
 *
 * <p>Per frame and field, the values of all ADUs of the frame, in order, are compared as one list
 * (tshark aggregates them with {@code |} and drops absent ones). A field counts as compared when
 * either side has a value. Fields: MBAP (trans_id, prot_id, len, unit_id), func_code,
 * exception_code, reference_num, word_cnt, bit_cnt and request_frame. tshark shows
 * reference/count only where the PDU carries them, so ours are printed only when not filled in
 * from the matched request.
 *
 * <p>Every disagreement must be listed, with its reason, in
 * {@code src/test/resources/modbus/known-differences.txt}; a listed difference that no longer
 * occurs fails the test too, so the list cannot go stale.
 */
class ModbusVersusTsharkTest {
    private static final String[] FIELDS = {"trans_id", "prot_id", "len", "unit_id", "func_code", "reference_num",
        "word_cnt", "bit_cnt", "exception_code", "request_frame"};
    /** Column of each FIELDS entry in the csv. */
    private static final int[] CSV_COLUMN = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path dir = Paths.get("../../shared/pcaps/modbus");
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
        long adus = 0;
        StringBuilder summary = new StringBuilder();
        for (Path pcap : pcaps) {
            String name = pcap.getFileName().toString();
            Path csv = dir.resolve(name + ".tshark.csv");
            if (!Files.exists(csv)) {
                continue;
            }
            Map<Long, String[]> theirs = readCsv(csv);
            Map<Long, List<String[]>> ours = runOurs(pcap);
            TreeMap<Long, Boolean> all = new TreeMap<>();
            theirs.keySet().forEach(k -> all.put(k, true));
            ours.keySet().forEach(k -> all.put(k, true));
            long fileCompared = 0;
            long fileAgreed = 0;
            for (long frame : all.keySet()) {
                String[] t = theirs.get(frame);
                List<String[]> o = ours.getOrDefault(frame, List.of());
                frames++;
                adus += o.size();
                for (int f = 0; f < FIELDS.length; f++) {
                    String tv = t == null ? "" : t[CSV_COLUMN[f]];
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
            summary.append(String.format("  %-45s frames %6d fields %7d agree %7d%n", name, all.size(), fileCompared,
                fileAgreed));
        }
        double agreement = compared == 0 ? 0 : 100.0 * agreed / compared;
        System.out.printf("ModbusVersusTsharkTest: %d frames, %d ADUs, %d fields compared, %d agree (%.3f%%), %d listed"
            + " differences%n%s", frames, adus, compared, agreed, agreement, known.size(), summary);
        List<String> stale = new ArrayList<>(known.keySet());
        stale.removeAll(seen);
        StringBuilder sb = new StringBuilder();
        if (!unlisted.isEmpty()) {
            sb.append(unlisted.size()).append(" unlisted differences (file, frame, field, ours, tshark):\n");
            unlisted.stream().limit(80).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        if (!stale.isEmpty()) {
            sb.append(stale.size()).append(" listed differences that no longer occur:\n");
            stale.stream().limit(40).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        if (!unlisted.isEmpty()) { // for updating the list after review
            Files.write(Paths.get("target/modbus-unlisted-differences.txt"), unlisted, StandardCharsets.UTF_8);
        }
        assertTrue(sb.length() == 0, sb.toString());
        assertTrue(compared > 100_000, "fields compared: " + compared);
        assertTrue(agreement >= 99.0, "agreement " + agreement + "%");
    }

    private static String join(List<String[]> adus, int field) {
        StringBuilder sb = new StringBuilder();
        for (String[] a : adus) {
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

    /** Our view of each frame: one String[FIELDS.length] per ADU completed in it. */
    private static Map<Long, List<String[]>> runOurs(Path pcap) throws IOException, InterruptedException {
        List<String> lines = run("tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,",
            "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "ip.dst",
            "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.payload", "-Y", "tcp.len>0");
        Map<String, Follower> followers = new HashMap<>();
        Map<String, ModbusTransactions> transactions = new HashMap<>();
        ModbusParser parser = new ModbusParser();
        ModbusPdu pdu = new ModbusPdu();
        Map<Long, List<String[]>> out = new LinkedHashMap<>();
        for (String line : lines) {
            String[] c = line.split(",", -1);
            if (c.length < 9 || c[8].isEmpty()) {
                continue;
            }
            long frame = Long.parseLong(c[0]);
            String src = c[1].isEmpty() ? c[2] : c[1];
            String dst = c[4].isEmpty() ? c[5] : c[4];
            int sport = Integer.parseInt(firstOf(c[3]));
            int dport = Integer.parseInt(firstOf(c[6]));
            long seq = Long.parseLong(firstOf(c[7]));
            byte[] payload = hex(firstOf(c[8]));
            if (sport != 502 && dport != 502) {
                continue; // the corpus also holds S7 (102), DNS, ...: the sensor picks Modbus by port as tshark does
            }
            boolean fromClient = dport == 502;
            String conn = fromClient ? src + ":" + sport + ">" + dst + ":" + dport : dst + ":" + dport + ">" + src + ":"
                + sport;
            Follower f = followers.computeIfAbsent(conn + (fromClient ? "/c" : "/s"), k -> new Follower());
            ModbusTransactions tx = transactions.computeIfAbsent(conn, k -> new ModbusTransactions());
            f.add(seq, payload);
            int used = parser.parse(f.buf, 0, f.len, fromClient, pdu, p -> {
                tx.track(p, frame, frame * 1000);
                out.computeIfAbsent(frame, k -> new ArrayList<>()).add(tsharkView(p));
            });
            f.consume(used);
        }
        return out;
    }

    /** What tshark would print for this ADU, field by field ("" where tshark has no value). */
    private static String[] tsharkView(ModbusPdu p) {
        String[] v = new String[FIELDS.length];
        Arrays.fill(v, "");
        v[0] = Integer.toString(p.transactionId);
        v[1] = Integer.toString(p.protocolId);
        v[2] = Integer.toString(p.length);
        v[3] = Integer.toString(p.unitId);
        v[4] = Integer.toString(p.functionCode);
        if (!p.addressFromRequest && !p.isException && p.startAddress >= 0 && p.functionCode != 23) {
            v[5] = Integer.toString(p.startAddress);
            int fc = p.functionCode;
            if (fc == 3 || fc == 4 || fc == 16) {
                v[6] = Integer.toString(p.quantity);
            } else if (fc == 1 || fc == 2 || fc == 15) {
                v[7] = Integer.toString(p.quantity);
            }
        }
        if (p.functionCode == 24 && p.isResponse && p.fifoCount >= 0) {
            v[5] = "";
            v[6] = Integer.toString(p.fifoCount); // tshark shows the FIFO count as word_cnt
        }
        if (p.isException) {
            v[8] = Integer.toString(p.exceptionCode);
        }
        if (p.matched && !p.isException) { // tshark 4.0 links no exception response to its request
            v[9] = Long.toString(p.requestFrame);
        }
        return v;
    }

    /** In-order byte stream of one direction: trims retransmissions, drops pending bytes on a gap. */
    private static final class Follower {
        static final long FAR = 1 << 20;
        byte[] buf = new byte[4096];
        int len;
        long next = -1;

        void add(long seq, byte[] data) {
            int skip = 0;
            if (next >= 0) {
                if (seq < next - FAR || seq > next) {
                    len = 0; // a gap or a jump (fuzzed sequence numbers): start over at this segment
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
        try (InputStream in = ModbusVersusTsharkTest.class.getResourceAsStream("/modbus/known-differences.txt")) {
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

    private static List<String> run(String... cmd) throws IOException, InterruptedException {
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
