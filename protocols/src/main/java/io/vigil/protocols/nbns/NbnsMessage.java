package io.vigil.protocols.nbns;

/**
 * One NetBIOS Name Service datagram (RFC 1002 §4.2), reused by the parser. The name is the
 * question's (or, without a question, the first resource record's) NetBIOS name decoded from its
 * first-level encoding: up to 15 characters without the trailing spaces, plus the suffix byte
 * that says which service registered it (0x00 workstation, 0x20 file server, 0x1B/0x1C domain).
 */
public final class NbnsMessage {
    public static final int OPCODE_QUERY = 0;
    public static final int OPCODE_REGISTRATION = 5;
    public static final int OPCODE_RELEASE = 6;
    public static final int OPCODE_WACK = 7;
    public static final int OPCODE_REFRESH = 8;
    public static final int OPCODE_REFRESH_ALT = 9;
    public static final int OPCODE_MULTIHOMED_REGISTRATION = 15;
    public static final int NAME_LENGTH = 15;

    public int transactionId;
    public boolean response;
    public int opcode;
    public boolean broadcast;
    public int rcode;
    public int questionCount;
    public int answerCount;
    public int authorityCount;
    public int additionalCount;
    /** The NetBIOS name, ASCII, trailing spaces removed. */
    public final byte[] name = new byte[NAME_LENGTH];
    public int nameLength;
    /** The 16th byte of the name, or -1 when no name was decoded. */
    public int suffix;
    /** Question type (0x20 NB, 0x21 NBSTAT) or the record's type; -1 when absent. */
    public int type;
    /** IPv4 address of the first NB address entry (registrations, positive answers), 0 when none. */
    public int address;
    public boolean hasAddress;
    public boolean malformed;
    public String malformedReason;

    void reset() {
        transactionId = 0;
        response = false;
        opcode = 0;
        broadcast = false;
        rcode = 0;
        questionCount = 0;
        answerCount = 0;
        authorityCount = 0;
        additionalCount = 0;
        nameLength = 0;
        suffix = -1;
        type = -1;
        address = 0;
        hasAddress = false;
        malformed = false;
        malformedReason = null;
    }

    /** The name as text, for output off the hot path. */
    public String nameString() {
        return new String(name, 0, nameLength, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Whether the datagram states which address holds the name: a registration, refresh or positive answer. */
    public boolean claimsName() {
        return hasAddress && nameLength > 0 && rcode == 0
            && (opcode == OPCODE_REGISTRATION || opcode == OPCODE_REFRESH || opcode == OPCODE_REFRESH_ALT
                || opcode == OPCODE_MULTIHOMED_REGISTRATION || (opcode == OPCODE_QUERY && response));
    }
}
