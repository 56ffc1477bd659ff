package io.vigil.sensor.capture;

import java.util.Locale;

/**
 * How fast a capture file is replayed: as fast as possible, or at the recorded pace times a
 * factor ("1x" real time, "10x" ten times faster, "0.5x" half speed).
 */
public final class ReplaySpeed {
    public static final ReplaySpeed MAX = new ReplaySpeed(0);

    private final double factor;

    private ReplaySpeed(double factor) {
        this.factor = factor;
    }

    /** Parses "max" or "&lt;factor&gt;x"; throws IllegalArgumentException with a user-facing message. */
    public static ReplaySpeed parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        if (t.endsWith("x")) {
            try {
                double f = Double.parseDouble(t.substring(0, t.length() - 1));
                if (f > 0 && Double.isFinite(f)) {
                    return new ReplaySpeed(f);
                }
            } catch (NumberFormatException ignored) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("invalid speed '" + text + "': use max, 1x, 10x, 0.5x ...");
    }

    public boolean isMax() {
        return factor == 0;
    }

    public double factor() {
        return factor;
    }

    /** Wall-clock nanoseconds after the first packet at which a packet this far into the capture is due. */
    public long wallOffsetNanos(long captureOffsetNanos) {
        return (long) (captureOffsetNanos / factor);
    }

    @Override
    public String toString() {
        return isMax() ? "max" : factor + "x";
    }
}
