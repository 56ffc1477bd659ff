package io.vigil.sensor.pipeline;

import static io.vigil.sensor.testsupport.TcpFeed.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.dnp3.Dnp3Crc;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.synth.FrameBuilder;
import io.vigil.sensor.testsupport.ObservationCollector;
import io.vigil.sensor.testsupport.TcpFeed;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Application observations through the whole pipeline: Modbus ADUs split across TCP segments,
 * Modbus found by content on another port, something else on port 502, BACnet/IP over UDP, DNP3
 * over TCP and UDP (split frames, content detection, mismatch on 20000).
 */
class AppObservationTest {
    private static final int HMI = 0x0A1E020A;   // 10.30.2.10
    private static final int PLC = 0x0A1E010A;   // 10.30.1.10
    private static final int WS = 0x0A0A0105;    // 10.10.1.5

    private final TcpFeed feed = new TcpFeed();
    private final FrameBuilder f = feed.frames();
    private final ObservationCollector observations = new ObservationCollector();
    private final List<Observation> seen = observations.all();

    @Test
    void modbusSplitAcrossSegmentsAndFoundByContent() throws Exception {
        Pipeline p = observations.start();
        // FC16 write of 2 registers at 40012 (ref 11): 13-byte PDU + 7-byte MBAP, sent in two segments.
        byte[] write = hex("0007 0000 000b 01 10 000b 0002 04 0064 00c8");
        feed.handshake(p, HMI, PLC, 40_000, 502);
        f.tcp(1, 2, 0, HMI, PLC, 40_000, 502, 1000, 5000, 0x18, write, 9);
        feed.send(p);
        byte[] rest = java.util.Arrays.copyOfRange(write, 9, write.length);
        f.tcp(1, 2, 0, HMI, PLC, 40_000, 502, 1009, 5000, 0x18, rest, rest.length);
        feed.send(p);
        byte[] response = hex("0007 0000 0006 01 10 000b 0002");
        f.tcp(2, 1, 0, PLC, HMI, 502, 40_000, 5000, 1000 + write.length, 0x18, response, response.length);
        feed.send(p);
        // The same protocol on port 1502: recognised by its MBAP header.
        byte[] read = hex("0001 0000 0006 11 03 0000 000a");
        feed.handshake(p, WS, PLC, 40_001, 1502);
        f.tcp(1, 2, 0, WS, PLC, 40_001, 1502, 1000, 5000, 0x18, read, read.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> modbus = seen.stream().filter(o -> o.type == ObservationType.MODBUS_OP).toList();
        assertEquals(3, modbus.size(), seen.toString());
        Observation req = modbus.get(0);
        assertEquals(AppProtocol.MODBUS, req.appProtocol);
        assertEquals(16, req.modbus.functionCode);
        assertEquals(false, req.modbus.isResponse);
        assertEquals(11, req.modbus.startAddress);
        assertEquals(2, req.modbus.quantity);
        assertEquals(2, req.modbus.valueCount);
        assertEquals(100, req.modbus.values[0]);
        assertEquals(200, req.modbus.values[1]);
        assertEquals(502, req.dstPort);
        assertEquals(40_000, req.srcPort);
        Observation rsp = modbus.get(1);
        assertTrue(rsp.modbus.isResponse);
        assertEquals(7, rsp.modbus.transactionId);
        assertTrue(rsp.modbus.latencyNanos > 0, "matched to its request");
        Observation other = modbus.get(2);
        assertEquals(1502, other.dstPort);
        assertEquals(3, other.modbus.functionCode);
        assertEquals(0x11, other.modbus.unitId);
    }

    @Test
    void somethingElseOnPort502IsAMismatchOnce() throws Exception {
        Pipeline p = observations.start();
        feed.handshake(p, WS, PLC, 40_002, 502);
        byte[] http = "GET / HTTP/1.1\r\nHost: plc\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        f.tcp(1, 2, 0, WS, PLC, 40_002, 502, 1000, 5000, 0x18, http, http.length);
        feed.send(p);
        f.tcp(1, 2, 0, WS, PLC, 40_002, 502, 1000 + http.length, 5000, 0x18, http, http.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> mismatches = seen.stream().filter(o -> o.type == ObservationType.PROTOCOL_MISMATCH)
            .toList();
        assertEquals(1, mismatches.size(), seen.toString());
        assertEquals(AppProtocol.MODBUS, mismatches.get(0).appProtocol);
        assertEquals(0, seen.stream().filter(o -> o.type == ObservationType.MODBUS_OP).count());
    }

    @Test
    void bacnetWritePropertyOverUdp() throws Exception {
        Pipeline p = observations.start();
        byte[] write = hex("810a0018 0104 0005020f 0c00800001 1955 3e 4442c80000 3f");
        f.udp(1, 2, 0, WS, PLC, 47_808, 47_808, write, write.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> bacnet = seen.stream().filter(o -> o.type == ObservationType.BACNET_OP).toList();
        assertEquals(1, bacnet.size(), seen.toString());
        Observation o = bacnet.get(0);
        assertEquals(15, o.bacnet.serviceChoice, "writeProperty");
        assertEquals(2, o.bacnet.objectType, "analog-value");
        assertEquals(1, o.bacnet.instance);
        assertEquals(85, o.bacnet.propertyId, "present-value");
        assertEquals(100.0, o.bacnet.value, 1e-9);
        assertEquals(2, o.bacnet.invokeId);
    }

    /** One DNP3 link frame (unconfirmed user data) carrying one whole fragment: header, CRCs, transport octet. */
    private static byte[] dnp3(boolean fromMaster, int dst, int src, String apdu) {
        byte[] a = hex(apdu);
        byte[] user = new byte[1 + a.length];
        user[0] = (byte) 0xC0; // FIN, FIR, transport sequence 0
        System.arraycopy(a, 0, user, 1, a.length);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] h = {0x05, 0x64, (byte) (5 + user.length), (byte) (fromMaster ? 0xC4 : 0x44), (byte) dst,
            (byte) (dst >> 8), (byte) src, (byte) (src >> 8)};
        out.write(h, 0, 8);
        int crc = Dnp3Crc.compute(h, 0, 8);
        out.write(crc);
        out.write(crc >> 8);
        for (int p = 0; p < user.length; p += 16) {
            int n = Math.min(16, user.length - p);
            out.write(user, p, n);
            crc = Dnp3Crc.compute(user, p, n);
            out.write(crc);
            out.write(crc >> 8);
        }
        return out.toByteArray();
    }

    @Test
    void dnp3OperateSplitAcrossSegmentsBecomesAnIcsOperation() throws Exception {
        Pipeline p = observations.start();
        byte[] select = dnp3(true, 10, 1, "c3 03 0c01 28 0100 0500 03 01 64000000 64000000 00");
        feed.handshake(p, HMI, PLC, 40_010, 20_000);
        f.tcp(1, 2, 0, HMI, PLC, 40_010, 20_000, 1000, 5000, 0x18, select, 7);
        feed.send(p);
        byte[] rest = java.util.Arrays.copyOfRange(select, 7, select.length);
        f.tcp(1, 2, 0, HMI, PLC, 40_010, 20_000, 1007, 5000, 0x18, rest, rest.length);
        feed.send(p);
        byte[] response = dnp3(false, 1, 10, "c3 81 8000 0c01 28 0100 0500 03 01 64000000 64000000 00");
        f.tcp(2, 1, 0, PLC, HMI, 20_000, 40_010, 5000, 1000 + select.length, 0x18, response, response.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> ops = seen.stream().filter(o -> o.type == ObservationType.DNP3_OP).toList();
        assertEquals(2, ops.size(), seen.toString());
        IcsOp req = ops.get(0).ics;
        assertEquals(AppProtocol.DNP3, ops.get(0).appProtocol);
        assertEquals(3, req.function);
        assertEquals(IcsOp.KIND_CONTROL, req.kind);
        assertEquals(10, req.unit);
        assertEquals(1, req.peerUnit);
        assertEquals(1, req.objectCount);
        assertEquals(0x0C01, req.objects[0]);
        assertEquals(5, req.address);
        assertEquals(1, req.count);
        assertEquals(3, req.sequence);
        assertEquals(3, req.valueCount);
        assertEquals(3.0, req.values[0]);
        assertEquals(100.0, req.values[1]);
        assertEquals(100.0, req.values[2]);
        assertEquals(false, req.isResponse);
        IcsOp rsp = ops.get(1).ics;
        assertTrue(rsp.isResponse);
        assertEquals(0x8000, rsp.status);
        assertEquals(IcsOp.KIND_OTHER, rsp.kind);
        assertEquals(1, rsp.unit);
        assertEquals(20_000, ops.get(1).srcPort);
    }

    @Test
    void dnp3IsFoundByContentOnAnotherPortAndSomethingElseOn20000IsAMismatch() throws Exception {
        Pipeline p = observations.start();
        byte[] cold = dnp3(true, 4, 3, "c1 0d");
        feed.handshake(p, WS, PLC, 40_011, 20_001);
        f.tcp(1, 2, 0, WS, PLC, 40_011, 20_001, 1000, 5000, 0x18, cold, cold.length);
        feed.send(p);
        feed.handshake(p, WS, PLC, 40_012, 20_000);
        byte[] http = "GET / HTTP/1.1\r\nHost: rtu\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        f.tcp(1, 2, 0, WS, PLC, 40_012, 20_000, 1000, 5000, 0x18, http, http.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> ops = seen.stream().filter(o -> o.type == ObservationType.DNP3_OP).toList();
        assertEquals(1, ops.size(), seen.toString());
        assertEquals(13, ops.get(0).ics.function);
        assertEquals(IcsOp.KIND_CONTROL, ops.get(0).ics.kind);
        assertEquals(20_001, ops.get(0).dstPort);
        List<Observation> mismatches = seen.stream().filter(o -> o.type == ObservationType.PROTOCOL_MISMATCH)
            .toList();
        assertEquals(1, mismatches.size(), seen.toString());
        assertEquals(AppProtocol.DNP3, mismatches.get(0).appProtocol);
        assertEquals(20_000, mismatches.get(0).dstPort);
    }

    @Test
    void dnp3OverUdpCarriesAnalogOutputsAndUnsolicitedReports() throws Exception {
        Pipeline p = observations.start();
        byte[] operate = dnp3(true, 10, 1, "c4 05 2903 28 0100 0700 0000c03f 00");
        f.udp(1, 2, 0, HMI, PLC, 20_000, 20_000, operate, operate.length);
        feed.send(p);
        byte[] unsolicited = dnp3(false, 1, 10, "f0 82 0200 0202 17 01 03 81 000000000000");
        f.udp(2, 1, 0, PLC, HMI, 20_000, 20_000, unsolicited, unsolicited.length);
        feed.send(p);
        byte[] junk = "not a link frame".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 2; i++) {
            f.udp(1, 2, 0, WS, PLC, 40_020, 20_000, junk, junk.length);
            feed.send(p);
        }
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> mismatches = seen.stream().filter(o -> o.type == ObservationType.PROTOCOL_MISMATCH)
            .toList();
        assertEquals(1, mismatches.size(), "judged on the flow's first datagram: " + seen);
        assertEquals(AppProtocol.DNP3, mismatches.get(0).appProtocol);
        List<Observation> ops = seen.stream().filter(o -> o.type == ObservationType.DNP3_OP).toList();
        assertEquals(2, ops.size(), seen.toString());
        IcsOp op = ops.get(0).ics;
        assertEquals(5, op.function);
        assertEquals(0x2903, op.objects[0]);
        assertEquals(7, op.address);
        assertEquals(1, op.valueCount);
        assertEquals(1.5, op.values[0]);
        IcsOp report = ops.get(1).ics;
        assertEquals(IcsOp.KIND_REPORT, report.kind);
        assertEquals(0x0202, report.objects[0]);
        assertEquals(3, report.address, "first index prefix");
        assertEquals(0x0200, report.status);
    }
}
