package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetBIOS Name Service through {@code vigil decode} against tshark on every shared capture that has
 * it: per datagram the opcode, direction, name, suffix and stated address.
 */
class NbnsDecodeVersusTsharkTest {
    private static final List<String> CAPTURES = List.of("other_ot/iti_iec61850_MMS_and_GOOSE.pcap",
        "attacks/quickdraw_enip/EIP-RemoteModeChangeAttempt.pcap");

    @TempDir
    Path dir;

    @Test
    void everyDatagramAgreesWithWireshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed");
        int compared = 0;
        for (String file : CAPTURES) {
            Path capture = corpus.resolve(file);
            Path out = dir.resolve("nbns.jsonl");
            TestSupport.CliResult r = TestSupport.vigil("decode", "--proto", "nbns", "-o", out.toString(),
                capture.toString());
            assertEquals(0, r.exitCode(), r.err());
            List<String> ours = new ArrayList<>();
            for (String line : Files.readAllLines(out)) {
                String addr = TestSupport.jsonString(line, "address");
                ours.add(TestSupport.jsonLong(line, "frame") + " " + TestSupport.jsonLong(line, "opcode") + " "
                    + line.contains("\"is_response\":true") + " " + TestSupport.jsonString(line, "name") + " "
                    + TestSupport.jsonString(line, "suffix") + " " + (addr == null ? "" : addr));
            }
            List<String> theirs = new ArrayList<>();
            String tshark = TestSupport.run("tshark", "-n", "-r", capture.toString(), "-Y", "nbns", "-T", "fields",
                "-E", "occurrence=f", "-e", "frame.number", "-e", "nbns.flags.opcode", "-e", "nbns.flags.response", "-e",
                "nbns.name", "-e", "nbns.addr");
            for (String row : tshark.lines().filter(l -> !l.isBlank()).toList()) {
                String[] f = row.split("\t", -1);
                String name = f[3];
                int lt = name.indexOf('<');
                String suffix = "0x" + name.substring(lt + 1, lt + 3).toLowerCase(java.util.Locale.ROOT);
                theirs.add(f[0] + " " + f[1] + " " + "1".equals(f[2]) + " " + name.substring(0, lt).strip() + " "
                    + suffix + " " + f[4]);
            }
            assertEquals(theirs, ours, file);
            compared += ours.size();
        }
        assertTrue(compared >= 9, "datagrams compared: " + compared);
    }

    @Test
    void aPositiveAnswerNamesTheDeviceInTheInventory() {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        TestSupport.CliResult r = TestSupport.vigil("devices", "--json", corpus.resolve(CAPTURES.get(1)).toString());
        assertEquals(0, r.exitCode(), r.err());
        String device = r.out().lines().filter(l -> l.contains("\"ip\":\"192.168.10.21\"")).findFirst().orElseThrow();
        assertEquals("WIN2K3LAB021", TestSupport.jsonString(device, "name"), device);
        assertEquals("netbios", TestSupport.jsonString(device, "name_source"), device);
    }
}
