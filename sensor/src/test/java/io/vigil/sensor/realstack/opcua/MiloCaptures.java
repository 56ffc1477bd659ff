package io.vigil.sensor.realstack.opcua;

import io.vigil.sensor.realstack.Json;
import io.vigil.sensor.realstack.LoopbackRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Generates the Eclipse Milo captures of {@code pcaps/realstack/}: a Milo client session against a
 * Milo server over lo, captured through libpcap, next to the decode it must produce
 * ({@code NAME.expected.jsonl}, written from the client calls by {@link MiloSession}). Needs root
 * (live capture on lo, port 4840); the same session also runs on port 14840. Through Maven:
 * {@code mvn -o -pl sensor -am test -Dtest=MiloRealStackTest#regenerate -Dvigil.realstack.regenerate=true}.
 */
public final class MiloCaptures {
    static final String OPCUA_4840 = "milo-opcua-4840";
    static final String OPCUA_HIGH = "milo-opcua-14840";
    static final int OPCUA_PORT = 4840;
    static final int HIGH_PORT = 14840;

    private MiloCaptures() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "pcaps/realstack");
        Files.createDirectories(dir);
        for (String name : List.of(OPCUA_4840, OPCUA_HIGH)) {
            List<Map<String, Object>> expected = capture(port(name), dir.resolve(name + ".pcap"));
            Path file = dir.resolve(name + ".expected.jsonl");
            writeExpected(expected, file);
            System.out.println(name + ": " + expected.size() + " messages -> " + file);
        }
    }

    /** 4840 (IANA port: classified by port) or 14840 (must be recognised by content, the HEL). */
    static int port(String name) {
        return name.equals(OPCUA_4840) ? OPCUA_PORT : HIGH_PORT;
    }

    /**
     * Starts the server (not captured: the listening socket carries no traffic), runs the session
     * while capturing {@code tcp port PORT} on lo, and writes the capture to {@code pcap}.
     */
    static List<Map<String, Object>> capture(int port, Path pcap) throws Exception {
        try (MiloServer server = MiloServer.start(port)) {
            List<LoopbackRecorder.Frame> frames;
            List<Map<String, Object>> expected;
            try (LoopbackRecorder rec = new LoopbackRecorder("tcp port " + port)) {
                rec.sync();
                expected = MiloSession.run(port);
                // let the last FIN/ACKs of the session connection go out before the final probe
                Thread.sleep(200);
                frames = rec.finish();
            }
            LoopbackRecorder.write(frames, pcap);
            return expected;
        }
    }

    static void writeExpected(List<Map<String, Object>> expected, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> m : expected) {
            b.append(Json.write(m)).append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    static List<Map<String, Object>> readExpected(Path file) throws IOException {
        return Json.lines(Files.readString(file, StandardCharsets.UTF_8));
    }
}
