package io.vigil.protocols.opcua;

/**
 * Receives each message chunk the parser completes. The {@link OpcUaMessage} is the caller-owned
 * flyweight and its offsets point into a buffer that changes after the call: a sink copies or
 * decodes what it wants to keep before returning.
 */
@FunctionalInterface
public interface OpcUaMessageSink {
    void onMessage(OpcUaMessage msg);
}
