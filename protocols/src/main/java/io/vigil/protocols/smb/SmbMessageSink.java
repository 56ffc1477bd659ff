package io.vigil.protocols.smb;

/** Receives each SMB message the parser completes; the {@link SmbMessage} is reused, so copy what you keep. */
@FunctionalInterface
public interface SmbMessageSink {
    void onMessage(SmbMessage message);
}
