package io.vigil.export.spool;

/**
 * One record as read back from the spool.
 *
 * @param index        the Chronicle index (monotonic; the forwarder's acknowledged position)
 * @param appendMillis wall-clock time the record was appended (for age and ack latency)
 * @param bytes        the record's size in the spool, as counted against the quota
 */
public record SpoolRecord(long index, long appendMillis, String topic, String key, byte[] value, int bytes) {
}
