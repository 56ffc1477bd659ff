package io.vigil.sensor.pipeline;

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
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * EtherNet/IP through the whole pipeline (decoder, flow table, reassembler, app layer, flow worker,
 * observation ring) to the device stage: the {@link IcsOp} fields of ENIP_OP observations as its
 * javadoc documents them, content detection on another port, the mismatch on 44818, and implicit
 * I/O counted but not observed.
 */
class EnipObservationTest {
    private static final int ENG = 0xC0A80A69;   // 192.168.10.105
    private static final int PLC = 0xC0A80A78;   // 192.168.10.120
    private static final long SESSION = 0x11020100L;

    private final TcpFeed feed = new TcpFeed();
    private final FrameBuilder f = feed.frames();
    private final ObservationCollector observations = new ObservationCollector();
    private final List<Observation> seen = observations.all();

    private void handshake(Pipeline p, int cport, int sport) {
        feed.handshake(p, ENG, PLC, cport, sport);
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static byte[] le16(int v) {
        return b(v & 0xFF, (v >> 8) & 0xFF);
    }

    private static byte[] le32(long v) {
        return b((int) v & 0xFF, (int) (v >> 8) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 24) & 0xFF);
    }

    private static byte[] encap(int command, byte[] context, byte[] data) {
        return cat(le16(command), le16(data.length), le32(SESSION), le32(0), context, le32(0), data);
    }

    private static byte[] rr(int contextByte, byte[] cip) {
        return encap(0x6F, b(contextByte, 0, 0, 0, 0, 0, 0, 0),
            cat(le32(0), le16(10), le16(2), le16(0), le16(0), le16(0xB2), le16(cip.length), cip));
    }

    @Test
    void cipOperationsArriveAsIcsOps() throws Exception {
        Pipeline p = observations.start();
        handshake(p, 2927, 44818);
        int seq = 1000;
        byte[] register = encap(0x65, new byte[8], cat(le16(1), le16(0)));
        // Unconnected Send of Stop to the Logix controller object (0x8E), route: backplane slot 0
        byte[] stop = rr(1, b(0x52, 0x02, 0x20, 0x06, 0x24, 0x01, 0x07, 0xF9, 6, 0, 0x07, 0x02, 0x20, 0x8E, 0x24, 0x01,
            0x01, 0x00, 0x01, 0x00));
        // Write Tag "Speed" DINT 42, sent split across two segments together with the stop
        byte[] write = rr(2, b(0x4D, 0x04, 0x91, 0x05, 'S', 'p', 'e', 'e', 'd', 0x00, 0xC4, 0x00, 0x01, 0x00, 42, 0, 0,
            0));
        byte[] stream = cat(register, stop, write);
        int cut = register.length + stop.length + 10;
        f.tcp(1, 2, 0, ENG, PLC, 2927, 44818, seq, 5000, 0x18, stream, cut);
        feed.send(p);
        byte[] rest = java.util.Arrays.copyOfRange(stream, cut, stream.length);
        f.tcp(1, 2, 0, ENG, PLC, 2927, 44818, seq + cut, 5000, 0x18, rest, rest.length);
        feed.send(p);
        byte[] stopResponse = rr(1, b(0x87, 0, 0, 0));
        f.tcp(2, 1, 0, PLC, ENG, 44818, 2927, 5000, seq + stream.length, 0x18, stopResponse, stopResponse.length);
        feed.send(p);
        // ListIdentity response over UDP: the product name goes to the asset inventory
        byte[] name = "1756-L61/B".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] item = cat(le16(1), b(0, 2, 0xAF, 0x12, 192, 168, 10, 120), new byte[8], le16(1), le16(14), le16(54),
            b(20, 11), le16(0x3060), le32(0x00C0FFEEL), b(name.length), name, b(3));
        byte[] identity = cat(le16(0x63), le16(item.length + 6), le32(0), le32(0), new byte[8], le32(0), le16(1),
            le16(0x0C), le16(item.length), item);
        f.udp(2, 1, 0, PLC, ENG, 44818, 50_000, identity, identity.length);
        feed.send(p);
        // implicit I/O: counted, not observed
        byte[] io = cat(le16(2), le16(0x8002), le16(8), le32(0x004B0603L), le32(7), le16(0xB1), le16(4), new byte[4]);
        f.udp(2, 1, 0, PLC, ENG, 2222, 2222, io, io.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> ops = seen.stream().filter(o -> o.type == ObservationType.ENIP_OP).toList();
        assertEquals(5, ops.size(), seen.toString());
        IcsOp reg = ops.get(0).ics;
        assertEquals(0x10065, reg.function);
        assertEquals(IcsOp.KIND_SESSION, reg.kind);
        assertEquals(SESSION, reg.unit);
        assertEquals(AppProtocol.ENIP, ops.get(0).appProtocol);

        IcsOp st = ops.get(1).ics;
        assertEquals(0x07, st.function);
        assertEquals(0x52, st.subFunction);
        assertEquals(IcsOp.KIND_CONTROL, st.kind);
        assertEquals(0x8E, st.objectClass);
        assertEquals(1, st.instance);
        assertFalse(st.isResponse);
        assertEquals(44818, ops.get(1).dstPort);

        IcsOp wr = ops.get(2).ics;
        assertEquals(0x4D, wr.function);
        assertEquals(IcsOp.KIND_WRITE, wr.kind);
        assertEquals("Speed", wr.nameString());
        assertEquals(1, wr.valueCount);
        assertEquals(42.0, wr.values[0]);
        assertEquals(1, wr.count);

        IcsOp rsp = ops.get(3).ics;
        assertTrue(rsp.isResponse);
        assertEquals(0x87, rsp.function);
        assertEquals(0, rsp.status);
        assertEquals(0x8E, rsp.objectClass, "the response carries its request's path");
        assertEquals(IcsOp.KIND_CONTROL, rsp.kind);

        IcsOp id = ops.get(4).ics;
        assertEquals(0x10063, id.function);
        assertEquals(IcsOp.KIND_DIAGNOSTIC, id.kind);
        assertEquals("1756-L61/B", id.nameString());
        assertEquals(17, ops.get(4).ipProto);
    }

    @Test
    void foundByContentElsewhereAndMismatchOn44818() throws Exception {
        Pipeline p = observations.start();
        handshake(p, 40_000, 2000);
        byte[] read = rr(3, b(0x0E, 0x03, 0x20, 0x01, 0x24, 0x01, 0x30, 0x07));
        f.tcp(1, 2, 0, ENG, PLC, 40_000, 2000, 1000, 5000, 0x18, read, read.length);
        feed.send(p);
        handshake(p, 40_001, 44818);
        byte[] http = "GET / HTTP/1.1\r\nHost: plc\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        f.tcp(1, 2, 0, ENG, PLC, 40_001, 44818, 1000, 5000, 0x18, http, http.length);
        feed.send(p);
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> ops = seen.stream().filter(o -> o.type == ObservationType.ENIP_OP).toList();
        assertEquals(1, ops.size(), seen.toString());
        assertEquals(2000, ops.get(0).dstPort);
        assertEquals(0x0E, ops.get(0).ics.function);
        assertEquals(IcsOp.KIND_READ, ops.get(0).ics.kind);
        assertEquals(1, ops.get(0).ics.objectClass);
        assertEquals(7, ops.get(0).ics.attribute);
        List<Observation> mismatches = seen.stream().filter(o -> o.type == ObservationType.PROTOCOL_MISMATCH)
            .toList();
        assertEquals(1, mismatches.size(), seen.toString());
        assertEquals(AppProtocol.ENIP, mismatches.get(0).appProtocol);
    }
}
