package io.vigil.export.kafka;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;
import io.vigil.export.RecordSink;
import io.vigil.export.alerts.OcsfAlerts;
import io.vigil.export.json.JsonWriter;
import java.nio.charset.StandardCharsets;

/**
 * Turns alerts into Kafka records: key = the device id, value = the OCSF finding exactly as
 * {@code --alerts} writes it (one JSON object, no newline). An update of a finding (a repeated
 * cause) is sent too, with the same uid and activity "Update". Called by every device shard, hence
 * synchronised; alerts are rare, so encoding allocates freely.
 */
public final class AlertRecords implements AlertSink {
    private final RecordSink sink;
    private final String topic;
    private final JsonWriter json = new JsonWriter();

    public AlertRecords(RecordSink sink, String topic) {
        this.sink = sink;
        this.topic = topic;
    }

    @Override
    public void onAlert(Alert alert) {
        send(alert, false);
    }

    @Override
    public void onUpdate(Alert alert) {
        send(alert, true);
    }

    private synchronized void send(Alert alert, boolean update) {
        OcsfAlerts.write(json.reset(), alert, update);
        sink.send(topic, OcsfAlerts.deviceId(alert), json.buffer().toString().getBytes(StandardCharsets.UTF_8));
    }
}
