package io.vigil.sensor.simulate;

import java.io.IOException;
import java.util.PriorityQueue;

/**
 * Discrete-event clock: steps run in capture-time order (ties in the order they were scheduled). A step emits its
 * packets at or after its own time, so everything stamped before the next step can be written out.
 */
final class Scheduler {
    interface Step {
        void run(long now);
    }

    private record Task(long at, long order, Step step) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long order;
    private long now;

    void at(long micros, Step step) {
        if (micros < now) {
            throw new IllegalStateException("step scheduled in the past: " + micros + " < " + now);
        }
        tasks.add(new Task(micros, order++, step));
    }

    long now() {
        return now;
    }

    /** Runs every step scheduled before {@code endMicros}. */
    void run(long endMicros, Wire wire) throws IOException {
        while (!tasks.isEmpty() && tasks.peek().at < endMicros) {
            Task t = tasks.poll();
            now = t.at;
            wire.flushBefore(now);
            wire.stopRecording();
            t.step.run(now);
        }
    }
}
