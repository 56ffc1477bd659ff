package io.vigil.sensor.cli;

/** A mistake in how vigil was called; reported as one line, exit code 2. */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message, null, false, false);
    }
}
