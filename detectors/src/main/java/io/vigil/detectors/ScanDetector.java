package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.ScanWindow;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A burst of first contacts from one device: within {@link #WINDOW_NANOS} of capture time, new
 * peer/port pairs to at least {@link #MIN_HOSTS} hosts on few ports (horizontal scan), to at
 * least {@link #MIN_PORTS} ports of one or two hosts (vertical scan), ICMP to {@link #MIN_HOSTS}
 * hosts (ping sweep), or ARP requests for {@link #MIN_ARP_TARGETS} addresses (ARP sweep).
 *
 * <p>Only contacts the device never made while learning count, so a monitoring server that polls
 * 300 hosts every minute is not a scanner; its first poll after a new host appears is one
 * contact, not a burst.
 */
public final class ScanDetector implements Detector {
    public static final long WINDOW_NANOS = 10_000_000_000L;
    public static final int MIN_HOSTS = 16;
    public static final int MIN_PORTS = 16;
    public static final int MIN_ARP_TARGETS = 32;

    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.ARP_CLAIM || type == ObservationType.FLOW_START;
    }

    @Override
    public void inspect(Detection d) {
        Observation o = d.observation();
        Device scanner = d.source();
        if (scanner == null) {
            return;
        }
        boolean arp = o.type == ObservationType.ARP_CLAIM && o.arpOperation == 1;
        if (!arp && (o.type != ObservationType.FLOW_START || d.novelty(FeatureKind.PEER_AS_CLIENT, scanner) < 0)) {
            return;
        }
        boolean icmp = o.ipProto == DecodedPacket.PROTO_ICMP || o.ipProto == DecodedPacket.PROTO_ICMPV6;
        ScanWindow w = scanner.model().scanWindow();
        w.add(o.timestampNanos, WINDOW_NANOS, FeatureKeys.peer(o.vlan, o.dstIpHi, o.dstIpLo), o.dstPort, arp, icmp);
        String kind;
        if (arp) {
            kind = w.hosts() >= MIN_ARP_TARGETS && w.arpProbes() >= MIN_ARP_TARGETS ? "ARP sweep" : null;
        } else if (icmp) {
            kind = w.icmpProbes() >= MIN_HOSTS && w.hosts() >= MIN_HOSTS ? "ping sweep" : null;
        } else if (w.hosts() >= MIN_HOSTS && w.ports() <= 3) {
            kind = "horizontal scan";
        } else if (w.ports() >= MIN_PORTS && w.hosts() <= 2) {
            kind = "vertical scan";
        } else if (w.hosts() >= MIN_HOSTS && w.ports() >= MIN_PORTS) {
            kind = "network scan";
        } else {
            kind = null;
        }
        if (kind == null) {
            return;
        }
        int i = d.novelty(FeatureKind.PEER_AS_CLIENT, scanner);
        if (i >= 0) {
            d.alerted(i);
        }
        report(d, scanner, o, w, kind, arp);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device scanner, Observation o, ScanWindow w, String kind, boolean arp) {
        String cause = "scan|" + kind + "|" + scanner.id();
        if (d.known(cause)) {
            return;
        }
        explain(d, scanner, o, w, kind, arp, cause);
    }

    /** The alert's text and details, built once per cause: cold code, which C2 keeps out of the fold above. */
    private static void explain(Detection d, Device scanner, Observation o, ScanWindow w, String kind, boolean arp,
                                String cause) {
        String proto = arp ? "arp" : Summaries.ipProtocol(o.ipProto);
        String what;
        switch (kind) {
            case "ARP sweep":
                what = "sent ARP requests for " + w.hosts() + " addresses";
                break;
            case "ping sweep":
                what = "pinged " + w.hosts() + " hosts";
                break;
            case "horizontal scan":
                what = "made first contact with " + w.hosts() + " hosts on " + proto + "/" + w.firstPort();
                break;
            case "vertical scan":
                what = "made first contact with " + w.ports() + " ports of " + IpAddresses.toString(o.dstIpHi, o.dstIpLo);
                break;
            default:
                what = "made first contact with " + w.hosts() + " hosts on " + w.ports() + " ports";
        }
        long seconds = Math.max(1, (o.timestampNanos - w.startNanos()) / 1_000_000_000L);
        String explanation = Roles.of(scanner) + " " + scanner.ip() + " " + what + " within " + seconds + " s ("
            + (kind.startsWith("ARP") ? "an " : "a ") + kind + "); before this burst it had contacted "
            + Math.max(0, learnedPairs(scanner) - (w.probes() - 1)) + " peer/port pairs in all (learning: "
            + d.learnedFor() + ").";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scan_kind", kind);
        details.put("hosts", w.hosts());
        details.put("ports", w.ports());
        details.put("probes", w.probes());
        int severity = AlertType.SCAN.baseSeverity() + (isControlPort(w.firstPort()) ? 1 : 0);
        d.raise(AlertType.SCAN, cause, severity, 80, 90, explanation, scanner, proto, details);
    }

    /** A sweep of an industrial control port (Modbus, S7, CIP, DNP3, IEC 104) is looking for PLCs. */
    private static boolean isControlPort(int port) {
        return port == AppProtocol.MODBUS.port() || port == AppProtocol.S7COMM.port() || port == AppProtocol.ENIP.port()
            || port == AppProtocol.DNP3.port() || port == AppProtocol.IEC104.port();
    }

    private static int learnedPairs(Device d) {
        var set = d.model().featuresIfAny(FeatureKind.PEER_AS_CLIENT);
        return set == null ? 0 : set.size();
    }

}
