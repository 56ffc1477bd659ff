package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.export.RecordSink;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.stats.RunSummary;
import io.vigil.export.json.JsonReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The labelled scenario through the whole sensor with several device shards, asset changes going
 * to a collecting sink: read as a compacted topic (last record per key), the records state every
 * device as {@code --inventory} does, and a device's successive records always differ in who it is.
 */
class AssetChangesThroughTheSensorTest {
    /** Fields that say who a device is; the others (times, volumes) are as of its last identity change. */
    private static final List<String> IDENTITY = List.of("id", "ip", "vlan", "internal", "name", "name_source", "role",
        "macs", "protocols_served", "protocols_used", "modbus", "opcua", "bacnet", "risks");

    private static Map<String, Object> identity(String line) {
        Map<String, Object> all = JsonReader.parse(line);
        Map<String, Object> who = new LinkedHashMap<>();
        for (String f : IDENTITY) {
            who.put(f, all.get(f));
        }
        return who;
    }

    @Test
    void theCompactedTopicEndsAsTheInventoryAndUnchangedDevicesAreNotRepeated() throws Exception {
        Path scenario = TestSupport.repoRoot().resolve("pcaps/scenario/scenario-1.pcap");
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        RecordSink sink = (topic, key, value) -> {
            assertEquals("vigil.assets", topic);
            synchronized (byKey) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new String(value, StandardCharsets.UTF_8));
            }
        };
        PipelineConfig config = PipelineConfig.defaults(false).withFlowWorkers(2).withDeviceShards(3);
        String inventory;
        try (SensorSession session = new SensorSession(config, null, null, new KafkaRecords(sink, "vigil.assets"), 1,
            FlowEndReason.END_OF_CAPTURE)) {
            session.start();
            new FileReplay(session.pipeline(), ReplaySpeed.MAX, () -> false).replay(List.of(scenario));
            session.finish(new RunSummary());
            inventory = session.inventory().json();
        }

        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        for (String line : inventory.split("\n")) {
            Map<String, Object> who = identity(line);
            expected.put((String) who.get("id"), who);
        }
        assertTrue(expected.size() > 20, "the scenario has a site's worth of devices: " + expected.size());
        assertEquals(expected.keySet(), byKey.keySet(), "one key per inventory device");
        int records = 0;
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            List<String> values = e.getValue();
            records += values.size();
            assertEquals(expected.get(e.getKey()), identity(values.get(values.size() - 1)),
                "the last record of " + e.getKey() + " states it as the inventory does");
            for (int i = 1; i < values.size(); i++) {
                assertNotEquals(identity(values.get(i - 1)), identity(values.get(i)),
                    e.getKey() + " republished without a change");
            }
        }
        // A device is published when it appears and again per identity change (name, protocol, role): a few each.
        assertTrue(records < expected.size() * 4, records + " records for " + expected.size() + " devices");
    }
}
