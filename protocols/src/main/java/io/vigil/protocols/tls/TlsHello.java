package io.vigil.protocols.tls;

/**
 * One ClientHello or ServerHello, decoded into a mutable flyweight that a worker reuses so that
 * parsing allocates nothing. Strings (SNI, ALPN) are offsets into {@link #data}: the caller's
 * buffer when the hello sat in one record, the parser's scratch when it spanned records, so they
 * are only valid inside the sink call. Absent values are -1 so that 0 is never mistaken for "none".
 */
public final class TlsHello {
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;

    /** Buffer the offsets below refer to. */
    public byte[] data;
    /** True for a ClientHello (handshake type 1), false for a ServerHello (type 2). */
    public boolean isClient;
    /** Direction as the caller saw it. */
    public boolean fromClient;
    public int handshakeType;
    /** Version in the header of the record that carried the hello (e.g. 0x0301). */
    public int recordVersion;
    /** legacy_version / server_version field (0x0303 for TLS 1.2 and 1.3). */
    public int legacyVersion;
    /**
     * supported_versions: the highest non-GREASE version a client offers, or the version a server
     * selects; -1 when the extension is absent.
     */
    public int supportedVersion;
    /** Cipher suites offered (GREASE included, as on the wire); 1 for a ServerHello. */
    public int cipherSuiteCount;
    /** Suite a ServerHello selects, -1 for a ClientHello. */
    public int selectedCipherSuite;
    public int extensionCount;
    /** First host_name in server_name, or -1/0. */
    public int sniOffset;
    public int sniLength;
    /** First ALPN protocol, or -1/0; for a ServerHello the selected one. */
    public int alpnOffset;
    public int alpnLength;
    public int alpnCount;
    /** ServerHello whose random marks it as a TLS 1.3 HelloRetryRequest. */
    public boolean helloRetryRequest;
    /**
     * JA3 (ClientHello) or JA3S (ServerHello) MD5, GREASE values removed; meaningful only when
     * {@link #ja3Valid}, which a malformed hello never is.
     */
    public final byte[] ja3 = new byte[16];
    public boolean ja3Valid;
    /**
     * JA4 (ClientHello, 36 characters) or JA4S (ServerHello, 25) as ASCII in {@code ja4[0, ja4Length)}; meaningful only
     * when {@link #ja4Valid}, which a malformed hello never is. See {@code Ja4} for the specification version.
     */
    public final byte[] ja4 = new byte[Ja4.JA4_LENGTH];
    public int ja4Length;
    public boolean ja4Valid;
    /** Fields ran past the message or contradicted each other; what was read before is kept. */
    public boolean malformed;

    /** The negotiated/offered protocol version: supported_versions when present, else legacy. */
    public int version() {
        return supportedVersion >= 0 ? supportedVersion : legacyVersion;
    }

    /** JA4/JA4S as text, null when not valid (allocates: output and tests only). */
    public String ja4String() {
        return ja4Valid ? new String(ja4, 0, ja4Length, java.nio.charset.StandardCharsets.US_ASCII) : null;
    }

    public boolean hasSni() {
        return sniOffset >= 0;
    }

    /** Compares the SNI with an ASCII name without allocating (case-sensitive, as sent). */
    public boolean sniEquals(String name) {
        return regionEquals(sniOffset, sniLength, name);
    }

    public boolean alpnEquals(String name) {
        return regionEquals(alpnOffset, alpnLength, name);
    }

    private boolean regionEquals(int off, int len, String s) {
        if (off < 0 || len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((data[off + i] & 0xFF) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    void reset(byte[] buf, boolean fromClient, int type, int recordVersion) {
        data = buf;
        this.fromClient = fromClient;
        handshakeType = type;
        isClient = type == CLIENT_HELLO;
        this.recordVersion = recordVersion;
        legacyVersion = -1;
        supportedVersion = -1;
        cipherSuiteCount = 0;
        selectedCipherSuite = -1;
        extensionCount = 0;
        sniOffset = -1;
        sniLength = 0;
        alpnOffset = -1;
        alpnLength = 0;
        alpnCount = 0;
        helloRetryRequest = false;
        ja3Valid = false;
        ja4Length = 0;
        ja4Valid = false;
        malformed = false;
    }
}
