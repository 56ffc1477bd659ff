package io.vigil.export.kafka;

import io.vigil.detectors.AlertSink;
import io.vigil.export.ExportStatus;
import io.vigil.export.RecordSink;
import io.vigil.export.spool.FsyncPolicy;
import io.vigil.export.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The whole Kafka export of one sensor run: the spool records are appended to, the forwarder that
 * sends them, and the alert sink that feeds it. What the CLI opens with {@code --kafka} and closes
 * at the end of the run.
 */
public final class KafkaExport implements AutoCloseable {
    /** How long the end of a run waits for the backlog to reach a reachable broker before leaving it spooled. */
    public static final Duration DRAIN = Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final Spool spool;
    private final KafkaForwarder forwarder;
    private final AlertRecords alerts;

    private KafkaExport(KafkaSettings settings, Spool spool, KafkaForwarder forwarder) {
        this.settings = settings;
        this.spool = spool;
        this.forwarder = forwarder;
        this.alerts = new AlertRecords(spool, settings.topic());
    }

    public static KafkaExport open(KafkaSettings settings, Path spoolDir, FsyncPolicy fsync, long maxBytes,
                                   Consumer<String> warn) throws IOException {
        Spool spool = Spool.open(spoolDir, fsync, maxBytes, warn);
        KafkaForwarder forwarder = new KafkaForwarder(spool, settings, warn);
        if (spool.backlogRecords() > 0) {
            warn.accept(String.format(Locale.ROOT, "spool: %,d alerts from an earlier run are still to be sent to %s",
                spool.backlogRecords(), settings.bootstrap()));
        }
        return new KafkaExport(settings, spool, forwarder.start());
    }

    /** Alerts (and their updates) to the alerts topic through the spool. */
    public AlertSink alertSink() {
        return alerts;
    }

    /** Any record (assets, flows) through the same spool and forwarder. */
    public RecordSink records() {
        return spool;
    }

    public ExportStatus status() {
        return forwarder;
    }

    /** One line for the run summary. */
    public String summaryLine() {
        return String.format(Locale.ROOT,
            "kafka %s: %,d spooled, %,d acknowledged, %,d still spooled in %s, %,d dropped (spool full), "
                + "%,d send errors, %,d resent",
            settings.bootstrap(), spool.appended(), forwarder.acknowledged(), spool.backlogRecords(), spool.dir(),
            spool.dropped(), forwarder.sendErrors(), forwarder.retries());
    }

    public void close(Duration drain) {
        forwarder.close(drain);
        spool.close();
    }

    @Override
    public void close() {
        close(DRAIN);
    }
}
