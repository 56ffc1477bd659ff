package io.vigil.protocols.dns;

/** Mnemonics for record types, RCODEs and opcodes (IANA DNS parameters), for output and for readable code. */
public final class DnsNames {
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int HINFO = 13;
    public static final int MX = 15;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int NAPTR = 35;
    public static final int DNAME = 39;
    public static final int OPT = 41;
    public static final int DS = 43;
    public static final int RRSIG = 46;
    public static final int NSEC = 47;
    public static final int DNSKEY = 48;
    public static final int SVCB = 64;
    public static final int HTTPS = 65;
    public static final int AXFR = 252;
    public static final int ANY = 255;

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;

    public static final int OPCODE_QUERY = 0;
    public static final int OPCODE_IQUERY = 1;
    public static final int OPCODE_STATUS = 2;
    public static final int OPCODE_NOTIFY = 4;
    public static final int OPCODE_UPDATE = 5;
    public static final int OPCODE_DSO = 6;

    private static final String[] RCODES = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
        "NOTAUTH", "NOTZONE", "DSOTYPENI",
    };
    private static final String[] OPCODES = {"QUERY", "IQUERY", "STATUS", null, "NOTIFY", "UPDATE", "DSO"};

    private DnsNames() {
    }

    /** "A", "AAAA", ... or "TYPE" + number (RFC 3597) for the rest. */
    public static String typeName(int type) {
        switch (type) {
            case A: return "A";
            case NS: return "NS";
            case CNAME: return "CNAME";
            case SOA: return "SOA";
            case PTR: return "PTR";
            case HINFO: return "HINFO";
            case MX: return "MX";
            case TXT: return "TXT";
            case AAAA: return "AAAA";
            case SRV: return "SRV";
            case NAPTR: return "NAPTR";
            case DNAME: return "DNAME";
            case OPT: return "OPT";
            case DS: return "DS";
            case RRSIG: return "RRSIG";
            case NSEC: return "NSEC";
            case DNSKEY: return "DNSKEY";
            case SVCB: return "SVCB";
            case HTTPS: return "HTTPS";
            case AXFR: return "AXFR";
            case ANY: return "ANY";
            default: return "TYPE" + type;
        }
    }

    /** "NOERROR", "NXDOMAIN", ... or "RCODE" + number. */
    public static String rcodeName(int rcode) {
        return rcode >= 0 && rcode < RCODES.length ? RCODES[rcode] : "RCODE" + rcode;
    }

    public static String opcodeName(int opcode) {
        return opcode >= 0 && opcode < OPCODES.length && OPCODES[opcode] != null ? OPCODES[opcode]
                : "OPCODE" + opcode;
    }
}
