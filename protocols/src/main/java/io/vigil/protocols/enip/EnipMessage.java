package io.vigil.protocols.enip;

/**
 * One EtherNet/IP encapsulation message (TCP or UDP 44818) with its Common Packet Format items and
 * the CIP message it carries, or one implicit I/O datagram (UDP 2222): a mutable flyweight that
 * {@link EnipParser} overwrites for every message. The product name stays an offset into
 * {@link #buffer}; the tag is copied (a response takes it from its request). Absent numeric fields
 * are -1.
 *
 * <p>CIP paths: {@link #cipClass}, {@link #instance}, {@link #attribute} and {@link #member} are the
 * first logical segment of each kind in the request path. On a response, which carries no path, they
 * come from the matched request (see {@link EnipFlowState}); {@link #matched} says so. An Unconnected
 * Send to the Connection Manager is unwrapped: the embedded request's service and path go to the
 * {@code embedded*} fields (the route path is not kept), and the outer ones keep the Connection
 * Manager's. A Multiple Service Packet lists its services in {@link #services} (with their paths on
 * requests, their general status on responses).
 */
public final class EnipMessage {
    public static final int MAX_SERVICES = 32;
    public static final int MAX_ATTRIBUTES = 64;
    public static final int MAX_VALUES = 16;
    public static final int MAX_TAG = 64;

    public static final int KIND_ENCAP = 0;
    public static final int KIND_IO = 1;

    // encapsulation commands
    public static final int NOP = 0x00;
    public static final int LIST_SERVICES = 0x04;
    public static final int LIST_IDENTITY = 0x63;
    public static final int LIST_INTERFACES = 0x64;
    public static final int REGISTER_SESSION = 0x65;
    public static final int UNREGISTER_SESSION = 0x66;
    public static final int SEND_RR_DATA = 0x6F;
    public static final int SEND_UNIT_DATA = 0x70;
    public static final int INDICATE_STATUS = 0x72;
    public static final int CANCEL = 0x73;

    // CPF item types
    public static final int ITEM_NULL = 0x0000;
    public static final int ITEM_LIST_IDENTITY = 0x000C;
    public static final int ITEM_CONNECTED_ADDRESS = 0x00A1;
    public static final int ITEM_CONNECTED_DATA = 0x00B1;
    public static final int ITEM_UNCONNECTED_DATA = 0x00B2;
    public static final int ITEM_LIST_SERVICES = 0x0100;
    public static final int ITEM_SOCKADDR_OT = 0x8000;
    public static final int ITEM_SOCKADDR_TO = 0x8001;
    public static final int ITEM_SEQUENCED_ADDRESS = 0x8002;

    // CIP services (request codes)
    public static final int GET_ATTRIBUTES_ALL = 0x01;
    public static final int SET_ATTRIBUTES_ALL = 0x02;
    public static final int GET_ATTRIBUTE_LIST = 0x03;
    public static final int SET_ATTRIBUTE_LIST = 0x04;
    public static final int RESET = 0x05;
    public static final int START = 0x06;
    public static final int STOP = 0x07;
    public static final int CREATE = 0x08;
    public static final int DELETE = 0x09;
    public static final int MULTIPLE_SERVICE_PACKET = 0x0A;
    public static final int APPLY_ATTRIBUTES = 0x0D;
    public static final int GET_ATTRIBUTE_SINGLE = 0x0E;
    public static final int SET_ATTRIBUTE_SINGLE = 0x10;
    public static final int FIND_NEXT_OBJECT_INSTANCE = 0x11;
    public static final int RESTORE = 0x15;
    public static final int SAVE = 0x16;
    public static final int GET_MEMBER = 0x18;
    public static final int SET_MEMBER = 0x19;
    public static final int READ_TAG = 0x4C;
    public static final int WRITE_TAG = 0x4D;
    public static final int READ_MODIFY_WRITE_TAG = 0x4E;
    public static final int READ_TAG_FRAGMENTED = 0x52;
    public static final int WRITE_TAG_FRAGMENTED = 0x53;
    /** Connection Manager (class 0x06) object-specific services; 0x4E and 0x52 mean others elsewhere. */
    public static final int FORWARD_CLOSE = 0x4E;
    public static final int UNCONNECTED_SEND = 0x52;
    public static final int FORWARD_OPEN = 0x54;
    public static final int LARGE_FORWARD_OPEN = 0x5B;

    public static final int CLASS_IDENTITY = 0x01;
    public static final int CLASS_MESSAGE_ROUTER = 0x02;
    public static final int CLASS_CONNECTION_MANAGER = 0x06;

    public byte[] buffer;
    public int offset;
    public int length;

    public int kind;
    public boolean malformed;
    /** Why, as a constant string of {@link EnipParser}; null when well-formed. */
    public String malformedReason;
    /** Sent towards the registered port (client to target). */
    public boolean fromClient;

    // ---- encapsulation header ----
    public int command;
    /** Encapsulation data length (header excluded). */
    public int encapLength;
    public long session;
    public long status;
    /** The 8 sender-context bytes in wire order, first byte most significant. */
    public long senderContext;
    public long options;

    // ---- command-specific ----
    /** RegisterSession protocol version; ListIdentity encapsulation version. */
    public int protocolVersion;
    public int itemCount;
    public int vendorId;
    public int deviceType;
    public int productCode;
    public int revisionMajor;
    public int revisionMinor;
    public int deviceStatus;
    public long serialNumber;
    public int productNameOffset;
    public int productNameLength;
    public int deviceState;
    /** ListIdentity socket address (IPv4 as int) and port; -1 when absent. */
    public long socketAddress;
    public int socketPort;
    /** ListServices capability flags of the first service item. */
    public int capabilityFlags;

    // ---- CPF ----
    public int addressType;
    public int dataType;
    /** Connection id from a connected or sequenced address item. */
    public long connectionId;
    /** Sequence number of a sequenced address item (implicit I/O). */
    public long encapSequence;
    /** Sequence count at the start of connected data (SendUnitData). */
    public int cipSequence;
    public int ioDataLength;

    // ---- CIP ----
    public boolean hasCip;
    /** Service as on the wire: 0x80 set on responses. */
    public int service;
    public boolean isResponse;
    public int generalStatus;
    public int extendedStatus;
    public int cipClass;
    public long instance;
    public int attribute;
    public long member;
    public long connectionPoint;
    /**
     * A second class/instance pair in the effective request path (outer, or embedded of an
     * Unconnected Send): Logix addresses nested objects so (class 0x68 instance n, class 0x6A
     * instance m). -1 when the path has one pair.
     */
    public int nestedClass;
    public long nestedInstance;
    /**
     * Symbolic (ANSI extended) segments of the effective request path (the embedded one of an
     * Unconnected Send), joined with '.', truncated at {@link #MAX_TAG}; copied from the request on
     * a matched response.
     */
    public final byte[] tag = new byte[MAX_TAG];
    public int tagLength;

    // ---- Unconnected Send ----
    public boolean hasEmbedded;
    public int embeddedService;
    public int embeddedClass;
    public long embeddedInstance;
    public int embeddedAttribute;

    // ---- Multiple Service Packet ----
    public int serviceCount;
    public final int[] services = new int[MAX_SERVICES];
    public final int[] serviceClass = new int[MAX_SERVICES];
    public final long[] serviceInstance = new long[MAX_SERVICES];
    public final int[] serviceAttribute = new int[MAX_SERVICES];
    public final int[] serviceStatus = new int[MAX_SERVICES];
    /** How many of {@link #attributes} each service's attribute list added (requests). */
    public final int[] serviceAttributeCount = new int[MAX_SERVICES];

    // ---- Get/Set_Attribute_List attribute ids, in wire order (the request, then each service of a MSP) ----
    public int attributeCount;
    public final int[] attributes = new int[MAX_ATTRIBUTES];

    // ---- Forward Open / Close ----
    public long otConnectionId;
    public long toConnectionId;
    public int connectionSerial;
    public int originatorVendor;
    public long originatorSerial;
    public long otRpi;
    public long toRpi;
    public int connPathClass;
    public long connPathInstance;
    public long connPathPoint;
    /**
     * Connected messages (SendUnitData): the object the connection was opened to, from the
     * connection path of the Forward Open seen on this flow; -1 when that was not seen.
     */
    public int connectionClass;
    public long connectionInstance;

    // ---- values written (requests) or read (Read Tag responses) ----
    /** CIP elementary data type code of the values (0xC1 BOOL ... 0xCB LREAL), -1 when raw. */
    public int dataTypeCode;
    public int elementCount;
    public int valueCount;
    public final double[] values = new double[MAX_VALUES];

    // ---- response matching ----
    public boolean matched;
    public long requestFrame;
    public long latencyNanos;

    public void clear() {
        kind = KIND_ENCAP;
        malformed = false;
        malformedReason = null;
        fromClient = false;
        command = -1;
        encapLength = -1;
        session = -1;
        status = -1;
        senderContext = 0;
        options = -1;
        protocolVersion = -1;
        itemCount = -1;
        vendorId = -1;
        deviceType = -1;
        productCode = -1;
        revisionMajor = -1;
        revisionMinor = -1;
        deviceStatus = -1;
        serialNumber = -1;
        productNameOffset = -1;
        productNameLength = 0;
        deviceState = -1;
        socketAddress = -1;
        socketPort = -1;
        capabilityFlags = -1;
        addressType = -1;
        dataType = -1;
        connectionId = -1;
        encapSequence = -1;
        cipSequence = -1;
        ioDataLength = -1;
        hasCip = false;
        service = -1;
        isResponse = false;
        generalStatus = -1;
        extendedStatus = -1;
        clearPath();
        hasEmbedded = false;
        embeddedService = -1;
        embeddedClass = -1;
        embeddedInstance = -1;
        embeddedAttribute = -1;
        serviceCount = 0;
        attributeCount = 0;
        otConnectionId = -1;
        toConnectionId = -1;
        connectionSerial = -1;
        originatorVendor = -1;
        originatorSerial = -1;
        otRpi = -1;
        toRpi = -1;
        connPathClass = -1;
        connPathInstance = -1;
        connPathPoint = -1;
        connectionClass = -1;
        connectionInstance = -1;
        dataTypeCode = -1;
        elementCount = -1;
        valueCount = 0;
        tagLength = 0;
        matched = false;
        requestFrame = -1;
        latencyNanos = -1;
    }

    void clearPath() {
        cipClass = -1;
        instance = -1;
        attribute = -1;
        member = -1;
        connectionPoint = -1;
        nestedClass = -1;
        nestedInstance = -1;
    }

    /** The CIP service of the operation: the embedded one of an Unconnected Send, else the outer one. */
    public int effectiveService() {
        return hasEmbedded ? embeddedService : service;
    }

    public int effectiveClass() {
        return hasEmbedded ? embeddedClass : cipClass;
    }

    public long effectiveInstance() {
        return hasEmbedded ? embeddedInstance : instance;
    }

    public int effectiveAttribute() {
        return hasEmbedded ? embeddedAttribute : attribute;
    }

    void addValue(double v) {
        if (valueCount < MAX_VALUES) {
            values[valueCount++] = v;
        }
    }

    /** The tag as text; null without one (allocates: output and tests only). */
    public String tag() {
        return tagLength == 0 ? null : new String(tag, 0, tagLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public String productName() {
        if (productNameOffset < 0 || buffer == null || productNameOffset > buffer.length - productNameLength) {
            return null;
        }
        return new String(buffer, productNameOffset, productNameLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
