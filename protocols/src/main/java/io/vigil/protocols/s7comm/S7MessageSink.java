package io.vigil.protocols.s7comm;

/** Receives each message the {@link S7Parser} completes; the message is a flyweight, overwritten by the next. */
@FunctionalInterface
public interface S7MessageSink {
    void onMessage(S7Message message);
}
