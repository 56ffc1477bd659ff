package io.vigil.protocols.observe;

/**
 * The payload of the IT-protocol observations (TLS hellos, HTTP messages, SSH banners, DHCP,
 * NTP, SNMP, MQTT): what each says about who a device is or whom it talks to fits in a code, a
 * version, one or two short names and an optional fingerprint. Names are copied into fixed
 * arrays (truncated at 255 bytes) so the observation can cross threads without allocating.
 *
 * <p>Meaning per observation type:
 * <ul>
 * <li>TLS_HELLO: code = handshake type (1 ClientHello, 2 ServerHello), version = negotiated or
 *     highest offered, name = SNI, detail = first ALPN protocol, fingerprint = JA3 / JA3S (MD5),
 *     {@link #ja4} = JA4 (36 characters) / JA4S (25) as ASCII;</li>
 * <li>HTTP_MESSAGE: code = status (responses) or 0, name = Host, detail = User-Agent;</li>
 * <li>SSH_BANNER: name = software version, detail = comments;</li>
 * <li>DHCP_MESSAGE: code = DHCP message type, mac = client MAC, address = requested IPv4,
 *     name = hostname, detail = vendor class;</li>
 * <li>NTP_MESSAGE: code = mode, version = NTP version, number = stratum;</li>
 * <li>SNMP_MESSAGE: code = PDU type, version = 0 v1 / 1 v2c / 3 v3, name = community (v1/v2c)
 *     or user (v3), flag = default community ("public"/"private") or v3 privacy;</li>
 * <li>MQTT_MESSAGE: code = control packet type (1 CONNECT ... 15 AUTH), version = protocol level
 *     (3 = 3.1, 4 = 3.1.1, 5; 0 before a CONNECT was seen), name = client id (CONNECT), topic
 *     (PUBLISH) or first topic filter (SUBSCRIBE, UNSUBSCRIBE), detail = user name (CONNECT),
 *     number = payload length (PUBLISH), keep-alive seconds (CONNECT), return/reason code
 *     (CONNACK, DISCONNECT, AUTH) or packet id (the others that carry one; else 0), address = PUBLISH QoS (or the first requested QoS of
 *     a SUBSCRIBE), flag = password present (CONNECT), retain (PUBLISH), session present (CONNACK).
 *     The password itself never leaves the parser.</li>
 * <li>SMB_MESSAGE: code = SMB2 command (0..0x12), SMB1 command as 0x100|cmd ({@link #SMB1_COMMAND}),
 *     {@link #SMB_ENCRYPTED} for an SMB3 transform (ciphertext: the command is not guessed) and
 *     {@link #SMB_COMPRESSED} for a compression transform (number then = OriginalCompressedSegmentSize, and
 *     address = its Offset); version = dialect (0x0202..0x0311 as negotiated on the flow or selected by a NEGOTIATE
 *     response, the highest offered in a NEGOTIATE request, 0 unknown, 0x0100 for SMB1); name = file name (carried
 *     or known from the file id) else share path (carried or known from the tree id); detail = NTLMSSP/SMB1 user
 *     as domain, backslash, user; else the offered dialects ("0x0202,0x0311" or the SMB1 strings); number = NTSTATUS of
 *     responses (-1 for requests); flag = response.</li>
 * </ul>
 */
public final class NamedOp {
    public static final int MAX_NAME = 255;
    /** SMB_MESSAGE codes: SMB1 commands are 0x100 | command byte; transforms have their own codes. */
    public static final int SMB1_COMMAND = 0x100;
    public static final int SMB_ENCRYPTED = 0x2FD;
    public static final int SMB_COMPRESSED = 0x2FC;

    public int code;
    public int version;
    public long number;
    public long mac;
    public int address;
    public boolean flag;
    public final byte[] name = new byte[MAX_NAME];
    public int nameLength;
    public final byte[] detail = new byte[MAX_NAME];
    public int detailLength;
    public final byte[] fingerprint = new byte[16];
    public boolean hasFingerprint;
    /** A text fingerprint (TLS: JA4/JA4S) in {@code ja4[0, ja4Length)}; 0 when absent. */
    public final byte[] ja4 = new byte[36];
    public int ja4Length;
    public boolean malformed;

    public void clear() {
        code = 0;
        version = 0;
        number = 0;
        mac = 0;
        address = 0;
        flag = false;
        nameLength = 0;
        detailLength = 0;
        hasFingerprint = false;
        ja4Length = 0;
        malformed = false;
    }

    /** Copies buf[off, off+len) as the name; nothing when off is negative (absent). */
    public void name(byte[] buf, int off, int len) {
        nameLength = copy(buf, off, len, name);
    }

    public void detail(byte[] buf, int off, int len) {
        detailLength = copy(buf, off, len, detail);
    }

    private static int copy(byte[] buf, int off, int len, byte[] to) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        int n = Math.min(len, MAX_NAME);
        System.arraycopy(buf, off, to, 0, n);
        return n;
    }

    public void copyFrom(NamedOp o) {
        code = o.code;
        version = o.version;
        number = o.number;
        mac = o.mac;
        address = o.address;
        flag = o.flag;
        nameLength = o.nameLength;
        System.arraycopy(o.name, 0, name, 0, nameLength);
        detailLength = o.detailLength;
        System.arraycopy(o.detail, 0, detail, 0, detailLength);
        hasFingerprint = o.hasFingerprint;
        System.arraycopy(o.fingerprint, 0, fingerprint, 0, 16);
        ja4Length = o.ja4Length;
        System.arraycopy(o.ja4, 0, ja4, 0, ja4Length);
        malformed = o.malformed;
    }

    /** The name as text (allocates: output and tests only). */
    public String nameString() {
        return new String(name, 0, nameLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public String ja4String() {
        return new String(ja4, 0, ja4Length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    public String detailString() {
        return new String(detail, 0, detailLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
