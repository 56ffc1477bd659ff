package io.vigil.sensor.simulate;

import java.util.List;

public record LabelledEvent(String id, String kind, String type, List<String> expectedAlerts, long startMillis,
                            long endMillis, List<String> actors, List<String> victims, String technique,
                            String description) {
}
