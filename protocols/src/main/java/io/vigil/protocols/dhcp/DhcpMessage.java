package io.vigil.protocols.dhcp;

/**
 * One BOOTP/DHCP message (RFC 2131/2132), decoded in place: a mutable flyweight that {@link DhcpParser#parse}
 * overwrites for every UDP payload. Strings stay offsets into {@link #buffer}; absent fields are -1 (offsets,
 * lengths, option values) unless stated otherwise.
 */
public final class DhcpMessage {
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int DECLINE = 4;
    public static final int ACK = 5;
    public static final int NAK = 6;
    public static final int RELEASE = 7;
    public static final int INFORM = 8;

    /** The datagram the offsets below point into (not copied). */
    public byte[] buffer;
    public int offset;
    public int length;

    public boolean malformed;
    /** Why, as a constant string of {@link DhcpParser}; null when well-formed. */
    public String malformedReason;

    // ------------------------------------------------------------ fixed BOOTP header
    /** 1 BOOTREQUEST, 2 BOOTREPLY. */
    public int op;
    public int htype;
    public int hlen;
    public int hops;
    /** Transaction id, as the unsigned 32-bit value in a long. */
    public long xid;
    public int secs;
    public int flags;
    /** IPv4 addresses as big-endian ints (0 = unset, as on the wire). */
    public int ciaddr;
    public int yiaddr;
    public int siaddr;
    public int giaddr;
    /** Client MAC as the low 48 bits of a long, when htype is 1 (Ethernet) and hlen 6; otherwise -1. */
    public long chaddr;
    /** sname/file fields as NUL-terminated offsets; -1 when empty or carrying overloaded options. */
    public int snameOffset;
    public int snameLength;
    public int fileOffset;
    public int fileLength;

    // ------------------------------------------------------------ options
    /** The DHCP magic cookie 99.130.83.99 follows the header: without it this is plain BOOTP. */
    public boolean magicCookie;
    public int optionCount;
    /** Option 52: 1 file, 2 sname, 3 both carry options. 0 when absent. */
    public int overload;
    /** Option 53, one of the constants above; -1 when absent (plain BOOTP). */
    public int messageType;
    /** Option 50 and 54: IPv4 as int; valid when the has* flag is set. */
    public int requestedIp;
    public boolean hasRequestedIp;
    public int serverId;
    public boolean hasServerId;
    /** Option 51, seconds (unsigned 32-bit); -1 when absent. */
    public long leaseTime;
    /** Option 12. */
    public int hostnameOffset;
    public int hostnameLength;
    /** Option 15. */
    public int domainOffset;
    public int domainLength;
    /** Option 60. */
    public int vendorClassOffset;
    public int vendorClassLength;
    /** Option 61 (first octet is the type, usually 1 = Ethernet, followed by the MAC). */
    public int clientIdOffset;
    public int clientIdLength;
    /** Option 55: number of requested parameters; its offset for fingerprinting. */
    public int paramRequestCount;
    public int paramRequestOffset;
    /** Option 82 (relay agent information) present: the message crossed a relay. */
    public boolean relayAgentInfo;

    void reset(byte[] buf, int off, int len) {
        buffer = buf;
        offset = off;
        length = len;
        malformed = false;
        malformedReason = null;
        op = htype = hlen = hops = secs = flags = -1;
        xid = -1;
        ciaddr = yiaddr = siaddr = giaddr = 0;
        chaddr = -1;
        snameOffset = snameLength = fileOffset = fileLength = -1;
        magicCookie = false;
        optionCount = 0;
        overload = 0;
        messageType = -1;
        requestedIp = serverId = 0;
        hasRequestedIp = hasServerId = false;
        leaseTime = -1;
        hostnameOffset = hostnameLength = domainOffset = domainLength = -1;
        vendorClassOffset = vendorClassLength = clientIdOffset = clientIdLength = -1;
        paramRequestCount = paramRequestOffset = -1;
        relayAgentInfo = false;
    }

    /** Short name of a message type, for output; "UNKNOWN" for anything else. */
    public static String typeName(int t) {
        switch (t) {
            case DISCOVER: return "DISCOVER";
            case OFFER: return "OFFER";
            case REQUEST: return "REQUEST";
            case DECLINE: return "DECLINE";
            case ACK: return "ACK";
            case NAK: return "NAK";
            case RELEASE: return "RELEASE";
            case INFORM: return "INFORM";
            default: return t < 0 ? "BOOTP" : "UNKNOWN";
        }
    }

    /** Decodes an offset/length pair as ISO-8859-1 (hostnames are bytes, not text); null when absent. */
    public String string(int off, int len) {
        return off < 0 || len < 0 ? null : new String(buffer, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** aa:bb:cc:dd:ee:ff, as Wireshark prints it; null when not an Ethernet address. */
    public String macString() {
        if (chaddr < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (chaddr >>> (8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
