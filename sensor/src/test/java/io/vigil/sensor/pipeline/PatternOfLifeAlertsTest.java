package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.detectors.Alert;
import io.vigil.detectors.AlertType;
import io.vigil.detectors.DetectionEngine;
import io.vigil.detectors.LearningPlan;
import io.vigil.protocols.LinkType;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.sensor.stats.RunSummary;
import io.vigil.sensor.synth.FrameBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The pattern-of-life detectors wired as the product wires them (two flow workers, three device
 * shards), on frames: an HMI polls a PLC with Modbus FC3 every second, workstations use a file
 * server; after 20 minutes of learning a laptop reaches the PLC, a workstation uploads 10 MB to an
 * address it never used, and the polls stop.
 */
class PatternOfLifeAlertsTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_764_000_000L * S;
    private static final int HMI = ip(10, 30, 0, 5);
    private static final int PLC = ip(10, 30, 0, 11);
    private static final int FILES = ip(10, 10, 2, 2);
    private static final int WORKSTATION = ip(10, 10, 1, 23);
    private static final int LAPTOP = ip(10, 10, 1, 77);
    private static final int DROP = ip(203, 0, 113, 9);
    private static final int SYN = 0x02;
    private static final int SYN_ACK = 0x12;
    private static final int ACK = 0x10;
    private static final int PSH_ACK = 0x18;

    private final FrameBuilder f = new FrameBuilder();
    private final byte[] modbus = new byte[12];
    private Pipeline pipeline;
    private long hmiSeq = 100;
    private int port = 40000;

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private static long mac(int ip) {
        return 0x0002_2233_0000_0000L | (ip & 0xFFFF_FFFFL);
    }

    private void send(long t, int src, int dst, int sport, int dport, long seq, long ack, int flags, byte[] payload,
                      int length) {
        f.tcp(mac(src), mac(dst), 0, src, dst, sport, dport, seq, ack, flags, payload, length);
        pipeline.publish(f.buffer(), 0, f.length(), f.length(), t, LinkType.ETHERNET, 0);
    }

    private void handshake(long t, int client, int server, int cport, int sport, long seq) {
        send(t, client, server, cport, sport, seq - 1, 0, SYN, null, 0);
        send(t + 100_000, server, client, sport, cport, 9_999, seq, SYN_ACK, null, 0);
        send(t + 200_000, client, server, cport, sport, seq, 10_000, ACK, null, 0);
    }

    private void poll(long t, int transaction) {
        modbus[0] = (byte) (transaction >> 8);
        modbus[1] = (byte) transaction;
        modbus[5] = 6;
        modbus[6] = 1;
        modbus[7] = 3;
        modbus[11] = 10;
        send(t, HMI, PLC, 50_000, 502, hmiSeq, 10_000, PSH_ACK, modbus, 12);
        hmiSeq += 12;
    }

    /** A short SMB exchange: one flow start per second keeps every shard's clock running. */
    private void fileAccess(long t) {
        int p = port++;
        send(t, WORKSTATION, FILES, p, 445, 1, 0, SYN, null, 0);
        send(t + 100_000, FILES, WORKSTATION, 445, p, 1, 2, SYN_ACK, null, 0);
    }

    @Test
    void crossZoneExfiltrationAndStoppedPollsThroughTheWholeSensor() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        PipelineConfig config = PipelineConfig.defaults(false).withRingSize(1024).withMaxFlows(4096)
            .withFlowWorkers(2).withDeviceShards(3);
        SensorSession session = new SensorSession(config, null,
            new DetectionSetup(LearningPlan.forDuration(1200 * S), DetectionEngine.DEFAULT_MIN_SURPRISE_BITS, a -> {
                synchronized (alerts) {
                    alerts.add(a);
                }
            }), 1, FlowEndReason.END_OF_CAPTURE);
        pipeline = session.pipeline();
        session.start();

        handshake(T0, HMI, PLC, 50_000, 502, hmiSeq);
        int second = 1;
        for (; second <= 1320; second++) { // 20 min of learning, 2 more of routine
            poll(T0 + second * S, second);
            fileAccess(T0 + second * S + S / 2);
        }
        long laptopAt = T0 + second * S + S / 4;
        send(laptopAt, LAPTOP, PLC, 51_000, 502, 1, 0, SYN, null, 0);

        long uploadAt = T0 + second * S + S / 3;
        handshake(uploadAt, WORKSTATION, DROP, 52_000, 443, 1);
        byte[] chunk = new byte[1400];
        long seq = 1;
        long t = uploadAt;
        for (int i = 0; i < 7500; i++) { // 10.5 MB over 7.5 s
            t = uploadAt + S / 1000 * (i + 1);
            send(t, WORKSTATION, DROP, 52_000, 443, seq, 10_000, PSH_ACK, chunk, chunk.length);
            seq += chunk.length;
            if (i % 1000 == 999) {
                fileAccess(t);
            }
        }
        long lastPoll = T0 + (second - 1) * S;
        // The polls have stopped; the file server is still used. The PLC's only master went quiet, which
        // a restart would do too: reported once the silence outlasts the restart grace.
        for (int k = 0; k < 130; k++) {
            fileAccess(T0 + (second + 8 + k) * S);
        }
        RunSummary summary = new RunSummary();
        session.finish(summary);
        session.close();

        String all = alerts.stream().map(a -> a.type() + ": " + a.explanation()).collect(Collectors.joining("\n"));
        Alert cross = one(alerts, AlertType.CROSS_ZONE_PATH, all);
        assertEquals(laptopAt, cross.firstSeenNanos(), "at the laptop's SYN");
        assertTrue(cross.explanation().contains("PLC 10.30.0.11 in OT subnet 10.30.0.0/24 got a first tcp/502 "
            + "connection from 10.10.1.77 in the IT zone"), cross.explanation());

        Alert exfil = one(alerts, AlertType.EXFILTRATION, all);
        assertTrue(exfil.firstSeenNanos() < t, "while the upload runs, at its 8 MiB progress: " + exfil.firstSeenNanos());
        assertTrue(exfil.explanation().startsWith("device 10.10.1.23 sent 8.4 MB to 203.0.113.9 within "),
            exfil.explanation());

        Alert stopped = one(alerts, AlertType.POLLING_STOPPED, all);
        long after = stopped.firstSeenNanos() - lastPoll;
        long grace = (long) io.vigil.detectors.PollingDetector.RESTART_GRACE_SECONDS * S;
        assertTrue(after > grace && after <= grace + 2 * S, "reported " + after + " ns after the last poll");
        assertTrue(stopped.explanation().startsWith("10.30.0.5 polled PLC 10.30.0.11 with Modbus FC3 (address 0) "
            + "every 1.00 s (jitter 0 ms) over 21 min"), stopped.explanation());
        assertEquals(0, summary.handlerErrors);
    }

    private static Alert one(List<Alert> alerts, AlertType type, String all) {
        List<Alert> of = alerts.stream().filter(a -> a.type() == type).toList();
        assertEquals(1, of.size(), type + " in\n" + all);
        return of.get(0);
    }
}
