package io.vigil.protocols.s7comm;

import io.vigil.protocols.observe.IcsOp;

/**
 * Reduces an {@link S7Message} to the shared industrial operation ({@link IcsOp}) that device
 * models compare. The encoding of {@code function} keeps S7's separate code spaces apart:
 * <ul>
 * <li>{@code 0x000FF & f}: job, ack and ack-data parameter function (0x04 read var, 0x05 write var,
 *     0xF0 setup communication, 0x1A-0x1F download/upload, 0x28 PI service, 0x29 PLC stop); -1 for an
 *     ack without parameters;</li>
 * <li>{@code 0x10000 | group << 8 | subfunction}: userdata, e.g. 0x10401 = CPU functions / read SZL,
 *     0x10702 = time functions / set clock, 0x10501 = security / PLC password (group 0, mode
 *     transition: the "subfunction" is the new mode);</li>
 * <li>{@code 0x20000 | function code}: S7comm-plus request or response, e.g. 0x204F2 SetVariable;</li>
 * <li>{@code 0x30000 | opcode}: S7comm-plus without a function code: 0x30033 notification,
 *     0x300FE continuation of an earlier PDU, 0x300FF keep-alive, 0x30000 header not decodable;</li>
 * <li>{@code 0x40000 | COTP type}: a COTP connection PDU (0x400E0 CR, 0x400D0 CC, 0x40080 DR,
 *     0x400C0 DC, 0x40070 ER), or 0x400F0 for a data unit that is neither S7comm nor S7comm-plus.</li>
 * </ul>
 * subFunction = ROSCTR (S7comm) or opcode (S7comm-plus), 0 for COTP; unit / peerUnit = called /
 * calling TSAP of the connection's CR as a big-endian number (rack = unit &gt;&gt; 5 &amp; 7 and slot =
 * unit &amp; 0x1F of the low byte for S7 TSAPs 0x01xx/0x02xx/0x03xx), -1 for text TSAPs longer than 8
 * bytes (S7comm-plus endpoint names, in {@code name} of the CR), 0 when no CR was seen; objects = area
 * of each item (-1 for items not in S7ANY syntax), instance = DB number of the first item (SZL index
 * for SZL reads), address / count = its byte address and length, attribute = its bit address,
 * objectClass = SZL id for SZL reads; status = error class &lt;&lt; 8 | error code (ack, ack-data) or the
 * userdata error code; sequence = PDU reference (S7comm) or sequence number (S7comm-plus); name =
 * block name ("DB1") for block functions and downloads, PI service name for PI services and PLC stop
 * (the block it acts on is in the decode output), called TSAP text for a CR; values = the first
 * values of a write var.
 */
public final class S7IcsOps {
    public static final int USERDATA = 0x10000;
    public static final int PLUS = 0x20000;
    public static final int PLUS_NO_FUNCTION = 0x30000;
    public static final int COTP = 0x40000;

    private S7IcsOps() {
    }

    /** The {@code function} code of a message, as documented above. */
    public static int function(S7Message m) {
        switch (m.payload) {
            case S7Message.PAYLOAD_S7COMM:
                if (m.rosctr == S7Message.USERDATA) {
                    return m.udGroup < 0 ? -1 : USERDATA | m.udGroup << 8 | (m.udSubfunction & 0xFF);
                }
                return m.function;
            case S7Message.PAYLOAD_S7PLUS:
                if (m.plusFunction >= 0) {
                    return PLUS | m.plusFunction;
                }
                if (m.plusVersion == 0xFF) {
                    return PLUS_NO_FUNCTION | 0xFF;
                }
                if (m.plusContinuation) {
                    return PLUS_NO_FUNCTION | 0xFE;
                }
                return PLUS_NO_FUNCTION | Math.max(m.plusOpcode, 0);
            case S7Message.PAYLOAD_OTHER:
                return COTP | S7Message.COTP_DT;
            default:
                return COTP | (m.cotpType & 0xFF);
        }
    }

    public static void fill(IcsOp op, S7Message m) {
        op.clear();
        op.function = function(m);
        op.kind = m.kind;
        op.isResponse = m.isResponse;
        op.isError = m.isError;
        op.malformed = m.malformed;
        op.opaque = m.opaque;
        if (m.connTsapKnown) {
            op.unit = m.connDstTsap;
            op.peerUnit = m.connSrcTsap;
        }
        if (m.payload == S7Message.PAYLOAD_S7PLUS) {
            op.subFunction = Math.max(m.plusOpcode, 0);
            op.sequence = Math.max(m.plusSequence, 0);
            return;
        }
        if (m.payload != S7Message.PAYLOAD_S7COMM) {
            if (m.cotpType == S7Message.COTP_CR && S7Message.printable(m.dstTsap, m.dstTsapLength)) {
                op.name(m.dstTsap, 0, m.dstTsapLength);
            }
            return;
        }
        op.subFunction = Math.max(m.rosctr, 0);
        op.sequence = Math.max(m.pduRef, 0);
        if (m.errorClass >= 0) {
            op.status = m.errorClass << 8 | m.errorCode;
        } else if (m.udErrorCode > 0) {
            op.status = m.udErrorCode;
        }
        for (int i = 0; i < m.items; i++) {
            op.addObject(m.itemArea[i]);
        }
        if (m.itemCount > op.objectCount && m.function >= 0 && m.items > 0) {
            op.objectCount = m.itemCount;
        }
        if (m.items > 0 && m.itemSyntax[0] == 0x10) {
            op.instance = m.itemDb[0];
            op.address = m.itemAddress[0];
            op.count = m.itemLength[0];
            op.attribute = m.itemBit[0];
        }
        if (m.szlId >= 0) {
            op.objectClass = m.szlId;
            op.instance = m.szlIndex;
        }
        for (int i = 0; i < m.valueCount; i++) {
            op.addValue(m.values[i]);
        }
        if (m.piServiceLength > 0) {
            op.name(m.piService, 0, m.piServiceLength);
        } else if (m.blockLength > 0) {
            op.name(m.block, 0, m.blockLength);
        }
    }
}
