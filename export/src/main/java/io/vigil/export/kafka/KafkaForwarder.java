package io.vigil.export.kafka;

import io.vigil.export.ExportStatus;
import io.vigil.export.spool.Spool;
import io.vigil.export.spool.SpoolRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Tails the spool and sends each record to Kafka, in spool order, on one thread of its own: the
 * packet path only ever appends to the spool.
 *
 * <p>The acknowledged position moves only over a contiguous run of acknowledged records (sends
 * to different partitions complete out of order), and is persisted by the spool at most every
 * 50 ms while acknowledgements flow and always at the end, so a restart resends at most what was in
 * flight or acknowledged since the last write, never skips a record: at-least-once, with the finding uid
 * for consumers to deduplicate. When a send fails (broker down longer than the delivery timeout,
 * a fatal producer error) the forwarder waits for everything in flight, rewinds to the first
 * unacknowledged record with a fresh producer and sends again from there, so the backlog drains
 * in order when the broker returns.
 */
public final class KafkaForwarder implements ExportStatus, AutoCloseable {
    /** Records sent and not yet acknowledged; bounds memory while the broker is slow. */
    static final int MAX_IN_FLIGHT = 10_000;
    private static final long RETRY_BACKOFF_MS = 1_000;

    private final Spool spool;
    private final KafkaSettings settings;
    private final Function<KafkaSettings, Producer<String, byte[]>> producers;
    private final Consumer<String> warn;
    private final Thread thread;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final Histogram ackLatencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(60), 3);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean failed;
    private volatile boolean reachable;
    private volatile long oldestAppendMillis;
    private volatile boolean stopping;
    private volatile long drainDeadlineNanos;
    private volatile String startProblem;
    /**
     * The start-up check found the broker away (cleared by an acknowledgement): the end of a run does
     * not wait for it. A failed send alone does not count: a broker just restarted may refuse a
     * first send and take the next. Nor does a missing or forbidden alerts topic: the broker answered.
     */
    private volatile boolean knownDown;
    private volatile boolean preflightDone;
    private volatile String checkProblem;
    private int cleanedBeforeCycle = Integer.MIN_VALUE;

    /** One sent record: its spool position and size, and what Kafka said (written by the producer's I/O thread). */
    private static final class InFlight {
        final long index;
        final long appendMillis;
        final int bytes;
        volatile boolean done;
        volatile boolean ok;

        InFlight(SpoolRecord r) {
            this.index = r.index();
            this.appendMillis = r.appendMillis();
            this.bytes = r.bytes();
        }
    }

    public KafkaForwarder(Spool spool, KafkaSettings settings, Consumer<String> warn) {
        this(spool, settings, s -> new KafkaProducer<>(s.producer()), warn);
    }

    KafkaForwarder(Spool spool, KafkaSettings settings, Function<KafkaSettings, Producer<String, byte[]>> producers,
                   Consumer<String> warn) {
        this.spool = spool;
        this.settings = settings;
        this.producers = producers;
        this.warn = warn;
        this.thread = new Thread(this::run, "vigil-kafka-forwarder");
        thread.setDaemon(true);
    }

    public KafkaForwarder start() {
        thread.start();
        return this;
    }

    private void run() {
        // The check runs beside forwarding, so a slow answer delays nothing; it only explains.
        Thread check = new Thread(() -> {
            KafkaPreflight.Problem problem = KafkaPreflight.check(settings, spool.dir().toString());
            // An acknowledgement already received answers better than a check that timed out on a busy machine.
            if (problem != null && !reachable) {
                checkProblem = problem.message();
                // Only a broker away is not waited for at the end: one that answered without the alerts
                // topic still takes the assets and flows records (and may auto-create the topic).
                knownDown = problem.brokerAway();
                if (!stopping) {
                    startProblem = problem.message();
                    warn.accept(problem.message());
                }
            }
            preflightDone = true;
        }, "vigil-kafka-check");
        check.setDaemon(true);
        check.start();
        Producer<String, byte[]> producer = null;
        ExcerptTailer tailer = null;
        long lastSync = System.nanoTime();
        try {
            long acked = spool.ackedIndex();
            tailer = spool.tailerAfter(acked);
            while (!finished()) {
                // The last acknowledgements of a burst reach the position file within its interval,
                // also while an outage keeps the loop below busy rewinding.
                spool.persistAckedIfDue();
                if (producer == null) {
                    producer = newProducer();
                    if (producer == null) {
                        pause();
                        continue;
                    }
                }
                if (failed) {
                    producer = rewind(producer, tailer);
                    continue;
                }
                boolean progress = advanceAcknowledged(tailer);
                if (inFlight.size() < MAX_IN_FLIGHT) {
                    SpoolRecord r = Spool.read(tailer);
                    if (r != null) {
                        send(producer, r);
                        progress = true;
                    }
                }
                if (System.nanoTime() - lastSync > TimeUnit.SECONDS.toNanos(1)) {
                    spool.syncIfDirty();
                    lastSync = System.nanoTime();
                }
                if (!progress) {
                    // Idle or waiting for acknowledgements: the producer's callback unparks us.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
            advanceAcknowledged(tailer);
            spool.persistAcked();
        } catch (IOException | RuntimeException e) {
            warn.accept("kafka: forwarder stopped: " + e + "; records stay spooled in " + spool.dir());
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
        } finally {
            if (tailer != null) {
                tailer.close();
            }
        }
    }

    /** Whether to stop: only once asked, and then when the backlog is sent or the drain time is up. */
    private boolean finished() {
        if (!stopping) {
            return false;
        }
        boolean drained = spool.backlogRecords() == 0 && inFlight.isEmpty();
        return drained || knownDown || System.nanoTime() - drainDeadlineNanos > 0;
    }

    private Producer<String, byte[]> newProducer() {
        try {
            return producers.apply(settings);
        } catch (RuntimeException e) {
            if (startProblem == null) {
                startProblem = "kafka: cannot create the producer: " + KafkaPreflight.rootMessage(e);
                warn.accept(startProblem + "; alerts stay spooled in " + spool.dir());
            }
            return null;
        }
    }

    private void send(Producer<String, byte[]> producer, SpoolRecord r) {
        InFlight f = new InFlight(r);
        if (inFlight.isEmpty()) {
            oldestAppendMillis = r.appendMillis();
        }
        inFlight.add(f);
        Thread forwarder = thread;
        try {
            producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()), (meta, e) -> {
                if (e == null) {
                    f.ok = true;
                    reachable = true;
                    knownDown = false;
                } else {
                    sendErrors.incrementAndGet();
                    failed = true;
                }
                f.done = true;
                LockSupport.unpark(forwarder);
            });
        } catch (RuntimeException e) {
            // Metadata not available within max.block.ms (broker down) or the producer is closed.
            sendErrors.incrementAndGet();
            f.done = true;
            failed = true;
        }
    }

    /** Pops the acknowledged head of the in-flight queue and moves the position (persisted in batches by the spool). */
    private boolean advanceAcknowledged(ExcerptTailer tailer) throws IOException {
        long records = 0;
        long bytes = 0;
        long index = -1;
        long now = System.currentTimeMillis();
        InFlight head;
        while ((head = inFlight.peekFirst()) != null && head.done && head.ok) {
            inFlight.pollFirst();
            records++;
            bytes += head.bytes;
            index = head.index;
            synchronized (ackLatencyMicros) {
                ackLatencyMicros.recordValue(Math.min(ackLatencyMicros.getHighestTrackableValue(),
                    Math.max(0, now - head.appendMillis) * 1000));
            }
        }
        if (records == 0) {
            return false;
        }
        spool.acknowledged(index, records, bytes);
        acknowledged.addAndGet(records);
        head = inFlight.peekFirst();
        oldestAppendMillis = head != null ? head.appendMillis : 0;
        if (head == null && tailer.cycle() != cleanedBeforeCycle) {
            // Everything read so far is acknowledged: hourly files before the tailer's are done with.
            cleanedBeforeCycle = tailer.cycle();
            spool.deleteFilesBefore(tailer.currentFile());
        }
        return true;
    }

    /**
     * After a failed send: lets everything in flight complete, keeps what was acknowledged, then
     * rewinds to the first unacknowledged record with a fresh producer (an idempotent producer that
     * saw a send fail may not be reused safely).
     */
    private Producer<String, byte[]> rewind(Producer<String, byte[]> producer, ExcerptTailer tailer) throws IOException {
        reachable = false;
        producer.close(Duration.ofMillis(RETRY_BACKOFF_MS));
        while (!allDone()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        advanceAcknowledged(tailer);
        InFlight first = inFlight.peekFirst();
        if (first != null) {
            retries.addAndGet(inFlight.size());
            tailer.moveToIndex(first.index);
            inFlight.clear();
        }
        failed = false;
        pause();
        return null;
    }

    private boolean allDone() {
        for (InFlight f : inFlight) {
            if (!f.done) {
                return false;
            }
        }
        return true;
    }

    private void pause() {
        if (stopping) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_BACKOFF_MS);
        while (!stopping && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * Stops forwarding: sends what is spooled while the broker answers, for at most {@code drain},
     * then leaves the rest in the spool for the next start.
     */
    public void close(Duration drain) {
        drainDeadlineNanos = System.nanoTime() + drain.toNanos();
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(drain.toMillis() + 15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (startProblem == null && spool.backlogRecords() > 0) {
            // A short run can end before the check has said anything: say it now, before the summary.
            startProblem = checkProblem != null ? checkProblem
                : "Kafka at " + settings.bootstrap() + " did not answer before the run ended; "
                    + spool.backlogRecords() + " alerts stay spooled in " + spool.dir() + " for the next start";
            warn.accept(startProblem);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** The problem the start-up check found, or null. */
    public String startProblem() {
        return startProblem;
    }

    @Override
    public long spoolDepth() {
        return spool.backlogRecords();
    }

    @Override
    public long spoolOldestAgeMillis() {
        long t = oldestAppendMillis;
        return t == 0 ? 0 : Math.max(0, System.currentTimeMillis() - t);
    }

    @Override
    public long spoolBytes() {
        return spool.diskBytes();
    }

    @Override
    public long spoolDropped() {
        return spool.dropped();
    }

    @Override
    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public long sendErrors() {
        return sendErrors.get();
    }

    @Override
    public long retries() {
        return retries.get();
    }

    @Override
    public boolean spoolWritable() {
        return spool.writable();
    }

    @Override
    public boolean kafkaReachable() {
        return reachable;
    }

    @Override
    public Histogram ackLatencyMicros() {
        synchronized (ackLatencyMicros) {
            return ackLatencyMicros.copy();
        }
    }
}
