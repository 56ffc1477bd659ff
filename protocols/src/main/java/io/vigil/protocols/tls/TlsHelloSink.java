package io.vigil.protocols.tls;

/**
 * Receives each ClientHello/ServerHello the parser completes. The {@link TlsHello} is a reused
 * flyweight and its offsets point into {@link TlsHello#data}, which is valid only during the call:
 * a sink copies what it wants to keep.
 */
@FunctionalInterface
public interface TlsHelloSink {
    void onHello(TlsHello hello);
}
