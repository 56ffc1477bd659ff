package io.vigil.protocols.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Wireshark over the whole shared corpus ({@code ../shared/pcaps}, every subfolder), and
 * against Zeek's dns.log baselines where a capture has one.
 *
 * <p>To keep the run short the captures are concatenated with {@code mergecap -a} and tshark reads the result once;
 * merged frame numbers are mapped back to (file, frame) by counting each file's records here. Should the counts not
 * add up to the merged file's, the test falls back to one tshark run per file.
 *
 * <p>Frames: {@code (dns || mdns || llmnr) && udp && !icmp} (mDNS and LLMNR are their own protocols in Wireshark but
 * use the dns.* fields). Fields: id, QR, opcode, RCODE (tshark prints it for responses only), first question name
 * (lower case; tshark writes the root as {@code <Root>}), first qtype and the header answer count. Every
 * disagreement must be listed, with its reason, in {@code src/test/resources/dns/known-differences.txt}, and every
 * listed one must still occur.
 */
class DnsVersusTsharkTest {
    private static final String FILTER = "(dns || mdns || llmnr) && udp && !icmp";
    private static final String[] FIELDS = {"frame.number", "udp.payload", "dns.id", "dns.flags.response",
        "dns.flags.opcode", "dns.flags.rcode", "dns.qry.name", "dns.qry.type", "dns.count.answers"};

    private final DnsParser parser = new DnsParser();
    private final DnsMessage m = new DnsMessage();
    private DiffReport report;
    /** file name -> every DNS payload tshark found in it, in frame order (for the Zeek comparison). */
    private final Map<String, List<byte[]>> payloads = new TreeMap<>();

    @Test
    void agreesWithWiresharkAndZeek() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.onPath("tshark") && Tshark.onPath("mergecap"), "tshark/mergecap not on PATH");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p) && (n.endsWith(".pcap") || n.endsWith(".pcapng"));
            }).sorted().collect(Collectors.toList());
        }
        assumeTrue(!files.isEmpty(), "no captures");
        report = new DiffReport("dns", KnownDifferences.load("/dns/known-differences.txt"));
        int frames = runMerged(dir, files);
        if (frames < 0) {
            frames = 0;
            for (Path f : files) {
                frames += compare(dir.relativize(f).toString(), tshark(f), null, null);
            }
        }
        int zeekRows = compareZeek(dir);

        StringBuilder summary = new StringBuilder();
        payloads.forEach((k, v) -> summary.append(String.format("    %-45s %4d frames%n", k, v.size())));
        report.line(summary.toString().stripTrailing());
        assertTrue(frames >= 40, "DNS frames compared: " + frames);
        report.verify(String.format("DnsVersusTsharkTest: %d captures, %d DNS/mDNS/LLMNR frames, %d Zeek dns.log rows;"
                + " %s", files.size(), frames, zeekRows, report.headline()), 0, true);
    }

    /** Returns the frames compared, or -1 when the merged numbering cannot be trusted. */
    private int runMerged(Path dir, List<Path> files) throws Exception {
        Path tmp = Files.createTempDirectory("dns-diff");
        Path merged = tmp.resolve("merged.pcapng");
        try {
            List<String> cmd = new ArrayList<>(List.of("mergecap", "-a", "-w", merged.toString()));
            files.forEach(f -> cmd.add(f.toString()));
            run(cmd);
            long[] firsts = new long[files.size()];
            long total = 0;
            for (int i = 0; i < files.size(); i++) {
                firsts[i] = total;
                long n = countRecords(files.get(i));
                if (n < 0) {
                    return -1;
                }
                total += n;
            }
            if (!Files.exists(merged) || countRecords(merged) != total) {
                return -1;
            }
            List<String> lines = tshark(merged);
            String[] names = new String[files.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = dir.relativize(files.get(i)).toString();
            }
            return compare(null, lines, firsts, names);
        } finally {
            Files.deleteIfExists(merged);
            Files.deleteIfExists(tmp);
        }
    }

    private static List<String> tshark(Path f) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", f.toString(), "-Y", FILTER, "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=f"));
        for (String e : FIELDS) {
            cmd.add("-e");
            cmd.add(e);
        }
        return run(cmd);
    }

    /** Either {@code file} is set (per-file run) or {@code firsts}/{@code names} map merged frame numbers back. */
    private int compare(String file, List<String> lines, long[] firsts, String[] names) {
        int n = 0;
        for (String line : lines) {
            String[] c = line.split("\t", -1);
            if (c.length < FIELDS.length || c[1].isEmpty()) {
                continue;
            }
            long frame = Long.parseLong(c[0]);
            String f = file;
            if (firsts != null) {
                int i = firsts.length - 1;
                while (i > 0 && firsts[i] >= frame) {
                    i--;
                }
                f = names[i];
                frame -= firsts[i];
            }
            n++;
            byte[] p = DnsFrames.hex(c[1]);
            payloads.computeIfAbsent(Path.of(f).getFileName().toString(), k -> new ArrayList<>()).add(p);
            boolean ok = parser.parse(p, 0, p.length, m);
            String fr = Long.toString(frame);
            field(f, fr, "is_dns", ok ? "1" : "0", "1");
            if (!ok) {
                continue;
            }
            field(f, fr, "id", Integer.toString(m.id), num(c[2]));
            field(f, fr, "qr", m.qr ? "1" : "0", bool(c[3]));
            field(f, fr, "opcode", Integer.toString(m.opcode), num(c[4]));
            if (!c[5].isEmpty()) {
                field(f, fr, "rcode", Integer.toString(m.rcode), num(c[5]));
            }
            String ours = m.hasQuestion ? (m.qnameLength == 0 ? "<root>" : m.qnameString()) : "";
            String theirs = c[6].toLowerCase(Locale.ROOT);
            if (!ours.isEmpty() || !theirs.isEmpty()) {
                field(f, fr, "qname", ours, theirs);
                field(f, fr, "qtype", m.hasQuestion ? Integer.toString(m.qtype) : "", num(c[7]));
            }
            field(f, fr, "ancount", Integer.toString(m.anCount), num(c[8]));
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------------- Zeek

    /**
     * Zeek logs one row per transaction. Its k-th row for a transaction id is matched with the k-th response carrying
     * that id (or the query when no response exists); query, qtype and rcode are compared where Zeek logged them, and
     * the answers Zeek renders as a bare name or address (A, AAAA, CNAME, PTR, NS, MX; other types it prints as
     * "TYPE data" and they are skipped) together with their TTLs.
     */
    private int compareZeek(Path dir) throws IOException {
        Path it = dir.resolve("it");
        if (!Files.isDirectory(it)) {
            return 0;
        }
        List<Path> logs;
        try (Stream<Path> s = Files.walk(it)) {
            logs = s.filter(p -> p.getFileName().toString().equals("dns.log")).sorted().collect(Collectors.toList());
        }
        int rows = 0;
        for (Path log : logs) {
            Path expected = log;
            while (expected != null && !expected.getFileName().toString().endsWith(".expected")) {
                expected = expected.getParent();
            }
            if (expected == null) {
                continue;
            }
            String pcap = expected.getFileName().toString().replace(".expected", ".pcap");
            List<byte[]> msgs = payloads.getOrDefault(pcap, List.of());
            String[] header = null;
            Map<String, Integer> seen = new TreeMap<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("#fields")) {
                    header = line.substring("#fields\t".length()).split("\t");
                    continue;
                }
                if (line.startsWith("#") || header == null) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                Map<String, String> row = new TreeMap<>();
                for (int i = 0; i < header.length && i < c.length; i++) {
                    row.put(header[i], c[i]);
                }
                rows++;
                String src = "zeek:" + pcap;
                String tid = row.get("trans_id");
                int k = seen.merge(tid, 1, Integer::sum) - 1;
                byte[] msg = pick(msgs, Integer.parseInt(tid), k);
                String where = "trans_id " + tid + " #" + k;
                field(src, where, "zeek.found", msg == null ? "0" : "1", "1");
                if (msg == null) {
                    continue;
                }
                parser.parse(msg, 0, msg.length, m);
                if (!"-".equals(row.get("query"))) {
                    field(src, where, "zeek.query", String.valueOf(m.qnameString()), row.get("query")
                            .toLowerCase(Locale.ROOT));
                }
                if (!"-".equals(row.get("qtype"))) {
                    field(src, where, "zeek.qtype", Integer.toString(m.qtype), row.get("qtype"));
                }
                if (m.qr && !"-".equals(row.get("rcode"))) {
                    field(src, where, "zeek.rcode", Integer.toString(m.rcode), row.get("rcode"));
                }
                if (m.qr && !"-".equals(row.get("answers"))) {
                    String[] answers = row.get("answers").split(",");
                    String[] ttls = row.getOrDefault("TTLs", "-").split(",");
                    StringBuilder theirs = new StringBuilder();
                    for (int i = 0; i < answers.length; i++) {
                        if (!answers[i].contains(" ")) {
                            theirs.append(answers[i].toLowerCase(Locale.ROOT)).append('/')
                                    .append(i < ttls.length ? ttls[i].replaceAll("\\.0+$", "") : "").append(' ');
                        }
                    }
                    StringBuilder ours = new StringBuilder();
                    for (int i = 0; i < m.answerCount; i++) {
                        String a = m.answerAddress(i);
                        if (a == null && m.answerTargetOffset[i] >= 0) {
                            a = m.nameAt(m.answerTargetOffset[i]);
                        }
                        if (a != null) {
                            ours.append(a).append('/').append(m.answerTtl[i]).append(' ');
                        }
                    }
                    field(src, where, "zeek.answers", ours.toString().trim(), theirs.toString().trim());
                }
            }
        }
        return rows;
    }

    private byte[] pick(List<byte[]> msgs, int id, int k) {
        byte[] query = null;
        int responses = 0;
        for (byte[] p : msgs) {
            if (!parser.parse(p, 0, p.length, m) || m.id != id) {
                continue;
            }
            if (!m.qr) {
                query = query == null ? p : query;
            } else if (responses++ == k) {
                return p;
            }
        }
        return responses == 0 ? query : null;
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private void field(String file, String frame, String field, String ours, String theirs) {
        report.field(file, frame, field, ours, theirs);
    }

    private static String num(String v) {
        if (v.isEmpty()) {
            return v;
        }
        return v.startsWith("0x") ? Long.toString(Long.parseLong(v.substring(2), 16)) : v;
    }

    private static String bool(String v) {
        return v.equalsIgnoreCase("true") || v.equals("1") ? "1" : "0";
    }

    /** Packet records of a pcap or pcapng file (complete ones only, as mergecap copies them), -1 if neither. */
    static long countRecords(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
        if (b.remaining() < 24) {
            return -1;
        }
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0x0A0D0D0A) {
            long n = 0;
            int p = 0;
            while (p + 12 <= b.limit()) {
                int type = b.getInt(p);
                if (type == 0x0A0D0D0A) {
                    b.order(b.getInt(p + 8) == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    type = b.getInt(p);
                }
                int len = b.getInt(p + 4);
                if (len < 12 || len > b.limit() - p) {
                    break;
                }
                if (type == 6 || type == 3 || type == 2) {
                    n++;
                }
                p += len;
            }
            return n;
        }
        ByteOrder order;
        if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            return -1;
        }
        b.order(order);
        long n = 0;
        long p = 24;
        while (p + 16 <= b.limit()) {
            long incl = b.getInt((int) p + 8) & 0xFFFF_FFFFL;
            if (p + 16 + incl > b.limit()) {
                break;
            }
            n++;
            p += 16 + incl;
        }
        return n;
    }

    static List<String> run(List<String> cmd) throws Exception {
        return Tshark.run(cmd);
    }
}
