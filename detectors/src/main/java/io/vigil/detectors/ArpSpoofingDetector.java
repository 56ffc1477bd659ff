package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.FeatureSet;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ARP packet in which a MAC address the device never used claims the device's IP address,
 * after learning saw the address claimed by its own MAC: the first step of ARP cache poisoning
 * (an attacker answering for the gateway or a PLC to sit in the middle), or an IP conflict.
 *
 * <p>Not alerted: a device's own gratuitous ARP (its MAC is learned), a device never seen in ARP
 * while learning (nothing to compare with), and routed traffic (ARP never crosses a router, so
 * the MACs on routed packets play no part here).
 */
public final class ArpSpoofingDetector implements Detector {
    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.ARP_CLAIM;
    }

    @Override
    public void inspect(Detection d) {
        Observation o = d.observation();
        Device claimed = d.source();
        if (o.type != ObservationType.ARP_CLAIM || claimed == null) {
            return;
        }
        int i = d.novelty(FeatureKind.ARP_MAC, claimed);
        if (i < 0 || d.evidenceBehind(i) == 0) {
            return;
        }
        d.alerted(i);
        report(d, claimed, o, i);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device claimed, Observation o, int i) {
        String newMac = IpAddresses.macToString(o.srcMac);
        String cause = "arp|" + claimed.id() + "|" + newMac;
        if (d.known(cause)) {
            return;
        }
        FeatureSet learned = claimed.model().featuresIfAny(FeatureKind.ARP_MAC);
        StringBuilder macs = new StringBuilder();
        learned.forEach((key, count, first) -> {
            if (key != o.srcMac) {
                macs.append(macs.length() == 0 ? "" : ", ").append(IpAddresses.macToString(key));
            }
        });
        String to = IpAddresses.toString(o.dstIpHi, o.dstIpLo);
        String explanation = claimed.ip() + " was claimed by MAC " + newMac + " in an ARP "
            + (o.arpOperation == 2 ? "reply" : "request") + " to " + to + "; in " + d.learnedFor()
            + " of learning only " + macs + " claimed it.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("claimed_ip", claimed.ip());
        details.put("new_mac", newMac);
        details.put("learned_macs", macs.toString());
        details.put("arp_operation", o.arpOperation);
        d.raise(AlertType.ARP_SPOOFING, cause, AlertType.ARP_SPOOFING.baseSeverity(),
            Math.max(60, Detection.score(d.surprise(i))), Detection.confidence(d.evidenceBehind(i)), explanation, claimed,
            "arp", details);
    }
}
