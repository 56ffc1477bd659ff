package io.vigil.sensor.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * On SIGINT/SIGTERM, asks the run to stop and then holds the JVM's exit until the run has
 * drained its pipeline and printed its report; a signal must never lose the summary.
 */
final class GracefulShutdown implements AutoCloseable {
    private static final long REPORT_WAIT_SECONDS = 30;

    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;

    GracefulShutdown(Runnable requestStop) {
        this.hook = new Thread(() -> {
            requestStop.run();
            try {
                reported.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The report is out: a signal from now on may end the JVM at once. */
    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running; it returns now that the report is out
        }
    }
}
