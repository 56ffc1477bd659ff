package io.vigil.sensor.cli;

import io.vigil.detectors.AlertSink;
import io.vigil.detectors.LearningPlan;
import io.vigil.export.RecordSink;
import io.vigil.export.alerts.AlertLog;
import io.vigil.export.alerts.AlertSinks;
import io.vigil.export.inventory.AssetPublisher;
import io.vigil.export.kafka.KafkaExport;
import io.vigil.export.kafka.KafkaSettings;
import io.vigil.export.spool.FsyncPolicy;
import io.vigil.protocols.flow.FlowTimeouts;
import io.vigil.sensor.model.LearningWindow;
import io.vigil.sensor.model.SavedModel;
import io.vigil.sensor.pipeline.DetectionSetup;
import io.vigil.sensor.pipeline.KafkaRecords;
import io.vigil.sensor.pipeline.PipelineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by replay and capture: sizing, outputs, statistics. */
final class PipelineOptions {
    @Option(names = "--stats-json", paramLabel = "FILE",
        description = "Write the end-of-run statistics as one JSON object to FILE.")
    Path statsJson;

    @Option(names = "--flows", paramLabel = "FILE",
        description = "Write one JSON line per ended flow (conn.log style) to FILE.")
    Path flows;

    @Option(names = "--inventory", paramLabel = "FILE",
        description = "Write the asset inventory (one JSON line per device: identity, role, protocols, risks) to FILE at the end.")
    Path inventory;

    @Option(names = "--kafka-assets-topic", paramLabel = "TOPIC", defaultValue = AssetPublisher.DEFAULT_TOPIC,
        description = "With --kafka: publish each device to this compacted topic when it appears or changes who it is "
            + "(MACs, name, role, protocols, risks); key = device id, value = its --inventory line (default: "
            + "${DEFAULT-VALUE}).")
    String kafkaAssetsTopic;

    @Option(names = "--kafka-flows",
        description = "With --kafka: also publish every ended flow (the --flows line; key = the client's device id), "
            + "for data-lake users; off by default.")
    boolean kafkaFlows;

    @Option(names = "--kafka-flows-topic", paramLabel = "TOPIC", defaultValue = "vigil.flows",
        description = "Topic of --kafka-flows (default: ${DEFAULT-VALUE}).")
    String kafkaFlowsTopic;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
        description = "Decode/flow worker threads (default: ${DEFAULT-VALUE}; sharded by a symmetric address-pair hash).")
    int workers;

    @Option(names = "--device-shards", paramLabel = "N", defaultValue = "1",
        description = "Device-model shards, sharded by device address, each on a thread of its own (default: "
            + "${DEFAULT-VALUE}, on the worker's thread; see --device-thread).")
    int deviceShards;

    @Option(names = "--device-thread",
        description = "With one worker and one device shard, run the device models on a thread of their own "
            + "instead of on the worker's (off by default: on 2 cores a third pipeline thread costs CPU and latency; "
            + "try it with 4 or more cores). More workers or shards always have threads of their own.")
    boolean deviceThread;

    @Option(names = "--ring-size", paramLabel = "SLOTS", defaultValue = "16384",
        description = "Packet ring slots, a power of two (default: ${DEFAULT-VALUE}; 2 KiB each).")
    int ringSize;

    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "1048576",
        description = "Flow-table capacity per worker; the least recently seen flow is evicted beyond it (default: ${DEFAULT-VALUE}).")
    int maxFlows;

    @Option(names = "--max-devices", paramLabel = "N", defaultValue = "262144",
        description = "Device-table capacity per shard (default: ${DEFAULT-VALUE}).")
    int maxDevices;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "End a UDP/ICMP/other flow after this many seconds without packets (default: ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Option(names = "--tcp-idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
        description = "End an open TCP flow after this many seconds without packets (default: ${DEFAULT-VALUE}).")
    long tcpIdleTimeoutSeconds;

    @Option(names = "--active-timeout", paramLabel = "SECONDS", defaultValue = "1800",
        description = "Report and restart a flow that has lasted this long (default: ${DEFAULT-VALUE}).")
    long activeTimeoutSeconds;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Option(names = "--learn", paramLabel = "DURATION",
        description = "Learn what is normal for this much capture time from the first packet (e.g. 6h, 90m, 1h30m, 3600s), "
            + "then detect and alert.")
    String learn;

    @Option(names = "--learn-until", paramLabel = "TIME",
        description = "Learn until this capture time (epoch seconds or ISO-8601 such as 2026-11-25T06:00:00Z), then detect.")
    String learnUntil;

    @Option(names = "--alerts", paramLabel = "FILE",
        description = "Write alerts as OCSF Detection Finding JSON lines to FILE ('-' for stdout; readable lines then go to "
            + "stderr).")
    String alerts;

    @Option(names = "--min-surprise", paramLabel = "BITS", defaultValue = "8",
        description = "How rare a novelty must have been while learning to alert, in bits: 8 means the device showed new "
            + "values of that kind less than once in 256 active minutes (default: ${DEFAULT-VALUE}).")
    double minSurpriseBits;

    @Option(names = "--save-model", paramLabel = "FILE",
        description = "At the end of the run (end of the captures, or Ctrl-C/SIGTERM) save what was learned - devices, "
            + "their models, detector state - to FILE, replacing it atomically.")
    Path saveModel;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "Serve /metrics (Prometheus text format), /health and /ready over HTTP on PORT (0: any free "
            + "port, printed at start). Off unless given.")
    Integer httpPort;

    @Option(names = "--metrics-window", paramLabel = "SECONDS", defaultValue = "60",
        description = "Latency quantiles on /metrics cover about the last SECONDS (default: ${DEFAULT-VALUE}); their "
            + "_count and _sum cover the whole run.")
    long metricsWindowSeconds;

    @Option(names = "--http-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "Address the HTTP endpoint listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String httpBind;

    @Option(names = "--load-model", paramLabel = "FILE",
        description = "Start from a model saved with --save-model: detect from the first packet, or with --learn / "
            + "--learn-until first learn that much more on top of it.")
    Path loadModel;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
        description = "Send alerts (and updates of a repeated finding) to Kafka at BOOTSTRAP (host:port[,host:port]) "
            + "through the durable spool; key = device address, value = the OCSF JSON of --alerts.")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE",
        description = "Kafka client properties passed to the producer unchanged (TLS, SASL, timeouts); ours only fill "
            + "what FILE does not set. May carry bootstrap.servers instead of --kafka.")
    Path kafkaConfig;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC", defaultValue = KafkaSettings.DEFAULT_TOPIC,
        description = "Alerts topic (default: ${DEFAULT-VALUE}).")
    String kafkaTopic;

    @Option(names = "--spool", paramLabel = "DIR",
        description = "Durable spool directory between the detectors and Kafka (default: $VIGIL_DATA/spool, "
            + "VIGIL_DATA defaulting to ~/.vigil).")
    Path spool;

    @Option(names = "--spool-fsync", paramLabel = "POLICY", defaultValue = "batch",
        description = "none, batch (force to disk at most once a second) or every (after each alert) (default: "
            + "${DEFAULT-VALUE}). Spooled alerts survive a crash of the sensor under every policy; fsync is for power cuts.")
    String spoolFsync;

    @Option(names = "--spool-max-gb", paramLabel = "GB", defaultValue = "1",
        description = "Cap on unacknowledged alerts in the spool, in GB (default: ${DEFAULT-VALUE}). When full, new "
            + "alerts are dropped, counted and warned about; spooled ones are never dropped.")
    double spoolMaxGb;

    /**
     * Opens the Kafka export (spool and forwarder) when --kafka or --kafka-config was given, else null.
     * Never fails on the broker: an unreachable or misconfigured Kafka is one warning and the spool grows.
     */
    KafkaExport openKafka(PrintWriter err) throws IOException {
        if (kafka == null && kafkaConfig == null) {
            return null;
        }
        if (kafkaConfig != null && !java.nio.file.Files.isReadable(kafkaConfig)) {
            throw new UserError("--kafka-config " + kafkaConfig + " is not a readable file");
        }
        if (!(spoolMaxGb > 0)) {
            throw new UserError("--spool-max-gb must be positive, got " + spoolMaxGb);
        }
        FsyncPolicy fsync;
        KafkaSettings settings;
        try {
            fsync = FsyncPolicy.parse(spoolFsync);
            settings = KafkaSettings.of(kafka, kafkaConfig, kafkaTopic);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Path dir = spool != null ? spool : defaultSpoolDir();
        try {
            return KafkaExport.open(settings, dir, fsync, (long) (spoolMaxGb * 1e9), m -> {
                err.println("vigil: " + m);
                err.flush();
            });
        } catch (IOException e) {
            throw new UserError("cannot open the spool in " + dir + ": " + e.getMessage());
        }
    }

    /** {@code $VIGIL_DATA/spool}, VIGIL_DATA defaulting to {@code ~/.vigil}. */
    static Path defaultSpoolDir() {
        String data = System.getenv("VIGIL_DATA");
        Path base = data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("user.home"), ".vigil");
        return base.resolve("spool");
    }

    /**
     * The learning plan, or null when the run only learns (no --learn / --learn-until, no model):
     * a loaded model detects at once unless more learning was asked for.
     */
    LearningPlan learningPlan(SavedModel loaded) {
        LearningPlan plan = learningPlan();
        if (loaded == null) {
            return plan;
        }
        LearningWindow learned = loaded.learning();
        if (plan == null) {
            long start = learned.startNanos() == LearningWindow.NONE ? 0 : learned.startNanos();
            return LearningPlan.resumed(start, learned.endNanos());
        }
        return learned.startNanos() == LearningWindow.NONE ? plan : plan.continuing(learned.startNanos());
    }

    /** The learning plan, or null when the run only learns (no --learn / --learn-until). */
    LearningPlan learningPlan() {
        if (learn != null && learnUntil != null) {
            throw new UserError("--learn and --learn-until are alternatives: give one");
        }
        if (learn != null) {
            try {
                return LearningPlan.forDuration(Durations.parseNanos(learn));
            } catch (IllegalArgumentException e) {
                throw new UserError("--learn: " + e.getMessage());
            }
        }
        if (learnUntil != null) {
            try {
                return LearningPlan.until(Durations.parseInstantNanos(learnUntil));
            } catch (IllegalArgumentException e) {
                throw new UserError("--learn-until: " + e.getMessage());
            }
        }
        return null;
    }

    /**
     * Opens the alert outputs and returns how the run detects, or null when it only learns. Readable alert lines go
     * to {@code console} unless quiet (to {@code errConsole} when the JSON takes stdout).
     */
    DetectionSetup detection(PrintWriter console, PrintWriter errConsole, AlertLog[] opened, SavedModel loaded,
                             KafkaExport kafkaExport) throws IOException {
        LearningPlan plan = learningPlan(loaded);
        if (!(minSurpriseBits > 0 && minSurpriseBits <= 64)) {
            throw new UserError("--min-surprise must be between 0 and 64 bits, got " + minSurpriseBits);
        }
        if (plan == null) {
            if (alerts != null) {
                throw new UserError("--alerts needs --learn or --learn-until (or --load-model): without them the "
                    + "whole capture is learning and nothing can be alerted");
            }
            return null;
        }
        PrintWriter lines = quiet ? null : "-".equals(alerts) ? errConsole : console;
        AlertLog log = AlertLog.open(alerts, console, lines);
        opened[0] = log;
        // The spool first: an alert seen in the JSON file or on the console is certainly spooled.
        AlertSink sink = kafkaExport == null ? log : AlertSinks.both(kafkaExport.alertSink(), log);
        return new DetectionSetup(plan, minSurpriseBits, sink);
    }

    /**
     * What the run publishes to Kafka besides alerts: asset changes under --kafka-assets-topic and,
     * with --kafka-flows, ended flows; null (nothing) without --kafka.
     */
    KafkaRecords kafkaRecords(RecordSink kafka) {
        checkTopic("--kafka-assets-topic", kafkaAssetsTopic);
        checkTopic("--kafka-flows-topic", kafkaFlowsTopic);
        return kafka == null ? null : new KafkaRecords(kafka, kafkaAssetsTopic, AssetPublisher.DEFAULT_INTERVAL_NANOS,
            kafkaFlows ? kafkaFlowsTopic : null);
    }

    private static void checkTopic(String option, String topic) {
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new UserError(option + ": '" + topic + "' is not a Kafka topic name (letters, digits, '.', '_', "
                + "'-'; at most 249)");
        }
    }

    PipelineConfig toConfig(boolean dropWhenFull) {
        if (workers < 1 || workers > 64) {
            throw new UserError("--workers must be between 1 and 64, got " + workers);
        }
        if (deviceShards < 1 || deviceShards > 64) {
            throw new UserError("--device-shards must be between 1 and 64, got " + deviceShards);
        }
        if (Integer.bitCount(ringSize) != 1 || ringSize < 64) {
            throw new UserError("--ring-size must be a power of two of at least 64, got " + ringSize);
        }
        if (maxFlows < 16 || maxDevices < 16) {
            throw new UserError("--max-flows and --max-devices must be at least 16");
        }
        if (idleTimeoutSeconds < 1 || tcpIdleTimeoutSeconds < 1 || activeTimeoutSeconds < 1) {
            throw new UserError("timeouts must be at least 1 second");
        }
        FlowTimeouts defaults = FlowTimeouts.defaults();
        FlowTimeouts timeouts = new FlowTimeouts(idleTimeoutSeconds * 1_000_000_000L,
            activeTimeoutSeconds * 1_000_000_000L, defaults.tcpClosedLingerNanos(),
            tcpIdleTimeoutSeconds * 1_000_000_000L);
        return new PipelineConfig(ringSize, workers, deviceShards, maxFlows, maxDevices, dropWhenFull, timeouts,
            PipelineConfig.DEFAULT_OBSERVATION_RING_SIZE, deviceThread);
    }
}
