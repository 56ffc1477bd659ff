package io.vigil.protocols.decode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-worker tallies of what the decoder saw: frames per protocol, and frames given up on per
 * layer, split into malformed (a header field is impossible) and truncated (cut short, usually
 * by the snap length). Plain longs: each worker owns one instance; they are merged at the end.
 */
public final class DecodeCounters {
    public static final int ETHERNET = 0;
    public static final int SLL = 1;
    public static final int RAW_IP = 2;
    public static final int LOOPBACK = 3;
    public static final int VLAN = 4;
    public static final int QINQ = 5;
    public static final int MPLS = 6;
    public static final int ARP = 7;
    public static final int IPV4 = 8;
    public static final int IPV6 = 9;
    public static final int TCP = 10;
    public static final int UDP = 11;
    public static final int ICMP = 12;
    public static final int ICMPV6 = 13;
    public static final int GRE = 14;
    public static final int ERSPAN = 15;
    public static final int VXLAN = 16;
    public static final int IP_IN_IP = 17;
    public static final int IPV4_FRAGMENT = 18;
    public static final int IPV6_FRAGMENT = 19;
    public static final int IPV4_OPTIONS = 20;
    public static final int IPV6_EXTENSION_HEADERS = 21;
    public static final int OTHER_L3 = 22;
    public static final int OTHER_L4 = 23;
    public static final int UNSUPPORTED_LINK_TYPE = 24;
    public static final int FRAGMENT_WITHOUT_FIRST = 25;
    /** First fragment too short to hold the transport header (classic IDS-evasion trick, RFC 1858). */
    public static final int TINY_FRAGMENT = 26;

    private static final String[] PROTOCOL_NAMES = {
        "ethernet", "sll", "raw_ip", "loopback", "vlan", "qinq", "mpls", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp",
        "icmpv6", "gre", "erspan", "vxlan", "ip_in_ip", "ipv4_fragment", "ipv6_fragment", "ipv4_options",
        "ipv6_extension_headers", "other_l3", "other_l4", "unsupported_link_type", "fragment_without_first",
        "tiny_fragment"
    };

    private static final String[] LAYER_NAMES = {
        "none", "link", "vlan", "mpls", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "tunnel"
    };

    private final long[] protocols = new long[PROTOCOL_NAMES.length];
    private final long[] malformed = new long[LAYER_NAMES.length];
    private final long[] truncated = new long[LAYER_NAMES.length];

    public void count(int protocol) {
        protocols[protocol]++;
    }

    public void malformed(int layer) {
        malformed[layer]++;
    }

    public void truncated(int layer) {
        truncated[layer]++;
    }

    public long protocol(int protocol) {
        return protocols[protocol];
    }

    public long malformedAt(int layer) {
        return malformed[layer];
    }

    public long truncatedAt(int layer) {
        return truncated[layer];
    }

    public long malformedTotal() {
        long sum = 0;
        for (long v : malformed) {
            sum += v;
        }
        return sum;
    }

    public long truncatedTotal() {
        long sum = 0;
        for (long v : truncated) {
            sum += v;
        }
        return sum;
    }

    public void addTo(DecodeCounters total) {
        for (int i = 0; i < protocols.length; i++) {
            total.protocols[i] += protocols[i];
        }
        for (int i = 0; i < malformed.length; i++) {
            total.malformed[i] += malformed[i];
            total.truncated[i] += truncated[i];
        }
    }

    /** Protocol name to frame count, in a fixed order, zero counts included. */
    public Map<String, Long> protocolCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < protocols.length; i++) {
            m.put(PROTOCOL_NAMES[i], protocols[i]);
        }
        return m;
    }

    /** Layer name to malformed count, non-zero only. */
    public Map<String, Long> malformedByLayer() {
        return nonZero(malformed);
    }

    public Map<String, Long> truncatedByLayer() {
        return nonZero(truncated);
    }

    /** Layers are numbered 1 ..< layerCount(); 0 is "none". */
    public static int layerCount() {
        return LAYER_NAMES.length;
    }

    public static String layerName(int layer) {
        return LAYER_NAMES[layer];
    }

    private static Map<String, Long> nonZero(long[] values) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 1; i < values.length; i++) {
            if (values[i] != 0) {
                m.put(LAYER_NAMES[i], values[i]);
            }
        }
        return m;
    }
}
