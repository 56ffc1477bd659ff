package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKind;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;

/**
 * An OPC UA client opening a secure channel with SecurityPolicy None (no signature, no
 * encryption: anyone on the path can read and forge its reads, writes and calls) to a server it
 * never opened such a channel to while learning. More severe when the server had no unsecured
 * channel at all while learning: then it is a new weakness, maybe a downgrade, not a known one.
 */
public final class InsecureSessionDetector implements Detector {
    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.OPCUA_OP;
    }

    @Override
    public void inspect(Detection d) {
        Device server = d.destination();
        if (server == null || !DetectionEngine.insecureChannel(d.observation())) {
            return;
        }
        int i = d.novelty(FeatureKind.OPCUA_NONE_CLIENT, server);
        if (i < 0) {
            return;
        }
        d.alerted(i);
        report(d, server, i);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device server, int i) {
        Observation o = d.observation();
        String client = IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        String cause = "opcua_none|" + server.id() + "|" + client;
        if (d.known(cause)) {
            return;
        }
        boolean known = d.evidenceBehind(i) > 0;
        String explanation = Roles.of(server) + " " + server.ip() + " got an OPC UA secure channel with SecurityPolicy "
            + "None from " + client + "; in " + d.learnedFor() + (known
                ? " other clients used None, this one never did."
                : " no client opened an unsecured channel to it.");
        d.raise(AlertType.INSECURE_SESSION, cause, known ? 3 : 4, known ? 50 : 75,
            Detection.confidence(d.evidenceBehind(i)), explanation, server, "opcua", null);
    }
}
