package io.vigil.sensor.pipeline;

import static io.vigil.sensor.testsupport.TcpFeed.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.synth.FrameBuilder;
import io.vigil.sensor.testsupport.ObservationCollector;
import io.vigil.sensor.testsupport.TcpFeed;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * IEC 104 and MQTT observations through the whole pipeline (flow workers, reassembly, app layer,
 * observation ring, device shards): what the device stage receives in {@link Observation#ics} and
 * {@link Observation#named}.
 */
class Iec104MqttObservationTest {
    private static final int SCADA = 0x0A1E020A;  // 10.30.2.10
    private static final int RTU = 0x0A1E010A;    // 10.30.1.10
    private static final int WS = 0x0A0A0105;     // 10.10.1.5

    private final TcpFeed feed = new TcpFeed();
    private final FrameBuilder f = feed.frames();
    private final ObservationCollector observations = new ObservationCollector();
    private final List<Observation> seen = observations.all();
    /** Next sequence number per direction of the current connection. */
    private int clientSeq;
    private int serverSeq;

    private void handshake(Pipeline p, int client, int server, int cport, int sport) {
        feed.handshake(p, client, server, cport, sport);
        clientSeq = 1000;
        serverSeq = 5000;
    }

    private void fromClient(Pipeline p, int client, int server, int cport, int sport, byte[] data) {
        f.tcp(1, 2, 0, client, server, cport, sport, clientSeq, serverSeq, 0x18, data, data.length);
        feed.send(p);
        clientSeq += data.length;
    }

    private void fromServer(Pipeline p, int client, int server, int cport, int sport, byte[] data) {
        f.tcp(2, 1, 0, server, client, sport, cport, serverSeq, clientSeq, 0x18, data, data.length);
        feed.send(p);
        serverSeq += data.length;
    }

    @Test
    void iec104CommandSplitAcrossSegmentsArrivesAsIcsOp() throws Exception {
        Pipeline p = observations.start();
        handshake(p, SCADA, RTU, 40_000, 2404);
        fromClient(p, SCADA, RTU, 40_000, 2404, hex("680407000000"));           // STARTDT act
        fromServer(p, SCADA, RTU, 40_000, 2404, hex("68040b000000"));           // STARTDT con
        // C_SC_NA_1 select ON, IOA 4500, CA 3, N(S) 2 N(R) 1: in two segments
        byte[] cmd = hex("680e 0400 0200 2d 01 06 00 0300 941100 81");
        fromClient(p, SCADA, RTU, 40_000, 2404, Arrays.copyOf(cmd, 7));
        fromClient(p, SCADA, RTU, 40_000, 2404, Arrays.copyOfRange(cmd, 7, cmd.length));
        // M_ME_NC_1 spontaneous 2 objects with an S-frame in the same segment
        fromServer(p, SCADA, RTU, 40_000, 2404,
            hex("680401000600 681a 0200 0600 0d 02 03 00 0300 140500 0000f041 00 150500 0000c0c2 00"));
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> iec = observations.of(ObservationType.IEC104_OP);
        assertEquals(5, iec.size(), seen.toString());
        Observation start = iec.get(0);
        assertEquals(AppProtocol.IEC104, start.appProtocol);
        assertEquals(IcsOp.KIND_SESSION, start.ics.kind);
        assertEquals(0x07, start.ics.subFunction);
        assertEquals(0, start.ics.function);
        Observation command = iec.get(2);
        assertEquals(45, command.ics.function);
        assertEquals(IcsOp.KIND_CONTROL, command.ics.kind);
        assertEquals(3, command.ics.unit);
        assertEquals(6, command.ics.status, "COT act");
        assertEquals(4500, command.ics.address);
        assertEquals(1, command.ics.count);
        assertEquals(2, command.ics.sequence, "N(S)");
        assertEquals(1, command.ics.valueCount);
        assertEquals(1.0, command.ics.values[0]);
        assertFalse(command.ics.isResponse);
        assertEquals(2404, command.dstPort);
        Observation ack = iec.get(3);
        assertEquals(1, ack.ics.subFunction, "S frame");
        assertEquals(IcsOp.KIND_OTHER, ack.ics.kind);
        Observation report = iec.get(4);
        assertEquals(IcsOp.KIND_REPORT, report.ics.kind);
        assertTrue(report.ics.isResponse, "from the controlled station");
        assertEquals(13, report.ics.function);
        assertEquals(2, report.ics.count);
        assertEquals(1300, report.ics.address);
        assertEquals(2, report.ics.objectCount);
        assertEquals(1301, report.ics.objects[1]);
        assertEquals(30.0, report.ics.values[0]);
        assertEquals(-96.0, report.ics.values[1]);
    }

    @Test
    void iec104OnAnotherPortByContentAndSomethingElseOn2404() throws Exception {
        Pipeline p = observations.start();
        // Port 12404: STARTDT act from the client, STARTDT con from the server: one strict APDU each way.
        handshake(p, WS, RTU, 40_001, 12_404);
        fromClient(p, WS, RTU, 40_001, 12_404, hex("680407000000"));
        fromServer(p, WS, RTU, 40_001, 12_404, hex("68040b000000"));
        fromClient(p, WS, RTU, 40_001, 12_404, hex("680e 0000 0000 64 01 06 00 0100 000000 14"));
        // HTTP on 2404: one mismatch, no IEC 104 operation
        handshake(p, WS, RTU, 40_002, 2404);
        byte[] http = "GET / HTTP/1.1\r\nHost: rtu\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        fromClient(p, WS, RTU, 40_002, 2404, http);
        fromClient(p, WS, RTU, 40_002, 2404, http);
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> iec = observations.of(ObservationType.IEC104_OP);
        assertEquals(3, iec.size(), seen.toString());
        assertTrue(iec.stream().allMatch(o -> o.dstPort == 12_404 || o.srcPort == 12_404));
        Observation gi = iec.stream().filter(o -> o.ics.function == 100).findFirst().orElseThrow();
        assertEquals(IcsOp.KIND_READ, gi.ics.kind);
        assertEquals(20.0, gi.ics.values[0], "QOI station interrogation");
        List<Observation> mismatches = observations.of(ObservationType.PROTOCOL_MISMATCH);
        assertEquals(1, mismatches.size(), seen.toString());
        assertEquals(AppProtocol.IEC104, mismatches.get(0).appProtocol);
    }

    private static byte[] mqttString(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[2 + b.length];
        out[0] = (byte) (b.length >>> 8);
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] mqtt(int first, byte[] body) {
        return cat(new byte[] {(byte) first, (byte) body.length}, body); // bodies below 128 bytes
    }

    @Test
    void mqttConnectPublishSubscribeArriveAsNamedOps() throws Exception {
        Pipeline p = observations.start();
        // On port 11883: found by its CONNECT (MQTT 3.1.1, user "ops", password present, keep-alive 30).
        handshake(p, WS, RTU, 40_010, 11_883);
        byte[] connect = mqtt(0x10, cat(mqttString("MQTT"), new byte[] {4, (byte) 0xC2, 0, 30},
            mqttString("hmi-3"), mqttString("ops"), mqttString("hunter2")));
        fromClient(p, WS, RTU, 40_010, 11_883, Arrays.copyOf(connect, 9)); // CONNECT split across segments
        fromClient(p, WS, RTU, 40_010, 11_883, Arrays.copyOfRange(connect, 9, connect.length));
        fromServer(p, WS, RTU, 40_010, 11_883, hex("20020100"));
        // PUBLISH QoS 1 retained + SUBSCRIBE in one segment
        byte[] publish = mqtt(0x33, cat(mqttString("plant/line1/setpoint"), new byte[] {0, 7}, "42.0".getBytes()));
        byte[] subscribe = mqtt(0x82, cat(new byte[] {0, 8}, mqttString("plant/#"), new byte[] {1}));
        fromClient(p, WS, RTU, 40_010, 11_883, cat(publish, subscribe));
        // Telnet-ish text on 1883: a mismatch, once
        handshake(p, WS, RTU, 40_011, 1883);
        fromClient(p, WS, RTU, 40_011, 1883, "hello broker\r\n".getBytes());
        fromClient(p, WS, RTU, 40_011, 1883, "hello again\r\n".getBytes());
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> mqtt = observations.of(ObservationType.MQTT_MESSAGE).stream()
            .filter(o -> o.dstPort == 11_883 || o.srcPort == 11_883).toList();
        assertEquals(4, mqtt.size(), seen.toString());
        Observation c = mqtt.get(0);
        assertEquals(AppProtocol.MQTT, c.appProtocol);
        assertEquals(1, c.named.code, "CONNECT");
        assertEquals(4, c.named.version);
        assertEquals("hmi-3", c.named.nameString());
        assertEquals("ops", c.named.detailString());
        assertTrue(c.named.flag, "password present");
        assertEquals(30, c.named.number, "keep-alive");
        Observation ack = mqtt.get(1);
        assertEquals(2, ack.named.code);
        assertTrue(ack.named.flag, "session present");
        Observation pub = mqtt.get(2);
        assertEquals(3, pub.named.code);
        assertEquals("plant/line1/setpoint", pub.named.nameString());
        assertEquals(4, pub.named.number, "payload length");
        assertEquals(1, pub.named.address, "QoS");
        assertTrue(pub.named.flag, "retain");
        Observation sub = mqtt.get(3);
        assertEquals(8, sub.named.code);
        assertEquals("plant/#", sub.named.nameString());
        assertEquals(8, sub.named.number, "packet id");
        assertFalse(sub.named.malformed);
        List<Observation> mismatches = observations.of(ObservationType.PROTOCOL_MISMATCH);
        assertEquals(1, mismatches.size(), seen.toString());
        assertEquals(AppProtocol.MQTT, mismatches.get(0).appProtocol);
    }

    @Test
    void tlsOnTheIec104PortIsTlsNotAMismatch() throws Exception {
        Pipeline p = observations.start();
        // IEC 62351-3 secures 104 links with TLS; some sites keep port 2404 for it.
        handshake(p, SCADA, RTU, 40_020, 2404);
        fromClient(p, SCADA, RTU, 40_020, 2404, hex("16030100 2d 01 000029 0303" + "11".repeat(32)
            + "00 0002 002f 01 00"));
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        assertEquals(0, observations.of(ObservationType.PROTOCOL_MISMATCH).size(), seen.toString());
        assertEquals(0, observations.of(ObservationType.IEC104_OP).size(), seen.toString());
        assertEquals(1, observations.of(ObservationType.TLS_HELLO).size(), seen.toString());
    }
}
