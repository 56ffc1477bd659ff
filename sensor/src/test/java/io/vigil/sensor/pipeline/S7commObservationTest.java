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
 * S7 through the whole pipeline to the device stage: a COTP connection and an S7comm write split across TCP
 * segments on port 102, S7 found by content on another port (CR, CC, then the first DT), S7comm-plus, and something
 * else on port 102 reported as a protocol mismatch once.
 */
class S7commObservationTest {
    private static final int HMI = 0x0A1E020A;   // 10.30.2.10
    private static final int PLC = 0x0A1E010A;   // 10.30.1.10

    private final TcpFeed feed = new TcpFeed();
    private final FrameBuilder f = feed.frames();
    private final ObservationCollector observations = new ObservationCollector();
    private final List<Observation> seen = observations.all();
    private int clientSeq;
    private int serverSeq;

    private void handshake(Pipeline p, int cport, int sport) {
        feed.handshake(p, HMI, PLC, cport, sport);
        clientSeq = 1000;
        serverSeq = 5000;
    }

    private void client(Pipeline p, int cport, int sport, byte[] b) {
        f.tcp(1, 2, 0, HMI, PLC, cport, sport, clientSeq, serverSeq, 0x18, b, b.length);
        feed.send(p);
        clientSeq += b.length;
    }

    private void server(Pipeline p, int cport, int sport, byte[] b) {
        f.tcp(2, 1, 0, PLC, HMI, sport, cport, serverSeq, clientSeq, 0x18, b, b.length);
        feed.send(p);
        serverSeq += b.length;
    }

    private static final byte[] CR = hex("0300 0016 11 e0 0000 0007 00 c0010a c1020100 c2020102");
    private static final byte[] CC = hex("0300 0016 11 d0 0007 0003 00 c0010a c1020100 c2020102");
    private static final byte[] SETUP = hex("0300 0019 02f080 3201 0000 0200 0008 0000 f0 00 0001 0001 01e0");
    private static final byte[] SETUP_ACK = hex("0300 001b 02f080 3203 0000 0200 0008 0000 0000 f0 00 0001 0001 01e0");
    /** Write var: DB1.DBW10 := 1234 (INT). */
    private static final byte[] WRITE = hex("0300 0025 02f080 3201 0000 0500 000e 0006 05 01 12 0a 10 05 0001 0001 84"
        + " 000050 00 04 0010 04d2");
    private static final byte[] WRITE_ACK = hex("0300 0016 02f080 3203 0000 0500 0002 0001 0000 05 01 ff");

    @Test
    void writeOnPort102SplitAcrossSegments() throws Exception {
        Pipeline p = observations.start();
        handshake(p, 40_000, 102);
        client(p, 40_000, 102, CR);
        server(p, 40_000, 102, CC);
        client(p, 40_000, 102, SETUP);
        server(p, 40_000, 102, SETUP_ACK);
        client(p, 40_000, 102, Arrays.copyOf(WRITE, 13));
        client(p, 40_000, 102, Arrays.copyOfRange(WRITE, 13, WRITE.length));
        server(p, 40_000, 102, WRITE_ACK);
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> s7 = observations.of(ObservationType.S7COMM_OP);
        assertEquals(6, s7.size(), seen.toString());
        Observation cr = s7.get(0);
        assertEquals(AppProtocol.S7COMM, cr.appProtocol);
        assertEquals(0x400E0, cr.ics.function);
        assertEquals(IcsOp.KIND_SESSION, cr.ics.kind);
        assertEquals(0x0102, cr.ics.unit);
        Observation setup = s7.get(2);
        assertEquals(0xF0, setup.ics.function);
        assertEquals(IcsOp.KIND_SESSION, setup.ics.kind);
        Observation write = s7.get(4);
        assertEquals(102, write.dstPort);
        assertEquals(0x05, write.ics.function);
        assertEquals(1, write.ics.subFunction, "ROSCTR job");
        assertEquals(IcsOp.KIND_WRITE, write.ics.kind);
        assertFalse(write.ics.isResponse);
        assertEquals(0x0500, write.ics.sequence);
        assertEquals(1, write.ics.objectCount);
        assertEquals(0x84, write.ics.objects[0]);
        assertEquals(1, write.ics.instance, "DB1");
        assertEquals(10, write.ics.address);
        assertEquals(1, write.ics.valueCount);
        assertEquals(1234.0, write.ics.values[0]);
        assertEquals(0x0102, write.ics.unit, "rack 0 slot 2 from the CR");
        Observation ack = s7.get(5);
        assertTrue(ack.ics.isResponse);
        assertEquals(IcsOp.KIND_WRITE, ack.ics.kind);
        assertEquals(0, ack.ics.status);
        assertTrue(observations.of(ObservationType.PROTOCOL_MISMATCH).isEmpty());
    }

    @Test
    void foundByContentOnAnotherPortAndPlus() throws Exception {
        Pipeline p = observations.start();
        handshake(p, 40_001, 1102);
        client(p, 40_001, 1102, CR);
        server(p, 40_001, 1102, CC);
        client(p, 40_001, 1102, SETUP);
        server(p, 40_001, 1102, SETUP_ACK);
        // S7comm-plus V3 SetVariable with its integrity digest
        byte[] plus = new byte[4 + 3 + 4 + 33 + 14 + 4];
        byte[] head = hex("0300 003e 02f080 7203 002f 20");
        System.arraycopy(head, 0, plus, 0, head.length);
        byte[] op = hex("31 0000 04f2 0000 831a 00000000 01");
        System.arraycopy(op, 0, plus, 11 + 33, op.length);
        byte[] tail = hex("72030000");
        System.arraycopy(tail, 0, plus, plus.length - 4, 4);
        client(p, 40_001, 1102, plus);
        assertTrue(p.finish(30, TimeUnit.SECONDS));

        List<Observation> s7 = observations.of(ObservationType.S7COMM_OP);
        assertEquals(5, s7.size(), seen.toString());
        assertEquals(1102, s7.get(0).dstPort);
        // Off port 102 each side's bytes wait until a DT confirms S7: the CR goes out with the client's first
        // DT, the CC with the server's.
        assertEquals(0x400E0, s7.get(0).ics.function);
        assertEquals(0xF0, s7.get(1).ics.function);
        assertEquals(0x400D0, s7.get(2).ics.function);
        assertEquals(0xF0, s7.get(3).ics.function);
        assertTrue(s7.get(3).ics.isResponse);
        Observation v3 = s7.get(4);
        assertEquals(0x204F2, v3.ics.function);
        assertEquals(0x31, v3.ics.subFunction);
        assertEquals(0x831A, v3.ics.sequence);
        assertTrue(v3.ics.opaque);
        assertEquals(IcsOp.KIND_WRITE, v3.ics.kind);
    }

    @Test
    void somethingElseOnPort102IsAMismatchOnce() throws Exception {
        Pipeline p = observations.start();
        handshake(p, 40_002, 102);
        byte[] http = "GET / HTTP/1.1\r\nHost: plc\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        client(p, 40_002, 102, http);
        client(p, 40_002, 102, http);
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> mismatches = observations.of(ObservationType.PROTOCOL_MISMATCH);
        assertEquals(1, mismatches.size(), seen.toString());
        assertEquals(AppProtocol.S7COMM, mismatches.get(0).appProtocol);
        assertTrue(observations.of(ObservationType.S7COMM_OP).isEmpty());
    }
}
