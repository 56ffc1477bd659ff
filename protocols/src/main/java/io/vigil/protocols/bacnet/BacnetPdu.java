package io.vigil.protocols.bacnet;

/**
 * One BACnet/IP datagram, decoded in place: a mutable flyweight that {@link BacnetParser#parse} overwrites for every
 * UDP payload. Every field is a primitive (or a pre-allocated {@link BacnetValue}); strings stay offsets into
 * {@link #buffer} until output code asks for them. Absent fields are -1 unless stated otherwise.
 */
public final class BacnetPdu {
    public static final int ITEM_CAPACITY = 32;

    // ------------------------------------------------------------ APDU types (clause 20.1)
    public static final int CONFIRMED_REQUEST = 0;
    public static final int UNCONFIRMED_REQUEST = 1;
    public static final int SIMPLE_ACK = 2;
    public static final int COMPLEX_ACK = 3;
    public static final int SEGMENT_ACK = 4;
    public static final int ERROR = 5;
    public static final int REJECT = 6;
    public static final int ABORT = 7;

    // ------------------------------------------------------------ BVLC functions (Annex J)
    public static final int BVLC_RESULT = 0x00;
    public static final int WRITE_BDT = 0x01;
    public static final int READ_BDT = 0x02;
    public static final int READ_BDT_ACK = 0x03;
    public static final int FORWARDED_NPDU = 0x04;
    public static final int REGISTER_FOREIGN_DEVICE = 0x05;
    public static final int READ_FDT = 0x06;
    public static final int READ_FDT_ACK = 0x07;
    public static final int DELETE_FDT_ENTRY = 0x08;
    public static final int DISTRIBUTE_BROADCAST_TO_NETWORK = 0x09;
    public static final int ORIGINAL_UNICAST_NPDU = 0x0A;
    public static final int ORIGINAL_BROADCAST_NPDU = 0x0B;
    public static final int SECURE_BVLL = 0x0C;

    /** The datagram the offsets below point into (not copied). */
    public byte[] buffer;
    /** Where the datagram starts in {@link #buffer}, and its length. */
    public int offset;
    public int length;

    public boolean malformed;
    /** Why, as a constant string of {@link BacnetParser}; null when well-formed. */
    public String malformedReason;

    // ------------------------------------------------------------ BVLC
    public int bvlcType;
    public int bvlcFunction;
    public int bvlcLength;
    /** Forwarded-NPDU original source, or Delete-FDT-Entry address: IPv4 as int, UDP port. */
    public int bvlcAddress;
    public int bvlcPort;
    public boolean hasBvlcAddress;
    /** Register-Foreign-Device time-to-live, seconds. */
    public int registerTtl;
    /** BVLC-Result code. */
    public int bvlcResultCode;
    /** Entries of Write-BDT / Read-BDT-Ack / Read-FDT-Ack. */
    public int tableEntries;

    // ------------------------------------------------------------ NPDU (clause 6.2)
    public boolean hasNpdu;
    public int npduVersion;
    public int npduControl;
    public boolean networkMessage;
    public boolean expectingReply;
    public int networkPriority;
    public int dnet;
    public int dlen;
    /** Up to the first 8 octets of DADR, big-endian; {@link #dadrOffset} has them all. */
    public long dadr;
    public int dadrOffset;
    public int snet;
    public int slen;
    public long sadr;
    public int sadrOffset;
    public int hopCount;
    public int networkMessageType;
    public int networkVendorId;

    // ------------------------------------------------------------ APDU header (clause 20.1)
    public boolean hasApdu;
    public int apduOffset;
    public int apduType;
    public boolean segmented;
    public boolean moreFollows;
    public boolean segmentedResponseAccepted;
    /** Segment-ACK NAK and SRV bits; Abort SRV bit. */
    public boolean negativeAck;
    public boolean fromServer;
    public int sequenceNumber;
    public int windowSize;
    /** Raw 3-bit and 4-bit codes of a confirmed request, and what they mean (-1 unspecified/reserved). */
    public int maxSegmentsCode;
    public int maxApduCode;
    public int maxSegments;
    public int maxApdu;
    public int invokeId;
    /** Service choice: confirmed for types 0, 2, 3, 5; unconfirmed for type 1. */
    public int serviceChoice;
    /** Offset and length of the service data after the service choice. */
    public int serviceOffset;
    public int serviceLength;
    /** A later segment of a segmented message: the service data continues an earlier one, so is not decoded. */
    public boolean segmentContinuation;
    /**
     * Rebuilt from {@link #segmentCount} segments by {@link BacnetSegments} and decoded as one message, reported in
     * the frame of its last segment; {@link #buffer} is then the reassembly buffer, not the frame.
     */
    public boolean reassembled;
    public int segmentCount;
    /** The service was one this decoder knows and its parameters were read (completely, or up to a segment end). */
    public boolean serviceDecoded;
    public int errorClass;
    public int errorCode;
    public int rejectReason;
    public int abortReason;

    // ------------------------------------------------------------ service parameters
    /** The object the service is about (ReadProperty/WriteProperty object, I-Am device, file, COV monitored). */
    public int objectType;
    public int instance;
    public int propertyId;
    public long arrayIndex;
    public int priority;
    /** The first value the PDU carries (ReadProperty-ACK, WriteProperty, first COV or RPM/WPM value). */
    public final BacnetValue value = new BacnetValue();

    /** ReadPropertyMultiple, WritePropertyMultiple and COV lists: objects and properties, and the first 32 items. */
    public int objectCount;
    public int propertyCount;
    public int itemCount;
    public final int[] itemObjectType = new int[ITEM_CAPACITY];
    public final int[] itemInstance = new int[ITEM_CAPACITY];
    public final int[] itemProperty = new int[ITEM_CAPACITY];
    public final long[] itemArrayIndex = new long[ITEM_CAPACITY];

    /** Who-Is / Who-Has device instance range. */
    public long lowLimit;
    public long highLimit;
    /** I-Am. */
    public long iAmMaxApdu;
    public int segmentationSupported;
    public int vendorId;
    /** I-Have and COV notifications: the device; Who-Has/I-Have object name as offsets. */
    public int deviceObjectType;
    public int deviceInstance;
    public int nameOffset;
    public int nameLength;
    public int nameCharset;
    /** ReinitializeDevice / DeviceCommunicationControl. */
    public int reinitState;
    public boolean passwordPresent;
    public long dccDuration;
    public int dccState;
    /** SubscribeCOV and COV notifications. */
    public long processId;
    /** SubscribeCOV issue-confirmed-notifications: -1 absent (cancellation), 0, 1. */
    public int issueConfirmed;
    public long lifetime;
    public long timeRemaining;
    /** AtomicReadFile / AtomicWriteFile: 0 stream, 1 record; start position/record, octet/record count. */
    public int fileAccess;
    public long fileStart;
    public long fileCount;
    public int fileDataOffset;
    public int fileDataLength;
    /** AtomicReadFile-ACK end-of-file: -1, 0, 1. */
    public int endOfFile;
    /** Time synchronization: raw DATE and TIME octets (see {@link BacnetValue#bits}). */
    public long syncDate;
    public long syncTime;

    void reset(byte[] buf, int off, int len) {
        buffer = buf;
        offset = off;
        length = len;
        malformed = false;
        malformedReason = null;
        bvlcType = bvlcFunction = bvlcLength = -1;
        bvlcAddress = 0;
        bvlcPort = -1;
        hasBvlcAddress = false;
        registerTtl = bvlcResultCode = tableEntries = -1;
        hasNpdu = false;
        npduVersion = npduControl = -1;
        networkMessage = expectingReply = false;
        networkPriority = 0;
        dnet = dlen = snet = slen = -1;
        dadr = sadr = 0;
        dadrOffset = sadrOffset = -1;
        hopCount = networkMessageType = networkVendorId = -1;
        hasApdu = false;
        apduOffset = apduType = -1;
        segmented = moreFollows = segmentedResponseAccepted = negativeAck = fromServer = false;
        sequenceNumber = windowSize = maxSegmentsCode = maxApduCode = maxSegments = maxApdu = -1;
        invokeId = serviceChoice = -1;
        serviceOffset = serviceLength = -1;
        segmentContinuation = serviceDecoded = reassembled = false;
        segmentCount = 0;
        errorClass = errorCode = rejectReason = abortReason = -1;
        objectType = instance = propertyId = priority = -1;
        arrayIndex = -1;
        value.reset();
        objectCount = propertyCount = itemCount = 0;
        lowLimit = highLimit = -1;
        iAmMaxApdu = -1;
        segmentationSupported = vendorId = -1;
        deviceObjectType = deviceInstance = -1;
        nameOffset = nameLength = nameCharset = -1;
        reinitState = -1;
        passwordPresent = false;
        dccDuration = -1;
        dccState = issueConfirmed = -1;
        processId = lifetime = timeRemaining = -1;
        fileAccess = -1;
        fileStart = fileCount = -1;
        fileDataOffset = fileDataLength = -1;
        endOfFile = -1;
        syncDate = syncTime = -1;
    }

    /** Confirmed service choice (request, ACKs, Error), else -1. */
    public int confirmedService() {
        return apduType == CONFIRMED_REQUEST || apduType == SIMPLE_ACK || apduType == COMPLEX_ACK
                || apduType == ERROR ? serviceChoice : -1;
    }

    /** Unconfirmed service choice, else -1. */
    public int unconfirmedService() {
        return apduType == UNCONFIRMED_REQUEST ? serviceChoice : -1;
    }

    /** Output-side: the Who-Has / I-Have object name (allocates), or null. */
    public String objectName() {
        return nameOffset < 0 ? null : BacnetNames.decodeString(buffer, nameOffset, nameLength, nameCharset);
    }

    void addItem(int type, int inst, int prop, long index) {
        propertyCount++;
        if (itemCount < ITEM_CAPACITY) {
            itemObjectType[itemCount] = type;
            itemInstance[itemCount] = inst;
            itemProperty[itemCount] = prop;
            itemArrayIndex[itemCount] = index;
            itemCount++;
        }
    }
}
