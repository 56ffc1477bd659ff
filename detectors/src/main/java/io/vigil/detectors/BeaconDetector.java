package io.vigil.detectors;

import io.vigil.baseline.Beacons;
import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureSet;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An internal device connecting to an external address at a steady interval (at least
 * {@link #MIN_CONNECTIONS} connections, interval between 5 s and 1 h, jitter under
 * {@link #MAX_JITTER} of the interval) when that address is rare: no more than
 * {@link #MAX_CLIENTS} devices of this shard ever connected to it. Update checks and NTP are
 * periodic too, but every host of a site makes them, to the same few destinations.
 */
public final class BeaconDetector implements Detector {
    public static final int MIN_CONNECTIONS = 8;
    public static final double MAX_JITTER = 0.1;
    public static final int MAX_CLIENTS = 2;
    private static final int MAX_TRACKED = 1 << 17;

    /** First contact of each (client, destination) pair, and distinct clients per destination: shard-wide. */
    private final FeatureSet clientDestinations = new FeatureSet(MAX_TRACKED);
    private final FeatureSet clientsPerDestination = new FeatureSet(MAX_TRACKED);

    @Override
    public void writeStateTo(DataOutput out) throws IOException {
        clientDestinations.writeTo(out);
        clientsPerDestination.writeTo(out);
    }

    /** Merged under a new shard count, a destination's clients are counted across the old shards: fewer alerts, not more. */
    @Override
    public void readStateFrom(DataInput in) throws IOException {
        clientDestinations.absorb(FeatureSet.readFrom(in));
        clientsPerDestination.absorb(FeatureSet.readFrom(in));
    }

    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.FLOW_START;
    }

    @Override
    public void inspect(Detection d) {
        Observation o = d.observation();
        Device client = d.source();
        if (o.type != ObservationType.FLOW_START || client == null || IpAddresses.isInternal(o.dstIpHi, o.dstIpLo)
            || !IpAddresses.isInternal(client.ipHi(), client.ipLo())) {
            return;
        }
        long dest = FeatureKeys.peer(o.vlan, o.dstIpHi, o.dstIpLo);
        long pair = FeatureKeys.mix(dest ^ FeatureKeys.peer(client.vlan(), client.ipHi(), client.ipLo()) * 31);
        if (clientDestinations.observe(pair, 0) == 0) {
            clientsPerDestination.observe(dest, 0);
        }
        Beacons beacons = client.model().beacons();
        int i = beacons.connect(dest, o.timestampNanos);
        int n = beacons.connections(i);
        double mean = beacons.meanIntervalSeconds(i);
        double jitter = beacons.jitter(i);
        if (n < MIN_CONNECTIONS || !(jitter < MAX_JITTER) || mean < 5 || mean > 3600
            || clientsPerDestination.count(dest) > MAX_CLIENTS) {
            return;
        }
        report(d, client, o, dest, n, mean, jitter);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private void report(Detection d, Device client, Observation o, long dest, int n, double mean, double jitter) {
        String destination = IpAddresses.toString(o.dstIpHi, o.dstIpLo);
        String cause = "beacon|" + client.id() + "|" + destination;
        if (d.known(cause)) {
            return;
        }
        explain(d, client, o, dest, n, mean, jitter, destination, cause);
    }

    /** The alert's text and details, built once per cause: cold code, which C2 keeps out of the fold above. */
    private void explain(Detection d, Device client, Observation o, long dest, int n, double mean, double jitter,
                         String destination, String cause) {
        String proto = Summaries.ipProtocol(o.ipProto);
        String explanation = Roles.of(client) + " " + client.ip() + " connected to external " + destination + " ("
            + proto + "/" + o.dstPort + ") " + n + " times every " + Math.round(mean) + " s with "
            + Math.round(jitter * 100) + " % jitter; " + clientsPerDestination.count(dest)
            + " device(s) of the site ever contacted it.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connections", n);
        details.put("interval_s", Math.round(mean * 10) / 10.0);
        details.put("jitter", Math.round(jitter * 1000) / 1000.0);
        d.raise(AlertType.BEACONING, cause, AlertType.BEACONING.baseSeverity(), 70 + (int) Math.round((MAX_JITTER - jitter)
            * 200), 70, explanation, client, proto, details);
    }
}
