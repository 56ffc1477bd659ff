package io.vigil.sensor.cli;

import static io.vigil.sensor.TestSupport.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.TestSupport.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password-guessing captures of the shared corpus (Zeek's test traces: 10 SSH connections in
 * 61 s, about 30 FTP logins in 37 s) through the whole sensor, learning their first second: each
 * is one brute-force finding, raised at the tenth connection, as Zeek's own bruteforce notices do.
 */
class BruteForceCapturesTest {
    @TempDir
    Path dir;

    private static Path attack(String name) {
        Path shared = TestSupport.sharedPcaps();
        assumeTrue(shared != null, "../shared/pcaps not present: skipping the attack captures");
        Path p = shared.resolve("attacks").resolve(name);
        assumeTrue(Files.isRegularFile(p), p + " not present");
        return p;
    }

    private List<String> bruteForce(Path capture) throws Exception {
        Path alerts = dir.resolve(capture.getFileName() + ".jsonl");
        CliResult r = vigil("replay", "--learn", "1s", "--alerts", alerts.toString(), capture.toString());
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllLines(alerts).stream().filter(l -> l.contains("\"types\":[\"brute_force\"]")
            && l.contains("\"activity_id\":1")).toList();
    }

    @Test
    void sshPasswordGuessingIsOneFindingAtTheTenthConnection() throws Exception {
        List<String> found = bruteForce(attack("zeek_ssh_sshguess.pcap"));
        assertEquals(1, found.size(), found.toString());
        String a = found.get(0);
        assertTrue(a.contains("got 10 SSH connections (tcp/22) from 192.168.56.1 within 60 s, a password-guessing "
            + "pattern; in 1 s of learning that client made at most 1 within 2 min."), a);
        assertTrue(a.contains("\"device\":{\"ip\":\"192.168.56.103\""), a);
        assertTrue(a.contains("\"uid\":\"T1110\""), a);
    }

    @Test
    void ftpPasswordGuessingIsOneFinding() throws Exception {
        List<String> found = bruteForce(attack("zeek_ftp_bruteforce.pcap"));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("FTP connections (tcp/21) from 192.168.56.1 within "), found.get(0));
        assertTrue(found.get(0).contains("\"device\":{\"ip\":\"192.168.56.101\""), found.get(0));
    }
}
