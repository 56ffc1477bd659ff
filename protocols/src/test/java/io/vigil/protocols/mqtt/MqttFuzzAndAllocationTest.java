package io.vigil.protocols.mqtt;

import static io.vigil.protocols.mqtt.Packets.bytes;
import static io.vigil.protocols.mqtt.Packets.cat;
import static io.vigil.protocols.mqtt.Packets.connect;
import static io.vigil.protocols.mqtt.Packets.packet;
import static io.vigil.protocols.mqtt.Packets.publish;
import static io.vigil.protocols.mqtt.Packets.str;
import static io.vigil.protocols.mqtt.Packets.subscribe;
import static io.vigil.protocols.mqtt.Packets.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated streams (seeded from hand-built packets of every type and versions 3.1,
 * 3.1.1 and 5, and from 0x10-started runs of the corpus captures): the parser never throws,
 * never consumes more than it was given, never keeps more than its buffering limit waiting, and
 * counts what it delivers as malformed. Then the steady state allocates nothing.
 */
class MqttFuzzAndAllocationTest {
    private static final int CASES = 150_000;
    private static final int MESSAGES = 100_000;
    private static final int MAX_BUFFERED = 2048;

    private static byte[] stream(int level) {
        byte[] props = level == 5 ? bytes(0) : new byte[0];
        return cat(connect(level, "dev-1", "user", "pw", level == 3 ? null : "will/t"),
            publish(1, true, "plant/a", 1, props, "12.5".getBytes()),
            publish(0, false, "plant/b", 0, props, new byte[30]),
            subscribe(2, props, "cmd/#", "1", "cfg/+", "0"),
            packet(10, 2, cat(u16(3), props, str("cmd/#"))),
            packet(12, 0, new byte[0]),
            packet(6, 2, u16(1)),
            level == 5 ? packet(15, 0, bytes(0x18, 0)) : packet(14, 0, new byte[0]));
    }

    private static byte[] serverStream() {
        return cat(packet(2, 0, bytes(0, 0)), packet(4, 0, u16(1)), packet(9, 0, cat(u16(2), bytes(1, 0x80))),
            packet(11, 0, u16(3)), packet(13, 0, new byte[0]), packet(5, 0, u16(4)), packet(7, 0, u16(4)));
    }

    private static List<byte[]> corpusSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path dir = Path.of("../../shared/pcaps/mqtt");
        if (!Files.isDirectory(dir)) {
            return seeds;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).toList()) {
                byte[] b = Files.readAllBytes(f);
                for (int p = 0; p + 12 < b.length && seeds.size() < 2000; p++) {
                    if (MqttParser.detectConnect(b, p, Math.min(64, b.length - p)) == MqttParser.YES) {
                        seeds.add(java.util.Arrays.copyOfRange(b, p, Math.min(b.length, p + 600)));
                    }
                }
            }
        }
        return seeds;
    }

    @Test
    void seededFuzzNeverThrowsNeverOverConsumesAndCountsMalformed() throws IOException {
        SplittableRandom r = new SplittableRandom(1883);
        List<byte[]> seeds = new ArrayList<>(corpusSeeds());
        seeds.add(stream(3));
        seeds.add(stream(4));
        seeds.add(stream(5));
        seeds.add(serverStream());
        MqttParser parser = new MqttParser(MAX_BUFFERED);
        MqttMessage msg = new MqttMessage();
        long[] delivered = {0, 0};
        MqttMessageSink sink = m -> {
            delivered[0]++;
            if (m.malformed) {
                delivered[1]++;
                assertTrue(m.malformedReason != null);
            }
            assertTrue(m.topicCount <= MqttMessage.MAX_TOPICS && m.reasonCodeCount <= MqttMessage.MAX_TOPICS);
            m.topic();
            m.clientId();
            m.username();
            m.topicFilter(0);
            m.toString();
        };
        for (int c = 0; c < CASES; c++) {
            MqttFlowState st = new MqttFlowState();
            int mode = r.nextInt(4);
            if (mode == 0) {
                st.joinedMidstream();
            } else if (mode == 1) {
                parser.parse(stream(5), 0, 10, true, msg, st, m -> { }); // level 5 known, then cut
                st.onGap(true);
            }
            byte[] b;
            int kind = r.nextInt(4);
            if (kind == 0) {
                b = new byte[r.nextInt(300)];
                r.nextBytes(b);
            } else {
                b = seeds.get(r.nextInt(seeds.size())).clone();
                int flips = 1 + r.nextInt(kind == 3 ? 30 : 4);
                for (int f = 0; f < flips && b.length > 0; f++) {
                    int at = r.nextInt(b.length);
                    switch (r.nextInt(4)) {
                        case 0: b[at] = (byte) r.nextInt(256); break;
                        case 1: b[at] = (byte) 0xFF; break;
                        case 2: b[at] = 0; break;
                        default: b[at] ^= (byte) (1 << r.nextInt(8)); break;
                    }
                }
                if (r.nextInt(4) == 0) {
                    b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                }
            }
            int off = b.length == 0 ? 0 : r.nextInt(Math.min(b.length, 4) + 1);
            int len = b.length - off;
            boolean fromClient = r.nextBoolean();
            int used = parser.parse(b, off, len, fromClient, msg, st, sink);
            assertTrue(used >= 0 && used <= Math.max(len, 0), "case " + c + ": consumed " + used + " of " + len);
            assertTrue(len - used <= MAX_BUFFERED + 5, "case " + c + ": left " + (len - used));
            if (used < len) { // offer the rest again, as the caller would with the next segment
                int again = parser.parse(b, off + used, len - used, fromClient, msg, st, sink);
                assertTrue(again >= 0 && again <= len - used);
            }
            assertTrue(MqttParser.detectConnect(b, off, len) >= MqttParser.NO);
        }
        assertTrue(delivered[0] > CASES, "delivered " + delivered[0]);
        assertTrue(delivered[1] > 1000, "malformed " + delivered[1]);
        assertEquals(delivered[0], parser.messages());
        assertEquals(delivered[1], parser.malformedMessages());
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        long thread = Thread.currentThread().getId();
        byte[] client = stream(5);
        byte[] server = serverStream();
        byte[] big = publish(1, false, "cam/1", 9, bytes(0), new byte[5000]);
        MqttParser parser = new MqttParser(MAX_BUFFERED);
        MqttFlowState state = new MqttFlowState();
        MqttMessage msg = new MqttMessage();
        long[] sum = {0};
        MqttMessageSink sink = m -> sum[0] += m.type + m.topicLength + m.packetId;
        run(parser, state, msg, sink, client, server, big);
        run(parser, state, msg, sink, client, server, big);
        long before = mx.getThreadAllocatedBytes(thread);
        long n = run(parser, state, msg, sink, client, server, big);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(n >= MESSAGES && sum[0] > 0 && parser.oversized() > 0);
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for " + n + " packets");
    }

    private static long run(MqttParser parser, MqttFlowState state, MqttMessage msg, MqttMessageSink sink,
                            byte[] client, byte[] server, byte[] big) {
        long start = parser.messages();
        while (parser.messages() - start < MESSAGES) {
            assertEquals(client.length, parser.parse(client, 0, client.length, true, msg, state, sink));
            assertEquals(server.length, parser.parse(server, 0, server.length, false, msg, state, sink));
            for (int pos = 0; pos < big.length; pos += 1460) {
                int n = Math.min(1460, big.length - pos);
                assertEquals(n, parser.parse(big, pos, n, true, msg, state, sink));
            }
        }
        return parser.messages() - start;
    }
}
