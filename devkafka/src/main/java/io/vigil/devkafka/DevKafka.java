package io.vigil.devkafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process) for development and
 * tests: {@code ./vigil dev-kafka --dir DIR --port PORT} runs it in the foreground until stopped,
 * and integration tests start the same broker in-process with {@link #start}. Not a production
 * broker: one replica, no authentication, PLAINTEXT on 127.0.0.1 unless told otherwise.
 *
 * <p>The data directory is formatted on first use and reused afterwards, so a stopped broker
 * restarted on the same directory keeps its topics and offsets (what an outage test needs).
 */
public final class DevKafka implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final int port;
    private final int controllerPort;
    private final Path dir;

    private DevKafka(KafkaRaftServer server, String host, int port, int controllerPort, Path dir) {
        this.server = server;
        this.bootstrap = host + ":" + port;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
    }

    /** Starts a broker on 127.0.0.1:{@code port} (0 for a free port) with its data in {@code dir}; returns once it serves. */
    public static DevKafka start(Path dir, int port) throws IOException {
        return start(dir, "127.0.0.1", port, 0);
    }

    /**
     * Starts a broker listening on {@code host:port}, its controller on {@code controllerPort}
     * (0: the one used before in this directory, or a free one); returns once the broker answers.
     */
    public static DevKafka start(Path dir, String host, int port, int controllerPort) throws IOException {
        Files.createDirectories(dir);
        Path ports = dir.resolve("ports.properties");
        Properties remembered = new Properties();
        if (Files.exists(ports)) {
            try (var in = Files.newBufferedReader(ports)) {
                remembered.load(in);
            }
        }
        // A KRaft quorum is bound to its controller address: a restart on the same directory must reuse it.
        int cport = controllerPort != 0 ? controllerPort
            : Integer.parseInt(remembered.getProperty("controller.port", String.valueOf(freePort(host))));
        int bport = port != 0 ? port : Integer.parseInt(remembered.getProperty("broker.port", String.valueOf(freePort(host))));
        Properties p = config(dir, host, bport, cport);
        Path cfg = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(cfg)) {
            p.store(out, "vigil dev-kafka");
        }
        remembered.setProperty("controller.port", String.valueOf(cport));
        remembered.setProperty("broker.port", String.valueOf(bport));
        try (var out = Files.newBufferedWriter(ports)) {
            remembered.store(out, "vigil dev-kafka ports, reused on restart");
        }
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            format(cfg);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        DevKafka broker = new DevKafka(server, host, bport, cport, dir);
        try {
            broker.awaitReady(60_000);
        } catch (IOException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    static Properties config(Path dir, String host, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toAbsolutePath().toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static void format(Path cfg) throws IOException {
        // StorageTool.main would exit the JVM; execute returns its status.
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int rc;
        try {
            rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString()},
                quiet);
        } catch (Exception e) {
            throw new IOException("cannot format the Kafka data directory: " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new IOException("cannot format the Kafka data directory (kafka-storage format returned " + rc + ")");
        }
    }

    private void awaitReady(long timeoutMillis) throws IOException {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("Kafka broker on " + bootstrap + " not ready after " + timeoutMillis + " ms", e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker", e);
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }

    /** "127.0.0.1:PORT", for bootstrap.servers. */
    public String bootstrap() {
        return bootstrap;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the broker and waits for it; the data directory stays for a restart. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** {@code dev-kafka --dir DIR [--port PORT] [--host HOST]}: runs in the foreground until SIGINT/SIGTERM. */
    public static void main(String[] args) throws Exception {
        Path dir = null;
        int port = 9092;
        String host = "127.0.0.1";
        List<String> a = List.of(args);
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < a.size() ? a.get(i + 1) : null;
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            switch (name) {
                case "--dir" -> dir = Path.of(require(name, value));
                case "--port" -> port = Integer.parseInt(require(name, value));
                case "--host" -> host = require(name, value);
                case "-h", "--help" -> {
                    System.out.println("Usage: vigil dev-kafka --dir DIR [--port PORT] [--host HOST]\n"
                        + "Runs a single-node KRaft Kafka broker (development only: one replica, PLAINTEXT, no auth)\n"
                        + "in the foreground until Ctrl-C. DIR keeps its data across restarts. Default port 9092.");
                    return;
                }
                default -> {
                    System.err.println("vigil dev-kafka: unknown option " + arg + " (see --help)");
                    System.exit(2);
                }
            }
            if (!inline && !name.startsWith("-h") && !name.equals("--help")) {
                i++;
            }
        }
        if (dir == null) {
            System.err.println("vigil dev-kafka: --dir DIR is required (see --help)");
            System.exit(2);
        }
        DevKafka broker = start(dir, host, port, 0);
        System.out.println("vigil dev-kafka: broker ready on " + broker.bootstrap() + " (data in " + dir.toAbsolutePath()
            + "); Ctrl-C stops it");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "dev-kafka-shutdown"));
        stopped.await();
    }

    private static String require(String name, String value) {
        if (value == null) {
            System.err.println("vigil dev-kafka: " + name + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
