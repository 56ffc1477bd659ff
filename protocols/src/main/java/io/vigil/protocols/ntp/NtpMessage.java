package io.vigil.protocols.ntp;

/**
 * One NTP datagram (RFC 5905; mode 6 control per RFC 9327, mode 7 ntpd private), decoded in place: a mutable
 * flyweight that {@link NtpParser#parse} overwrites for every UDP payload. Absent fields are -1.
 */
public final class NtpMessage {
    public static final int MODE_SYMMETRIC_ACTIVE = 1;
    public static final int MODE_SYMMETRIC_PASSIVE = 2;
    public static final int MODE_CLIENT = 3;
    public static final int MODE_SERVER = 4;
    public static final int MODE_BROADCAST = 5;
    public static final int MODE_CONTROL = 6;
    public static final int MODE_PRIVATE = 7;

    public byte[] buffer;
    public int offset;
    public int length;

    public boolean malformed;
    /** Why, as a constant string of {@link NtpParser}; null when well-formed. */
    public String malformedReason;

    /** Leap indicator (0-3), version (1-4 seen in practice), mode (0-7). */
    public int leap;
    public int version;
    public int mode;

    /**
     * Mode 6 (control, ntpq) or 7 (private, ntpdc): a management query rather than time transfer. From outside the
     * management network these are reconnaissance, and mode 7 MON_GETLIST (monlist) is the classic amplifier.
     */
    public boolean controlOrPrivate;

    // ------------------------------------------------------------ modes 1-5 (48-octet header)
    public int stratum;
    /** Signed log2 seconds. */
    public int poll;
    public int precision;
    /** Root delay and dispersion as raw NTP short format (16.16). */
    public long rootDelay;
    public long rootDispersion;
    /** Reference id: for stratum 0/1 four ASCII characters (a kiss code at 0), else an IPv4 address or hash. */
    public int referenceId;
    /** 64-bit NTP timestamps (seconds since 1900 in the high 32 bits). 0 = unset, as on the wire. */
    public long referenceTimestamp;
    public long originTimestamp;
    public long receiveTimestamp;
    public long transmitTimestamp;
    /** Octets after the 48-octet header (extension fields and/or MAC). */
    public int trailerLength;

    // ------------------------------------------------------------ mode 6
    /** Response, error and more bits plus opcode; sequence; status; association id; count. */
    public boolean response;
    public boolean error;
    public boolean more;
    public int opcode;
    public int sequence;
    public int status;
    public int associationId;
    public int count;

    // ------------------------------------------------------------ mode 7
    /** Implementation (2 = XNTPD, 3 = XNTPD_OLD) and request code (42 = MON_GETLIST_1, 20 = MON_GETLIST). */
    public int implementation;
    public int requestCode;
    /** Number of data items and their size (responses: large item counts are the amplification). */
    public int itemCount;
    public int itemSize;

    void reset(byte[] buf, int off, int len) {
        buffer = buf;
        offset = off;
        length = len;
        malformed = false;
        malformedReason = null;
        leap = version = mode = -1;
        controlOrPrivate = false;
        stratum = poll = precision = -1;
        rootDelay = rootDispersion = -1;
        referenceId = 0;
        referenceTimestamp = originTimestamp = receiveTimestamp = transmitTimestamp = 0;
        trailerLength = 0;
        response = error = more = false;
        opcode = sequence = status = associationId = count = -1;
        implementation = requestCode = itemCount = itemSize = -1;
    }

    /** Mode names as Wireshark prints them, for output. */
    public static String modeName(int m) {
        switch (m) {
            case 0: return "reserved";
            case MODE_SYMMETRIC_ACTIVE: return "symmetric active";
            case MODE_SYMMETRIC_PASSIVE: return "symmetric passive";
            case MODE_CLIENT: return "client";
            case MODE_SERVER: return "server";
            case MODE_BROADCAST: return "broadcast";
            case MODE_CONTROL: return "control";
            case MODE_PRIVATE: return "private";
            default: return "unknown";
        }
    }
}
