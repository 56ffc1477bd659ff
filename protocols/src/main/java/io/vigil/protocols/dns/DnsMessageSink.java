package io.vigil.protocols.dns;

/**
 * Receives each message {@link DnsParser#parseStream} frames. The {@link DnsMessage} is the caller's flyweight and is
 * overwritten by the next message, so a sink copies what it wants to keep.
 */
@FunctionalInterface
public interface DnsMessageSink {
    void onMessage(DnsMessage message);
}
