package io.vigil.protocols.mqtt;

/**
 * Receives each control packet the parser completes. The {@link MqttMessage} is the caller-owned
 * flyweight and its offsets point into a buffer that changes after the call: a sink copies what
 * it wants to keep before returning.
 */
@FunctionalInterface
public interface MqttMessageSink {
    void onMessage(MqttMessage message);
}
