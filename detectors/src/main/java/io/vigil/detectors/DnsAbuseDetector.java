package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.DnsActivity;
import io.vigil.protocols.observe.DnsOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DNS used as a channel or a rendezvous, judged per device over a one-minute window:
 * <ul>
 * <li>tunnelling: at least {@link #MIN_TUNNEL_QUERIES} queries whose longest label has at least
 *     {@link #LONG_LABEL} characters (data encoded in base32/hex names), forming most of the
 *     device's queries in the window;</li>
 * <li>generated names: at least {@link #MIN_DGA_FAILURES} NXDOMAIN answers for names whose first
 *     label looks random (long, high character entropy, few vowels), as a DGA-driven implant
 *     looking for its server.</li>
 * </ul>
 * mDNS and LLMNR are left out (their names are local and often long service instance names).
 */
public final class DnsAbuseDetector implements Detector {
    public static final long WINDOW_NANOS = 60_000_000_000L;
    public static final int LONG_LABEL = 30;
    public static final int MIN_TUNNEL_QUERIES = 30;
    public static final int MIN_DGA_FAILURES = 10;
    private static final int NXDOMAIN = 3;

    /** Per-shard scratch for the character histogram: detectors run on one thread. */
    private final int[] histogram = new int[128];

    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.DNS_QUERY;
    }

    @Override
    public void inspect(Detection d) {
        Observation o = d.observation();
        if (o.type != ObservationType.DNS_QUERY || (o.dstPort != 53 && o.srcPort != 53)) {
            return;
        }
        DnsOp dns = o.dns;
        if (!dns.isResponse) {
            Device client = d.source();
            if (client == null) {
                return;
            }
            DnsActivity a = client.model().dnsActivity();
            a.query(o.timestampNanos, WINDOW_NANOS, dns.qnameLongestLabel >= LONG_LABEL);
            if (a.longLabelQueries() >= MIN_TUNNEL_QUERIES && a.longLabelQueries() * 2 > a.queries()) {
                report(d, client, AlertType.DNS_TUNNELLING, a);
            }
            return;
        }
        Device client = d.destination();
        if (client == null || dns.rcode != NXDOMAIN) {
            return;
        }
        DnsActivity a = client.model().dnsActivity();
        a.failed(o.timestampNanos, WINDOW_NANOS, looksGenerated(dns.qname, dns.qnameLength));
        if (a.failedRandomLookups() >= MIN_DGA_FAILURES) {
            report(d, client, AlertType.DGA_LOOKUPS, a);
        }
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device device, AlertType type, DnsActivity a) {
        String cause = type.label() + "|" + device.id();
        if (d.known(cause)) {
            return;
        }
        explain(d, device, type, a, cause);
    }

    /** The alert's text and details, built once per cause: cold code, which C2 keeps out of the fold above. */
    private static void explain(Detection d, Device device, AlertType type, DnsActivity a, String cause) {
        String what = type == AlertType.DNS_TUNNELLING
            ? a.longLabelQueries() + " of its " + a.queries() + " DNS queries carried labels of " + LONG_LABEL
                + " characters or more (as encoded data does)"
            : a.failedRandomLookups() + " lookups of random-looking names failed with NXDOMAIN (of "
                + a.failedLookups() + " failed lookups)";
        long seconds = Math.max(1, (d.observation().timestampNanos - a.startNanos()) / 1_000_000_000L);
        String explanation = Roles.of(device) + " " + device.ip() + ": " + what + " within " + seconds + " s.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("queries", a.queries());
        details.put("long_label_queries", a.longLabelQueries());
        details.put("failed_lookups", a.failedLookups());
        details.put("failed_random_lookups", a.failedRandomLookups());
        d.raise(type, cause, type.baseSeverity(), 80, 80, explanation, device, "dns", details);
    }

    /**
     * The first label is at least 10 characters, has a character entropy of at least 3.2 bits and
     * under a quarter vowels among its letters: "xkq7ztr0vpl2m" yes, "mailserver" or "wpad" no.
     */
    boolean looksGenerated(byte[] name, int len) {
        int end = 0;
        while (end < len && name[end] != '.') {
            end++;
        }
        if (end < 10) {
            return false;
        }
        java.util.Arrays.fill(histogram, 0);
        int letters = 0;
        int vowels = 0;
        for (int i = 0; i < end; i++) {
            int c = name[i] & 0x7F;
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            histogram[c]++;
            if (c >= 'a' && c <= 'z') {
                letters++;
                if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
                    vowels++;
                }
            }
        }
        double entropy = 0;
        for (int count : histogram) {
            if (count > 0) {
                double p = (double) count / end;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return entropy >= 3.2 && vowels * 4 < letters;
    }
}
