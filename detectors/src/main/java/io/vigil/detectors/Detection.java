package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.IndustrialOperation;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import java.util.Map;

/**
 * What the detectors see of one observation in the detection phase: the observation, the
 * devices this shard owns among its endpoints, the industrial operation it carries, and every
 * feature value that was new to a device model — with the surprise that novelty had, measured
 * before it was counted. A reused flyweight; detectors must not keep it.
 */
public final class Detection {
    static final int MAX_NOVELTIES = 8;

    Observation observation;
    /** Stands in for an observation when a finding is an absence (see {@link Detector#tick}). */
    private final Observation synthetic = new Observation();
    Device source;
    Device destination;
    final IndustrialOperation operation = new IndustrialOperation();
    boolean hasOperation;
    LearningPlan plan;
    AlertAggregator alerts;
    double minSurpriseBits;

    /** Some detector reported (or re-reported) this observation: its values are not learned as normal. */
    boolean alertedHere;
    int novelties;
    final FeatureKind[] noveltyKind = new FeatureKind[MAX_NOVELTIES];
    final Device[] noveltyDevice = new Device[MAX_NOVELTIES];
    final long[] noveltyKey = new long[MAX_NOVELTIES];
    final double[] noveltySurprise = new double[MAX_NOVELTIES];
    final long[] noveltyEvidence = new long[MAX_NOVELTIES];
    final boolean[] noveltyAlerted = new boolean[MAX_NOVELTIES];

    public Observation observation() {
        return observation;
    }

    /** The sender, when this shard owns it (null otherwise, or when it is not a device). */
    public Device source() {
        return source;
    }

    public Device destination() {
        return destination;
    }

    /** The industrial request this observation carries, or null. */
    public IndustrialOperation operation() {
        return hasOperation ? operation : null;
    }

    /** Index of the novelty of this kind for this device, or -1 when the value was not new. */
    public int novelty(FeatureKind kind, Device device) {
        for (int i = 0; i < novelties; i++) {
            if (noveltyKind[i] == kind && noveltyDevice[i] == device) {
                return i;
            }
        }
        return -1;
    }

    /** Bits of surprise of novelty {@code i}: −log2 of the device's learned rate of new values of that kind. */
    public double surprise(int i) {
        return noveltySurprise[i];
    }

    /** Observations the device's set of that kind had learned from before novelty {@code i}. */
    public long evidenceBehind(int i) {
        return noveltyEvidence[i];
    }

    public long noveltyKey(int i) {
        return noveltyKey[i];
    }

    /** True when novelty {@code i} is surprising enough to report. */
    public boolean surprising(int i) {
        return noveltySurprise[i] >= minSurpriseBits;
    }

    /** Marks novelty {@code i} as alerted on: it will not be learned as normal unless it persists. */
    public void alerted(int i) {
        noveltyAlerted[i] = true;
    }

    /**
     * A cleared observation that becomes {@link #observation()} until the next one, for a detector
     * whose finding has no observation of its own: it fills in the endpoints and time the alert's
     * evidence should name.
     */
    public Observation synthetic() {
        synthetic.clear();
        observation = synthetic;
        return synthetic;
    }

    /** Capture time of learning, in ns (0 when detection started at once, e.g. with a loaded model). */
    public long learnedNanos() {
        long end = plan.endNanos();
        return end == Long.MAX_VALUE ? 0 : Math.max(0, end - plan.startNanos());
    }

    /** The learning span, as an explanation names it ("6 h"). */
    public String learnedFor() {
        return plan.spanText();
    }

    /** 0-100 from bits of surprise: 6 points a bit, so a one-in-100 000 event (17 bits) scores 100. */
    public static int score(double bits) {
        return (int) Math.max(0, Math.min(100, Math.round(bits * 6)));
    }

    /** 0-100: how much the model had seen before judging (50 observations give 50). */
    public static int confidence(long observations) {
        return (int) Math.round(100.0 * observations / (observations + 50.0));
    }

    /**
     * Reports a finding unless the same cause was already reported (then it only counts). The
     * explanation and details are built by the caller only after {@link #known} said no.
     */
    public boolean known(String causeKey) {
        Alert reported = alerts.reported(causeKey);
        if (reported == null) {
            return false;
        }
        alertedHere = true;
        // Past the evidence an alert keeps, a repeat only counts: a flood's thousandth packet builds no strings.
        reported.repeat(observation.timestampNanos, reported.keepsMoreEvidence() ? evidence() : null);
        return true;
    }

    public void raise(AlertType type, String causeKey, int severity, int score, int confidence, String explanation,
                      Device subject, String protocol, Map<String, Object> details) {
        alertedHere = true;
        Observation o = observation;
        Alert.Endpoint device = endpoint(subject);
        Alert.Endpoint src = new Alert.Endpoint(IpAddresses.toString(o.srcIpHi, o.srcIpLo), o.srcMac, o.srcPort, null);
        Alert.Endpoint dst = new Alert.Endpoint(IpAddresses.toString(o.dstIpHi, o.dstIpLo), o.dstMac, o.dstPort, null);
        alerts.raise(new Alert(alerts.nextUid(o.timestampNanos), type, causeKey, severity, score, confidence,
            explanation, device, src, dst, protocol, details, evidence()));
    }

    private static Alert.Endpoint endpoint(Device d) {
        if (d == null) {
            return null;
        }
        return new Alert.Endpoint(d.ip(), d.macCount() > 0 ? d.mac(0) : 0, 0, Roles.of(d));
    }

    Alert.Evidence evidence() {
        Observation o = observation;
        return new Alert.Evidence(o.frameNumber, o.timestampNanos, IpAddresses.toString(o.srcIpHi, o.srcIpLo),
            o.srcPort, IpAddresses.toString(o.dstIpHi, o.dstIpLo), o.dstPort, Summaries.of(o));
    }

}
