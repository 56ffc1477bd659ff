package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.FeatureSet;
import io.vigil.protocols.observe.Observation;
import java.util.ArrayList;
import java.util.List;

/**
 * A device answering on a port it never answered on while learning, when its set of services
 * was stable: a PLC that starts serving Telnet or a web server, a workstation that starts
 * listening for remote access. Judged when the flow ends, since only a reply makes a service.
 */
public final class NewServiceDetector implements Detector {
    private static final int MAX_LISTED = 5;

    @Override
    public void inspect(Detection d) {
        Device server = d.destination();
        if (server == null) {
            return;
        }
        int i = d.novelty(FeatureKind.SERVICE_SERVED, server);
        if (i < 0 || !d.surprising(i)) {
            return;
        }
        d.alerted(i);
        report(d, server, i);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device server, int i) {
        Observation o = d.observation();
        String service = Summaries.ipProtocol(o.ipProto) + "/" + o.dstPort;
        String cause = "new_service|" + server.id() + "|" + service;
        if (d.known(cause)) {
            return;
        }
        FeatureSet served = server.model().featuresIfAny(FeatureKind.SERVICE_SERVED);
        List<String> known = new ArrayList<>();
        served.forEach((key, count, first) -> known.add(Summaries.ipProtocol(FeatureKeys.serviceProtocol(key)) + "/"
            + FeatureKeys.servicePort(key)));
        known.sort(null);
        String list = known.size() <= MAX_LISTED ? String.join(", ", known)
            : String.join(", ", known.subList(0, MAX_LISTED)) + " and " + (known.size() - MAX_LISTED) + " more";
        String explanation = Roles.of(server) + " " + server.ip() + " answered on " + service + " for the first time ("
            + "client " + io.vigil.protocols.IpAddresses.toString(o.srcIpHi, o.srcIpLo) + "); in " + d.learnedFor()
            + " it answered only on " + (known.isEmpty() ? "nothing" : list) + ".";
        d.raise(AlertType.NEW_SERVICE, cause, AlertType.NEW_SERVICE.baseSeverity(), Detection.score(d.surprise(i)),
            Detection.confidence(d.evidenceBehind(i)), explanation, server, Summaries.ipProtocol(o.ipProto), null);
    }

}
