package io.vigil.sensor.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.detectors.AlertType;
import io.vigil.sensor.TestSupport;
import io.vigil.export.json.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario generator as {@code vigil evaluate} relies on it: reproducible bytes, a complete and consistent ground
 * truth, captures that tshark and our own decoders read without a malformed packet, and a device count the sensor
 * agrees with.
 */
class ScenarioGeneratorTest {
    static final List<String> ATTACKS = List.of("new_device", "cross_zone_path", "new_service", "first_write",
        "rogue_master", "new_function_code", "new_register_range", "bacnet_control", "bacnet_write", "opcua_write",
        "opcua_insecure_session", "value_out_of_range", "request_flood", "exfiltration", "polling_stopped",
        "polling_period_change", "scan_horizontal", "scan_vertical", "arp_sweep", "ping_sweep", "arp_spoofing",
        "beaconing", "dns_tunnelling", "dga", "shadow_ai", "brute_force");
    /** Alert types another change adds in parallel; the labels may name them before AlertType does. */
    static final Set<String> PENDING_ALERTS = Set.of("request_flood", "volume_spike", "exfiltration",
        "polling_stopped", "polling_period_changed", "brute_force");

    @TempDir
    static Path tmp;
    /** A full-timing scenario: one-hour test period, short learning to keep the test quick. */
    static Path pcap;
    static GroundTruth truth;

    @BeforeAll
    static void generate() throws IOException {
        pcap = tmp.resolve("hour.pcap");
        truth = new ScenarioGenerator(new ScenarioConfig(11, 300, 3_600)).write(pcap, tmp.resolve("hour.json"));
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDiffers() throws IOException {
        byte[][] a = small(5, "a");
        byte[][] b = small(5, "b");
        byte[][] c = small(6, "c");
        assertArrayEquals(a[0], b[0], "pcap of the same seed");
        assertArrayEquals(a[1], b[1], "labels of the same seed");
        assertFalse(java.util.Arrays.equals(a[0], c[0]), "pcaps of different seeds");
        assertNotEquals(new String(a[1]), new String(c[1]), "labels of different seeds");
    }

    private static byte[][] small(long seed, String name) throws IOException {
        Path p = tmp.resolve(name + ".pcap");
        Path l = tmp.resolve(name + ".json");
        new ScenarioGenerator(new ScenarioConfig(seed, 120, 420)).write(p, l);
        return new byte[][] {Files.readAllBytes(p), Files.readAllBytes(l)};
    }

    @Test
    void everyAttackOnceInsideTheTestPeriodSpreadOutAndNotOverlapping() {
        List<String> attacks = new ArrayList<>();
        Set<String> benign = new HashSet<>();
        Set<String> alertLabels = new HashSet<>(PENDING_ALERTS);
        for (AlertType t : AlertType.values()) {
            alertLabels.add(t.label());
        }
        LabelledEvent previous = null;
        for (LabelledEvent e : truth.events()) {
            assertTrue(e.startMillis() >= truth.learnUntilMillis(), e.type() + " starts before learning ends");
            assertTrue(e.startMillis() <= e.endMillis() && e.endMillis() <= truth.endMillis(), e.type() + " times");
            if (previous != null) {
                assertTrue(e.startMillis() - previous.endMillis() >= 20_000,
                    previous.type() + " and " + e.type() + " are not spread out");
            }
            previous = e;
            if (e.attack()) {
                attacks.add(e.type());
                assertFalse(e.expectedAlerts().isEmpty(), e.type());
                assertTrue(alertLabels.containsAll(e.expectedAlerts()), e.type() + ": " + e.expectedAlerts());
                assertTrue(e.technique().matches("T\\d{4}(\\.\\d{3})?"), e.type() + ": " + e.technique());
                assertFalse(e.actors().isEmpty(), e.type() + " has no actor");
            } else {
                assertEquals("benign", e.kind());
                assertTrue(e.expectedAlerts().isEmpty() && e.technique().isEmpty(), e.type());
                benign.add(e.type());
            }
        }
        assertEquals(ATTACKS.size(), attacks.size(), "attacks: " + attacks);
        assertEquals(new HashSet<>(ATTACKS), new HashSet<>(attacks));
        assertTrue(benign.containsAll(Set.of("new_web_domain", "reboot", "retransmissions")), "benign: " + benign);
        assertTrue(truth.events().get(0).startMillis() - truth.learnUntilMillis() >= 120_000,
            "a few quiet minutes open the test period");
        assertTrue(truth.devices() >= 80 && truth.devices() <= 120, "devices " + truth.devices());
    }

    @Test
    void labelsFileHoldsTheGroundTruth() throws IOException {
        Map<String, Object> json = JsonReader.parse(Files.readString(tmp.resolve("hour.json")).replace("\n", ""));
        assertEquals(truth.learnUntilMillis(), ((Number) json.get("learn_until_millis")).longValue());
        assertEquals(truth.devices(), ((Number) json.get("devices")).intValue());
        List<?> events = (List<?>) json.get("events");
        assertEquals(truth.events().size(), events.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) events.get(0);
        LabelledEvent e = truth.events().get(0);
        assertEquals(e.type(), first.get("type"));
        assertEquals(e.actors(), first.get("actors"));
        assertEquals(e.startMillis(), ((Number) first.get("start_millis")).longValue());
    }

    /** The sensor's inventory: internal addresses that sent packets are the devices; actors and victims among them. */
    @Test
    void sensorSeesTheLabelledDevicesActorsAndVictims() {
        TestSupport.CliResult r = TestSupport.vigil("devices", "--json", pcap.toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Long> sent = new HashMap<>();
        for (String line : r.out().split("\n")) {
            Map<String, Object> d = JsonReader.parse(line);
            if (Boolean.TRUE.equals(d.get("internal"))) {
                sent.put((String) d.get("ip"), ((Number) d.get("packets_sent")).longValue());
            }
        }
        long senders = sent.values().stream().filter(n -> n > 0).count();
        assertEquals(truth.devices(), senders, "internal addresses that sent packets");
        for (LabelledEvent e : truth.events()) {
            List<String> parties = new ArrayList<>(e.actors());
            parties.addAll(e.victims());
            for (String ip : parties) {
                if (ip.startsWith("10.")) {
                    assertTrue(sent.getOrDefault(ip, 0L) > 0, e.type() + ": " + ip + " is not a device of the capture");
                }
            }
        }
    }

    @Test
    void tsharkAndOurDecodersFindNothingMalformed() throws Exception {
        Path small = tmp.resolve("wellformed.pcap");
        new ScenarioGenerator(new ScenarioConfig(2, 120, 420)).write(small, tmp.resolve("wellformed.json"));
        TestSupport.CliResult r = TestSupport.vigil("replay", small.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("malformed 0 | truncated 0"), r.out());
        assumeTrue(TestSupport.onPath("tshark"), "tshark not installed: skipping the tshark check");
        String bad = TestSupport.run("tshark", "-n", "-r", small.toString(), "-Y",
            "_ws.malformed || _ws.expert.severity >= \"Error\"", "-T", "fields", "-e", "frame.number",
            "-e", "_ws.col.Protocol", "-e", "_ws.expert.message");
        assertEquals("", bad.trim(), "frames tshark finds malformed or in error");
        String protocols = TestSupport.run("tshark", "-n", "-r", small.toString(), "-q", "-z", "io,phs");
        for (String p : List.of("mbtcp", "bacapp", "opcua", "dns", "tls", "http", "ssh", "snmp", "ntp", "dhcp", "smb2",
            "arp", "icmp")) {
            assertTrue(protocols.contains(p), "tshark saw no " + p + ":\n" + protocols);
        }
    }
}
