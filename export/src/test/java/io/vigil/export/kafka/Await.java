package io.vigil.export.kafka;

import java.util.function.BooleanSupplier;

/** Test helper: waits for a condition (never asserts on elapsed time; the limit only stops a hung test). */
public final class Await {
    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
