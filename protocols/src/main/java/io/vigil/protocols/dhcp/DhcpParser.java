package io.vigil.protocols.dhcp;

/**
 * BOOTP/DHCP decoder (RFC 951, 2131, 2132) for UDP 67/68. One instance per thread; it holds no state between calls
 * and allocates nothing. Hostile input only ever sets {@link DhcpMessage#malformed}.
 */
public final class DhcpParser {
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    public static final String BAD_BOUNDS = "offset/length outside the buffer";
    public static final String TOO_SHORT = "shorter than the 236-octet BOOTP header";
    public static final String BAD_OP = "op is neither BOOTREQUEST nor BOOTREPLY";
    public static final String OPTION_TRUNCATED = "option runs past the end of its area";
    public static final String NO_END = "options not terminated by END";
    public static final String BAD_OPTION_LENGTH = "option length wrong for its type";

    /** Fixed header: op..file. */
    static final int HEADER = 236;
    private static final int MAGIC = 0x63825363;
    private static final int SNAME = 44;
    private static final int FILE = 108;

    /**
     * Decodes one UDP payload. Returns true when it is BOOTP (a full fixed header and op 1 or 2); options problems
     * leave it true and set {@link DhcpMessage#malformed}. Returns false, with the reason, when it is not.
     */
    public boolean parse(byte[] buf, int off, int len, DhcpMessage out) {
        out.reset(buf, off, len);
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return fail(out, BAD_BOUNDS);
        }
        if (len < HEADER) {
            return fail(out, TOO_SHORT);
        }
        out.op = buf[off] & 0xFF;
        if (out.op != 1 && out.op != 2) {
            return fail(out, BAD_OP);
        }
        out.htype = buf[off + 1] & 0xFF;
        out.hlen = buf[off + 2] & 0xFF;
        out.hops = buf[off + 3] & 0xFF;
        out.xid = i32(buf, off + 4) & 0xFFFFFFFFL;
        out.secs = u16(buf, off + 8);
        out.flags = u16(buf, off + 10);
        out.ciaddr = i32(buf, off + 12);
        out.yiaddr = i32(buf, off + 16);
        out.siaddr = i32(buf, off + 20);
        out.giaddr = i32(buf, off + 24);
        if (out.htype == 1 && out.hlen == 6) {
            long m = 0;
            for (int i = 0; i < 6; i++) {
                m = m << 8 | buf[off + 28 + i] & 0xFF;
            }
            out.chaddr = m;
        }
        int end = off + len;
        if (len >= HEADER + 4 && i32(buf, off + HEADER) == MAGIC) {
            out.magicCookie = true;
            boolean ended = options(buf, off + HEADER + 4, end, out, true);
            if (!ended) {
                malformed(out, NO_END);
            }
            // Overloaded sname/file carry options (RFC 2132 9.3), read after the main area: file first, then sname.
            if ((out.overload & 1) != 0) {
                options(buf, off + FILE, off + FILE + 128, out, false);
            }
            if ((out.overload & 2) != 0) {
                options(buf, off + SNAME, off + SNAME + 64, out, false);
            }
        }
        if ((out.overload & 2) == 0) {
            out.snameOffset = off + SNAME;
            out.snameLength = cstring(buf, off + SNAME, 64);
        }
        if ((out.overload & 1) == 0) {
            out.fileOffset = off + FILE;
            out.fileLength = cstring(buf, off + FILE, 128);
        }
        if (out.snameLength == 0) {
            out.snameOffset = out.snameLength = -1;
        }
        if (out.fileLength == 0) {
            out.fileOffset = out.fileLength = -1;
        }
        return true;
    }

    /** op 1/2, htype 1 with hlen 6 (or any htype with hlen <= 16), a full header and the DHCP magic cookie. */
    public static boolean looksLikeDhcp(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < HEADER + 4 || off > buf.length - len) {
            return false;
        }
        int op = buf[off] & 0xFF;
        return (op == 1 || op == 2) && (buf[off + 2] & 0xFF) <= 16 && i32(buf, off + HEADER) == MAGIC;
    }

    /** Either port is 67 or 68. */
    public static boolean isDhcpPort(int srcPort, int dstPort) {
        return srcPort == SERVER_PORT || srcPort == CLIENT_PORT || dstPort == SERVER_PORT || dstPort == CLIENT_PORT;
    }

    /**
     * Walks one option area. Each iteration consumes at least one octet, so the loop is bounded by the area's size.
     * Returns whether END was seen. The first occurrence of an option wins, as in most DHCP servers.
     */
    private static boolean options(byte[] b, int p, int end, DhcpMessage out, boolean main) {
        while (p < end) {
            int code = b[p] & 0xFF;
            if (code == 0) { // PAD
                p++;
                continue;
            }
            if (code == 255) { // END
                return true;
            }
            if (p + 1 >= end) {
                malformed(out, OPTION_TRUNCATED);
                return false;
            }
            int l = b[p + 1] & 0xFF;
            int v = p + 2;
            if (l > end - v) {
                malformed(out, OPTION_TRUNCATED);
                return false;
            }
            out.optionCount++;
            option(b, code, v, l, out, main);
            p = v + l;
        }
        return false;
    }

    private static void option(byte[] b, int code, int v, int l, DhcpMessage out, boolean main) {
        switch (code) {
            case 53:
                if (l != 1) {
                    malformed(out, BAD_OPTION_LENGTH);
                } else if (out.messageType < 0) {
                    out.messageType = b[v] & 0xFF;
                }
                break;
            case 50:
                if (l != 4) {
                    malformed(out, BAD_OPTION_LENGTH);
                } else if (!out.hasRequestedIp) {
                    out.requestedIp = i32(b, v);
                    out.hasRequestedIp = true;
                }
                break;
            case 54:
                if (l != 4) {
                    malformed(out, BAD_OPTION_LENGTH);
                } else if (!out.hasServerId) {
                    out.serverId = i32(b, v);
                    out.hasServerId = true;
                }
                break;
            case 51:
                if (l != 4) {
                    malformed(out, BAD_OPTION_LENGTH);
                } else if (out.leaseTime < 0) {
                    out.leaseTime = i32(b, v) & 0xFFFFFFFFL;
                }
                break;
            case 52:
                // Only honoured in the main area: an overload option inside sname/file would let them chain.
                if (l != 1) {
                    malformed(out, BAD_OPTION_LENGTH);
                } else if (main) {
                    out.overload = b[v] & 3;
                }
                break;
            case 12:
                if (out.hostnameOffset < 0) {
                    out.hostnameOffset = v;
                    out.hostnameLength = l;
                }
                break;
            case 15:
                if (out.domainOffset < 0) {
                    out.domainOffset = v;
                    out.domainLength = l;
                }
                break;
            case 60:
                if (out.vendorClassOffset < 0) {
                    out.vendorClassOffset = v;
                    out.vendorClassLength = l;
                }
                break;
            case 61:
                if (out.clientIdOffset < 0) {
                    out.clientIdOffset = v;
                    out.clientIdLength = l;
                }
                break;
            case 55:
                if (out.paramRequestOffset < 0) {
                    out.paramRequestOffset = v;
                    out.paramRequestCount = l;
                }
                break;
            case 82:
                out.relayAgentInfo = true;
                break;
            default:
                break;
        }
    }

    private static int cstring(byte[] b, int p, int max) {
        int n = 0;
        while (n < max && b[p + n] != 0) {
            n++;
        }
        return n;
    }

    private static boolean fail(DhcpMessage out, String why) {
        out.malformed = true;
        out.malformedReason = why;
        return false;
    }

    /** Flags the message, keeping the first reason: the later ones are usually its consequences. */
    private static void malformed(DhcpMessage out, String why) {
        if (!out.malformed) {
            out.malformed = true;
            out.malformedReason = why;
        }
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF;
    }

    static int i32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
    }
}
