package io.vigil.bench;

import io.vigil.protocols.mqtt.MqttFlowState;
import io.vigil.protocols.mqtt.MqttMessage;
import io.vigil.protocols.mqtt.MqttMessageSink;
import io.vigil.protocols.mqtt.MqttParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MQTT cost per control packet over a telemetry mix as an IoT gateway's broker link carries it,
 * MQTT 5 (properties on every packet): QoS 0 and QoS 1 PUBLISH of small readings, PUBACK, a
 * SUBSCRIBE with two filters, PINGREQ/PINGRESP. One operation is one packet (one segment each).
 * Run with {@code -prof gc}: the allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MqttBench {
    private static final int PACKETS = 1024;

    private byte[][] packets;
    private boolean[] fromClient;
    private final MqttParser parser = new MqttParser();
    private final MqttFlowState state = new MqttFlowState();
    private final MqttMessage message = new MqttMessage();
    private long sum;
    private final MqttMessageSink sink = m -> sum += m.type + m.topicLength + m.packetId + m.payloadLength;
    private int next;

    @Setup
    public void setUp() {
        byte[] connect = packet(0x10, cat(str("MQTT"), new byte[] {5, 2, 0, 60, 0}, str("gw-1")));
        parser.parse(connect, 0, connect.length, true, message, state, sink); // level 5 for the flow
        byte[][] mix = {
            packet(0x30, cat(str("site/7/line/2/temperature"), new byte[] {0}, "21.75".getBytes())),
            packet(0x32, cat(str("site/7/line/2/pressure"), new byte[] {0, 9, 3, 0x23, 0, 4}, "1.013".getBytes())),
            packet(0x40, new byte[] {0, 9}),
            packet(0x82, cat(new byte[] {0, 10, 0}, str("site/7/cmd/#"), new byte[] {1}, str("site/7/cfg/+"),
                new byte[] {0})),
            packet(0xC0, new byte[0]),
            packet(0xD0, new byte[0]),
        };
        boolean[] client = {true, true, false, true, true, false};
        packets = new byte[PACKETS][];
        fromClient = new boolean[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            packets[i] = mix[i % mix.length];
            fromClient[i] = client[i % mix.length];
        }
    }

    private static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return cat(new byte[] {(byte) (b.length >>> 8), (byte) b.length}, b);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] packet(int first, byte[] body) {
        return cat(new byte[] {(byte) first, (byte) body.length}, body);
    }

    /** Framing, fixed header, variable header, properties skipped, topics and codes. */
    @Benchmark
    public long parse() {
        int i = next++ & (PACKETS - 1);
        byte[] b = packets[i];
        return parser.parse(b, 0, b.length, fromClient[i], message, state, sink) + sum;
    }
}
