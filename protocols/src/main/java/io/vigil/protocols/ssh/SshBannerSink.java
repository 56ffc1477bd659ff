package io.vigil.protocols.ssh;

/** Receives each identification string; the {@link SshBanner} is reused, so copy what you keep. */
@FunctionalInterface
public interface SshBannerSink {
    void onBanner(SshBanner banner);
}
