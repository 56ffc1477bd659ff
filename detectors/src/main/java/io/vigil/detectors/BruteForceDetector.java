package io.vigil.detectors;

import io.vigil.baseline.AuthAttempts;
import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Password guessing: one client opening many connections to a login service of a device (SSH 22,
 * Telnet 23, FTP 21, SMB 445, RDP 3389, VNC 5900) — each connection to a login service is an
 * attempt, since the passwords themselves are encrypted or not worth parsing. Fires at the
 * connection that makes max({@link #MIN_ATTEMPTS}, 2 times the most that client made while
 * learning) within {@link AuthAttempts#WINDOW_SECONDS} s (capped at {@link AuthAttempts#RING},
 * the starts a pair keeps). One alert per device, client and service; further attempts fold in.
 */
public final class BruteForceDetector implements Detector {
    public static final int MIN_ATTEMPTS = 10;

    @Override
    public void learn(Detection d) {
        Device server = d.destination();
        Observation o = d.observation();
        if (server != null && o.type == ObservationType.FLOW_START && service(o) != null) {
            server.model().authAttempts().attempt(pairKey(o), o.timestampNanos, true);
        }
    }

    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.FLOW_START;
    }

    @Override
    public void inspect(Detection d) {
        Device server = d.destination();
        Observation o = d.observation();
        String service = server == null || o.type != ObservationType.FLOW_START ? null : service(o);
        if (service == null) {
            return;
        }
        AuthAttempts a = server.model().authAttempts();
        long pair = pairKey(o);
        int attempts = a.attempt(pair, o.timestampNanos, false);
        int learned = a.learnedMax(pair);
        int limit = Math.min(AuthAttempts.RING, Math.max(MIN_ATTEMPTS, 2 * learned));
        if (attempts < limit) {
            return;
        }
        report(d, server, o, service, a, pair, attempts, learned);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device server, Observation o, String service, AuthAttempts a, long pair,
                               int attempts, int learned) {
        String client = IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        String cause = "brute_force|" + server.id() + "|" + client + "|" + o.dstPort;
        if (d.known(cause)) {
            return;
        }
        explain(d, server, o, service, a, pair, attempts, learned, client, cause);
    }

    /** The alert's text and details, built once per cause: cold code, which C2 keeps out of the fold above. */
    private static void explain(Detection d, Device server, Observation o, String service, AuthAttempts a, long pair,
                                int attempts, int learned, String client, String cause) {
        long seconds = Math.max(1, (o.timestampNanos - a.firstWithinNanos(pair, o.timestampNanos)) / 1_000_000_000L);
        String explanation = Roles.of(server) + " " + server.ip() + " got " + attempts + " " + service
            + " connections (tcp/" + o.dstPort + ") from " + client + " within " + seconds + " s, a password-guessing "
            + "pattern; in " + d.learnedFor() + " of learning that client made at most " + learned + " within "
            + AuthAttempts.WINDOW_SECONDS / 60 + " min.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", service);
        details.put("attempts", attempts);
        details.put("window_s", seconds);
        details.put("learned_max", learned);
        d.raise(AlertType.BRUTE_FORCE, cause, AlertType.BRUTE_FORCE.baseSeverity(), Math.min(100, 60 + 2 * attempts),
            80, explanation, server, service.toLowerCase(java.util.Locale.ROOT), details);
    }

    private static long pairKey(Observation o) {
        return AuthAttempts.pairKey(FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo), o.dstPort);
    }

    /** The login service on the connection's port, or null. */
    static String service(Observation o) {
        if (o.ipProto != DecodedPacket.PROTO_TCP) {
            return null;
        }
        switch (o.dstPort) {
            case 21: return "FTP";
            case 22: return "SSH";
            case 23: return "Telnet";
            case 445: return "SMB";
            case 3389: return "RDP";
            case 5900: return "VNC";
            default: return null;
        }
    }
}
