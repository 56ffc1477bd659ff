package io.vigil.protocols.dnp3;

/**
 * Receives each link frame the parser decodes. The {@link Dnp3Message} is the caller-owned
 * flyweight: it is overwritten by the next frame, so a sink copies what it wants to keep.
 */
@FunctionalInterface
public interface Dnp3MessageSink {
    void onMessage(Dnp3Message message);
}
