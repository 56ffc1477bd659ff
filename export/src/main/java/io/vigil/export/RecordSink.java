package io.vigil.export;

/**
 * Where exported records go on their way to Kafka: alerts ({@code vigil.alerts}), asset changes
 * ({@code vigil.assets}, compacted) and optionally flows ({@code vigil.flows}). An implementation
 * backed by the durable spool makes a record count as emitted once appended; the forwarder sends
 * it later. Called off the packet path (device shards' alert sinks, the inventory publisher).
 */
public interface RecordSink {
    /**
     * @param topic the Kafka topic (as configured, e.g. "vigil.alerts")
     * @param key   the record key (the device id), never null
     * @param value the record value: one JSON document, UTF-8
     */
    void send(String topic, String key, byte[] value);
}
