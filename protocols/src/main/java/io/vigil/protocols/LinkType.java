package io.vigil.protocols;

/**
 * Link-layer header types (tcpdump.org LINKTYPE_ values) the decoder understands.
 * Values are those written in pcap file headers and pcapng interface description blocks.
 */
public final class LinkType {
    /** BSD loopback: 4-byte address family in host byte order of the capturing machine. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** Raw IP as written by some BSDs (DLT_RAW is 12 or 14 there); version taken from the first nibble. */
    public static final int RAW_BSD_12 = 12;
    public static final int RAW_BSD_14 = 14;
    /** OpenBSD loopback: 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** LINKTYPE_RAW: raw IPv4 or IPv6, version taken from the first nibble. */
    public static final int RAW = 101;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    public static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL: case ETHERNET: case RAW_BSD_12: case RAW_BSD_14: case LOOP: case RAW:
            case LINUX_SLL: case IPV4: case IPV6: case LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }

    public static String name(int linkType) {
        switch (linkType) {
            case NULL: return "NULL";
            case ETHERNET: return "EN10MB";
            case RAW_BSD_12: case RAW_BSD_14: case RAW: return "RAW";
            case LOOP: return "LOOP";
            case LINUX_SLL: return "LINUX_SLL";
            case IPV4: return "IPV4";
            case IPV6: return "IPV6";
            case LINUX_SLL2: return "LINUX_SLL2";
            default: return "LINKTYPE_" + linkType;
        }
    }
}
