package io.vigil.sensor.realstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Generates {@code pcaps/realstack/}: real protocol stacks talking over the loopback interface,
 * captured through libpcap, each capture next to the decode it must produce
 * ({@code NAME.expected.jsonl}, one JSON object per application PDU, from the stack calls).
 * Needs root (live capture on lo, Modbus port 502).
 *
 * <pre>
 * java -cp sensor/target/test-classes:sensor/target/classes:protocols/target/classes:$(cat cp.txt) \
 *     io.vigil.sensor.realstack.RealStackCaptures pcaps/realstack
 * </pre>
 */
public final class RealStackCaptures {
    static final String MODBUS_502 = "j2mod-modbus-502";
    static final String MODBUS_HIGH = "j2mod-modbus-15020";
    static final String BACNET = "bacnet-loopback";
    static final int MODBUS_PORT = 502;
    static final int HIGH_PORT = 15020;

    private RealStackCaptures() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "pcaps/realstack");
        Files.createDirectories(dir);
        generate(dir, MODBUS_502, captureModbus(MODBUS_PORT, dir.resolve(MODBUS_502 + ".pcap")));
        generate(dir, MODBUS_HIGH, captureModbus(HIGH_PORT, dir.resolve(MODBUS_HIGH + ".pcap")));
        generate(dir, BACNET, captureBacnet(dir.resolve(BACNET + ".pcap")));
    }

    private static void generate(Path dir, String name, List<Map<String, Object>> expected) throws IOException {
        Path file = dir.resolve(name + ".expected.jsonl");
        writeExpected(expected, file);
        System.out.println(name + ": " + expected.size() + " PDUs -> " + file);
    }

    /** Runs the j2mod session on {@code port} while capturing it on lo into {@code pcap}. */
    static List<Map<String, Object>> captureModbus(int port, Path pcap) throws Exception {
        try (LoopbackRecorder rec = new LoopbackRecorder("tcp port " + port)) {
            rec.sync();
            List<Map<String, Object>> expected = RealStackSessions.modbusSession(port);
            LoopbackRecorder.write(rec.finish(), pcap);
            return expected;
        }
    }

    /** Runs the BACnet/IP exchange while capturing it on lo into {@code pcap}. */
    static List<Map<String, Object>> captureBacnet(Path pcap) throws Exception {
        try (LoopbackRecorder rec = new LoopbackRecorder("udp port " + RealStackSessions.BACNET_DEVICE_PORT)) {
            rec.sync();
            List<Map<String, Object>> expected = RealStackSessions.bacnetSession();
            LoopbackRecorder.write(rec.finish(), pcap);
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
