package io.vigil.protocols.tls;

/**
 * Receives each ClientHello/ServerHello the parser completes. The {@link TlsHello} is a reused
 * flyweight and its offsets point into {@link TlsHello#data}, which is valid only during the call:
 * a sink copies what it wants to keep.
 */
@FunctionalInterface
public interface TlsHelloSink {
    void onHello(TlsHello hello);

    /**
     * A cleartext heartbeat record (RFC 6520) of type request (1) or response (2). {@code overflows}
     * when the payload it declares does not fit the record with the 16 bytes of padding the RFC
     * requires: what CVE-2014-0160 (Heartbleed) requests and leaks look like.
     */
    default void onHeartbeat(boolean fromClient, int type, int payloadLength, int recordLength, boolean overflows) {
    }
}
