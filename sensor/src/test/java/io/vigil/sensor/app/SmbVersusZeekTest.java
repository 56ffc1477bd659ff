package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMB decode (the sensor path, {@code vigil decode --proto smb}) against the Zeek baselines of the shared corpus:
 * smb_mapping.log paths and share types (smb3.pcap), the smb2_transform_header events (session id and original
 * message size, in order), the smb2_negotiate_response event (dialect and 3.1.1 contexts) and the SMBGhost trace's
 * negotiate contexts (preauth hash and compression algorithm: the capture is the capability exchange the exploit
 * needs, it holds no compression transform).
 */
class SmbVersusZeekTest {
    @TempDir
    Path tmp;

    private List<Map<String, Object>> decode(Path pcap) throws Exception {
        return DecodeRun.decode(pcap, "smb", tmp);
    }

    private static Path corpus() {
        Path c = TestSupport.sharedPcaps();
        assumeTrue(c != null, "../shared/pcaps not present");
        return c;
    }

    /** Zeek TSV escapes a backslash as \\ (and writes \x.. for non-printables). */
    private static String unescape(String zeek) {
        return zeek.replace("\\\\", "\\");
    }

    @Test
    void smbMappingPathsAndShareTypes() throws Exception {
        Path base = corpus().resolve("it");
        Path log = base.resolve("zeek_smb3.expected/zeek/base.protocols.smb.smb3/smb_mapping.log");
        List<String> zeek = new ArrayList<>();
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!l.startsWith("#")) {
                String[] c = l.split("\t", -1);
                zeek.add(unescape(c[6]) + " " + c[9]);
            }
        }
        assertEquals(2, zeek.size());
        List<String> ours = new ArrayList<>();
        for (Map<String, Object> j : decode(base.resolve("zeek_smb3.pcap"))) {
            if (Long.valueOf(3).equals(j.get("command")) && Boolean.TRUE.equals(j.get("is_response"))) {
                long type = (Long) j.get("share_type");
                ours.add(j.get("share") + " " + (type == 1 ? "DISK" : type == 2 ? "PIPE" : type == 3 ? "PRINT" : "?"));
            }
        }
        assertEquals(zeek, ours);
    }

    @Test
    void transformHeadersInOrder() throws Exception {
        Path base = corpus().resolve("it");
        Pattern ev = Pattern.compile("^smb2_transform_header .*orig_msg_size=(\\d+), flags=(\\d+), session_id=(\\d+)\\]");
        List<String> zeek = new ArrayList<>();
        for (String l : Files.readAllLines(base.resolve("zeek_smb3.expected/zeek/base.protocols.smb.smb3/.stdout"),
            StandardCharsets.ISO_8859_1)) {
            Matcher m = ev.matcher(l);
            if (m.find()) {
                zeek.add(m.group(1) + "/" + m.group(2) + "/" + Long.toHexString(Long.parseLong(m.group(3))));
            }
        }
        assertTrue(zeek.size() >= 40, "events: " + zeek.size());
        List<String> ours = new ArrayList<>();
        for (Map<String, Object> j : decode(base.resolve("zeek_smb3.pcap"))) {
            if (Boolean.TRUE.equals(j.get("encrypted"))) {
                ours.add(j.get("original_size") + "/" + j.get("transform_flags") + "/"
                    + Long.toHexString(Long.parseUnsignedLong(((String) j.get("session_id")).substring(2), 16)));
            }
        }
        assertEquals(zeek, ours);
    }

    @Test
    void negotiateResponseOf311() throws Exception {
        Path base = corpus().resolve("it");
        String stdout = Files.readString(base.resolve("zeek_smb311.expected/zeek/base.protocols.smb.smb311/.stdout"),
            StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("dialect_revision=(\\d+).*negotiate_context_count=(\\d+).*hash_alg=\\[(\\d+)\\]"
            + ".*ciphers=\\[(\\d+)\\]").matcher(stdout);
        assertTrue(m.find(), stdout);
        Map<String, Object> resp = decode(base.resolve("zeek_smb311.pcap")).stream()
            .filter(j -> Long.valueOf(0).equals(j.get("command")) && Boolean.TRUE.equals(j.get("is_response")))
            .findFirst().orElseThrow();
        assertEquals(Integer.parseInt(m.group(1)), Integer.parseInt(((String) resp.get("dialect")).substring(2), 16));
        assertEquals(List.of(Long.parseLong(m.group(3))), resp.get("preauth_hashes"));
        assertEquals(List.of(Long.parseLong(m.group(4))), resp.get("ciphers"));
        assertEquals(Integer.parseInt(m.group(2)), ((List<?>) resp.get("preauth_hashes")).size()
            + ((List<?>) resp.get("ciphers")).size(), "one context each");
        assertEquals("smb3", resp.get("version"));
    }

    @Test
    void smbGhostCompressionCapabilities() throws Exception {
        Path base = corpus().resolve("attacks");
        String out = Files.readString(base.resolve("zeek_smb_SMBGhost.expected/zeek/base.protocols.smb.compression-cap/out"),
            StandardCharsets.ISO_8859_1);
        Matcher hash = Pattern.compile("hash_alg=\\[(\\d+)\\]").matcher(out);
        Matcher algs = Pattern.compile("algs=\\[(\\d+)\\]").matcher(out);
        assertTrue(hash.find() && algs.find(), out);
        List<Map<String, Object>> lines = decode(base.resolve("zeek_smb_SMBGhost.pcap"));
        Map<String, Object> resp = lines.stream().filter(j -> Boolean.TRUE.equals(j.get("is_response")))
            .findFirst().orElseThrow();
        assertEquals(List.of(Long.parseLong(hash.group(1))), resp.get("preauth_hashes"));
        assertEquals(List.of(Long.parseLong(algs.group(1))), resp.get("compression_algorithms"));
        assertEquals("0x0311", resp.get("dialect"));
        // the client offered every dialect up to 3.1.1 and LZNT1 compression
        Map<String, Object> req = lines.get(0);
        assertEquals(8, ((List<?>) req.get("dialects")).size());
        assertEquals(List.of(1L), req.get("compression_algorithms"));
        assertTrue(lines.stream().noneMatch(j -> j.containsKey("compressed")), "no transform in this trace");
    }
}
