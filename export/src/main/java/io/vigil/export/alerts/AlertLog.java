package io.vigil.export.alerts;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertSink;
import io.vigil.export.json.JsonWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where alerts go in a run without Kafka: OCSF JSON lines to a file or stdout ({@code --alerts}),
 * and/or one readable line each on the console. Shared by all device shards, hence synchronised;
 * each line is flushed, so a {@code tail -f} sees an alert as soon as it is raised.
 */
public final class AlertLog implements AlertSink, AutoCloseable {
    private final BufferedWriter json;
    private final boolean closeJson;
    private final PrintWriter console;
    private final JsonWriter writer = new JsonWriter();
    private long written;
    private long updates;

    private AlertLog(BufferedWriter json, boolean closeJson, PrintWriter console) {
        this.json = json;
        this.closeJson = closeJson;
        this.console = console;
    }

    /**
     * @param file    JSON lines to this file, "-" for {@code stdout}, null for none
     * @param stdout  the command's standard output
     * @param console readable lines here (stderr when JSON goes to stdout), null for none
     */
    public static AlertLog open(String file, PrintWriter stdout, PrintWriter console) throws IOException {
        if (file == null) {
            return new AlertLog(null, false, console);
        }
        if (file.equals("-")) {
            return new AlertLog(new BufferedWriter(stdout), false, console);
        }
        return new AlertLog(Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8), true, console);
    }

    @Override
    public synchronized void onAlert(Alert alert) {
        emit(alert, false);
        written++;
    }

    @Override
    public synchronized void onUpdate(Alert alert) {
        emit(alert, true);
        updates++;
    }

    private void emit(Alert alert, boolean update) {
        if (json != null) {
            OcsfAlerts.write(writer.reset(), alert, update);
            try {
                json.append(writer.buffer()).append('\n');
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (console != null) {
            console.println(OcsfAlerts.oneLine(alert, update));
            console.flush();
        }
    }

    /** Alerts written (first occurrences). */
    public synchronized long written() {
        return written;
    }

    public synchronized long updates() {
        return updates;
    }

    @Override
    public synchronized void close() throws IOException {
        if (json != null) {
            if (closeJson) {
                json.close();
            } else {
                json.flush();
            }
        }
    }
}
