package io.vigil.protocols.observe;

/**
 * The byte counts at which a flow reports {@link ObservationType#FLOW_PROGRESS}: 1 MiB, then each
 * eight times the last (8 MiB, 64 MiB, ...). A long upload is visible while it runs, at a handful
 * of observations per flow however large it grows. One packet (at most 64 KiB) never crosses two
 * levels at once, since the first level is already 16 such packets.
 */
public final class FlowProgress {
    public static final long FIRST = 1L << 20;
    /** Levels above this stop (8 EiB would overflow); 2^20 * 8^14 bytes is far beyond any flow. */
    public static final int MAX_LEVEL = 15;

    private FlowProgress() {
    }

    /** Bytes of level {@code level}: 0 for level 0, 1 MiB for 1, 8 MiB for 2, ... */
    public static long threshold(int level) {
        return level <= 0 ? 0 : FIRST << 3 * (Math.min(level, MAX_LEVEL) - 1);
    }

    /** Highest level whose threshold {@code bytes} reached. */
    public static int levelOf(long bytes) {
        int level = 0;
        while (level < MAX_LEVEL && bytes >= threshold(level + 1)) {
            level++;
        }
        return level;
    }
}
