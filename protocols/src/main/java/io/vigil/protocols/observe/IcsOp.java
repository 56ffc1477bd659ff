package io.vigil.protocols.observe;

import java.nio.charset.StandardCharsets;

/**
 * The payload of the industrial observations that are not Modbus, BACnet or OPC UA (DNP3, S7comm,
 * EtherNet/IP + CIP, IEC 60870-5-104): one operation of a master on an outstation, PLC or RTU,
 * reduced to what a pattern-of-life model compares across peers: which function, in which
 * {@link #kind} (read, write, control, program, ...), on which object and address range, with
 * which values. Each protocol fills the fields below as its decoder documents; the common
 * {@link #kind} lets a detector say "first write by a master that only read" in the same words for
 * every protocol.
 *
 * <p>Meaning per observation type:
 * <ul>
 * <li>DNP3_OP: function = application function code, unit = destination link address
 *     (the outstation for requests), peerUnit = source link address, status = IIN (responses),
 *     objects = group &lt;&lt; 8 | variation of each object header, address/count = the first
 *     header's start index (or first index prefix) and object count, sequence = application
 *     sequence number, values = per CROB its control code, on-time and off-time (ms), per analog
 *     output command its value, per written time the ms since 1970, name = file name or
 *     application id, isError = IIN2 error bits or a rejected command in a response;</li>
 * <li>S7COMM_OP (see {@code io.vigil.protocols.s7comm.S7IcsOps}): function = parameter function
 *     code 0x00-0xFF (job, ack-data; -1 for an ack without parameters), 0x10000 | userdata group
 *     &lt;&lt; 8 | subfunction (e.g. 0x10401 read SZL, 0x10702 set clock), 0x20000 | S7comm-plus
 *     function code, 0x30000 | S7comm-plus opcode when it has none (0x30033 notification, 0x300FE
 *     continuation, 0x300FF keep-alive), 0x40000 | COTP type for connection PDUs (0x400E0 CR,
 *     0x400D0 CC, 0x40080 DR) and non-S7 data (0x400F0); subFunction = ROSCTR (S7comm) or opcode
 *     (S7comm-plus); unit/peerUnit = called/calling TSAP of the connection's CR (rack/slot in the
 *     low byte; -1 for text TSAPs, 0 unknown); objects = area of each item, instance = DB number
 *     of the first item, address/count = its byte address and length, attribute = its bit;
 *     objectClass/instance = SZL id/index for SZL reads; status = error class &lt;&lt; 8 | code (or
 *     the userdata error code); sequence = PDU reference (S7comm-plus: sequence number); name =
 *     block name ("DB1") for block functions, PI service name for PI services and PLC stop;
 *     values = first written values; opaque = S7comm-plus V2/V3 body under integrity protection;</li>
 * <li>ENIP_OP: function = CIP service (0x80 set on responses, as on the wire; the embedded one of
 *     an Unconnected Send, then subFunction = 0x52) or, without CIP, 0x10000 | encapsulation
 *     command, unit = session handle, peerUnit = connection id (connected messages),
 *     objectClass/instance/attribute = the request path (on responses the matched request's),
 *     status = CIP general status or encapsulation status, sequence = connected sequence count,
 *     objects = service &lt;&lt; 16 | class of each Multiple Service Packet service (count = their
 *     number; else element or attribute count), values = written (or Read Tag) values, name = a
 *     symbolic (ANSI extended) tag or the ListIdentity product name; kinds as EnipOps documents;</li>
 * <li>IEC104_OP: function = ASDU type id (0 for S/U frames, then subFunction = the U-format
 *     control octet 0x07/0x0B STARTDT act/con, 0x13/0x23 STOPDT, 0x43/0x83 TESTFR, or 1 for S),
 *     unit = common address of ASDU, peerUnit = originator address, status = cause of
 *     transmission (bit 6 = negative confirm, bit 7 = test), isError = negative or COT 44-47,
 *     isResponse = sent by the controlled station (from port 2404), address = first IOA, count =
 *     number of information objects (VSQ), objects = IOAs of the objects walked, values = element
 *     values of the first objects (as {@code Iec104Apdu#values}), sequence = send sequence number
 *     N(S) (S frames: receive sequence number N(R)); kind as {@code Iec104Apdu#kind}.</li>
 * </ul>
 *
 * <p>Values are copied into fixed arrays so the observation crosses threads without allocating.
 */
public final class IcsOp {
    /** Nothing this layer classifies (or an acknowledgement). */
    public static final int KIND_OTHER = 0;
    /** Reads data (polls, read requests, interrogations). */
    public static final int KIND_READ = 1;
    /** Writes data (register/attribute/variable writes, set-points without a command). */
    public static final int KIND_WRITE = 2;
    /** Operates the process: select/operate, commands, start/stop, restarts, mode changes. */
    public static final int KIND_CONTROL = 3;
    /** Changes the program or files: download/upload, block or file transfer, delete. */
    public static final int KIND_PROGRAM = 4;
    /** Identifies or diagnoses: identity, status, lists, diagnostics. */
    public static final int KIND_DIAGNOSTIC = 5;
    /** Opens, keeps or closes a session or association. */
    public static final int KIND_SESSION = 6;
    /** Sets or synchronises the device clock. */
    public static final int KIND_TIME = 7;
    /** Unsolicited data or spontaneous reports from the field device. */
    public static final int KIND_REPORT = 8;

    public static final int MAX_OBJECTS = 16;
    public static final int MAX_VALUES = 16;
    public static final int MAX_NAME = 64;

    public int function;
    public int subFunction;
    public int kind;
    public boolean isResponse;
    /** Error, exception or indication bits (see per-protocol meaning); 0 when none. */
    public int status;
    public boolean isError;
    public long unit;
    public long peerUnit;
    public int objectClass;
    public long instance;
    public int attribute;
    public long address;
    public int count;
    public long sequence;
    public final int[] objects = new int[MAX_OBJECTS];
    /** Object headers or items in the PDU, which may exceed what {@link #objects} keeps. */
    public int objectCount;
    public final double[] values = new double[MAX_VALUES];
    public int valueCount;
    public final byte[] name = new byte[MAX_NAME];
    public int nameLength;
    /** The PDU broke its protocol's rules somewhere (fields up to that point are still filled). */
    public boolean malformed;
    /** The body is encrypted or integrity-protected beyond decoding (e.g. S7comm-plus with integrity). */
    public boolean opaque;

    public void clear() {
        function = 0;
        subFunction = 0;
        kind = KIND_OTHER;
        isResponse = false;
        status = 0;
        isError = false;
        unit = 0;
        peerUnit = 0;
        objectClass = 0;
        instance = 0;
        attribute = 0;
        address = 0;
        count = 0;
        sequence = 0;
        objectCount = 0;
        valueCount = 0;
        nameLength = 0;
        malformed = false;
        opaque = false;
    }

    /** Appends an object code; counts it even when the array is full. */
    public void addObject(int object) {
        if (objectCount < MAX_OBJECTS) {
            objects[objectCount] = object;
        }
        objectCount++;
    }

    /** Appends a value; values beyond {@link #MAX_VALUES} are dropped. */
    public void addValue(double value) {
        if (valueCount < MAX_VALUES) {
            values[valueCount++] = value;
        }
    }

    /** Copies buf[off, off+len) as the name, truncated at {@link #MAX_NAME}; nothing if out of bounds. */
    public void name(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            nameLength = 0;
            return;
        }
        nameLength = Math.min(len, MAX_NAME);
        System.arraycopy(buf, off, name, 0, nameLength);
    }

    public void copyFrom(IcsOp o) {
        function = o.function;
        subFunction = o.subFunction;
        kind = o.kind;
        isResponse = o.isResponse;
        status = o.status;
        isError = o.isError;
        unit = o.unit;
        peerUnit = o.peerUnit;
        objectClass = o.objectClass;
        instance = o.instance;
        attribute = o.attribute;
        address = o.address;
        count = o.count;
        sequence = o.sequence;
        objectCount = o.objectCount;
        System.arraycopy(o.objects, 0, objects, 0, Math.min(objectCount, MAX_OBJECTS));
        valueCount = o.valueCount;
        System.arraycopy(o.values, 0, values, 0, valueCount);
        nameLength = o.nameLength;
        System.arraycopy(o.name, 0, name, 0, nameLength);
        malformed = o.malformed;
        opaque = o.opaque;
    }

    /** Name of a {@link #kind} as used in JSON and alert text. */
    public static String kindName(int kind) {
        switch (kind) {
            case KIND_READ: return "read";
            case KIND_WRITE: return "write";
            case KIND_CONTROL: return "control";
            case KIND_PROGRAM: return "program";
            case KIND_DIAGNOSTIC: return "diagnostic";
            case KIND_SESSION: return "session";
            case KIND_TIME: return "time";
            case KIND_REPORT: return "report";
            default: return "other";
        }
    }

    /** The name as text (allocates: output and tests only). */
    public String nameString() {
        return new String(name, 0, nameLength, StandardCharsets.ISO_8859_1);
    }
}
