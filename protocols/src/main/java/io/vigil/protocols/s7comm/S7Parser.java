package io.vigil.protocols.s7comm;

import io.vigil.protocols.observe.IcsOp;

/**
 * ISO-on-TCP (RFC 1006) stream parser for Siemens S7: cuts the in-order byte stream of one direction
 * into TPKTs, decodes their COTP TPDU, joins DT fragments up to the one with EOT, and decodes the
 * data unit as S7comm (0x32) or recognises it as S7comm-plus (0x72). The parser keeps only counters,
 * so one instance serves every flow of a worker; what a connection must remember (partial units,
 * TSAPs) lives in its {@link S7FlowState}. Unconsumed bytes (a TPKT not yet complete) stay with the
 * caller, who offers them again with the next segment.
 *
 * <p><b>Framing.</b> A TPKT is accepted where version is 3, the reserved byte 0 and the length at
 * least 7 (TPKT + the smallest COTP header). Anything else is garbage: the parser skips a byte at
 * a time, counting, until a header passes a stricter test: a length of at most
 * {@link #MAX_RESYNC_TPKT}, a COTP length indicator that fits it, and a known COTP type (DT with the
 * class 0 header, or a connection PDU). The stricter test applies only while skipping, so a stream
 * in step still reports odd TPDUs while random bytes rarely fake a header or make the parser wait
 * for kilobytes that never come.
 *
 * <p><b>S7comm.</b> Header (ROSCTR, PDU reference, parameter and data lengths, error class/code of
 * ack and ack-data), parameter function, read/write var items (S7ANY: transport size, length, DB,
 * area, byte address and bit; other syntax ids by their id only), data items (return code,
 * transport size, length; the first values of a write), setup communication (AmQ, PDU size), block
 * functions (file name, readable block name), PI service name and its first block, PLC stop, and
 * userdata (method, type, function group, subfunction, sequence, data-unit reference, error code,
 * return code; SZL id and index; block names of block functions; whether a password was sent).
 *
 * <p><b>S7comm-plus.</b> Version, data length, opcode, function code and sequence number of requests
 * and responses. A V3 PDU starts with an integrity digest (length byte 0x20 and 32 bytes): the
 * header behind it is read only when the length byte says exactly that, never guessed. A PDU
 * sent without its trailer continues in the next unit of that direction, which is reported as a
 * continuation without header fields. From V2 on the body is protected by the session's integrity
 * check and is marked {@link S7Message#opaque}; nothing of it is decoded.
 *
 * <p><b>Meaning.</b> Each message gets an {@link IcsOp} kind: read var READ; write var WRITE;
 * download/upload functions, PI _INSE/_DELE/_MODU/_GARB, programmer "erase" PROGRAM; PLC stop,
 * PI P_PROGRAM and other PI services, forces CONTROL; SZL reads, block lists and block info, CPU
 * functions and other programmer commands DIAGNOSTIC (they identify the PLC and its program);
 * setup communication, COTP connection PDUs, security (password) SESSION; set clock TIME; userdata
 * push and S7comm-plus notifications REPORT; cyclic data READ. Responses carry their request's kind.
 *
 * <p><b>Robustness.</b> Every read is bounded by the TPKT and then by the S7 header's own lengths;
 * counts are checked against the bytes left; a PDU whose parts do not fit is delivered with
 * {@code malformed} and a constant reason. Nothing throws on hostile input and nothing is
 * allocated per message once a connection's reassembly buffer exists.
 */
public final class S7Parser {
    static final int TPKT_HEADER = 4;
    static final int MIN_TPKT = 7;
    /** While resynchronising, larger TPKTs are taken for garbage: S7 PDUs are negotiated well below this. */
    public static final int MAX_RESYNC_TPKT = 8192;

    static final String R_COTP = "COTP header does not fit the TPKT";
    static final String R_HEADER = "S7comm header does not fit the data unit";
    static final String R_LENGTHS = "parameter and data lengths exceed the data unit";
    static final String R_ROSCTR = "unknown ROSCTR";
    static final String R_PARAM = "parameter block too short for its function";
    static final String R_ITEMS = "items do not fit the parameter block";
    static final String R_DATA = "data items do not fit the data block";
    static final String R_USERDATA = "userdata parameter does not fit";
    static final String R_REASSEMBLY = "COTP data unit exceeds the reassembly bound";
    static final String R_PLUS = "S7comm-plus header does not fit";
    static final String R_PLUS_INTEGRITY = "S7comm-plus V3 integrity part not as expected";

    private long tpkts;
    private long messages;
    private long malformedMessages;
    private long skippedBytes;
    private long resyncs;

    /**
     * Parses every complete TPKT in {@code buf[off, off+len)}, hands each completed message to {@code sink}.
     *
     * @param fromClient true for the client-to-server direction (towards port 102)
     * @return bytes consumed: whole TPKTs and skipped garbage; an incomplete trailing TPKT is left
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, S7Message m, S7FlowState st,
                     S7MessageSink sink) {
        if (buf == null || m == null || st == null || sink == null || off < 0 || len <= 0
            || off > buf.length - len) {
            return 0;
        }
        final int end = off + len;
        int pos = off;
        boolean skipping = false;
        while (end - pos >= TPKT_HEADER) {
            if (skipping && end - pos < TPKT_HEADER + 3) {
                break; // the strict test needs the COTP header: wait for it
            }
            if (!plausible(buf, pos, end - pos, skipping)) {
                pos++;
                skippedBytes++;
                skipping = true;
                continue;
            }
            int tl = u16(buf, pos + 2);
            if (end - pos < tl) {
                break;
            }
            if (skipping) {
                resyncs++;
                skipping = false;
            }
            tpkts++;
            tpkt(buf, pos, tl, fromClient, m, st, sink);
            pos += tl;
        }
        return pos - off;
    }

    private static boolean plausible(byte[] b, int p, int avail, boolean strict) {
        if (b[p] != 3 || b[p + 1] != 0) {
            return false;
        }
        int tl = u16(b, p + 2);
        if (tl < MIN_TPKT) {
            return false;
        }
        if (!strict) {
            return true;
        }
        if (tl > MAX_RESYNC_TPKT) {
            return false;
        }
        int li = b[p + 4] & 0xFF;
        int type = b[p + 5] & 0xFF;
        if (li + 5 > tl) {
            return false;
        }
        if (type == S7Message.COTP_DT) {
            return li == 2 && (b[p + 6] & 0x7F) == 0;
        }
        int t = type & 0xF0;
        return (t == S7Message.COTP_CR || t == S7Message.COTP_CC) && li >= 6
            || (t == S7Message.COTP_DR || t == S7Message.COTP_DC || t == S7Message.COTP_ER) && li >= 4;
    }

    /**
     * Content detection off port 102: a TPKT carrying a COTP CR (or, on the server's side, CC) with TSAP
     * parameters, followed in the same direction by a DT whose data starts with 0x32 or 0x72. Returns
     * {@link #DETECT_MORE} while the bytes seen are such a CR/CC (or its prefix) and nothing else yet:
     * the first DT only follows the handshake, so either side may be asked first.
     */
    public static int detect(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return DETECT_NO;
        }
        if (len < MIN_TPKT) {
            return buf[off] == 3 && (len < 2 || buf[off + 1] == 0) ? DETECT_MORE : DETECT_NO;
        }
        int type = buf[off + 5] & 0xF0;
        if (!plausible(buf, off, len, true) || type != S7Message.COTP_CR && type != S7Message.COTP_CC) {
            return DETECT_NO;
        }
        int tl = u16(buf, off + 2);
        if (len < tl) {
            return tl <= 512 ? DETECT_MORE : DETECT_NO;
        }
        if (!hasTsapParameter(buf, off, tl)) {
            return DETECT_NO;
        }
        int p = off + tl;
        int rest = len - tl;
        if (rest == 0) {
            return DETECT_MORE;
        }
        if (rest < MIN_TPKT + 1) {
            return buf[p] == 3 ? DETECT_MORE : DETECT_NO;
        }
        if (!plausible(buf, p, rest, true) || buf[p + 5] != (byte) S7Message.COTP_DT) {
            return DETECT_NO;
        }
        int first = buf[p + 7] & 0xFF;
        return first == 0x32 || first == 0x72 ? DETECT_YES : DETECT_NO;
    }

    public static final int DETECT_NO = 0;
    public static final int DETECT_YES = 1;
    public static final int DETECT_MORE = 2;

    /** Whether a stream starts like ISO-on-TCP (TPKT version 3 with a COTP header that fits): for port 102. */
    public static boolean startsWithTpkt(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < TPKT_HEADER + 2 || off > buf.length - len) {
            return false;
        }
        return plausible(buf, off, len, false) && (buf[off + 4] & 0xFF) + 5 <= u16(buf, off + 2);
    }

    /** A complete TPKT that passes the strict (resynchronisation) test starts these bytes. */
    public static boolean startsTpdu(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < MIN_TPKT || off > buf.length - len) {
            return false;
        }
        return plausible(buf, off, len, true) && u16(buf, off + 2) <= len;
    }

    private static boolean hasTsapParameter(byte[] b, int p, int tl) {
        int li = b[p + 4] & 0xFF;
        int q = p + 11;
        int end = p + 5 + li;
        while (end - q >= 2) {
            int code = b[q] & 0xFF;
            int n = b[q + 1] & 0xFF;
            if (code == 0xC1 || code == 0xC2) {
                return true;
            }
            q += 2 + n;
        }
        return false;
    }

    // ------------------------------------------------------------------ COTP

    private void tpkt(byte[] b, int p, int tl, boolean fromClient, S7Message m, S7FlowState st, S7MessageSink sink) {
        int li = b[p + 4] & 0xFF;
        int type = b[p + 5] & 0xFF;
        int t = type == S7Message.COTP_DT ? S7Message.COTP_DT : type & 0xF0;
        int d = fromClient ? 0 : 1;
        if (li < 1 || li + 5 > tl) {
            begin(b, p, tl, fromClient, m, st);
            m.cotpType = t;
            malformed(m, R_COTP);
            deliver(m, sink);
            return;
        }
        if (t == S7Message.COTP_DT) {
            boolean eot = li >= 2 && (b[p + 6] & 0x80) != 0;
            int dataOff = p + 5 + li;
            int dataLen = tl - 5 - li;
            if (!eot) {
                st.append(d, b, dataOff, dataLen);
                return;
            }
            begin(b, p, tl, fromClient, m, st);
            m.cotpType = t;
            if (st.asmFragments[d] > 0) {
                st.append(d, b, dataOff, dataLen);
                m.fragments = st.asmFragments[d];
                m.truncated = st.asmOverflow[d];
                if (m.truncated) {
                    malformed(m, R_REASSEMBLY); // first, so it is the reason given
                }
                st.reassembled++;
                if (st.asmLen[d] > 0) {
                    unit(st.asm[d], 0, st.asmLen[d], d, m, st);
                } else {
                    m.payload = S7Message.PAYLOAD_NONE;
                }
                st.clearUnit(d);
            } else {
                m.fragments = 1;
                if (dataLen > 0) {
                    unit(b, dataOff, dataLen, d, m, st);
                }
            }
            if (m.payload == S7Message.PAYLOAD_NONE) {
                return; // an empty unit says nothing
            }
            deliver(m, sink);
            return;
        }
        begin(b, p, tl, fromClient, m, st);
        m.cotpType = t;
        m.kind = IcsOp.KIND_SESSION;
        m.isResponse = t == S7Message.COTP_CC || t == S7Message.COTP_DC;
        switch (t) {
            case S7Message.COTP_CR:
            case S7Message.COTP_CC:
                if (li < 6) {
                    malformed(m, R_COTP);
                    break;
                }
                m.dstRef = u16(b, p + 6);
                m.srcRef = u16(b, p + 8);
                m.cotpClass = (b[p + 10] & 0xF0) >>> 4;
                connectionParameters(b, p + 11, p + 5 + li, m);
                if (t == S7Message.COTP_CR || !st.tsapKnown) {
                    st.learnTsaps(m);
                }
                st.tsapsTo(m);
                break;
            case S7Message.COTP_DR:
            case S7Message.COTP_DC:
                if (li >= 5) {
                    m.dstRef = u16(b, p + 6);
                    m.srcRef = u16(b, p + 8);
                    if (t == S7Message.COTP_DR && li >= 6) {
                        m.cotpReason = b[p + 10] & 0xFF;
                    }
                }
                break;
            case S7Message.COTP_ER:
                if (li >= 4) {
                    m.dstRef = u16(b, p + 6);
                    m.cotpReason = b[p + 8] & 0xFF;
                }
                m.isError = true;
                break;
            default:
                m.kind = IcsOp.KIND_OTHER;
                break;
        }
        deliver(m, sink);
    }

    private static void connectionParameters(byte[] b, int q, int end, S7Message m) {
        while (end - q >= 2) {
            int code = b[q] & 0xFF;
            int n = b[q + 1] & 0xFF;
            if (n > end - q - 2) {
                malformed(m, R_COTP);
                return;
            }
            int v = q + 2;
            switch (code) {
                case 0xC0:
                    if (n == 1 && (b[v] & 0xFF) >= 7 && (b[v] & 0xFF) <= 13) {
                        m.tpduSize = 1 << (b[v] & 0xFF);
                    }
                    break;
                case 0xC1:
                    m.srcTsapLength = Math.min(n, S7Message.MAX_TSAP);
                    System.arraycopy(b, v, m.srcTsap, 0, m.srcTsapLength);
                    break;
                case 0xC2:
                    m.dstTsapLength = Math.min(n, S7Message.MAX_TSAP);
                    System.arraycopy(b, v, m.dstTsap, 0, m.dstTsapLength);
                    break;
                default:
                    break;
            }
            q = v + n;
        }
    }

    private void begin(byte[] b, int p, int tl, boolean fromClient, S7Message m, S7FlowState st) {
        m.reset();
        m.buf = b;
        m.fromClient = fromClient;
        m.tpktLength = tl;
        st.tsapsTo(m);
    }

    private void deliver(S7Message m, S7MessageSink sink) {
        messages++;
        if (m.malformed) {
            malformedMessages++;
        }
        sink.onMessage(m);
    }

    /** A complete data unit: what it carries decides the decoder. */
    private void unit(byte[] b, int s, int n, int d, S7Message m, S7FlowState st) {
        m.buf = b;
        m.payloadOffset = s;
        m.payloadLength = n;
        int id = b[s] & 0xFF;
        if (id == 0x32) {
            m.payload = S7Message.PAYLOAD_S7COMM;
            st.plusContinues[d] = false;
            s7comm(b, s, n, m, st);
        } else if (id == 0x72) {
            m.payload = S7Message.PAYLOAD_S7PLUS;
            s7plus(b, s, n, d, m, st);
        } else {
            m.payload = S7Message.PAYLOAD_OTHER;
            st.plusContinues[d] = false;
        }
    }

    // ------------------------------------------------------------------ S7comm

    private static void s7comm(byte[] b, int s, int n, S7Message m, S7FlowState st) {
        if (n < 10) {
            if (n >= 2) {
                m.rosctr = b[s + 1] & 0xFF;
            }
            malformed(m, R_HEADER);
            return;
        }
        int rosctr = b[s + 1] & 0xFF;
        m.rosctr = rosctr;
        m.pduRef = u16(b, s + 4);
        m.paramLength = u16(b, s + 6);
        m.dataLength = u16(b, s + 8);
        int hdr = 10;
        if (rosctr == S7Message.ACK || rosctr == S7Message.ACK_DATA) {
            if (n < 12) {
                malformed(m, R_HEADER);
                return;
            }
            m.errorClass = b[s + 10] & 0xFF;
            m.errorCode = b[s + 11] & 0xFF;
            m.isError = m.errorClass != 0 || m.errorCode != 0;
            hdr = 12;
        }
        int end = s + n;
        int ps = s + hdr;
        int pe = ps + m.paramLength;
        int de = pe + m.dataLength;
        if (de > end) {
            malformed(m, R_LENGTHS);
            pe = Math.min(pe, end);
            de = end;
        }
        switch (rosctr) {
            case S7Message.JOB:
            case S7Message.ACK_DATA:
            case S7Message.ACK:
                m.isResponse = rosctr != S7Message.JOB;
                jobOrAck(b, ps, pe, de, m);
                break;
            case S7Message.USERDATA:
                userdata(b, ps, pe, de, m, st);
                break;
            default:
                malformed(m, R_ROSCTR);
                break;
        }
    }

    private static void jobOrAck(byte[] b, int ps, int pe, int de, S7Message m) {
        if (pe - ps < 1) {
            return; // an ack without parameters
        }
        int f = b[ps] & 0xFF;
        m.function = f;
        m.kind = functionKind(f);
        boolean job = m.rosctr == S7Message.JOB;
        switch (f) {
            case 0xF0:
                if (pe - ps < 8) {
                    malformed(m, R_PARAM);
                    return;
                }
                m.maxAmqCalling = u16(b, ps + 2);
                m.maxAmqCalled = u16(b, ps + 4);
                m.pduSize = u16(b, ps + 6);
                return;
            case 0x04:
            case 0x05:
                if (pe - ps < 2) {
                    malformed(m, R_PARAM);
                    return;
                }
                m.itemCount = b[ps + 1] & 0xFF;
                if (job) {
                    items(b, ps + 2, pe, m);
                    if (f == 0x05) {
                        dataItems(b, pe, de, m, true);
                    }
                } else if (f == 0x04) {
                    dataItems(b, pe, de, m, false);
                } else {
                    writeReturnCodes(b, pe, de, m);
                }
                return;
            case 0x1A:
            case 0x1B:
            case 0x1C:
            case 0x1D:
            case 0x1E:
            case 0x1F:
                if (pe - ps >= 2) {
                    m.functionStatus = b[ps + 1] & 0xFF;
                }
                if (job && f <= 0x1D && pe - ps > 8) {
                    int fl = b[ps + 8] & 0xFF;
                    if (fl > pe - ps - 9) {
                        malformed(m, R_PARAM);
                        return;
                    }
                    fileName(b, ps + 9, fl, m);
                }
                return;
            case 0x28:
                if (job) {
                    piService(b, ps, pe, m);
                }
                return;
            case 0x29:
                if (job && pe - ps > 6) {
                    int nl = b[ps + 6] & 0xFF;
                    if (nl > pe - ps - 7) {
                        malformed(m, R_PARAM);
                        return;
                    }
                    copyName(b, ps + 7, nl, m.piService);
                    m.piServiceLength = Math.min(nl, S7Message.MAX_NAME);
                }
                return;
            default:
                return;
        }
    }

    /** Request items: var spec 0x12, length, syntax id, and for S7ANY the address. */
    private static void items(byte[] b, int q, int pe, S7Message m) {
        for (int i = 0; i < m.itemCount; i++) {
            if (pe - q < 3) {
                malformed(m, R_ITEMS);
                return;
            }
            int il = b[q + 1] & 0xFF;
            if (il > pe - q - 2 || il < 1) {
                malformed(m, R_ITEMS);
                return;
            }
            int k = m.items;
            if (k < S7Message.MAX_ITEMS) {
                int syntax = b[q + 2] & 0xFF;
                m.itemSyntax[k] = syntax;
                m.itemTransportSize[k] = -1;
                m.itemLength[k] = -1;
                m.itemDb[k] = -1;
                m.itemArea[k] = -1;
                m.itemAddress[k] = -1;
                m.itemBit[k] = -1;
                if (syntax == 0x10 && il >= 10) {
                    m.itemTransportSize[k] = b[q + 3] & 0xFF;
                    m.itemLength[k] = u16(b, q + 4);
                    m.itemDb[k] = u16(b, q + 6);
                    int area = b[q + 8] & 0xFF;
                    m.itemArea[k] = area;
                    int a = ((b[q + 9] & 0xFF) << 16) | ((b[q + 10] & 0xFF) << 8) | (b[q + 11] & 0xFF);
                    if (area >= 0x1C && area <= 0x1F) {
                        m.itemAddress[k] = a & 0xFFFF; // timers and counters are numbered, not byte-addressed
                    } else {
                        m.itemAddress[k] = a >>> 3;
                        m.itemBit[k] = a & 7;
                    }
                }
                m.items = k + 1;
            }
            q += 2 + il;
        }
    }

    /** Data items of a write job or a read response: return code, transport size, length, data, fill byte. */
    private static void dataItems(byte[] b, int q, int de, S7Message m, boolean write) {
        int count = m.itemCount;
        for (int i = 0; i < count; i++) {
            if (de - q < 4) {
                if (de - q >= 1 && !write) {
                    // a failed read item may be the return code alone at the end
                    keepDataItem(m, b[q] & 0xFF, -1, 0);
                    if ((b[q] & 0xFF) != 0xFF) {
                        m.isError = true;
                    }
                    return;
                }
                malformed(m, R_DATA);
                return;
            }
            int rc = b[q] & 0xFF;
            int ts = b[q + 1] & 0xFF;
            int wire = u16(b, q + 2);
            int bytes = ts == 3 || ts == 4 || ts == 5 ? (wire + 7) >>> 3 : wire;
            if (bytes > de - q - 4) {
                malformed(m, R_DATA);
                return;
            }
            keepDataItem(m, rc, ts, bytes);
            if (!write && rc != 0xFF) {
                m.isError = true;
            }
            if (write) {
                values(b, q + 4, bytes, i < m.items ? m.itemTransportSize[i] : -1, ts, m);
            }
            q += 4 + bytes;
            if ((bytes & 1) == 1 && i < count - 1) {
                q++;
            }
        }
    }

    private static void keepDataItem(S7Message m, int rc, int ts, int bytes) {
        int k = m.dataItems;
        if (k < S7Message.MAX_ITEMS) {
            m.dataReturnCode[k] = rc;
            m.dataTransportSize[k] = ts;
            m.dataByteLength[k] = bytes;
            m.dataItems = k + 1;
        }
    }

    /** Values by the request item's transport size: BIT 0/1, BYTE/CHAR u8, WORD u16, INT s16, DWORD u32, DINT s32, REAL. */
    private static void values(byte[] b, int p, int n, int paramTs, int dataTs, S7Message m) {
        int width;
        switch (paramTs) {
            case 0x04: case 0x05: case 0x1C: case 0x1D: width = 2; break;
            case 0x06: case 0x07: case 0x08: width = 4; break;
            case 0x01: case 0x02: case 0x03: width = 1; break;
            default: width = dataTs == 0x07 ? 4 : 1; break;
        }
        for (int i = 0; i + width <= n && m.valueCount < S7Message.MAX_VALUES; i += width) {
            switch (paramTs == -1 && dataTs == 0x07 ? 0x08 : paramTs) {
                case 0x01: m.addValue(b[p + i] & 1); break;
                case 0x04: case 0x1C: case 0x1D: m.addValue(u16(b, p + i)); break;
                case 0x05: m.addValue((short) u16(b, p + i)); break;
                case 0x06: m.addValue(u32(b, p + i)); break;
                case 0x07: m.addValue((int) u32(b, p + i)); break;
                case 0x08: m.addValue(Float.intBitsToFloat((int) u32(b, p + i))); break;
                default: m.addValue(b[p + i] & 0xFF); break;
            }
        }
    }

    private static void writeReturnCodes(byte[] b, int q, int de, S7Message m) {
        int n = Math.min(m.itemCount, de - q);
        if (n < m.itemCount) {
            malformed(m, R_DATA);
        }
        for (int i = 0; i < n; i++) {
            int rc = b[q + i] & 0xFF;
            keepDataItem(m, rc, -1, 0);
            if (rc != 0xFF) {
                m.isError = true;
            }
        }
    }

    /** PI service: 7 unknown bytes, parameter block (block count, unknown, file names), service name. */
    private static void piService(byte[] b, int ps, int pe, S7Message m) {
        if (pe - ps < 11) {
            malformed(m, R_PARAM);
            return;
        }
        int pbl = u16(b, ps + 8);
        int pb = ps + 10;
        if (pbl > pe - pb - 1) {
            malformed(m, R_PARAM);
            return;
        }
        int nl = b[pb + pbl] & 0xFF;
        if (nl > pe - pb - pbl - 1) {
            malformed(m, R_PARAM);
            return;
        }
        copyName(b, pb + pbl + 1, nl, m.piService);
        m.piServiceLength = Math.min(nl, S7Message.MAX_NAME);
        m.kind = piKind(m.piService, m.piServiceLength);
        // _INSE/_DELE name the blocks they act on: count, unknown byte, then 8-byte file names
        if (pbl >= 10 && (b[pb] & 0xFF) >= 1 && isBlockFileName(b, pb + 2, 8)) {
            m.fileNameLength = 8;
            System.arraycopy(b, pb + 2, m.fileName, 0, 8);
            blockName(b, pb + 2, m);
        }
    }

    private static int piKind(byte[] n, int len) {
        if (len >= 2 && n[0] == 'P' && n[1] == '_') {
            return IcsOp.KIND_CONTROL; // P_PROGRAM: start (warm/cold restart by argument)
        }
        if (is(n, len, "_INSE") || is(n, len, "_DELE") || is(n, len, "_MODU") || is(n, len, "_GARB")
            || is(n, len, "_EXEC") || is(n, len, "_MSRST")) {
            return IcsOp.KIND_PROGRAM;
        }
        return IcsOp.KIND_CONTROL;
    }

    private static boolean is(byte[] n, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (n[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** "_0A00001P": complete-module marker, block type (2 hex chars), number (5 digits), file system. */
    private static void fileName(byte[] b, int p, int n, S7Message m) {
        m.fileNameLength = Math.min(n, S7Message.MAX_NAME);
        System.arraycopy(b, p, m.fileName, 0, m.fileNameLength);
        if (n >= 9 && b[p] == '_' && isBlockFileName(b, p + 1, 8)) {
            blockName(b, p + 1, m);
        }
    }

    private static boolean isBlockFileName(byte[] b, int p, int n) {
        if (n < 7 || hex(b[p]) < 0 || hex(b[p + 1]) < 0) {
            return false;
        }
        for (int i = 2; i < 7; i++) {
            if (b[p + i] < '0' || b[p + i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Block type (2 hex chars) + 5 digits to "DB1"; unknown types as "BLK0x41". */
    private static void blockName(byte[] b, int p, S7Message m) {
        int code = hex(b[p]) << 4 | hex(b[p + 1]);
        int number = 0;
        for (int i = 2; i < 7; i++) {
            number = number * 10 + (b[p + i] - '0');
        }
        int k = blockType(code, m);
        k = appendNumber(m.block, k, number);
        m.blockLength = k;
    }

    private static int blockType(int code, S7Message m) {
        String t = S7Names.blockType(code);
        int k = 0;
        if (t != null) {
            for (int i = 0; i < t.length(); i++) {
                m.block[k++] = (byte) t.charAt(i);
            }
        } else {
            m.block[k++] = 'B';
            m.block[k++] = 'L';
            m.block[k++] = 'K';
            m.block[k++] = (byte) Character.forDigit(code >>> 4, 16);
            m.block[k++] = (byte) Character.forDigit(code & 0xF, 16);
            m.block[k++] = '_';
        }
        return k;
    }

    private static int appendNumber(byte[] out, int k, int number) {
        int digits = 1;
        for (int v = number; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            out[k + i] = (byte) ('0' + number % 10);
            number /= 10;
        }
        return k + digits;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static void copyName(byte[] b, int p, int n, byte[] out) {
        System.arraycopy(b, p, out, 0, Math.min(n, S7Message.MAX_NAME));
    }

    private static int functionKind(int f) {
        switch (f) {
            case 0x04: return IcsOp.KIND_READ;
            case 0x05: return IcsOp.KIND_WRITE;
            case 0xF0: return IcsOp.KIND_SESSION;
            case 0x1A: case 0x1B: case 0x1C: case 0x1D: case 0x1E: case 0x1F: return IcsOp.KIND_PROGRAM;
            case 0x28: case 0x29: return IcsOp.KIND_CONTROL;
            default: return IcsOp.KIND_OTHER;
        }
    }

    // ------------------------------------------------------------------ userdata

    private static void userdata(byte[] b, int ps, int pe, int de, S7Message m, S7FlowState st) {
        if (pe - ps < 8) {
            malformed(m, R_USERDATA);
            return;
        }
        int plen = b[ps + 3] & 0xFF;
        m.udMethod = b[ps + 4] & 0xFF;
        m.udType = (b[ps + 5] & 0xF0) >>> 4;
        m.udGroup = b[ps + 5] & 0x0F;
        m.udSubfunction = b[ps + 6] & 0xFF;
        m.udSequence = b[ps + 7] & 0xFF;
        if (plen >= 8 && pe - ps >= 12) {
            m.udDataUnitRef = b[ps + 8] & 0xFF;
            m.udLastDataUnit = b[ps + 9] & 0xFF;
            m.udErrorCode = u16(b, ps + 10);
            m.isError = m.udErrorCode != 0;
        }
        m.isResponse = m.udType == 8;
        m.kind = userdataKind(m.udType, m.udGroup, m.udSubfunction);
        int ds = pe;
        if (de - ds < 4) {
            if (de - ds >= 1) {
                m.udReturnCode = b[ds] & 0xFF;
            }
            return;
        }
        m.udReturnCode = b[ds] & 0xFF;
        int dl = u16(b, ds + 2);
        int body = ds + 4;
        if (dl > de - body) {
            malformed(m, R_DATA);
            dl = de - body;
        }
        boolean request = m.udType == 4;
        boolean ok = m.udReturnCode == 0xFF;
        switch (m.udGroup) {
            case 4:
                if (m.udSubfunction == 0x01) {
                    szl(b, body, dl, request, ok, m, st);
                }
                break;
            case 3:
                if (request && m.udSubfunction == 0x02 && dl >= 2 && hex(b[body]) >= 0 && hex(b[body + 1]) >= 0) {
                    m.blockLength = blockType(hex(b[body]) << 4 | hex(b[body + 1]), m);
                } else if (request && m.udSubfunction == 0x03 && dl >= 8 && isBlockFileName(b, body, 8)) {
                    blockName(b, body, m);
                }
                break;
            case 5:
                m.passwordPresent = request && m.udSubfunction == 0x01 && dl > 0;
                break;
            default:
                break;
        }
        if (m.isResponse && !ok) {
            m.isError = true;
        }
    }

    /**
     * SZL id and index lead a request and the first unit of a response. A response longer than one PDU
     * goes on after "follow-up" requests (no SZL header, return code 0x0A) with units that continue the
     * list: those carry the id and index of the first unit, remembered per connection.
     */
    private static void szl(byte[] b, int body, int dl, boolean request, boolean ok, S7Message m, S7FlowState st) {
        if (request) {
            if (dl >= 4 && ok) {
                m.szlId = u16(b, body);
                m.szlIndex = u16(b, body + 2);
                st.szlFollowUp = false;
                st.szlId = -1;
            } else {
                st.szlFollowUp = st.szlId >= 0;
            }
            return;
        }
        if (m.udType != 8) {
            return;
        }
        if (st.szlFollowUp) {
            m.udContinuation = true;
            m.szlId = st.szlId;
            m.szlIndex = st.szlIndex;
            st.szlFollowUp = false;
        } else if (dl >= 4 && ok) {
            m.szlId = u16(b, body);
            m.szlIndex = u16(b, body + 2);
        }
        if (m.udLastDataUnit > 0 && m.szlId >= 0) {
            st.szlId = m.szlId;
            st.szlIndex = m.szlIndex;
        } else {
            st.szlId = -1;
        }
    }

    private static int userdataKind(int type, int group, int sub) {
        if (type == 0) {
            return IcsOp.KIND_REPORT; // pushed by the PLC: alarms, diagnostic messages, mode transitions
        }
        switch (group) {
            case 1:
                return sub == 0x0C ? IcsOp.KIND_PROGRAM : sub == 0x10 ? IcsOp.KIND_CONTROL : IcsOp.KIND_DIAGNOSTIC;
            case 2:
                return IcsOp.KIND_READ;
            case 3:
            case 4:
                return IcsOp.KIND_DIAGNOSTIC;
            case 5:
                return IcsOp.KIND_SESSION;
            case 7:
                return sub == 0x02 || sub == 0x04 ? IcsOp.KIND_TIME : IcsOp.KIND_DIAGNOSTIC;
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    // ------------------------------------------------------------------ S7comm-plus

    private static void s7plus(byte[] b, int s, int n, int d, S7Message m, S7FlowState st) {
        if (n < 4) {
            st.plusContinues[d] = false;
            malformed(m, R_PLUS);
            return;
        }
        int version = b[s + 1] & 0xFF;
        int dl = u16(b, s + 2);
        m.plusVersion = version;
        m.plusDataLength = dl;
        int end = s + n;
        boolean continuation = st.plusContinues[d];
        // Without the trailer (0x72, version, 0x0000) the PDU goes on in the next unit.
        boolean trailer = n >= 8 && b[end - 4] == 0x72 && b[end - 2] == 0 && b[end - 1] == 0;
        st.plusContinues[d] = version != 0xFF && !trailer && n == 4 + dl;
        if (4 + dl > n) {
            malformed(m, R_PLUS);
        }
        if (version == 0xFF) {
            m.kind = IcsOp.KIND_SESSION; // keep-alive
            return;
        }
        m.opaque = version >= 2;
        if (continuation) {
            m.plusContinuation = true;
            return;
        }
        int q = s + 4;
        int dataEnd = Math.min(end, s + 4 + dl);
        if (version == 3) {
            if (dataEnd - q < 34 || (b[q] & 0xFF) != 0x20) {
                malformed(m, R_PLUS_INTEGRITY);
                return;
            }
            m.plusIntegrity = true;
            q += 33;
        }
        if (dataEnd - q < 1) {
            malformed(m, R_PLUS);
            return;
        }
        int op = b[q] & 0xFF;
        m.plusOpcode = op;
        if (op == 0x31 || op == 0x32 || op == 0x02) {
            if (dataEnd - q < 9) {
                malformed(m, R_PLUS);
                return;
            }
            m.plusFunction = u16(b, q + 3);
            m.plusSequence = u16(b, q + 7);
            m.isResponse = op != 0x31;
            m.kind = plusKind(m.plusFunction);
        } else if (op == 0x33) {
            m.kind = IcsOp.KIND_REPORT;
        }
    }

    private static int plusKind(int f) {
        switch (f) {
            case 0x054C: case 0x0524: case 0x0586: return IcsOp.KIND_READ;
            case 0x04F2: case 0x0542: return IcsOp.KIND_WRITE;
            case 0x04CA: case 0x04D4: return IcsOp.KIND_SESSION;
            case 0x04BB: return IcsOp.KIND_DIAGNOSTIC;
            case 0x0556: case 0x0560: return IcsOp.KIND_PROGRAM;
            case 0x056B: return IcsOp.KIND_CONTROL;
            default: return IcsOp.KIND_OTHER;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void malformed(S7Message m, String reason) {
        if (!m.malformed) {
            m.malformed = true;
            m.malformedReason = reason;
        }
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    public long tpkts() {
        return tpkts;
    }

    public long messages() {
        return messages;
    }

    public long malformedMessages() {
        return malformedMessages;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public long resyncs() {
        return resyncs;
    }
}
