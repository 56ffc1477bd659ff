package io.vigil.sensor.pipeline;

import io.vigil.export.RecordSink;
import io.vigil.export.inventory.AssetPublisher;

/**
 * Where a run publishes asset changes ({@link AssetPublisher}): the sink (the spooled Kafka
 * producer behind {@code --kafka}), the topic ({@code --kafka-assets-topic}) and how often, in
 * capture time, each shard looks for changed devices.
 */
public record AssetExport(RecordSink sink, String topic, long intervalNanos) {
    public AssetExport(RecordSink sink, String topic) {
        this(sink, topic, AssetPublisher.DEFAULT_INTERVAL_NANOS);
    }
}
