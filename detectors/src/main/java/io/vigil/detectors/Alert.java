package io.vigil.detectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finding: what was unusual, about which device, against which learned behaviour, with the
 * observations that show it. Alerts are rare compared to packets, so they are ordinary objects;
 * the detectors build them only after deciding to fire.
 *
 * <p>Repeats of the same cause ({@link #causeKey()}) are folded into one alert by
 * {@link AlertAggregator}: {@link #count()} and {@link #lastSeenNanos()} grow, the uid stays.
 */
public final class Alert {
    /** Evidence kept per alert; later repeats only count. */
    public static final int MAX_EVIDENCE = 5;

    private final String uid;
    private final AlertType type;
    private final String causeKey;
    private final int severity;
    private final int score;
    private final int confidence;
    private final String explanation;
    private final Endpoint device;
    private final Endpoint source;
    private final Endpoint destination;
    private final String protocol;
    private final Map<String, Object> details;
    private final List<Evidence> evidence = new ArrayList<>(2);
    private final long firstSeenNanos;
    private long lastSeenNanos;
    private long count = 1;

    /**
     * @param severity   OCSF severity_id 1-5
     * @param score      0-100: how far the behaviour departs from the learned one
     * @param confidence 0-100: how much the model had learned about this behaviour
     */
    public Alert(String uid, AlertType type, String causeKey, int severity, int score, int confidence,
                 String explanation, Endpoint device, Endpoint source, Endpoint destination, String protocol,
                 Map<String, Object> details, Evidence first) {
        this.uid = uid;
        this.type = type;
        this.causeKey = causeKey;
        this.severity = Math.max(1, Math.min(5, severity));
        this.score = Math.max(0, Math.min(100, score));
        this.confidence = Math.max(0, Math.min(100, confidence));
        this.explanation = explanation;
        this.device = device;
        this.source = source;
        this.destination = destination;
        this.protocol = protocol;
        this.details = details == null ? new LinkedHashMap<>() : details;
        this.evidence.add(first);
        this.firstSeenNanos = first.timeNanos();
        this.lastSeenNanos = first.timeNanos();
    }

    /**
     * This alert as it stands, for a reader on another thread: the aggregator goes on folding repeats
     * into the original.
     */
    public Alert copy() {
        Alert c = new Alert(uid, type, causeKey, severity, score, confidence, explanation, device, source, destination,
            protocol, new LinkedHashMap<>(details), evidence.get(0));
        for (int i = 1; i < evidence.size(); i++) {
            c.evidence.add(evidence.get(i));
        }
        c.lastSeenNanos = lastSeenNanos;
        c.count = count;
        return c;
    }

    /**
     * Folds a repeat of the same cause into this alert; {@code more} may be null once it
     * {@link #keepsMoreEvidence() keeps no more}.
     */
    void repeat(long timeNanos, Evidence more) {
        count++;
        if (timeNanos > lastSeenNanos) {
            lastSeenNanos = timeNanos;
        }
        if (more != null && keepsMoreEvidence()) {
            evidence.add(more);
        }
    }

    /** False once {@link #MAX_EVIDENCE} observations are kept: later repeats only count. */
    boolean keepsMoreEvidence() {
        return evidence.size() < MAX_EVIDENCE;
    }

    public String uid() {
        return uid;
    }

    public AlertType type() {
        return type;
    }

    /** Identifies the cause: the same device, type and behaviour give the same key. */
    public String causeKey() {
        return causeKey;
    }

    public int severity() {
        return severity;
    }

    public int score() {
        return score;
    }

    public int confidence() {
        return confidence;
    }

    /** One sentence: what was unusual and against which learned behaviour. */
    public String explanation() {
        return explanation;
    }

    /** The device the alert is about (whose model it departs from). */
    public Endpoint device() {
        return device;
    }

    public Endpoint source() {
        return source;
    }

    public Endpoint destination() {
        return destination;
    }

    /** Application protocol label ("modbus") or the IP protocol ("tcp"); null when none. */
    public String protocol() {
        return protocol;
    }

    /** Protocol detail for OCSF {@code unmapped}. */
    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }

    public List<Evidence> evidence() {
        return Collections.unmodifiableList(evidence);
    }

    public long firstSeenNanos() {
        return firstSeenNanos;
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    public long count() {
        return count;
    }

    /** An address, with its MAC and port where known (0 = unknown) and a role or type. */
    public record Endpoint(String ip, long mac, int port, String type) {
    }

    /** One observation behind an alert: when, between whom, and what it was. */
    public record Evidence(long frame, long timeNanos, String srcIp, int srcPort, String dstIp, int dstPort,
                           String summary) {
    }
}
