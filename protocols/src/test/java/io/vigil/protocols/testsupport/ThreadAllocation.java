package io.vigil.protocols.testsupport;

import java.lang.management.ManagementFactory;

/** The allocation checks' meter: bytes this thread has allocated so far. */
public final class ThreadAllocation {
    private ThreadAllocation() {
    }

    /** Bytes allocated by this thread, or -1 when the JVM cannot tell. */
    public static long bytes() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        if (b instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean s = (com.sun.management.ThreadMXBean) b;
            if (s.isThreadAllocatedMemorySupported() && s.isThreadAllocatedMemoryEnabled()) {
                return s.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
        }
        return -1;
    }
}
