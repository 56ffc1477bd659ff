package io.vigil.detectors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds repeats of one cause into one alert: the first occurrence goes to the sink at once (a
 * SOC wants the first unauthorised write now, not at the end of the hour); later ones only add
 * to its count, last-seen time and evidence, and the updated alert is passed on by
 * {@link #flush()} (end of capture, or periodically for a live sensor).
 *
 * <p>Bounded: beyond {@link #MAX_CAUSES} distinct causes the oldest are forgotten, so a repeat
 * of a forgotten cause is reported again (never lost).
 *
 * <p>Owned by one device shard thread.
 */
public final class AlertAggregator {
    public static final int MAX_CAUSES = 65_536;

    private final AlertSink sink;
    private final Map<String, Alert> byCause = new HashMap<>();
    private final ArrayDeque<Alert> order = new ArrayDeque<>();
    private final int shard;
    private long sequence;
    private int node;
    private long raised;

    public AlertAggregator(int shard, AlertSink sink) {
        this.shard = shard;
        this.sink = sink;
    }

    /** True when {@code causeKey} was already reported; the evidence is then folded into that alert. */
    public boolean repeat(String causeKey, Alert.Evidence evidence) {
        Alert a = reported(causeKey);
        if (a == null) {
            return false;
        }
        a.repeat(evidence.timeNanos(), evidence);
        return true;
    }

    /** The alert already reported for {@code causeKey}, or null; its repeats are folded in by the caller. */
    Alert reported(String causeKey) {
        return byCause.get(causeKey);
    }

    /** Reports a new cause. */
    public void raise(Alert alert) {
        if (byCause.size() >= MAX_CAUSES) {
            Alert oldest = order.pollFirst();
            byCause.remove(oldest.causeKey());
            if (oldest.count() > 1) {
                sink.onUpdate(oldest);
            }
        }
        byCause.put(alert.causeKey(), alert);
        order.add(alert);
        raised++;
        sink.onAlert(alert);
    }

    /** Passes on every alert that repeated since it was raised. */
    public void flush() {
        for (Alert a : order) {
            if (a.count() > 1) {
                sink.onUpdate(a);
            }
        }
    }

    /**
     * A time-ordered, unique id in UUIDv7 layout: capture time in ms, then the shard, the run node and
     * a sequence number instead of random bits. With node 0 (replay) replaying a capture gives the same
     * ids, so a consumer deduplicates a replay run twice; a live capture sets a random node, so ids stay
     * unique across restarts without a model file and across sensors sharing a topic.
     */
    public String nextUid(long timeNanos) {
        long ms = Math.max(0, timeNanos / 1_000_000);
        long seq = sequence++;
        long hi = (ms << 16) | 0x7000L | ((seq >>> 32) & 0x0FFF);
        long lo = 0x8000_0000_0000_0000L | ((long) (shard & 0x3FFF) << 48) | ((long) (node & 0xFFFF) << 32)
            | (seq & 0xFFFF_FFFFL);
        return new java.util.UUID(hi, lo).toString();
    }

    /** Mixes {@code node} (16 bits; 0 = reproducible ids) into every id handed out from now on. */
    public void runNode(int node) {
        this.node = node;
    }

    /** How many alert ids were handed out: saved with a model so that ids stay unique across a restart. */
    public long sequence() {
        return sequence;
    }

    /** Continues the id sequence of a saved run (never goes back). */
    public void continueSequence(long saved) {
        sequence = Math.max(sequence, saved);
    }

    public long raised() {
        return raised;
    }

    /** Alerts raised so far, oldest first (a copy; for tests and reports). */
    public List<Alert> alerts() {
        return new ArrayList<>(order);
    }
}
