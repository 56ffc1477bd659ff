package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.FeatureSet;

/**
 * A device accepting a connection from a peer it never served on that port, when the device's
 * rate of new peers while learning makes that rare: a PLC polled by the same two HMIs for hours
 * alerts on a third; a file server that meets new clients every few minutes does not.
 * One alert per device and peer (further ports of the same peer only count).
 */
public final class NewPeerDetector implements Detector {
    @Override
    public void inspect(Detection d) {
        Device server = d.destination();
        if (server == null) {
            return;
        }
        int i = d.novelty(FeatureKind.PEER_AS_SERVER, server);
        if (i < 0 || !d.surprising(i)) {
            return;
        }
        d.alerted(i);
        report(d, server, i);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device server, int i) {
        var o = d.observation();
        String peer = io.vigil.protocols.IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        String cause = "new_peer|" + server.id() + "|" + peer;
        if (d.known(cause)) {
            return;
        }
        FeatureSet peers = server.model().featuresIfAny(FeatureKind.PEER_AS_SERVER);
        String proto = Summaries.ipProtocol(o.ipProto);
        int known = peers == null ? 0 : peers.size();
        String explanation = Roles.of(server) + " " + server.ip() + " got a first " + proto + "/" + o.dstPort
            + " connection from " + peer + "; in " + d.learnedFor() + " it had " + known + " known peer/port "
            + (known == 1 ? "pair" : "pairs") + " over " + d.evidenceBehind(i) + " active minutes, a new one expected "
            + "about once in " + rarity(d.surprise(i)) + ".";
        int severity = AlertType.NEW_PEER.baseSeverity() + (d.surprise(i) >= 14 ? 1 : 0);
        d.raise(AlertType.NEW_PEER, cause, severity, Detection.score(d.surprise(i)),
            Detection.confidence(d.evidenceBehind(i)), explanation, server, proto, null);
    }

    /** "2 000 minutes" from bits of surprise. */
    static String rarity(double bits) {
        long n = Math.round(Math.pow(2, bits));
        return String.format(java.util.Locale.ROOT, "%,d", n).replace(',', ' ') + " minutes";
    }
}
