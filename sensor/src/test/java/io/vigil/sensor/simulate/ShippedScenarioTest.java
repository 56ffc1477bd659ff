package io.vigil.sensor.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.sensor.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcaps/scenario holds the small scenario the README's first command replays. It must be exactly what the generator
 * writes today; after a change to the generator, regenerate it (from the repository root):
 * {@code ./vigil simulate --seed 1 --learn 2m --test 7m --out pcaps/scenario}.
 */
class ShippedScenarioTest {
    @Test
    void shippedScenarioMatchesTheGenerator(@TempDir Path tmp) throws IOException {
        Path shipped = TestSupport.repoRoot().resolve("pcaps/scenario");
        TestSupport.CliResult r = TestSupport.vigil("simulate", "--seed", "1", "--learn", "2m", "--test", "7m",
            "--out", tmp.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String name : new String[] {"scenario-1.pcap", "scenario-1.labels.json"}) {
            assertArrayEquals(Files.readAllBytes(shipped.resolve(name)), Files.readAllBytes(tmp.resolve(name)),
                "pcaps/scenario/" + name + " differs from a fresh run: regenerate it (see this test's javadoc)");
        }
    }
}
