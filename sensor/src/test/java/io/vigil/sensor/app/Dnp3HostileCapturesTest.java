package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.realstack.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus's hostile DNP3 captures through {@code vigil replay} and {@code vigil decode}: nothing
 * throws, and what broke the rules is counted in the run statistics — the malformed fragments of
 * {@code iti_openics_DNP3-Malformed.pcap} (objects that do not fit, reserved qualifiers, cut headers,
 * a link length below 5) and the overlong reassembly of {@code sv_dnp3-too-long-reassembly-request.pcap}
 * (65 segments of 249 octets without FIN: dropped at the 16065-octet cap, no application fragment).
 * The mislabelled {@code EIP-ViewDeviceStatus.pcap} is found to be DNP3.
 */
class Dnp3HostileCapturesTest {
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private Map<String, Object> replay(Path pcap) throws Exception {
        Path stats = tmp.resolve(pcap.getFileName() + ".stats.json");
        TestSupport.CliResult r = TestSupport.vigil("replay", "--stats-json", stats.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(stats));
        assertEquals(0L, ((Number) s.get("handler_errors")).longValue(), "no internal errors");
        return (Map<String, Object>) ((Map<String, Object>) s.get("app")).get("dnp3");
    }

    @Test
    void malformedFragmentsAreCounted() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        Path pcap = corpus.resolve("dnp3/iti_openics_DNP3-Malformed.pcap");
        assumeTrue(Files.exists(pcap));
        Map<String, Object> dnp3 = replay(pcap);
        assertEquals(198L, ((Number) dnp3.get("pdus")).longValue());
        assertTrue(((Number) dnp3.get("malformed")).longValue() >= 150, dnp3.toString());
        List<Map<String, Object>> lines = Dnp3Captures.decode(pcap, tmp, false);
        assertEquals(198, lines.size());
        assertTrue(lines.stream().filter(j -> j.get("func_code") != null).count() >= 197);
    }

    @Test
    void anOverlongReassemblyIsDroppedAndCounted() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        Path pcap = corpus.resolve("dnp3/sv_dnp3-too-long-reassembly-request.pcap");
        assumeTrue(Files.exists(pcap));
        Map<String, Object> dnp3 = replay(pcap);
        assertEquals(65L, ((Number) dnp3.get("pdus")).longValue());
        assertEquals(1L, ((Number) dnp3.get("malformed")).longValue());
        List<Map<String, Object>> lines = Dnp3Captures.decode(pcap, tmp, false);
        assertEquals(1, lines.stream().filter(j -> "overflow".equals(j.get("transport_event"))).count());
        assertEquals(0, lines.stream().filter(j -> j.get("func_code") != null).count());
    }

    @Test
    void theMislabelledEtherNetIpCaptureCarriesDnp3() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        Path pcap = corpus.resolve("attacks/quickdraw_enip/EIP-ViewDeviceStatus.pcap");
        assumeTrue(Files.exists(pcap));
        List<Map<String, Object>> lines = Dnp3Captures.decode(pcap, tmp, false);
        assertEquals(2, lines.size());
        assertEquals(2, lines.stream().filter(j -> j.get("func_code") != null).count());
        assertEquals(0L, ((Number) replay(pcap).get("malformed")).longValue());
    }
}
