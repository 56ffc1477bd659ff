package io.vigil.protocols.http;

/** Receives each request/response head; the {@link HttpMessage} is reused, so copy what you keep. */
@FunctionalInterface
public interface HttpMessageSink {
    void onMessage(HttpMessage message);
}
