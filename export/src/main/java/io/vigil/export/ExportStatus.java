package io.vigil.export;

import org.HdrHistogram.Histogram;

/**
 * What the Kafka export reports to metrics and health: spool depth and age, send errors and
 * retries, acknowledgement latency. Implemented by the spool forwarder; read by the HTTP metrics
 * endpoint from another thread, so implementations return consistent snapshots.
 */
public interface ExportStatus {
    /** Records appended to the spool and not yet acknowledged by Kafka. */
    long spoolDepth();

    /** Capture-to-now age in ms of the oldest unacknowledged record, 0 when none. */
    long spoolOldestAgeMillis();

    /** Bytes the spool occupies on disk. */
    long spoolBytes();

    /** Records dropped because the spool was full (per the documented policy). */
    long spoolDropped();

    long acknowledged();

    long sendErrors();

    long retries();

    /** Whether the spool can take appends (directory writable, under quota or with room by the policy). */
    boolean spoolWritable();

    /** Whether the last contact with the broker succeeded (false while spooling through an outage). */
    boolean kafkaReachable();

    /** A copy of the append-to-acknowledgement latency histogram, in microseconds. */
    Histogram ackLatencyMicros();
}
