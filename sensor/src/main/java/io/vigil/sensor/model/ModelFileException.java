package io.vigil.sensor.model;

/** A model file that cannot be loaded (foreign, newer, truncated, corrupt) or saved; the message is one line. */
public final class ModelFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message, null, false, false);
    }
}
