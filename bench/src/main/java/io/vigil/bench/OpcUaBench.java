package io.vigil.bench;

import io.vigil.protocols.opcua.OpcUaFlowState;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaMessageSink;
import io.vigil.protocols.opcua.OpcUaParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * OPC UA parse cost per message on a security-None channel: a stream of MSG ReadRequest (4 nodes),
 * ReadResponse (4 values) and WriteRequest (Double), parsed as one buffer per direction the way
 * the app layer offers a reassembled segment. Run with {@code -prof gc}: the allocation per
 * operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpcUaBench {
    /** Messages per direction buffer; each op is normalised to one message. */
    private static final int ROUNDS = 64;
    private static final int MESSAGES = ROUNDS * 3;

    private byte[] client;
    private byte[] server;
    private final OpcUaParser parser = new OpcUaParser();
    private final OpcUaMessage msg = new OpcUaMessage();
    private OpcUaFlowState state;
    private Blackhole hole;
    private final OpcUaMessageSink sink = m -> hole.consume(m.serviceId + m.nodes.count + m.statusCount);

    @Setup
    public void setUp(Blackhole bh) {
        hole = bh;
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        write(c, opn(true));
        write(s, opn(false));
        for (int i = 0; i < ROUNDS; i++) {
            long rq = 2 + 2L * i;
            write(c, msg(rq, readRequest()));
            write(s, msg(rq, readResponse()));
            write(c, msg(rq + 1, writeRequest()));
        }
        client = c.toByteArray();
        server = s.toByteArray();
        state = new OpcUaFlowState();
        parser.parse(client, 0, client.length, true, msg, state, sink); // opens channel 5 as None
        parser.parse(server, 0, server.length, false, msg, state, sink);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES + 2)
    public int parseMessages() {
        return parser.parse(client, 0, client.length, true, msg, state, sink)
            + parser.parse(server, 0, server.length, false, msg, state, sink);
    }

    // ---- Part 6 encoding, little-endian ----

    private static final class Enc {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();

        Enc u8(int v) {
            o.write(v);
            return this;
        }

        Enc u16(int v) {
            return u8(v).u8(v >>> 8);
        }

        Enc u32(long v) {
            return u16((int) v & 0xFFFF).u16((int) (v >>> 16) & 0xFFFF);
        }

        Enc i64(long v) {
            return u32(v & 0xFFFFFFFFL).u32(v >>> 32);
        }

        Enc str(String s) {
            if (s == null) {
                return u32(0xFFFFFFFFL);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            o.write(b, 0, b.length);
            return this;
        }

        Enc service(int id) {
            return u8(1).u8(0).u16(id);
        }

        Enc requestHeader() {
            return u8(0).u8(0).i64(133_000_000_000_000_000L).u32(1).u32(0).str(null).u32(10_000).u8(0).u8(0).u8(0);
        }

        Enc responseHeader() {
            return i64(133_000_000_000_000_000L).u32(1).u32(0).u8(0).u32(0xFFFFFFFFL).u8(0).u8(0).u8(0);
        }

        byte[] bytes() {
            return o.toByteArray();
        }
    }

    private static byte[] readRequest() {
        Enc e = new Enc().service(631).requestHeader().i64(0).u32(2).u32(4);
        for (int i = 0; i < 4; i++) {
            e.u8(3).u16(2).str("Line1.Temperature" + i).u32(13).str(null).u16(0).str(null);
        }
        return e.bytes();
    }

    private static byte[] readResponse() {
        Enc e = new Enc().service(634).responseHeader().u32(4);
        for (int i = 0; i < 4; i++) {
            e.u8(0x05).u8(11).i64(Double.doubleToRawLongBits(20.5 + i)).i64(1);
        }
        return e.u32(0xFFFFFFFFL).bytes();
    }

    private static byte[] writeRequest() {
        return new Enc().service(673).requestHeader().u32(1).u8(3).u16(2).str("Line1.Setpoint").u32(13).str(null)
            .u8(0x01).u8(11).i64(Double.doubleToRawLongBits(42.5)).bytes();
    }

    private static byte[] msg(long rqid, byte[] body) {
        Enc e = new Enc();
        e.o.writeBytes("MSGF".getBytes(StandardCharsets.US_ASCII));
        e.u32(8 + 16 + body.length).u32(5).u32(1).u32(rqid).u32(rqid);
        e.o.writeBytes(body);
        return e.bytes();
    }

    private static byte[] opn(boolean request) {
        Enc b = new Enc().u32(request ? 0 : 5).str("http://opcfoundation.org/UA/SecurityPolicy#None").str(null)
            .str(null).u32(1).u32(1);
        if (request) {
            b.service(446).requestHeader().u32(0).u32(0).u32(1).str("").u32(600_000);
        } else {
            b.service(449).responseHeader().u32(0).u32(5).u32(1).i64(0).u32(600_000).str("");
        }
        byte[] body = b.bytes();
        Enc e = new Enc();
        e.o.writeBytes("OPNF".getBytes(StandardCharsets.US_ASCII));
        e.u32(8 + body.length);
        e.o.writeBytes(body);
        return e.bytes();
    }

    private static void write(ByteArrayOutputStream o, byte[] b) {
        o.write(b, 0, b.length);
    }
}
