package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import io.vigil.sensor.testsupport.FieldAgreement;
import io.vigil.sensor.testsupport.KnownDifferences;
import io.vigil.sensor.testsupport.Tshark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end differential test of SMB against Wireshark: every capture of the shared corpus whose MANIFEST row lists
 * smb, smb2 or nbss is decoded by {@code vigil decode --proto smb} in-process (L2-L4 decoder, flow table, TCP
 * reassembler, app layer, {@code SmbParser}) and by tshark, run here ({@code -Y "smb || smb2"}, {@code -E occurrence=a
 * -E aggregator=|}), and compared frame by frame, field by field.
 *
 * <p>Besides the corpus, {@code pcaps/realstack/impacket-smb2.pcap} and {@code impacket-smb1.pcap} (python3-impacket
 * client and server, made by {@code pcaps/realstack/impacket-smb.py}) carry CREATE, READ, WRITE, CLOSE,
 * QUERY_DIRECTORY, TREE_CONNECT and NTLMSSP in clear.
 *
 * <p>Unit of comparison: one field of one frame; our PDUs completing in a frame are joined with {@code |} in output
 * order, absent values dropped, as tshark aggregates occurrences. A field counts as compared when either side has a
 * value. Views: SMB1 {@code smb.cmd} is the command followed by the AndX chain as on the wire (tshark lists each
 * AndXCommand, 0xff included); NTLMSSP names that are empty are "NULL", as tshark prints them; SMB2 {@code smb2.dialect}
 * is the request's dialect list or the response's chosen dialect. Frames tshark decodes as SMB carried by the NetBIOS
 * datagram service (UDP 138 mailslot/browser announcements) are outside the TCP decoder: counted, not compared.
 *
 * <p>Every disagreement must be listed with its reason in {@code src/test/resources/app/smb-known-differences.txt}
 * (file, frame, field, ours, tshark's, reason; tab-separated); a listed one that no longer occurs fails too. Report:
 * {@code target/smb-diff-report.txt}.
 */
class SmbDecodeVersusTsharkTest {
    /** tshark field and how our PDU line shows it ("" when the line has no such value). */
    private record Field(String tshark, Function<Map<String, Object>, String> ours) {
    }

    private static final List<Field> FIELDS = List.of(
        new Field("smb2.cmd", j -> smb2(j) && has(j) ? str(j.get("command")) : ""),
        new Field("smb2.nt_status", j -> smb2(j) ? str(j.get("status")) : ""),
        new Field("smb2.flags.response", j -> smb2(j) && has(j) ? bool(j.get("is_response")) : ""),
        new Field("smb2.msg_id", j -> smb2(j) ? str(j.get("message_id")) : ""),
        new Field("smb2.sesid", j -> smb2(j) ? str(j.get("session_id")) : ""),
        new Field("smb2.tid", j -> smb2(j) && j.get("tree_id") != null
            ? String.format("0x%08x", ((Number) j.get("tree_id")).longValue()) : ""),
        new Field("smb2.dialect", j -> smb2(j) ? join(j.get("dialects")) + str(j.get("dialect")) : ""),
        new Field("smb2.tree", j -> smb2(j) ? str(j.get("tree")) : ""),
        new Field("smb2.filename", j -> smb2(j) ? str(j.get("filename")) : ""),
        new Field("smb2.header.transform.msg_size", j -> str(j.get("original_size"))),
        new Field("smb2.header.comp_transform.original_size", j -> str(j.get("original_compressed_segment_size"))),
        new Field("smb2.header.comp_transform.offset", j -> str(j.get("compression_offset"))),
        new Field("smb2.negotiate_context.hash_algorithm", j -> hex16(j.get("preauth_hashes"))),
        new Field("smb2.negotiate_context.cipher_id", j -> hex16(j.get("ciphers"))),
        new Field("smb2.negotiate_context.comp_alg_id", j -> hex16(j.get("compression_algorithms"))),
        new Field("smb2.ioctl.function", j -> smb2(j) ? str(j.get("ioctl")) : ""),
        new Field("ntlmssp.auth.username", j -> ntlm(j.get("user"))),
        new Field("ntlmssp.auth.domain", j -> ntlm(j.get("domain"))),
        new Field("ntlmssp.auth.hostname", j -> ntlm(j.get("workstation"))),
        new Field("smb.cmd", SmbDecodeVersusTsharkTest::smb1Commands),
        new Field("smb.nt_status", j -> smb1(j) ? str(j.get("status")) : ""),
        new Field("smb.flags.response", j -> smb1(j) ? bool(j.get("is_response")) : ""),
        new Field("smb.mid", j -> smb1(j) ? str(j.get("message_id")) : ""),
        new Field("smb.tid", j -> smb1(j) ? str(j.get("tree_id")) : ""),
        new Field("smb.uid", j -> smb1(j) ? str(j.get("session_id")) : ""),
        new Field("smb.dialect.name", j -> smb1(j) ? join(j.get("dialects")) : ""),
        new Field("smb.path", j -> smb1(j) ? str(j.get("tree")) : ""),
        new Field("smb.file", j -> smb1(j) ? str(j.get("filename")) : ""),
        new Field("smb2.tree", j -> smb2(j) ? str(j.get("share")) : ""));

    /**
     * Names are compared where the message itself carries them (TREE_CONNECT, CREATE, TREE_CONNECT_ANDX and
     * NT_CREATE_ANDX requests), against tshark's first occurrence: tshark also attaches remembered names to later
     * messages (generated fields, with its own bookkeeping, e.g. a path on SMB1 LOGOFF with TID 0xFFFF).
     */
    private static final Set<String> CARRIED = Set.of("smb2.tree", "smb2.filename", "smb.path", "smb.file");
    /**
     * The last field, the share our flow state names by tree id, is compared with tshark's smb2.tree in the other
     * frames where both have one (our maps are optional and bounded; tshark keeps everything).
     */
    private static final int SHARE_BY_ID = 28;

    @TempDir
    Path tmp;

    private KnownDifferences known;
    private FieldAgreement agreement;
    private final StringBuilder report = new StringBuilder();

    @Test
    void decodeAgreesWithTshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed");
        List<Path> captures = smbCaptures(corpus);
        assertTrue(captures.size() >= 5, "MANIFEST rows with smb/nbss: " + captures);
        // Real stacks in the clear (the corpus' SMB3 sessions encrypt everything after TREE_CONNECT).
        for (String own : new String[] {"impacket-smb2.pcap", "impacket-smb1.pcap"}) {
            Path p = TestSupport.repoRoot().resolve("pcaps/realstack").resolve(own);
            assertTrue(Files.exists(p), p.toString());
            captures.add(p);
        }
        known = KnownDifferences.load("/app/smb-known-differences.txt");
        agreement = new FieldAgreement(known);
        report.append(String.format("%-45s %7s %7s %7s %8s %8s%n", "file", "frames", "ours", "tshark", "fields",
            "agree"));
        long frames = 0;
        for (Path f : captures) {
            frames += compareFile(f);
        }
        long compared = agreement.compared();
        double pct = agreement.percent();
        report.append(String.format("%nTOTAL %d files, %d frames, %d fields compared, %d agree (%.3f%%), %s%n",
            captures.size(), frames, compared, agreement.agreed(), pct, known.counts()));
        report.append("\nper field:\n");
        agreement.appendPerField(report, "  %-42s %6d compared %6d agree%n");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "smb-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        System.out.print("SmbDecodeVersusTsharkTest\n" + report);

        String failures = known.failures(true, Long.MAX_VALUE);
        assertTrue(failures.isEmpty(), failures);
        assertTrue(compared >= 400, "fields compared: " + compared);
        assertTrue(pct >= 99.0, "agreement " + pct + "%");
    }

    /** Captures whose MANIFEST row lists smb, smb2 or nbss among its protocols. */
    static List<Path> smbCaptures(Path corpus) throws IOException {
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\|.*\\b(smb2?|nbss)\\(\\d+\\)");
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.resolve("MANIFEST.md"), StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (m.find() && Files.exists(corpus.resolve(m.group(1)))) {
                out.add(corpus.resolve(m.group(1)));
            }
        }
        return out;
    }

    private long compareFile(Path pcap) throws Exception {
        String name = pcap.getFileName().toString();
        Map<Long, List<Map<String, Object>>> ours = new TreeMap<>();
        long mismatches = 0;
        for (Map<String, Object> j : DecodeRun.decode(pcap, "smb", tmp)) {
            if (DecodeRun.mismatch(j)) {
                mismatches++;
                continue;
            }
            ours.computeIfAbsent(DecodeRun.frame(j), k -> new ArrayList<>()).add(j);
        }
        List<String> columns = new ArrayList<>(List.of("tcp.stream"));
        columns.addAll(TSHARK_COLUMNS); // each once: tshark fills only the last of repeated -e fields
        Map<Long, String[]> theirs = new TreeMap<>();
        long datagram = 0;
        for (String[] c : Tshark.fieldLines(pcap, "smb || smb2", true, columns.toArray(String[]::new))) {
            if (c[1].isEmpty()) {
                datagram++; // SMB over the NetBIOS datagram service (UDP 138)
                continue;
            }
            theirs.put(Long.parseLong(c[0]), c);
        }
        Set<Long> all = new TreeSet<>(ours.keySet());
        all.addAll(theirs.keySet());
        long fileCompared = 0;
        long fileAgreed = 0;
        for (long frame : all) {
            List<Map<String, Object>> o = ours.getOrDefault(frame, List.of());
            String[] t = theirs.get(frame);
            for (int i = 0; i < FIELDS.size(); i++) {
                Field f = FIELDS.get(i);
                String label = i == SHARE_BY_ID ? "smb2.tree (share by tree id)" : f.tshark();
                boolean carrier = t != null && carries(t, f.tshark());
                List<String> values = new ArrayList<>();
                for (Map<String, Object> j : o) {
                    String v = f.ours().apply(j);
                    if (!v.isEmpty()) {
                        values.add(v);
                    }
                }
                String ov = String.join("|", values);
                String tv = t == null || t.length <= column(f.tshark()) ? "" : t[column(f.tshark())];
                if (CARRIED.contains(label)) {
                    tv = carrier ? tv.split("\\|", -1)[0] : "";
                }
                if (i == SHARE_BY_ID && (carrier || ov.isEmpty() || tv.isEmpty())) {
                    continue;
                }
                if (ov.isEmpty() && tv.isEmpty()) {
                    continue;
                }
                fileCompared++;
                if (agreement.compare(name, frame, label, ov, tv)) {
                    fileAgreed++;
                }
            }
        }
        report.append(String.format("%-45s %7d %7d %7d %8d %8d  %.2f%%", name, all.size(), ours.size(),
            theirs.size(), fileCompared, fileAgreed, fileCompared == 0 ? 100.0 : 100.0 * fileAgreed / fileCompared));
        if (mismatches > 0) {
            report.append(" protocol_mismatch lines ").append(mismatches).append(';');
        }
        if (datagram > 0) {
            report.append(" SMB over NetBIOS datagrams (UDP 138, not compared) ").append(datagram).append(';');
        }
        report.append('\n');
        return all.size();
    }

    private static final List<String> TSHARK_COLUMNS = FIELDS.stream().map(Field::tshark).distinct().toList();

    /** Column of a tshark field in the rows: frame.number, tcp.stream, then TSHARK_COLUMNS. */
    private static int column(String tsharkField) {
        int i = TSHARK_COLUMNS.indexOf(tsharkField);
        if (i < 0) {
            throw new IllegalArgumentException(tsharkField);
        }
        return i + 2;
    }

    /**
     * tshark decoded a request that carries this name: SMB2 TREE_CONNECT (tree) or CREATE (filename), SMB1
     * TREE_CONNECT_ANDX (path) or NT_CREATE_ANDX (file).
     */
    private static boolean carries(String[] t, String field) {
        String smb2 = field.equals("smb2.tree") ? "3" : "5";
        String[] cmd = t[column("smb2.cmd")].split("\\|", -1);
        String[] resp = t[column("smb2.flags.response")].split("\\|", -1);
        for (int k = 0; k < cmd.length && k < resp.length; k++) {
            if (cmd[k].equals(smb2) && resp[k].equals("0")) {
                return true;
            }
        }
        String smb1 = field.equals("smb.path") ? "0x75" : "0xa2";
        return t[column("smb.cmd")].startsWith(smb1) && t[column("smb.flags.response")].equals("0");
    }

    private static boolean smb1(Map<String, Object> j) {
        return "smb1".equals(j.get("version"));
    }

    private static boolean smb2(Map<String, Object> j) {
        return !smb1(j);
    }

    /** A decoded header (not a bare transform). */
    private static boolean has(Map<String, Object> j) {
        return j.containsKey("command");
    }

    private static String smb1Commands(Map<String, Object> j) {
        if (!smb1(j)) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("0x%02x", ((Number) j.get("command")).intValue()));
        if (j.get("andx") instanceof List<?> l) {
            for (Object c : l) {
                sb.append(String.format("|0x%02x", ((Number) c).intValue()));
            }
        }
        return sb.toString();
    }

    private static String ntlm(Object v) {
        return v == null ? "" : v.toString().isEmpty() ? "NULL" : v.toString();
    }

    private static String bool(Object v) {
        return v == null ? "" : Boolean.TRUE.equals(v) ? "1" : "0";
    }

    private static String hex16(Object v) {
        if (!(v instanceof List<?> l)) {
            return "";
        }
        List<String> s = new ArrayList<>();
        for (Object o : l) {
            s.add(String.format("0x%04x", ((Number) o).intValue()));
        }
        return String.join("|", s);
    }

    private static String join(Object v) {
        if (!(v instanceof List<?> l)) {
            return "";
        }
        List<String> s = new ArrayList<>();
        for (Object o : l) {
            s.add(str(o));
        }
        return String.join("|", s);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
