package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JA4/JA4S of every ClientHello and ServerHello in the shared corpus captures that carry TLS (MANIFEST rows listing
 * tls), end to end ({@code vigil decode --proto tls}), against an independent reference: tshark 4.0 (which has no JA4
 * field) dissects the hellos, and the fingerprint is computed here from its fields with strings and streams, straight
 * from FoxIO's JA4.md/JA4S.md (v0.18.2). Only frames with exactly one hello are compared (tshark aggregates the fields
 * of several hellos in one frame into one list).
 */
class TlsJa4VersusReferenceTest {
    /** frame key (file, frame) -> reason: hellos the two sides legitimately see differently. */
    private static final Map<String, String> KNOWN = Map.of(
        "zeek_modbus-and-non-modbus-p502.pcap 49", "TLS on TCP 502: the sensor parses port 502 as Modbus and reports "
            + "a protocol mismatch; tshark dissects it as TLS",
        "zeek_tls13_hrr.pcap 11", "the ServerHello segment arrives out of order, after frame 9 which left a hole; the "
            + "reassembler fills the hole and delivers the hello (t130200_1302_234ea6891581: key_share, "
            + "supported_versions), tshark 4.0 does not dissect the out-of-order segment");

    private static final List<String> FIELDS = List.of("frame.number", "tls.handshake.type", "tls.handshake.version",
        "tls.handshake.ciphersuite", "tls.handshake.extension.type", "tls.handshake.sig_hash_alg",
        "tls.handshake.extensions.supported_version", "tls.handshake.extensions_alpn_str");

    @TempDir
    Path tmp;

    @Test
    void ja4MatchesTheReferenceOnEveryHello() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed");
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\|.*\\b(tls|ssl)\\(\\d+\\)");
        List<Path> captures = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.resolve("MANIFEST.md"), StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                captures.add(corpus.resolve(m.group(1)));
            }
        }
        assertTrue(captures.size() >= 5, captures.toString());
        int compared = 0;
        int clients = 0;
        int servers = 0;
        List<String> seenKnown = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Path pcap : captures) {
            String name = pcap.getFileName().toString();
            Map<Long, String> ours = ours(pcap);
            Map<Long, String> theirs = reference(pcap);
            for (long frame : union(ours, theirs)) {
                String o = ours.get(frame);
                String t = theirs.get(frame);
                if (t == null && theirs.containsKey(frame)) {
                    continue; // several hellos in the frame: not comparable
                }
                String key = name + " " + frame;
                if (KNOWN.containsKey(key)) {
                    seenKnown.add(key);
                    continue;
                }
                compared++;
                if (t != null && t.startsWith("t") && t.charAt(7) == '_') {
                    servers++;
                } else {
                    clients++;
                }
                if (o == null || !o.equals(t)) {
                    wrong.add(key + ": ours " + o + ", reference " + t);
                }
            }
        }
        System.out.printf("JA4: %d hellos compared (%d ClientHello, %d ServerHello), %d differ, %d known%n", compared,
            clients, servers, wrong.size(), seenKnown.size());
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(KNOWN.keySet().stream().sorted().toList(), seenKnown.stream().sorted().toList(),
            "every known difference still occurs");
        assertTrue(clients >= 5 && servers >= 4, clients + " client, " + servers + " server hellos");
    }

    private static List<Long> union(Map<Long, String> a, Map<Long, String> b) {
        TreeMap<Long, Boolean> all = new TreeMap<>();
        a.keySet().forEach(k -> all.put(k, true));
        b.keySet().forEach(k -> all.put(k, true));
        return new ArrayList<>(all.keySet());
    }

    /** Our JA4/JA4S per frame (null value when a frame had several hellos). */
    private Map<Long, String> ours(Path pcap) throws Exception {
        Map<Long, String> m = new LinkedHashMap<>();
        for (Map<String, Object> j : DecodeRun.decode(pcap, "tls", tmp)) {
            if (DecodeRun.mismatch(j) || j.containsKey("heartbeat")) {
                continue; // heartbeats carry no fingerprint
            }
            long frame = (Long) j.get("frame");
            Object v = j.containsKey("ja4") ? j.get("ja4") : j.get("ja4s");
            m.put(frame, m.containsKey(frame) ? null : (String) v);
        }
        return m;
    }

    /** Reference JA4/JA4S from tshark's dissection, per frame with a hello (null when several). */
    private static Map<Long, String> reference(Path pcap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-Y",
            "tls.handshake.type == 1 || tls.handshake.type == 2", "-T", "fields", "-E", "occurrence=a", "-E",
            "aggregator=|"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        Map<Long, String> m = new LinkedHashMap<>();
        for (String line : TestSupport.run(cmd.toArray(String[]::new)).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            List<Integer> types = ints(c[1]).stream().filter(t -> t == 1 || t == 2).toList();
            long frame = Long.parseLong(c[0]);
            if (types.size() != 1) {
                m.put(frame, null);
                continue;
            }
            boolean client = types.get(0) == 1;
            List<Integer> handshakeVersions = ints(c[2]);
            int legacy = handshakeVersions.isEmpty() ? 0 : handshakeVersions.get(0);
            m.put(frame, client ? ja4(legacy, ints(c[3]), ints(c[4]), ints(c[5]), ints(c[6]), first(c[7]))
                : ja4s(legacy, ints(c[3]), ints(c[4]), ints(c[6]), first(c[7])));
        }
        return m;
    }

    static String ja4(int legacy, List<Integer> ciphers, List<Integer> exts, List<Integer> sigs,
                      List<Integer> versions, String alpn) {
        List<Integer> cs = ciphers.stream().filter(v -> !grease(v)).toList();
        List<Integer> es = exts.stream().filter(v -> !grease(v)).toList();
        int version = versions.stream().filter(v -> !grease(v)).max(Integer::compare).orElse(legacy);
        String a = "t" + version(version) + (es.contains(0) ? "d" : "i") + String.format("%02d%02d",
            Math.min(99, cs.size()), Math.min(99, es.size())) + alpnChars(alpn);
        String b = cs.isEmpty() ? "000000000000"
            : sha12(cs.stream().sorted().map(TlsJa4VersusReferenceTest::hex4).collect(Collectors.joining(",")));
        List<String> sorted = es.stream().filter(v -> v != 0 && v != 0x10).sorted().map(TlsJa4VersusReferenceTest::hex4)
            .toList();
        List<String> sig = sigs.stream().filter(v -> !grease(v)).map(TlsJa4VersusReferenceTest::hex4).toList();
        String text = String.join(",", sorted) + (sig.isEmpty() ? "" : "_" + String.join(",", sig));
        String c = sorted.isEmpty() ? "000000000000" : sha12(text);
        return a + "_" + b + "_" + c;
    }

    static String ja4s(int legacy, List<Integer> cipher, List<Integer> exts, List<Integer> versions, String alpn) {
        int version = versions.isEmpty() ? legacy : versions.get(0);
        String a = "t" + version(version) + String.format("%02d", Math.min(99, exts.size())) + alpnChars(alpn);
        String c = exts.isEmpty() ? "000000000000"
            : sha12(exts.stream().map(TlsJa4VersusReferenceTest::hex4).collect(Collectors.joining(",")));
        return a + "_" + hex4(cipher.get(0)) + "_" + c;
    }

    private static String version(int v) {
        switch (v) {
            case 0x0304: return "13";
            case 0x0303: return "12";
            case 0x0302: return "11";
            case 0x0301: return "10";
            case 0x0300: return "s3";
            case 0x0200: return "s2";
            case 0x0100: return "s1";
            default: return "00";
        }
    }

    private static String alpnChars(String alpn) {
        if (alpn == null || alpn.isEmpty()) {
            return "00";
        }
        char f = alpn.charAt(0);
        char l = alpn.charAt(alpn.length() - 1);
        if (Character.isLetterOrDigit(f) && f < 128 && Character.isLetterOrDigit(l) && l < 128) {
            return "" + f + l;
        }
        String hex = HexFormat.of().formatHex(alpn.getBytes(StandardCharsets.ISO_8859_1));
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean grease(int v) {
        return Arrays.asList(0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA,
            0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA).contains(v);
    }

    private static String hex4(int v) {
        return String.format("%04x", v);
    }

    private static String sha12(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** tshark values joined by | (decimal or 0x hex). */
    private static List<Integer> ints(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(s.split("\\|")).map(v -> v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16)
            : Integer.parseInt(v)).toList();
    }

    private static String first(String s) {
        return s.isEmpty() ? null : s.split("\\|", -1)[0];
    }
}
