package io.vigil.protocols.snmp;

/**
 * One SNMP message (RFC 1157 v1, RFC 3416 v2c PDUs, RFC 3412/3414 v3 with USM), decoded in place: a mutable flyweight
 * that {@link SnmpParser#parse} overwrites for every UDP payload. Octet strings and OIDs stay offsets into
 * {@link #buffer}; render OIDs with {@link SnmpParser#oidToString}. Absent fields are -1.
 */
public final class SnmpMessage {
    /** How many varbind names are kept; {@link #varbindCount} still counts them all. */
    public static final int MAX_OIDS = 8;

    public static final int V1 = 0;
    public static final int V2C = 1;
    public static final int V3 = 3;

    public static final int GET = 0xA0;
    public static final int GET_NEXT = 0xA1;
    public static final int RESPONSE = 0xA2;
    public static final int SET = 0xA3;
    public static final int TRAP_V1 = 0xA4;
    public static final int GET_BULK = 0xA5;
    public static final int INFORM = 0xA6;
    public static final int TRAP_V2 = 0xA7;
    public static final int REPORT = 0xA8;

    public byte[] buffer;
    public int offset;
    public int length;

    public boolean malformed;
    /** Why, as a constant string of {@link SnmpParser}; null when well-formed. */
    public String malformedReason;

    /** 0 = v1, 1 = v2c, 3 = v3 (the wire value). */
    public int version;

    // ------------------------------------------------------------ v1/v2c
    public int communityOffset;
    public int communityLength;
    /** Community is exactly "public" or "private": vendor defaults, a finding wherever they still answer. */
    public boolean communityIsDefault;

    // ------------------------------------------------------------ v3 header and USM
    public long msgId;
    public long msgMaxSize;
    /** msgFlags octet: bit 0 auth, bit 1 priv, bit 2 reportable. */
    public int msgFlags;
    public boolean auth;
    public boolean priv;
    public boolean reportable;
    /** 3 = USM. */
    public int securityModel;
    public int engineIdOffset;
    public int engineIdLength;
    public long engineBoots;
    public long engineTime;
    public int userNameOffset;
    public int userNameLength;
    /** The scoped PDU is an encrypted OCTET STRING (priv flag): the PDU fields below stay absent. */
    public boolean encrypted;
    public int contextEngineIdOffset;
    public int contextEngineIdLength;
    public int contextNameOffset;
    public int contextNameLength;

    // ------------------------------------------------------------ PDU
    /** Context tag of the PDU (0xA0..0xA8, see constants); -1 when absent or encrypted. */
    public int pduType;
    public long requestId;
    /** For GetBulk these are non-repeaters and max-repetitions. */
    public long errorStatus;
    public long errorIndex;

    // ------------------------------------------------------------ v1 trap
    public int enterpriseOffset;
    public int enterpriseLength;
    /** Agent address, IPv4 as int; valid when {@link #enterpriseOffset} >= 0. */
    public int agentAddress;
    public long genericTrap;
    public long specificTrap;
    public long timestamp;

    // ------------------------------------------------------------ varbinds
    public int varbindCount;
    /** Content offset and length of the first {@link #MAX_OIDS} varbind names (BER OID contents, no header). */
    public final int[] oidOffset = new int[MAX_OIDS];
    public final int[] oidLength = new int[MAX_OIDS];
    /** BER tag of each kept varbind's value (0x05 NULL in requests, 0x80-0x82 v2 exceptions). */
    public final int[] valueTag = new int[MAX_OIDS];

    void reset(byte[] buf, int off, int len) {
        buffer = buf;
        offset = off;
        length = len;
        malformed = false;
        malformedReason = null;
        version = -1;
        communityOffset = communityLength = -1;
        communityIsDefault = false;
        msgId = msgMaxSize = -1;
        msgFlags = -1;
        auth = priv = reportable = false;
        securityModel = -1;
        engineIdOffset = engineIdLength = -1;
        engineBoots = engineTime = -1;
        userNameOffset = userNameLength = -1;
        encrypted = false;
        contextEngineIdOffset = contextEngineIdLength = contextNameOffset = contextNameLength = -1;
        pduType = -1;
        requestId = errorStatus = errorIndex = -1;
        enterpriseOffset = enterpriseLength = -1;
        agentAddress = 0;
        genericTrap = specificTrap = timestamp = -1;
        varbindCount = 0;
    }

    /** Name of the PDU type, for output. */
    public static String pduName(int t) {
        switch (t) {
            case GET: return "get-request";
            case GET_NEXT: return "get-next-request";
            case RESPONSE: return "get-response";
            case SET: return "set-request";
            case TRAP_V1: return "trap";
            case GET_BULK: return "getBulkRequest";
            case INFORM: return "informRequest";
            case TRAP_V2: return "snmpV2-trap";
            case REPORT: return "report";
            default: return "unknown";
        }
    }

    /** ISO-8859-1 decoding of an offset/length pair; null when absent. For output code only. */
    public String string(int off, int len) {
        return off < 0 || len < 0 ? null : new String(buffer, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The i-th kept varbind name as dotted decimal; null when not kept. */
    public String oid(int i) {
        return i < 0 || i >= Math.min(varbindCount, MAX_OIDS) ? null
                : SnmpParser.oidToString(buffer, oidOffset[i], oidLength[i]);
    }
}
