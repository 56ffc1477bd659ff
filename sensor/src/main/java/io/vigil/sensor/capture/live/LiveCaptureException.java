package io.vigil.sensor.capture.live;

/** A live capture could not start; the message is one line meant for the user. */
public final class LiveCaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    public LiveCaptureException(String message) {
        super(message);
    }
}
