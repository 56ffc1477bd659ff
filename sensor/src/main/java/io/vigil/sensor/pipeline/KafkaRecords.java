package io.vigil.sensor.pipeline;

import io.vigil.export.RecordSink;
import io.vigil.export.inventory.AssetPublisher;

/**
 * What a run publishes to Kafka besides alerts, and where: the sink (the spooled producer behind
 * {@code --kafka}); asset changes ({@link AssetPublisher}) to {@code assetsTopic}, looked for
 * every {@code intervalNanos} of capture time; ended flows to {@code flowsTopic} when it is not
 * null ({@code --kafka-flows}, off by default: a data lake's feed, far more records than alerts).
 */
public record KafkaRecords(RecordSink sink, String assetsTopic, long intervalNanos, String flowsTopic) {
    public KafkaRecords(RecordSink sink, String assetsTopic) {
        this(sink, assetsTopic, AssetPublisher.DEFAULT_INTERVAL_NANOS, null);
    }
}
