package io.vigil.sensor.simulate;

import io.vigil.export.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The labels of one generated scenario: its time span, where learning ends (no attack before it), how many devices
 * (internal addresses that sent packets) it holds, and every injected event in time order.
 */
public record GroundTruth(long seed, long startMillis, long learnUntilMillis, long endMillis, int devices,
                          List<LabelledEvent> events) {
    public GroundTruth {
        events = List.copyOf(events);
    }

    /** Writes the labels as one indented-free JSON document with a trailing newline. */
    public void write(Path labelsJson) throws IOException {
        JsonWriter j = new JsonWriter();
        j.beginObject()
            .field("seed", seed)
            .field("start_millis", startMillis)
            .field("learn_until_millis", learnUntilMillis)
            .field("end_millis", endMillis)
            .field("devices", devices)
            .beginArray("events");
        for (LabelledEvent e : events) {
            j.beginObject()
                .field("id", e.id())
                .field("kind", e.kind())
                .field("type", e.type());
            strings(j, "expected_alerts", e.expectedAlerts());
            j.field("start_millis", e.startMillis())
                .field("end_millis", e.endMillis());
            strings(j, "actors", e.actors());
            strings(j, "victims", e.victims());
            j.field("technique", e.technique())
                .field("description", e.description())
                .endObject();
        }
        j.endArray().endObject();
        j.buffer().append('\n');
        Files.writeString(labelsJson, j.buffer().toString().replace("},{", "},\n{"), StandardCharsets.UTF_8);
    }

    private static void strings(JsonWriter j, String name, List<String> values) {
        j.beginArray(name);
        for (String v : values) {
            j.value(v);
        }
        j.endArray();
    }
}
