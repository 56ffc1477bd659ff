package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.RequestRates;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests to a device (connections opened to it and industrial requests) far above what it
 * received while learning: in 1 s or in 10 s, from one peer or from all together, more than
 * {@link #FACTOR} times the learned maximum of that window and at least {@link #MIN_PER_SECOND}
 * a second ({@link #MIN_PER_TEN_SECONDS} in ten). The first request over the line raises the
 * alert, so a flood is reported within the second it starts; one alert per device, and each
 * further 10 s window of flood is folded into it as a repeat.
 */
public final class RequestFloodDetector implements Detector {
    public static final int FACTOR = 5;
    public static final int MIN_PER_SECOND = 100;
    public static final int MIN_PER_TEN_SECONDS = 500;

    @Override
    public void learn(Detection d) {
        Device target = d.destination();
        if (target != null && isRequest(d)) {
            Observation o = d.observation();
            target.model().requestRates().add(FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo), o.timestampNanos,
                d.plan.endNanos());
        }
    }

    @Override
    public void inspect(Detection d) {
        Device target = d.destination();
        if (target == null || !isRequest(d)) {
            return;
        }
        Observation o = d.observation();
        long peer = FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo);
        RequestRates r = target.model().requestRates();
        r.add(peer, o.timestampNanos, d.plan.endNanos());
        if (r.reportedInWindow()) {
            return;
        }
        boolean perPeer = true;
        boolean tenSeconds = false;
        long seen;
        long learned;
        if (r.shortFrom(peer) > limit(r.learnedShortPeerMax(), MIN_PER_SECOND)) {
            seen = r.shortFrom(peer);
            learned = r.learnedShortPeerMax();
        } else if (r.longFrom(peer) > limit(r.learnedLongPeerMax(), MIN_PER_TEN_SECONDS)) {
            tenSeconds = true;
            seen = r.longFrom(peer);
            learned = r.learnedLongPeerMax();
        } else if (r.shortTotal() > limit(r.learnedShortMax(), MIN_PER_SECOND)) {
            perPeer = false;
            seen = r.shortTotal();
            learned = r.learnedShortMax();
        } else if (r.longTotal() > limit(r.learnedLongMax(), MIN_PER_TEN_SECONDS)) {
            perPeer = false;
            tenSeconds = true;
            seen = r.longTotal();
            learned = r.learnedLongMax();
        } else {
            return;
        }
        r.markReported();
        report(d, target, o, r, perPeer, tenSeconds, seen, learned);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device target, Observation o, RequestRates r, boolean perPeer,
                               boolean tenSeconds, long seen, long learned) {
        String cause = "request_flood|" + target.id();
        if (d.known(cause)) {
            return;
        }
        String over = (tenSeconds ? "in 10 s" : "in 1 s")
            + (perPeer ? " from " + IpAddresses.toString(o.srcIpHi, o.srcIpLo) : " from all peers together");
        String explanation = Roles.of(target) + " " + target.ip() + " got " + seen + " requests (connections and "
            + "industrial requests) " + over + "; in " + d.learnedFor() + " of learning its most in that window was "
            + learned + (perPeer ? " from any one peer" : "") + ".";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requests", seen);
        details.put("window_s", tenSeconds ? 10 : 1);
        details.put("learned_max", learned);
        details.put("per_peer", perPeer);
        details.put("learned_busy_seconds", r.learnedBusySeconds());
        double ratio = seen / (double) Math.max(1, learned);
        d.raise(AlertType.REQUEST_FLOOD, cause, AlertType.REQUEST_FLOOD.baseSeverity(),
            (int) Math.min(100, 60 + 10 * Math.log(ratio) / Math.log(2)), Detection.confidence(r.learnedBusySeconds()),
            explanation, target, Summaries.ipProtocol(o.ipProto), details);
    }

    static long limit(long learnedMax, long floor) {
        return Math.max(FACTOR * learnedMax, floor);
    }

    private static boolean isRequest(Detection d) {
        return d.observation().type == ObservationType.FLOW_START || d.operation() != null;
    }
}
