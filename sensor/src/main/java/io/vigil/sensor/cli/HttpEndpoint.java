package io.vigil.sensor.cli;

import io.vigil.sensor.metrics.MetricsServer;
import io.vigil.sensor.metrics.SensorMetrics;
import java.io.IOException;
import java.io.PrintWriter;

/** Starts the metrics and health endpoint when {@code --http-port} asks for it. */
final class HttpEndpoint {
    private HttpEndpoint() {
    }

    static void checkOptions(PipelineOptions options) {
        if (options.httpPort != null && (options.httpPort < 0 || options.httpPort > 65_535)) {
            throw new UserError("--http-port must be between 0 and 65535, got " + options.httpPort);
        }
        if (options.metricsWindowSeconds < 1 || options.metricsWindowSeconds > 86_400) {
            throw new UserError("--metrics-window must be between 1 and 86400 seconds, got " + options.metricsWindowSeconds);
        }
    }

    /**
     * The running server, or null when no --http-port was given. Started before the run is set up, so a
     * port already taken fails the command at once; until {@link #serve} it answers /health only.
     */
    static MetricsServer start(PipelineOptions options, PrintWriter err) {
        if (options.httpPort == null) {
            return null;
        }
        MetricsServer server;
        try {
            server = MetricsServer.start(options.httpBind, options.httpPort);
        } catch (IOException e) {
            throw new UserError("--http-port: " + e.getMessage());
        }
        if (!options.quiet) {
            err.println("vigil: metrics and health on " + url(options, server) + " (/metrics, /health, /ready)");
            err.flush();
        }
        return server;
    }

    static void serve(MetricsServer server, SensorMetrics metrics) {
        if (server != null) {
            server.serve(metrics);
        }
    }

    static String url(PipelineOptions options, MetricsServer server) {
        String host = options.httpBind.contains(":") ? "[" + options.httpBind + "]" : options.httpBind;
        return "http://" + host + ":" + server.port();
    }
}
