package io.vigil.detectors;

import io.vigil.baseline.AiServices;
import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceRole;
import io.vigil.baseline.FeatureKind;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * "Shadow AI": a host asking for a generative-AI API or chat service (DNS query or TLS SNI, see
 * {@link AiServices}) when it asked for none while learning. A developer workstation that uses
 * an assistant every day learned it and stays quiet; an HMI, a PLC's engineering station or a
 * database server that suddenly talks to one is reported, and an OT device more severely (data
 * from the plant leaving for a third party). A further service for a host that already used one
 * is a new provider, not new behaviour: not reported.
 */
public final class ShadowAiDetector implements Detector {
    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.DNS_QUERY || type == ObservationType.TLS_HELLO;
    }

    @Override
    public void inspect(Detection d) {
        Observation o = d.observation();
        Device host = d.source();
        if (host == null || (o.type != ObservationType.DNS_QUERY && o.type != ObservationType.TLS_HELLO)) {
            return;
        }
        int i = d.novelty(FeatureKind.AI_SERVICE, host);
        if (i < 0 || d.evidenceBehind(i) > 0) {
            return;
        }
        d.alerted(i);
        report(d, host, o, (int) d.noveltyKey(i));
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device host, Observation o, int service) {
        String cause = "shadow_ai|" + host.id();
        if (d.known(cause)) {
            return;
        }
        DeviceRole role = DeviceRole.infer(host, 1);
        boolean ot = role == DeviceRole.PLC || role == DeviceRole.HMI_SCADA || role == DeviceRole.ENGINEERING_WORKSTATION
            || role == DeviceRole.BACNET_CONTROLLER || role == DeviceRole.BACNET_WORKSTATION
            || role == DeviceRole.OPCUA_SERVER || role == DeviceRole.OPCUA_CLIENT;
        String via = o.type == ObservationType.DNS_QUERY ? "a DNS query for " : "a TLS connection to ";
        String explanation = role.text() + " " + host.ip() + " reached " + AiServices.provider(service) + " (" + via
            + AiServices.domain(service) + "); in " + d.learnedFor() + " of learning it used no generative-AI service.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ai_provider", AiServices.provider(service));
        details.put("ai_domain", AiServices.domain(service));
        details.put("role", role.text());
        d.raise(AlertType.SHADOW_AI, cause, ot ? 4 : AlertType.SHADOW_AI.baseSeverity(), ot ? 75 : 40, 80, explanation,
            host, o.type == ObservationType.DNS_QUERY ? "dns" : "tls", details);
    }
}
