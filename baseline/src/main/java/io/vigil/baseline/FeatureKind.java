package io.vigil.baseline;

/**
 * The kinds of behaviour a device model learns, each a {@link FeatureSet} of its own so that the
 * surprise of a new value is calibrated against values of the same kind: a workstation's new DNS
 * name must not make its new peers look ordinary, nor the reverse.
 *
 * <p>The bound of each kind caps the memory of one device model; a device that exceeds it keeps
 * producing new values (counted as overflow), which is itself what a detector should see.
 */
public enum FeatureKind {
    /** Whom the device connects to: peer address, IP protocol and the peer's service port. */
    PEER_AS_CLIENT(512),
    /** Who connects to the device: peer address, IP protocol and the device's own port. */
    PEER_AS_SERVER(512),
    /** Services the device answered on (flows with a reply, counted when they end): IP protocol and port. */
    SERVICE_SERVED(64),
    /** Services the device uses elsewhere: IP protocol and port. */
    SERVICE_USED(256),
    /** Industrial operations the device issues, per target: peer, protocol, operation. */
    OPERATION_ISSUED(1024),
    /** Industrial operations the device receives, per source: peer, protocol, operation. */
    OPERATION_RECEIVED(1024),
    /** Industrial operations the device receives from anyone: protocol and operation. */
    OPERATION_TYPE_RECEIVED(256),
    /** Names the device resolves or asks for by TLS SNI. */
    NAME_REQUESTED(2048),
    /** Generative-AI services the device asked for by DNS or TLS SNI ({@link AiServices} index). */
    AI_SERVICE(32),
    /** OPC UA clients that opened a secure channel with SecurityPolicy None to this server. */
    OPCUA_NONE_CLIENT(64),
    /** MAC addresses that claimed the device's IP address in ARP (its own NIC; more than one in a failover pair). */
    ARP_MAC(8);

    /** Values count once per minute of capture time (see {@link FeatureSet}). */
    public static final int BUCKET_SECONDS = 60;

    private final int maxKeys;

    FeatureKind(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    public int maxKeys() {
        return maxKeys;
    }
}
