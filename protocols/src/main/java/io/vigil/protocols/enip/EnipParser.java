package io.vigil.protocols.enip;

/**
 * EtherNet/IP parser: cuts the in-order byte stream of one TCP direction into encapsulation
 * messages (24-byte little-endian header + data), decodes a UDP 44818 datagram as one message, and
 * recognises implicit I/O datagrams (UDP 2222) by their Common Packet Format address item. The CIP
 * message inside SendRRData/SendUnitData is decoded down to its service, status and request path,
 * through an Unconnected Send to its embedded request and through a Multiple Service Packet to each
 * service. Stateless apart from counters and a decoding scratch, so one instance serves every flow
 * of a worker; what a connection must remember (outstanding requests) lives in its
 * {@link EnipFlowState}. Unconsumed bytes (a message not yet complete) stay with the caller.
 *
 * <p><b>Framing.</b> A header is accepted when its command is one the specification defines and its
 * length at most 65511 (so a message always fits a 64 KiB buffer). Anything else is garbage: the
 * parser skips a byte at a time until a header passes again, and counts the skipped bytes. While
 * skipping it also requires options 0 and a length the command allows, so random bytes rarely fake
 * a header. In step, non-zero options (which a receiver must discard) are reported as malformed.
 *
 * <p><b>Robustness.</b> Every read is bounded by the message, the CPF item and the CIP message it
 * is in; counts are checked against the bytes left; an Unconnected Send nests at most
 * {@link #MAX_DEPTH} deep. What does not decode is delivered with {@code malformed} and a constant
 * reason. Nothing throws on hostile input and nothing is allocated per message.
 */
public final class EnipParser {
    public static final int HEADER = 24;
    /** The most encapsulation data the specification allows (65535 - 24). */
    public static final int MAX_LENGTH = 65511;
    public static final int PORT = 44818;
    public static final int IO_PORT = 2222;
    private static final int MAX_DEPTH = 2;

    static final String R_OPTIONS = "options not zero";
    static final String R_COMMAND_DATA = "command data does not fit the length";
    static final String R_CPF = "CPF items do not fit";
    static final String R_CIP = "CIP message header does not fit";
    static final String R_PATH = "request path does not decode";
    static final String R_SERVICE_DATA = "service data does not fit";
    static final String R_MSP = "multiple service packet offsets out of range";
    static final String R_IO = "not a CPF I/O datagram";

    // targets of a decoded path
    private static final int T_OUTER = 0;
    private static final int T_EMBEDDED = 1;
    private static final int T_CONN_PATH = 2;
    private static final int T_MSP = 3;

    private long messages;
    private long malformedMessages;
    private long skippedBytes;
    private long resyncs;
    private long ioDatagrams;

    // scratch of the last decoded path
    private int pClass;
    private int pClass2;
    private long pInstance2;
    private long pInstance;
    private int pAttribute;
    private long pMember;
    private long pPoint;
    private boolean pSymbolic;
    private final byte[] pTag = new byte[EnipMessage.MAX_TAG];
    private int pTagLength;

    /**
     * Parses every complete encapsulation message in {@code buf[off, off+len)} and hands each to
     * {@code sink}. Responses are matched to their requests through {@code state}.
     *
     * @param fromClient true for the originator-to-target direction
     * @return bytes consumed: whole messages and skipped garbage; an incomplete trailing message is
     *     left for the next call
     */
    public int parseStream(byte[] buf, int off, int len, boolean fromClient, EnipMessage msg, EnipFlowState state,
                           EnipMessageSink sink) {
        if (buf == null || msg == null || sink == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        final int end = off + len;
        int pos = off;
        boolean skipping = false;
        while (end - pos >= HEADER) {
            if (!plausibleHeader(buf, pos, skipping)) {
                pos++;
                skippedBytes++;
                skipping = true;
                continue;
            }
            if (skipping) {
                resyncs++;
                skipping = false;
            }
            int total = HEADER + u16(buf, pos + 2);
            if (end - pos < total) {
                break;
            }
            decode(buf, pos, total, fromClient, msg, state);
            deliver(msg);
            sink.onMessage(msg);
            pos += total;
        }
        return pos - off;
    }

    /** Decodes one UDP 44818 datagram as an encapsulation message; false when its header is not ENIP. */
    public boolean parseDatagram(byte[] buf, int off, int len, boolean fromClient, EnipMessage msg) {
        if (buf == null || msg == null || off < 0 || len < HEADER || off > buf.length - len
            || !plausibleHeader(buf, off, false)) {
            return false;
        }
        int total = HEADER + u16(buf, off + 2);
        decode(buf, off, Math.min(total, len), fromClient, msg, null);
        if (total > len) {
            bad(msg, R_COMMAND_DATA);
        }
        deliver(msg);
        return true;
    }

    /**
     * Recognises one implicit I/O datagram (UDP 2222): CPF item count, a sequenced address item
     * (connection id, sequence number) and a connected data item whose payload is not decoded.
     * False when the datagram does not start like that.
     */
    public boolean parseIo(byte[] buf, int off, int len, EnipMessage msg) {
        if (buf == null || msg == null || off < 0 || len < 6 || off > buf.length - len) {
            return false;
        }
        int count = u16(buf, off);
        int type = u16(buf, off + 2);
        if (count < 1 || count > 8 || type != EnipMessage.ITEM_SEQUENCED_ADDRESS) {
            return false;
        }
        msg.clear();
        msg.kind = EnipMessage.KIND_IO;
        msg.buffer = buf;
        msg.offset = off;
        msg.length = len;
        msg.itemCount = count;
        int end = off + len;
        decodeCpf(buf, off + 2, end, count, msg, null, false);
        ioDatagrams++;
        deliver(msg);
        return true;
    }

    private void deliver(EnipMessage msg) {
        messages++;
        if (msg.malformed) {
            malformedMessages++;
        }
    }

    /**
     * Content detection for a TCP stream: a header with a known command, options 0, a length the
     * command allows, and a message that ends at the segment's end or is followed by another
     * plausible header; only SendRRData/SendUnitData with a well-formed CPF start may spill over.
     */
    public static boolean looksLikeEnip(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < HEADER || off > buf.length - len || !plausibleHeader(buf, off, true)) {
            return false;
        }
        int cmd = u16(buf, off);
        if (cmd == EnipMessage.NOP) {
            return false; // all-zero bytes are no evidence
        }
        int total = HEADER + u16(buf, off + 2);
        if (total == len) {
            return true;
        }
        if (total < len) {
            return len - total >= HEADER ? plausibleHeader(buf, off + total, true) : false;
        }
        if (cmd != EnipMessage.SEND_RR_DATA && cmd != EnipMessage.SEND_UNIT_DATA || len < HEADER + 10) {
            return false;
        }
        int items = u16(buf, off + HEADER + 6);
        return u32(buf, off + HEADER) == 0 && items >= 1 && items <= 4;
    }

    private static boolean plausibleHeader(byte[] b, int p, boolean strict) {
        int cmd = u16(b, p);
        int length = u16(b, p + 2);
        if (!knownCommand(cmd) || length > MAX_LENGTH) {
            return false;
        }
        if (!strict) {
            return true;
        }
        if (u32(b, p + 20) != 0) {
            return false;
        }
        switch (cmd) {
            case EnipMessage.REGISTER_SESSION:
                return length == 4;
            case EnipMessage.UNREGISTER_SESSION:
                return length == 0;
            case EnipMessage.SEND_RR_DATA:
            case EnipMessage.SEND_UNIT_DATA:
                return length >= 8;
            default:
                return true;
        }
    }

    static boolean knownCommand(int cmd) {
        switch (cmd) {
            case EnipMessage.NOP:
            case EnipMessage.LIST_SERVICES:
            case EnipMessage.LIST_IDENTITY:
            case EnipMessage.LIST_INTERFACES:
            case EnipMessage.REGISTER_SESSION:
            case EnipMessage.UNREGISTER_SESSION:
            case EnipMessage.SEND_RR_DATA:
            case EnipMessage.SEND_UNIT_DATA:
            case EnipMessage.INDICATE_STATUS:
            case EnipMessage.CANCEL:
                return true;
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ encapsulation

    private void decode(byte[] b, int start, int total, boolean fromClient, EnipMessage m, EnipFlowState state) {
        m.clear();
        m.kind = EnipMessage.KIND_ENCAP;
        m.buffer = b;
        m.offset = start;
        m.length = total;
        m.fromClient = fromClient;
        m.command = u16(b, start);
        m.encapLength = u16(b, start + 2);
        m.session = u32(b, start + 4);
        m.status = u32(b, start + 8);
        m.senderContext = u64be(b, start + 12);
        m.options = u32(b, start + 20);
        if (m.options != 0) {
            bad(m, R_OPTIONS);
        }
        int p = start + HEADER;
        int end = start + total;
        switch (m.command) {
            case EnipMessage.REGISTER_SESSION:
                if (end - p >= 4) {
                    m.protocolVersion = u16(b, p);
                } else {
                    bad(m, R_COMMAND_DATA);
                }
                break;
            case EnipMessage.LIST_IDENTITY:
            case EnipMessage.LIST_SERVICES:
            case EnipMessage.LIST_INTERFACES:
                if (end - p >= 2) {
                    m.itemCount = u16(b, p);
                    decodeListItems(b, p + 2, end, m);
                }
                break;
            case EnipMessage.SEND_RR_DATA:
            case EnipMessage.SEND_UNIT_DATA:
                if (end - p < 8) {
                    bad(m, R_COMMAND_DATA);
                    break;
                }
                m.itemCount = u16(b, p + 6);
                decodeCpf(b, p + 8, end, m.itemCount, m, state, true);
                break;
            default:
                break;
        }
    }

    /** ListIdentity / ListServices / ListInterfaces reply items; the first identity item is kept. */
    private void decodeListItems(byte[] b, int p, int end, EnipMessage m) {
        for (int i = 0; i < m.itemCount; i++) {
            if (end - p < 4) {
                bad(m, R_COMMAND_DATA);
                return;
            }
            int type = u16(b, p);
            int len = u16(b, p + 2);
            p += 4;
            if (len > end - p) {
                bad(m, R_COMMAND_DATA);
                return;
            }
            if (type == EnipMessage.ITEM_LIST_IDENTITY && m.vendorId < 0) {
                decodeIdentity(b, p, p + len, m);
            } else if (type == EnipMessage.ITEM_LIST_SERVICES && m.capabilityFlags < 0 && len >= 4) {
                m.protocolVersion = u16(b, p);
                m.capabilityFlags = u16(b, p + 2);
            }
            p += len;
        }
    }

    private void decodeIdentity(byte[] b, int p, int end, EnipMessage m) {
        // version 2, sockaddr 16, vendor 2, type 2, product 2, revision 2, status 2, serial 4, name length 1
        if (end - p < 33) {
            bad(m, R_COMMAND_DATA);
            return;
        }
        m.protocolVersion = u16(b, p);
        m.socketPort = ((b[p + 4] & 0xFF) << 8) | (b[p + 5] & 0xFF);
        m.socketAddress = ((long) (b[p + 6] & 0xFF) << 24) | ((b[p + 7] & 0xFF) << 16) | ((b[p + 8] & 0xFF) << 8)
            | (b[p + 9] & 0xFF);
        p += 18;
        m.vendorId = u16(b, p);
        m.deviceType = u16(b, p + 2);
        m.productCode = u16(b, p + 4);
        m.revisionMajor = b[p + 6] & 0xFF;
        m.revisionMinor = b[p + 7] & 0xFF;
        m.deviceStatus = u16(b, p + 8);
        m.serialNumber = u32(b, p + 10);
        int nameLen = b[p + 14] & 0xFF;
        p += 15;
        if (nameLen > end - p) {
            bad(m, R_COMMAND_DATA);
            nameLen = end - p;
        }
        m.productNameOffset = p;
        m.productNameLength = nameLen;
        p += nameLen;
        if (p < end) {
            m.deviceState = b[p] & 0xFF;
        }
    }

    /** Common Packet Format items; the data item's CIP message is decoded when {@code cip}. */
    private void decodeCpf(byte[] b, int p, int end, int count, EnipMessage m, EnipFlowState state, boolean cip) {
        for (int i = 0; i < count; i++) {
            if (end - p < 4) {
                bad(m, R_CPF);
                return;
            }
            int type = u16(b, p);
            int len = u16(b, p + 2);
            p += 4;
            if (len > end - p) {
                bad(m, R_CPF);
                len = end - p;
            }
            switch (type) {
                case EnipMessage.ITEM_NULL:
                    if (m.addressType < 0) {
                        m.addressType = type;
                    }
                    break;
                case EnipMessage.ITEM_CONNECTED_ADDRESS:
                    m.addressType = type;
                    if (len >= 4) {
                        m.connectionId = u32(b, p);
                    } else {
                        bad(m, R_CPF);
                    }
                    break;
                case EnipMessage.ITEM_SEQUENCED_ADDRESS:
                    m.addressType = type;
                    if (len >= 8) {
                        m.connectionId = u32(b, p);
                        m.encapSequence = u32(b, p + 4);
                    } else {
                        bad(m, R_CPF);
                    }
                    break;
                case EnipMessage.ITEM_UNCONNECTED_DATA:
                case EnipMessage.ITEM_CONNECTED_DATA:
                    if (m.dataType >= 0) {
                        break; // one data item per message; a second one is not CIP we report
                    }
                    m.dataType = type;
                    if (!cip) {
                        m.ioDataLength = len;
                        break;
                    }
                    int q = p;
                    if (type == EnipMessage.ITEM_CONNECTED_DATA) {
                        if (len < 2) {
                            bad(m, R_CPF);
                            break;
                        }
                        m.cipSequence = u16(b, q);
                        q += 2;
                    }
                    decodeCip(b, q, p + len, m, state);
                    break;
                default:
                    break; // sockaddr info and vendor items: nothing the sensor keeps
            }
            p += len;
        }
    }

    // ------------------------------------------------------------------ CIP

    private void decodeCip(byte[] b, int p, int end, EnipMessage m, EnipFlowState state) {
        if (end - p < 2) {
            bad(m, R_CIP);
            return;
        }
        m.hasCip = true;
        int service = b[p] & 0xFF;
        m.service = service;
        m.isResponse = (service & 0x80) != 0;
        if (m.isResponse) {
            if (end - p < 4) {
                bad(m, R_CIP);
                return;
            }
            m.generalStatus = b[p + 2] & 0xFF;
            int extWords = b[p + 3] & 0xFF;
            int q = p + 4;
            if (extWords * 2 > end - q) {
                bad(m, R_CIP);
                return;
            }
            if (extWords > 0) {
                m.extendedStatus = u16(b, q);
            }
            q += extWords * 2;
            if (state != null) {
                state.onResponse(m);
            }
            decodeResponseData(b, q, end, m);
            if (state != null) {
                if (m.otConnectionId >= 0 && m.cipClass == EnipMessage.CLASS_CONNECTION_MANAGER) {
                    state.onForwardOpenResponse(m);
                }
                if (m.command == EnipMessage.SEND_UNIT_DATA) {
                    state.onConnected(m);
                }
            }
            return;
        }
        int q = decodePath(b, p + 1, end, m);
        if (q < 0) {
            return;
        }
        storePath(m, T_OUTER, 0);
        decodeRequestData(b, q, end, m, service, m.cipClass, 0);
        if (state != null) {
            state.onRequest(m);
            if (m.command == EnipMessage.SEND_UNIT_DATA) {
                state.onConnected(m);
            }
        }
    }

    /**
     * Decodes a request path (size in words, then padded segments) into the scratch; returns the
     * offset after it or -1 (malformed reported) when it does not decode.
     */
    private int decodePath(byte[] b, int p, int end, EnipMessage m) {
        if (end - p < 1) {
            bad(m, R_CIP);
            return -1;
        }
        int size = (b[p] & 0xFF) * 2;
        p++;
        if (size > end - p) {
            bad(m, R_PATH);
            return -1;
        }
        if (!decodeSegments(b, p, p + size, m)) {
            return -1;
        }
        return p + size;
    }

    /** Padded EPATH segments of {@code b[p, end)} into the scratch fields; false when malformed. */
    private boolean decodeSegments(byte[] b, int p, int end, EnipMessage m) {
        pClass = -1;
        pClass2 = -1;
        pInstance2 = -1;
        pInstance = -1;
        pAttribute = -1;
        pMember = -1;
        pPoint = -1;
        pSymbolic = false;
        pTagLength = 0;
        while (p < end) {
            int seg = b[p] & 0xFF;
            int type = seg & 0xE0;
            int n;
            if (type == 0x00) {
                n = portSegmentLength(b, p, end);
            } else if (type == 0x20) {
                n = logicalSegment(b, p, end, seg);
            } else if (seg == 0x91) {
                n = symbolSegment(b, p, end);
            } else if (seg == 0x80) {
                n = end - p >= 2 ? 2 + (b[p + 1] & 0xFF) * 2 : -1;
            } else if (type == 0x40) {
                // network segments: 0x40-0x4F one data byte, 0x50-0x5F word count then data
                n = (seg & 0x10) == 0 ? 2 : end - p >= 2 ? 2 + (b[p + 1] & 0xFF) * 2 : -1;
            } else if (type == 0x60 && (seg & 0x1F) != 0) {
                n = 1 + (seg & 0x1F);
                n += n & 1;
            } else {
                n = -1;
            }
            if (n <= 0 || n > end - p) {
                bad(m, R_PATH);
                return false;
            }
            p += n;
        }
        return true;
    }

    private static int portSegmentLength(byte[] b, int p, int end) {
        int seg = b[p] & 0xFF;
        boolean extendedPort = (seg & 0x0F) == 0x0F;
        int n;
        if ((seg & 0x10) != 0) {
            if (end - p < 2) {
                return -1;
            }
            n = 2 + (extendedPort ? 2 : 0) + (b[p + 1] & 0xFF);
        } else {
            n = 2 + (extendedPort ? 2 : 0);
        }
        return n + (n & 1);
    }

    private int logicalSegment(byte[] b, int p, int end, int seg) {
        int logicalType = (seg >> 2) & 0x07;
        int format = seg & 0x03;
        if (logicalType == 5) {
            // special: electronic key, format byte 4 then 8 bytes
            return end - p >= 2 && (b[p + 1] & 0xFF) == 4 ? 10 : -1;
        }
        long value;
        int n;
        int q = p + 1;
        if (logicalType == 7) {
            q++; // extended logical: a type byte before the value
        }
        switch (format) {
            case 0:
                if (end - q < 1) {
                    return -1;
                }
                value = b[q] & 0xFF;
                n = q + 1 - p;
                break;
            case 1:
                if (end - q < 3) {
                    return -1;
                }
                value = u16(b, q + 1);
                n = q + 3 - p;
                break;
            case 2:
                if (end - q < 5) {
                    return -1;
                }
                value = u32(b, q + 1);
                n = q + 5 - p;
                break;
            default:
                return -1;
        }
        switch (logicalType) {
            case 0:
                if (pClass < 0) {
                    pClass = (int) value;
                } else if (pClass2 < 0) {
                    pClass2 = (int) value;
                }
                break;
            case 1:
                if (pInstance < 0) {
                    pInstance = value;
                } else if (pClass2 >= 0 && pInstance2 < 0) {
                    pInstance2 = value;
                }
                break;
            case 2:
                if (pMember < 0) {
                    pMember = value;
                }
                break;
            case 3:
                if (pPoint < 0) {
                    pPoint = value;
                }
                break;
            case 4:
                if (pAttribute < 0) {
                    pAttribute = (int) value;
                }
                break;
            default:
                break;
        }
        return n + (n & 1);
    }

    /** ANSI extended symbol: 0x91, length, characters, pad to even; appended to the tag with '.'. */
    private int symbolSegment(byte[] b, int p, int end) {
        if (end - p < 2) {
            return -1;
        }
        int len = b[p + 1] & 0xFF;
        int n = 2 + len;
        n += n & 1;
        if (2 + len > end - p) {
            return -1;
        }
        if (pSymbolic && pTagLength < pTag.length) {
            pTag[pTagLength++] = '.';
        }
        int copy = Math.min(len, pTag.length - pTagLength);
        System.arraycopy(b, p + 2, pTag, pTagLength, copy);
        pTagLength += copy;
        pSymbolic = true;
        return n;
    }

    private void storePath(EnipMessage m, int target, int index) {
        switch (target) {
            case T_OUTER:
                m.cipClass = pClass;
                m.instance = pInstance;
                m.attribute = pAttribute;
                m.member = pMember;
                m.connectionPoint = pPoint;
                m.nestedClass = pClass2;
                m.nestedInstance = pInstance2;
                copyTag(m);
                break;
            case T_EMBEDDED:
                m.embeddedClass = pClass;
                m.embeddedInstance = pInstance;
                m.embeddedAttribute = pAttribute;
                m.nestedClass = pClass2;
                m.nestedInstance = pInstance2;
                copyTag(m);
                break;
            case T_CONN_PATH:
                m.connPathClass = pClass;
                m.connPathInstance = pInstance;
                m.connPathPoint = pPoint;
                break;
            default:
                m.serviceClass[index] = pClass;
                m.serviceInstance[index] = pInstance;
                m.serviceAttribute[index] = pAttribute;
                if (m.tagLength == 0) {
                    copyTag(m);
                }
                break;
        }
    }

    private void copyTag(EnipMessage m) {
        if (pTagLength > 0) {
            System.arraycopy(pTag, 0, m.tag, 0, pTagLength);
            m.tagLength = pTagLength;
        }
    }

    /** Request data after the path, by service and (for object-specific services) class. */
    private void decodeRequestData(byte[] b, int p, int end, EnipMessage m, int service, int cls, int depth) {
        boolean connectionManager = cls == EnipMessage.CLASS_CONNECTION_MANAGER;
        switch (service) {
            case EnipMessage.MULTIPLE_SERVICE_PACKET:
                decodeMsp(b, p, end, m, false);
                return;
            case EnipMessage.GET_ATTRIBUTE_LIST:
            case EnipMessage.SET_ATTRIBUTE_LIST:
                decodeAttributeList(b, p, end, m, service == EnipMessage.GET_ATTRIBUTE_LIST);
                return;
            case EnipMessage.SET_ATTRIBUTE_SINGLE:
            case EnipMessage.SET_MEMBER:
                rawValue(b, p, end, m);
                return;
            default:
                break;
        }
        if (connectionManager) {
            switch (service) {
                case EnipMessage.UNCONNECTED_SEND:
                    decodeUnconnectedSend(b, p, end, m, depth);
                    return;
                case EnipMessage.FORWARD_OPEN:
                case EnipMessage.LARGE_FORWARD_OPEN:
                    decodeForwardOpen(b, p, end, m, service == EnipMessage.LARGE_FORWARD_OPEN);
                    return;
                case EnipMessage.FORWARD_CLOSE:
                    decodeForwardClose(b, p, end, m);
                    return;
                default:
                    return;
            }
        }
        if (!pSymbolic && cls != 0x6B) {
            return; // tag services exist only on symbolic paths and the Symbol object
        }
        switch (service) {
            case EnipMessage.READ_TAG:
                if (end - p >= 2) {
                    m.elementCount = u16(b, p);
                } else {
                    bad(m, R_SERVICE_DATA);
                }
                return;
            case EnipMessage.READ_TAG_FRAGMENTED:
                if (end - p >= 6) {
                    m.elementCount = u16(b, p);
                } else {
                    bad(m, R_SERVICE_DATA);
                }
                return;
            case EnipMessage.WRITE_TAG:
            case EnipMessage.WRITE_TAG_FRAGMENTED:
                decodeTypedValues(b, p, end, m, true, service == EnipMessage.WRITE_TAG_FRAGMENTED);
                return;
            default:
                return;
        }
    }

    private void decodeResponseData(byte[] b, int p, int end, EnipMessage m) {
        int service = m.service & 0x7F;
        if (service == EnipMessage.MULTIPLE_SERVICE_PACKET) {
            decodeMsp(b, p, end, m, true);
            return;
        }
        if (m.generalStatus != 0 && m.generalStatus != 0x06) {
            return; // error responses carry no service data (0x06: partial data follows)
        }
        int cls = m.effectiveClass();
        if (cls == EnipMessage.CLASS_CONNECTION_MANAGER || cls < 0) {
            if (service == EnipMessage.FORWARD_OPEN || service == EnipMessage.LARGE_FORWARD_OPEN) {
                if (end - p >= 26) {
                    m.otConnectionId = u32(b, p);
                    m.toConnectionId = u32(b, p + 4);
                    m.connectionSerial = u16(b, p + 8);
                    m.originatorVendor = u16(b, p + 10);
                    m.originatorSerial = u32(b, p + 12);
                    m.otRpi = u32(b, p + 16);
                    m.toRpi = u32(b, p + 20);
                } else if (cls == EnipMessage.CLASS_CONNECTION_MANAGER) {
                    bad(m, R_SERVICE_DATA);
                }
                return;
            }
            if (service == EnipMessage.FORWARD_CLOSE && cls == EnipMessage.CLASS_CONNECTION_MANAGER) {
                if (end - p >= 8) {
                    m.connectionSerial = u16(b, p);
                    m.originatorVendor = u16(b, p + 2);
                    m.originatorSerial = u32(b, p + 4);
                }
                return;
            }
        }
        if ((service == EnipMessage.READ_TAG || service == EnipMessage.READ_TAG_FRAGMENTED)
            && (m.tagLength > 0 || cls == 0x6B)) {
            decodeTypedValues(b, p, end, m, false, false);
        }
    }

    /** Route through the Connection Manager: the embedded request is what the operation is. */
    private void decodeUnconnectedSend(byte[] b, int p, int end, EnipMessage m, int depth) {
        if (end - p < 4) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        int size = u16(b, p + 2);
        int q = p + 4;
        if (size < 2 || size > end - q) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        int inner = b[q] & 0xFF;
        if (depth >= MAX_DEPTH || (inner & 0x80) != 0) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        int after = decodePath(b, q + 1, q + size, m);
        if (after < 0) {
            return;
        }
        if (inner == EnipMessage.UNCONNECTED_SEND && pClass == EnipMessage.CLASS_CONNECTION_MANAGER) {
            // a route through two hops: report the innermost request
            decodeUnconnectedSend(b, after, q + size, m, depth + 1);
            return;
        }
        m.hasEmbedded = true;
        m.embeddedService = inner;
        storePath(m, T_EMBEDDED, 0);
        decodeRequestData(b, after, q + size, m, inner, pClass, depth + 1);
    }

    private void decodeForwardOpen(byte[] b, int p, int end, EnipMessage m, boolean large) {
        int paramSize = large ? 4 : 2;
        int fixed = 2 + 4 + 4 + 2 + 2 + 4 + 1 + 3 + 4 + paramSize + 4 + paramSize + 1;
        if (end - p < fixed + 1) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        m.otConnectionId = u32(b, p + 2);
        m.toConnectionId = u32(b, p + 6);
        m.connectionSerial = u16(b, p + 10);
        m.originatorVendor = u16(b, p + 12);
        m.originatorSerial = u32(b, p + 14);
        m.otRpi = u32(b, p + 22);
        m.toRpi = u32(b, p + 26 + paramSize);
        int q = p + fixed;
        int pathSize = (b[q] & 0xFF) * 2;
        q++;
        if (pathSize > end - q) {
            bad(m, R_PATH);
            return;
        }
        if (decodeSegments(b, q, q + pathSize, m)) {
            storePath(m, T_CONN_PATH, 0);
        }
    }

    private void decodeForwardClose(byte[] b, int p, int end, EnipMessage m) {
        if (end - p < 12) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        m.connectionSerial = u16(b, p + 2);
        m.originatorVendor = u16(b, p + 4);
        m.originatorSerial = u32(b, p + 6);
        int pathSize = (b[p + 10] & 0xFF) * 2;
        int q = p + 12;
        if (pathSize > end - q) {
            bad(m, R_PATH);
            return;
        }
        if (decodeSegments(b, q, q + pathSize, m)) {
            storePath(m, T_CONN_PATH, 0);
        }
    }

    /**
     * Multiple Service Packet: count, offsets from the count field, then each embedded request
     * (service and path) or response (service and status).
     */
    private void decodeMsp(byte[] b, int p, int end, EnipMessage m, boolean response) {
        if (end - p < 2) {
            bad(m, R_MSP);
            return;
        }
        int count = u16(b, p);
        if (count * 2 > end - p - 2) {
            bad(m, R_MSP);
            return;
        }
        m.serviceCount = count;
        for (int i = 0; i < count; i++) {
            int start = p + u16(b, p + 2 + 2 * i);
            int stop = i + 1 < count ? p + u16(b, p + 4 + 2 * i) : end;
            if (start < p + 2 + 2 * count || start >= end || stop > end || stop <= start) {
                bad(m, R_MSP);
                m.serviceCount = i;
                return;
            }
            if (i >= EnipMessage.MAX_SERVICES) {
                continue; // counted, not kept
            }
            int s = b[start] & 0xFF;
            m.services[i] = s;
            m.serviceClass[i] = -1;
            m.serviceInstance[i] = -1;
            m.serviceAttribute[i] = -1;
            m.serviceStatus[i] = -1;
            m.serviceAttributeCount[i] = 0;
            if (response) {
                if (stop - start >= 4) {
                    m.serviceStatus[i] = b[start + 2] & 0xFF;
                } else {
                    bad(m, R_MSP);
                }
                continue;
            }
            int after = decodePath(b, start + 1, stop, m);
            if (after < 0) {
                continue;
            }
            storePath(m, T_MSP, i);
            if (s == EnipMessage.GET_ATTRIBUTE_LIST || s == EnipMessage.SET_ATTRIBUTE_LIST) {
                int before = m.attributeCount;
                decodeAttributeList(b, after, stop, m, s == EnipMessage.GET_ATTRIBUTE_LIST);
                m.serviceAttributeCount[i] = m.attributeCount - before;
            }
        }
    }

    /**
     * Appends the attribute ids of a Get_Attribute_List; of a Set_Attribute_List only the first, since
     * its values have per-attribute sizes that only the object's definition gives.
     */
    private void decodeAttributeList(byte[] b, int p, int end, EnipMessage m, boolean get) {
        if (end - p < 2) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        int count = u16(b, p);
        int n = get ? count : Math.min(count, 1);
        if (n * 2 > end - p - 2) {
            bad(m, R_SERVICE_DATA);
            n = (end - p - 2) / 2;
        }
        for (int i = 0; i < n && m.attributeCount < EnipMessage.MAX_ATTRIBUTES; i++) {
            m.attributes[m.attributeCount++] = u16(b, p + 2 + 2 * i);
        }
    }

    /** A written attribute value of 1, 2 or 4 bytes, little-endian unsigned: the usual settings. */
    private static void rawValue(byte[] b, int p, int end, EnipMessage m) {
        int n = end - p;
        if (n == 1) {
            m.addValue(b[p] & 0xFF);
        } else if (n == 2) {
            m.addValue(u16(b, p));
        } else if (n == 4) {
            m.addValue(u32(b, p));
        }
    }

    /** Logix typed data: type (2, plus a 2-byte handle for structures), [count (2), [offset (4)]], values. */
    private static void decodeTypedValues(byte[] b, int p, int end, EnipMessage m, boolean request, boolean fragmented) {
        if (end - p < 2) {
            bad(m, R_SERVICE_DATA);
            return;
        }
        int type = u16(b, p);
        p += 2;
        if (type == 0xA0 || type == 0x2A0) {
            p += 2; // structure handle
            m.dataTypeCode = type;
            return;
        }
        m.dataTypeCode = type;
        if (request) {
            if (end - p < 2 + (fragmented ? 4 : 0)) {
                bad(m, R_SERVICE_DATA);
                return;
            }
            m.elementCount = u16(b, p);
            p += 2 + (fragmented ? 4 : 0);
        }
        int size = typeSize(type);
        if (size == 0) {
            return;
        }
        for (int i = 0; i < EnipMessage.MAX_VALUES && end - p >= size; i++, p += size) {
            m.addValue(typedValue(b, p, type));
        }
    }

    static int typeSize(int type) {
        switch (type) {
            case 0xC1: case 0xC2: case 0xC6: return 1;
            case 0xC3: case 0xC7: return 2;
            case 0xC4: case 0xC8: case 0xCA: case 0xD3: return 4;
            case 0xC5: case 0xC9: case 0xCB: return 8;
            default: return 0;
        }
    }

    private static double typedValue(byte[] b, int p, int type) {
        switch (type) {
            case 0xC1: return (b[p] & 0xFF) != 0 ? 1 : 0;
            case 0xC2: return b[p];
            case 0xC6: return b[p] & 0xFF;
            case 0xC3: return (short) u16(b, p);
            case 0xC7: return u16(b, p);
            case 0xC4: return (int) u32(b, p);
            case 0xC8: case 0xD3: return u32(b, p);
            case 0xCA: return Float.intBitsToFloat((int) u32(b, p));
            case 0xC5: case 0xC9: return u64le(b, p);
            case 0xCB: return Double.longBitsToDouble(u64le(b, p));
            default: return 0;
        }
    }

    private static void bad(EnipMessage m, String reason) {
        if (!m.malformed) {
            m.malformed = true;
            m.malformedReason = reason;
        }
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | ((b[p + 1] & 0xFFL) << 8) | ((b[p + 2] & 0xFFL) << 16) | ((b[p + 3] & 0xFFL) << 24);
    }

    private static long u64le(byte[] b, int p) {
        return u32(b, p) | (u32(b, p + 4) << 32);
    }

    private static long u64be(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
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

    public long ioDatagrams() {
        return ioDatagrams;
    }
}
