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
 * broker: one replica, PLAINTEXT on 127.0.0.1 unless told otherwise. {@link Security#SASL_SSL}
 * makes it a broker that requires TLS and authentication, to test clients against what a SOC's
 * Kafka demands; the client settings it wants are written to {@code DIR/client.properties}.
 *
 * <p>The data directory is formatted on first use and reused afterwards, so a stopped broker
 * restarted on the same directory keeps its topics and offsets (what an outage test needs).
 */
public final class DevKafka implements AutoCloseable {
    /** The SCRAM user (and OAUTHBEARER subject) that {@code client.properties} authenticates as. */
    public static final String USER = "vigil";
    /** The broker's own SCRAM identity on its inter-broker listener. */
    static final String BROKER_USER = "broker";
    static final String CLIENT_PROPERTIES = "client.properties";
    static final String OAUTH_CLIENT_PROPERTIES = "client-oauthbearer.properties";

    /** How clients reach the broker. */
    public enum Security {
        /** No TLS, no authentication: the default. */
        PLAINTEXT,
        /**
         * TLS (a CA made for this directory, {@code DIR/tls/ca.pem}) and SASL: SCRAM-SHA-512 users
         * (created when the directory is formatted) and OAUTHBEARER with Kafka's unsecured JWS tokens.
         * The controller listener stays PLAINTEXT on the broker's host: it is not for clients.
         */
        SASL_SSL
    }

    private final KafkaRaftServer server;
    private final String bootstrap;
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final Security security;
    private final Properties client;

    private DevKafka(KafkaRaftServer server, String host, int port, int controllerPort, Path dir, Security security,
                     Properties client) {
        this.server = server;
        this.security = security;
        this.client = client;
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
        return start(dir, host, port, controllerPort, Security.PLAINTEXT);
    }

    /** Starts a broker on 127.0.0.1:{@code port} (0 for a free port) that clients reach as {@code security} says. */
    public static DevKafka start(Path dir, int port, Security security) throws IOException {
        return start(dir, "127.0.0.1", port, 0, security);
    }

    /**
     * As {@link #start(Path, String, int, int)}, with the given security. A directory keeps the security
     * it was formatted with (SCRAM users are created at format time): asking for another is an error.
     */
    public static DevKafka start(Path dir, String host, int port, int controllerPort, Security security)
        throws IOException {
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
        boolean formatted = Files.exists(dir.resolve("data").resolve("meta.properties"));
        Security was = Security.valueOf(remembered.getProperty("security", Security.PLAINTEXT.name()));
        if (formatted && was != security) {
            throw new IOException(dir + " holds a broker formatted for " + was + ", not " + security
                + ": use another directory (its users and certificates are made when it is first formatted)");
        }
        Properties p = config(dir, host, bport, cport);
        Properties client = new Properties();
        List<String> scram = List.of();
        if (security == Security.SASL_SSL) {
            Secrets secrets = Secrets.of(dir.resolve("secrets.properties"));
            DevTls.ensure(dir.resolve("tls"), host, secrets.keystore());
            secure(p, dir, host, bport, cport, secrets);
            client = clientConfig(dir, "SCRAM-SHA-512", secrets.user());
            write(dir.resolve(CLIENT_PROPERTIES), client,
                "vigil dev-kafka: client settings for " + host + ":" + bport + " (SASL_SSL, SCRAM-SHA-512 user "
                    + USER + "); pass with --kafka-config");
            write(dir.resolve(OAUTH_CLIENT_PROPERTIES), clientConfig(dir, "OAUTHBEARER", null),
                "vigil dev-kafka: client settings for " + host + ":" + bport + " (SASL_SSL, OAUTHBEARER with an "
                    + "unsecured token for " + USER + "); pass with --kafka-config");
            scram = List.of("--add-scram", "SCRAM-SHA-512=[name=" + BROKER_USER + ",password=" + secrets.broker() + "]",
                "--add-scram", "SCRAM-SHA-512=[name=" + USER + ",password=" + secrets.user() + "]");
        } else {
            write(dir.resolve(CLIENT_PROPERTIES), clientConfigPlain(),
                "vigil dev-kafka: client settings for " + host + ":" + bport + " (PLAINTEXT, no authentication)");
        }
        Path cfg = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(cfg)) {
            p.store(out, "vigil dev-kafka");
        }
        remembered.setProperty("controller.port", String.valueOf(cport));
        remembered.setProperty("broker.port", String.valueOf(bport));
        remembered.setProperty("security", security.name());
        try (var out = Files.newBufferedWriter(ports)) {
            remembered.store(out, "vigil dev-kafka ports, reused on restart");
        }
        if (!formatted) {
            format(cfg, scram);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        DevKafka broker = new DevKafka(server, host, bport, cport, dir, security, client);
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

    /** The SASL_SSL listener replaces PLAINTEXT; the broker authenticates to itself with its own SCRAM user. */
    private static void secure(Properties p, Path dir, String host, int port, int controllerPort, Secrets secrets) {
        String tls = dir.resolve("tls").toAbsolutePath().toString();
        p.setProperty("listeners", "SASL_SSL://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "SASL_SSL://" + host + ":" + port);
        p.setProperty("inter.broker.listener.name", "SASL_SSL");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
        p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512,OAUTHBEARER");
        p.setProperty("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        p.setProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + secrets.broker() + "\";");
        // No callback handler configured: the broker accepts Kafka's unsecured JWS tokens (development only).
        p.setProperty("listener.name.sasl_ssl.oauthbearer.sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                + "unsecuredLoginStringClaim_sub=\"" + BROKER_USER + "\";");
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", tls + "/" + DevTls.BROKER_KEYSTORE);
        p.setProperty("ssl.keystore.password", secrets.keystore());
        p.setProperty("ssl.key.password", secrets.keystore());
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", tls + "/" + DevTls.CA_PEM);
    }

    /** What a client needs besides bootstrap.servers: SASL_SSL, the mechanism and login, and the CA to trust. */
    private static Properties clientConfig(Path dir, String mechanism, String password) {
        Properties c = new Properties();
        c.setProperty("security.protocol", "SASL_SSL");
        c.setProperty("sasl.mechanism", mechanism);
        c.setProperty("sasl.jaas.config", password != null
            ? "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";"
            : "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                + "unsecuredLoginStringClaim_sub=\"" + USER + "\";");
        c.setProperty("ssl.truststore.type", "PEM");
        c.setProperty("ssl.truststore.location", dir.resolve("tls").resolve(DevTls.CA_PEM).toAbsolutePath().toString());
        return c;
    }

    private static Properties clientConfigPlain() {
        Properties c = new Properties();
        c.setProperty("security.protocol", "PLAINTEXT");
        return c;
    }

    /** key=value lines as a person would write them (Properties.store would escape every ':' and '='). */
    private static void write(Path file, Properties p, String comment) throws IOException {
        StringBuilder b = new StringBuilder("# ").append(comment).append('\n');
        for (String k : new java.util.TreeSet<>(p.stringPropertyNames())) {
            b.append(k).append('=').append(p.getProperty(k).replace("\\", "\\\\")).append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static void format(Path cfg, List<String> scram) throws IOException {
        // StorageTool.main would exit the JVM; execute returns its status.
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        List<String> args = new java.util.ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
            "-c", cfg.toString()));
        args.addAll(scram);
        int rc;
        try {
            rc = StorageTool.execute(args.toArray(String[]::new), quiet);
        } catch (Exception e) {
            throw new IOException("cannot format the Kafka data directory: " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new IOException("cannot format the Kafka data directory (kafka-storage format returned " + rc + ")");
        }
    }

    private void awaitReady(long timeoutMillis) throws IOException {
        Properties p = new Properties();
        p.putAll(client);
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

    public Security security() {
        return security;
    }

    /** The client security settings (empty for PLAINTEXT), for a test's own Admin, producer or consumer. */
    public Properties clientConfig() {
        Properties copy = new Properties();
        copy.putAll(client);
        return copy;
    }

    /** {@code DIR/client.properties}: the security settings, ready for {@code --kafka-config}. */
    public Path clientProperties() {
        return dir.resolve(CLIENT_PROPERTIES);
    }

    /** {@code DIR/client-oauthbearer.properties} (SASL_SSL only): OAUTHBEARER with an unsecured token. */
    public Path oauthClientProperties() {
        return dir.resolve(OAUTH_CLIENT_PROPERTIES);
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
        Security security = Security.PLAINTEXT;
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
                case "--sasl-ssl" -> {
                    security = Security.SASL_SSL;
                    continue; // a flag: takes no value
                }
                case "-h", "--help" -> {
                    System.out.println("Usage: vigil dev-kafka --dir DIR [--port PORT] [--host HOST] [--sasl-ssl]\n"
                        + "Runs a single-node KRaft Kafka broker (development only: one replica, PLAINTEXT, no auth)\n"
                        + "in the foreground until Ctrl-C. DIR keeps its data across restarts. Default port 9092.\n"
                        + "--sasl-ssl: TLS (a CA made for DIR, DIR/tls/ca.pem) and SASL (SCRAM-SHA-512 user " + USER
                        + ",\nOAUTHBEARER unsecured tokens) instead of PLAINTEXT; clients pass --kafka-config\n"
                        + "DIR/client.properties (or DIR/" + OAUTH_CLIENT_PROPERTIES + "). Fixed when DIR is first formatted.");
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
        DevKafka broker;
        try {
            broker = start(dir, host, port, 0, security);
        } catch (IOException e) {
            System.err.println("vigil dev-kafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("vigil dev-kafka: broker ready on " + broker.bootstrap() + " (data in " + dir.toAbsolutePath()
            + (security == Security.SASL_SSL ? "; " + security + ", clients: --kafka-config " + broker.clientProperties()
                : "") + "); Ctrl-C stops it");
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
