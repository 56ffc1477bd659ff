package io.vigil.protocols.dnp3;

import io.vigil.protocols.observe.IcsOp;

/**
 * One DNP3 link frame, decoded into a mutable flyweight that one worker reuses for every frame, and
 * — when the frame's transport segment completes an application fragment — that fragment's
 * application layer. Arrays are fixed and filled, never replaced, so decoding allocates nothing.
 *
 * <p>Layers as on the wire (IEEE 1815): the link header (start octets 0x05 0x64, length, control,
 * destination, source, header CRC) is always filled; the transport header only for user-data frames
 * (primary function 3 or 4) whose CRCs are good; the application fields only when
 * {@link #hasApplication}, i.e. in the frame whose segment has FIN set and completes the fragment,
 * which is where Wireshark also shows the application layer. Numbers a frame does not carry stay at
 * -1.
 */
public final class Dnp3Message {
    /** Object headers kept per fragment; {@link #headerCount} counts all of them. */
    public static final int MAX_HEADERS = 32;
    /** Commanded or written points kept per fragment (CROB, analog output, time); more are counted. */
    public static final int MAX_COMMANDS = 16;
    public static final int MAX_NAME = 64;

    // ---- what reassembly did with this frame's transport segment ----
    /** Appended to (or started, or completed) a fragment normally. */
    public static final int TR_OK = 0;
    /** A non-first segment while no fragment of this link address pair was in progress: dropped. */
    public static final int TR_NO_FIRST = 1;
    /** Wrong transport sequence number: the segment and the partial fragment were dropped. */
    public static final int TR_OUT_OF_SEQUENCE = 2;
    /** A first segment while a fragment was in progress: the partial fragment was abandoned. */
    public static final int TR_RESTARTED = 3;
    /** The fragment grew beyond {@link Dnp3Parser#MAX_FRAGMENT}: dropped (the frame is malformed). */
    public static final int TR_OVERFLOW = 4;
    /** A user-data block failed its CRC: the segment was not used, as an outstation would discard it. */
    public static final int TR_CRC = 5;

    /** Octet offset of the frame's start in the caller's buffer (tests, diagnostics). */
    public int frameOffset;
    /** Octets of the whole frame on the wire, CRCs included. */
    public int frameLength;

    // ---- link layer ----
    /** The LENGTH octet: control + addresses + user data, CRCs excluded (5..255). */
    public int linkLength;
    public int control;
    /** DIR: set on frames from the master. */
    public boolean dir;
    /** PRM: set on primary (initiating) frames. */
    public boolean prm;
    /** FCB of a primary frame (false on secondary frames, where the bit is reserved). */
    public boolean fcb;
    /** FCV of a primary frame, DFC of a secondary one. */
    public boolean fcvDfc;
    /** Link function code (0..15); primary and secondary codes overlap, {@link #prm} tells them apart. */
    public int linkFunction;
    public int destination;
    public int source;
    public boolean headerCrcOk;
    /** User-data blocks whose CRC did not match. */
    public int badDataBlocks;
    /** User-data octets (transport header included, CRCs excluded). */
    public int userDataLength;

    // ---- transport layer ----
    public boolean hasTransport;
    public boolean transportFin;
    public boolean transportFir;
    public int transportSequence;
    /** TR_* constant: what reassembly did with this segment. */
    public int transportEvent;

    // ---- application layer (only when hasApplication) ----
    public boolean hasApplication;
    /** Octets of the reassembled fragment and the number of transport segments it took. */
    public int fragmentLength;
    public int segments;
    public int appControl;
    public boolean fir;
    public boolean fin;
    public boolean con;
    public boolean uns;
    /** Application sequence number (0..15). */
    public int sequence;
    public int functionCode;
    /** Function code 129 (response), 130 (unsolicited response) or 131 (authentication response). */
    public boolean isResponse;
    /** Internal indications of a response, IIN1 &lt;&lt; 8 | IIN2 as Wireshark shows them; -1 otherwise. */
    public int iin;
    /** One of the IcsOp.KIND_* constants, from the function code (and the first object for writes). */
    public int kind;
    /** A response reports an error: IIN2 function/object/parameter/already-executing bits, or a rejected command. */
    public boolean isError;

    /** Object headers in the fragment (may exceed MAX_HEADERS) and the first MAX_HEADERS of them. */
    public int headerCount;
    public final int[] group = new int[MAX_HEADERS];
    public final int[] variation = new int[MAX_HEADERS];
    /** Qualifier octet; -1 for a header cut off after its group and variation. */
    public final int[] qualifier = new int[MAX_HEADERS];
    /** Start and stop index (range codes 0-2), the absolute address (3-5, as start and stop); -1 when none. */
    public final long[] start = new long[MAX_HEADERS];
    public final long[] stop = new long[MAX_HEADERS];
    /** Objects the header announces: stop - start + 1, 1 for an address, the quantity; 0 for "all" (code 6). */
    public final long[] count = new long[MAX_HEADERS];
    /** Index prefix of the header's first object (prefix codes 1-3), -1 when it has none. */
    public final long[] firstIndex = new long[MAX_HEADERS];
    /**
     * The walk stopped at an object whose size this decoder does not know (and the fragment is not
     * malformed for it): headers after it, if any, are not seen. {@link #partialObject} names it.
     */
    public boolean objectsPartial;
    public int partialObject;

    /** Commanded or written points: CROB (g12v1), analog output commands (g41), time (g50). */
    public int commandCount;
    /** group &lt;&lt; 8 | variation of each command. */
    public final int[] commandObject = new int[MAX_COMMANDS];
    /** Point index (the prefix, else start + position); -1 for time objects. */
    public final long[] commandIndex = new long[MAX_COMMANDS];
    /** CROB control code octet; -1 for other objects. */
    public final int[] commandCode = new int[MAX_COMMANDS];
    /** CROB count; -1 for other objects. */
    public final int[] commandRepeat = new int[MAX_COMMANDS];
    /** CROB on-time and off-time in ms; -1 for other objects. */
    public final long[] commandOnTime = new long[MAX_COMMANDS];
    public final long[] commandOffTime = new long[MAX_COMMANDS];
    /** Control status (CROB, g41); -1 for time objects. */
    public final int[] commandStatus = new int[MAX_COMMANDS];
    /** Analog output value (g41) or the time in ms since 1970 (g50); NaN for CROB. */
    public final double[] commandValue = new double[MAX_COMMANDS];

    /** File name (g70v3 file command, g70v7 descriptor, g70v8 specification) or application id (g90v1). */
    public final byte[] name = new byte[MAX_NAME];
    public int nameLength;

    public boolean malformed;
    /** Constant text saying what broke the rules, null when nothing did. */
    public String malformedReason;

    public Dnp3Message() {
        reset();
    }

    /** Clears every field for the next frame. */
    public void reset() {
        frameOffset = 0;
        frameLength = 0;
        linkLength = 0;
        control = 0;
        dir = false;
        prm = false;
        fcb = false;
        fcvDfc = false;
        linkFunction = -1;
        destination = -1;
        source = -1;
        headerCrcOk = true;
        badDataBlocks = 0;
        userDataLength = 0;
        hasTransport = false;
        transportFin = false;
        transportFir = false;
        transportSequence = -1;
        transportEvent = TR_OK;
        malformed = false;
        malformedReason = null;
        resetApplication();
    }

    void resetApplication() {
        hasApplication = false;
        fragmentLength = 0;
        segments = 0;
        appControl = -1;
        fir = false;
        fin = false;
        con = false;
        uns = false;
        sequence = -1;
        functionCode = -1;
        isResponse = false;
        iin = -1;
        kind = IcsOp.KIND_OTHER;
        isError = false;
        headerCount = 0;
        objectsPartial = false;
        partialObject = -1;
        commandCount = 0;
        nameLength = 0;
    }

    void malformed(String reason) {
        if (!malformed) {
            malformed = true;
            malformedReason = reason;
        }
    }

    /** group &lt;&lt; 8 | variation of header i (i &lt; min(headerCount, MAX_HEADERS)), as Wireshark's dnp3.al.obj. */
    public int object(int i) {
        return group[i] << 8 | variation[i];
    }

    /** Headers whose fields are kept. */
    public int keptHeaders() {
        return Math.min(headerCount, MAX_HEADERS);
    }

    /** Commands whose fields are kept. */
    public int keptCommands() {
        return Math.min(commandCount, MAX_COMMANDS);
    }

    /** "g12v1" for header i (allocates: output only). */
    public String objectName(int i) {
        return "g" + group[i] + "v" + variation[i];
    }

    /** The name as text (allocates: output and tests only). */
    public String nameString() {
        return new String(name, 0, nameLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
