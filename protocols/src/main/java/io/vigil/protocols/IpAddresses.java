package io.vigil.protocols;

/**
 * IP addresses as two longs (IPv4 as the IPv4-mapped IPv6 address) and their text forms.
 * Formatting allocates; it is meant for output paths, never for per-packet work.
 */
public final class IpAddresses {
    /** High 64 bits of every IPv4-mapped address. */
    public static final long V4_MAPPED_HI = 0L;
    /** Bits 32-63 of the low word of an IPv4-mapped address ({@code ::ffff:0:0/96}). */
    public static final long V4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    private IpAddresses() {
    }

    public static long v4MappedLo(int ipv4) {
        return V4_MAPPED_LO_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LO_PREFIX;
    }

    /**
     * True for an address that can name one device: not unspecified,
     * not multicast and not the IPv4 limited broadcast. Subnet broadcasts need the netmask and pass.
     */
    public static boolean isUnicast(long hi, long lo) {
        if (isV4Mapped(hi, lo)) {
            int v4 = (int) lo;
            int first = v4 >>> 24;
            return v4 != 0 && v4 != -1 && (first < 224 || first > 239);
        }
        boolean unspecified = hi == 0 && lo == 0;
        boolean multicast = (hi >>> 56) == 0xFF;
        return !unspecified && !multicast;
    }

    /**
     * True for addresses that stay inside a site: RFC 1918, loopback, link-local, CGNAT
     * (100.64/10) and, for IPv6, unique-local (fc00::/7), link-local (fe80::/10) and loopback.
     * Everything else is "external" to a data-centre sensor.
     */
    public static boolean isInternal(long hi, long lo) {
        if (isV4Mapped(hi, lo)) {
            int v4 = (int) lo;
            int a = v4 >>> 24;
            int b = (v4 >>> 16) & 0xFF;
            return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
                || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127);
        }
        int top16 = (int) (hi >>> 48);
        return (top16 & 0xFE00) == 0xFC00 || (top16 & 0xFFC0) == 0xFE80 || (hi == 0 && lo == 1);
    }

    public static String toString(long hi, long lo) {
        if (isV4Mapped(hi, lo)) {
            return ipv4ToString((int) lo);
        }
        return ipv6ToString(hi, lo);
    }

    public static String ipv4ToString(int ip) {
        return ((ip >>> 24) & 0xFF) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    /** RFC 5952 text: lower case, longest run of two or more zero groups compressed. */
    public static String ipv6ToString(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    public static String macToString(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
