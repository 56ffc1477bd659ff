package io.vigil.protocols.enip;

/**
 * Receives each encapsulation message the stream parser completes. The {@link EnipMessage} is the
 * caller-owned flyweight and its offsets point into a buffer that changes after the call: a sink
 * copies what it wants to keep before returning.
 */
@FunctionalInterface
public interface EnipMessageSink {
    void onMessage(EnipMessage msg);
}
