package io.vigil.protocols.s7comm;

import java.nio.charset.StandardCharsets;

/**
 * One ISO-on-TCP message of an S7 connection, decoded into a mutable flyweight that one worker reuses
 * for every message: a COTP connection PDU (CR, CC, DR, DC, ER ...), or a complete COTP data unit
 * (DT fragments joined up to the one with EOT) carrying an S7comm PDU (protocol id 0x32), an
 * S7comm-plus PDU (0x72) or something else. Fields a message does not carry stay at -1 (numbers)
 * or 0 (counts and lengths), so a consumer never mistakes an absent DB number for DB 0. Names are
 * copied into fixed arrays; {@link #buf} and the offsets are only valid during the sink callback.
 */
public final class S7Message {
    /** Items (read/write var) kept per PDU; the count says how many the PDU had. */
    public static final int MAX_ITEMS = 32;
    public static final int MAX_VALUES = 16;
    public static final int MAX_NAME = 32;
    public static final int MAX_TSAP = 32;

    /** What the COTP unit carries. */
    public static final int PAYLOAD_NONE = 0;
    public static final int PAYLOAD_S7COMM = 1;
    public static final int PAYLOAD_S7PLUS = 2;
    public static final int PAYLOAD_OTHER = 3;

    // COTP PDU types (upper nibble of the type byte)
    public static final int COTP_ED = 0x10;
    public static final int COTP_EA = 0x20;
    public static final int COTP_RJ = 0x50;
    public static final int COTP_AK = 0x60;
    public static final int COTP_ER = 0x70;
    public static final int COTP_DR = 0x80;
    public static final int COTP_DC = 0xC0;
    public static final int COTP_CC = 0xD0;
    public static final int COTP_CR = 0xE0;
    public static final int COTP_DT = 0xF0;

    // ROSCTR
    public static final int JOB = 1;
    public static final int ACK = 2;
    public static final int ACK_DATA = 3;
    public static final int USERDATA = 7;

    /** The bytes of the message (captured frame, stream buffer or reassembly buffer): valid during the callback only. */
    public byte[] buf;
    /** Sender side as the caller saw it: true for the client-to-server direction. */
    public boolean fromClient;

    // ---- TPKT / COTP ----
    public int tpktLength;
    public int cotpType;
    /** CR/CC/DR/DC references and class; -1 when the PDU has none. */
    public int dstRef;
    public int srcRef;
    public int cotpClass;
    /** CR/CC TPDU size in bytes (parameter 0xC0), -1 when absent. */
    public int tpduSize;
    /** DR disconnect reason, ER reject cause; -1 otherwise. */
    public int cotpReason;
    /** Calling (0xC1) and called (0xC2) TSAP of a CR/CC. */
    public final byte[] srcTsap = new byte[MAX_TSAP];
    public int srcTsapLength;
    public final byte[] dstTsap = new byte[MAX_TSAP];
    public int dstTsapLength;
    /** The connection's called/calling TSAPs as learnt from its CR (or CC), on every message of the flow. */
    public long connDstTsap;
    public long connSrcTsap;
    public boolean connTsapKnown;
    /** DT fragments this data unit was joined from (1 when it fit one TPDU). */
    public int fragments;
    /** The data unit outgrew the reassembly bound: decoded from its first bytes only. */
    public boolean truncated;
    public int payload;
    public int payloadOffset;
    public int payloadLength;

    // ---- S7comm header ----
    public int rosctr;
    public int pduRef;
    public int paramLength;
    public int dataLength;
    /** Ack / ack-data header error class and code; -1 for other ROSCTRs. */
    public int errorClass;
    public int errorCode;
    /** Parameter function (job, ack, ack-data), -1 when absent. */
    public int function;
    /** Item count of read/write var, -1 when absent. */
    public int itemCount;

    // ---- request items (S7ANY address specs) ----
    public int items;
    public final int[] itemSyntax = new int[MAX_ITEMS];
    public final int[] itemTransportSize = new int[MAX_ITEMS];
    public final int[] itemLength = new int[MAX_ITEMS];
    public final int[] itemDb = new int[MAX_ITEMS];
    public final int[] itemArea = new int[MAX_ITEMS];
    /** Byte address (the 21-bit address shifted right by 3) and bit (its low 3 bits). */
    public final int[] itemAddress = new int[MAX_ITEMS];
    public final int[] itemBit = new int[MAX_ITEMS];

    // ---- data items (write-var data, read-var response data, write-var response return codes) ----
    public int dataItems;
    public final int[] dataReturnCode = new int[MAX_ITEMS];
    public final int[] dataTransportSize = new int[MAX_ITEMS];
    /** Data bytes of the item (the wire length converted from bits where the transport size counts bits). */
    public final int[] dataByteLength = new int[MAX_ITEMS];
    /** Written values of a write-var job, in item order (first few only). */
    public final double[] values = new double[MAX_VALUES];
    public int valueCount;

    // ---- setup communication ----
    public int maxAmqCalling;
    public int maxAmqCalled;
    public int pduSize;

    // ---- block functions, PI service ----
    public int functionStatus;
    /** Block file name as on the wire (e.g. "_0A00001P"). */
    public final byte[] fileName = new byte[MAX_NAME];
    public int fileNameLength;
    /** Readable block name ("DB1", "OB1"), or just the type ("DB") for "list blocks of type". */
    public final byte[] block = new byte[MAX_NAME];
    public int blockLength;
    public final byte[] piService = new byte[MAX_NAME];
    public int piServiceLength;

    // ---- userdata ----
    public int udMethod;
    /** 0 push, 4 request, 8 response (upper nibble of the type/group byte). */
    public int udType;
    public int udGroup;
    public int udSubfunction;
    public int udSequence;
    public int udDataUnitRef;
    public int udLastDataUnit;
    public int udErrorCode;
    /** Return code of the userdata data part (0xFF success), -1 without data. */
    public int udReturnCode;
    public int szlId;
    public int szlIndex;
    /** A unit of a multi-unit userdata response sent after a follow-up request (no SZL header of its own). */
    public boolean udContinuation;
    /** A PLC password was sent (group 5/1); the password itself is never kept. */
    public boolean passwordPresent;

    // ---- S7comm-plus ----
    public int plusVersion;
    public int plusDataLength;
    public int plusOpcode;
    public int plusFunction;
    public int plusSequence;
    /** A further fragment of an S7comm-plus PDU whose header came in an earlier data unit. */
    public boolean plusContinuation;
    /** A V3 integrity digest sat in front of the data. */
    public boolean plusIntegrity;

    // ---- meaning ----
    /** IcsOp.KIND_* of this message. */
    public int kind;
    public boolean isResponse;
    public boolean isError;
    /** Body encrypted or integrity-protected beyond decoding: S7comm-plus from V2 on. */
    public boolean opaque;
    public boolean malformed;
    public String malformedReason;

    public void reset() {
        buf = null;
        fromClient = false;
        tpktLength = 0;
        cotpType = -1;
        dstRef = -1;
        srcRef = -1;
        cotpClass = -1;
        tpduSize = -1;
        cotpReason = -1;
        srcTsapLength = 0;
        dstTsapLength = 0;
        connDstTsap = 0;
        connSrcTsap = 0;
        connTsapKnown = false;
        fragments = 0;
        truncated = false;
        payload = PAYLOAD_NONE;
        payloadOffset = 0;
        payloadLength = 0;
        rosctr = -1;
        pduRef = -1;
        paramLength = -1;
        dataLength = -1;
        errorClass = -1;
        errorCode = -1;
        function = -1;
        itemCount = -1;
        items = 0;
        dataItems = 0;
        valueCount = 0;
        maxAmqCalling = -1;
        maxAmqCalled = -1;
        pduSize = -1;
        functionStatus = -1;
        fileNameLength = 0;
        blockLength = 0;
        piServiceLength = 0;
        udMethod = -1;
        udType = -1;
        udGroup = -1;
        udSubfunction = -1;
        udSequence = -1;
        udDataUnitRef = -1;
        udLastDataUnit = -1;
        udErrorCode = -1;
        udReturnCode = -1;
        szlId = -1;
        szlIndex = -1;
        passwordPresent = false;
        udContinuation = false;
        plusVersion = -1;
        plusDataLength = -1;
        plusOpcode = -1;
        plusFunction = -1;
        plusSequence = -1;
        plusContinuation = false;
        plusIntegrity = false;
        kind = 0;
        isResponse = false;
        isError = false;
        opaque = false;
        malformed = false;
        malformedReason = null;
    }

    public S7Message() {
        reset();
    }

    public boolean isS7comm() {
        return payload == PAYLOAD_S7COMM;
    }

    public boolean isS7plus() {
        return payload == PAYLOAD_S7PLUS;
    }

    void addValue(double v) {
        if (valueCount < MAX_VALUES) {
            values[valueCount++] = v;
        }
    }

    // Text accessors allocate: output and tests only.

    public String fileNameString() {
        return text(fileName, fileNameLength);
    }

    public String blockString() {
        return text(block, blockLength);
    }

    public String piServiceString() {
        return text(piService, piServiceLength);
    }

    public String srcTsapString() {
        return tsap(srcTsap, srcTsapLength);
    }

    public String dstTsapString() {
        return tsap(dstTsap, dstTsapLength);
    }

    private static String text(byte[] b, int n) {
        return n == 0 ? null : new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Printable TSAPs ("SIMATIC-ROOT-ES") as text, others as hex ("0102"). */
    private static String tsap(byte[] b, int n) {
        if (n == 0) {
            return null;
        }
        if (printable(b, n)) {
            return new String(b, 0, n, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(2 * n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit((b[i] >>> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return sb.toString();
    }

    static boolean printable(byte[] b, int n) {
        if (n < 3) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "S7Message{cotp=" + cotpType + ", payload=" + payload + ", rosctr=" + rosctr + ", pduRef=" + pduRef
            + ", function=" + function + ", group=" + udGroup + ", subfunc=" + udSubfunction + ", plus=" + plusOpcode
            + "/" + plusFunction + ", kind=" + kind + (malformed ? ", malformed=" + malformedReason : "") + "}";
    }
}
