package io.vigil.bench;

import io.vigil.protocols.enip.EnipFlowState;
import io.vigil.protocols.enip.EnipMessage;
import io.vigil.protocols.enip.EnipMessageSink;
import io.vigil.protocols.enip.EnipOps;
import io.vigil.protocols.enip.EnipParser;
import io.vigil.protocols.observe.IcsOp;
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
 * EtherNet/IP + CIP cost per encapsulation message over the traffic of a Rockwell engineering
 * station polling a ControlLogix (shared corpus, enip_cip_example and EIP-RebootorRestart): a
 * connected Multiple Service Packet of 11 Get_Attribute_List requests and its response, a connected
 * Get_Attribute_List and its response, an Unconnected Send of Get_Attributes_All to the Identity
 * object and its response. One operation is one message (one segment each). Run with
 * {@code -prof gc}: the allocation per operation must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnipBench {
    private static final String MSP_REQUEST = "7000ba0000010211000000000000000000000000000000000000000001000200a1000400010b7c00b100a60089070a02"
            + "200224010b00180022002c0036004c005800640072007c008a0094000302200124010100050003022069240001000b00"
            + "03022073240101000200030220ac240107000100020003000500070009000a0003032068250020240100130003022070"
            + "24010200120013000302208e240103000300080010000302206924000100090003022068240003000f00180019000302"
            + "20772401010002000302208b240101000600";

    private static final String MSP_RESPONSE = "70000d0100010211000000000000000000000000000000000000000000000200a10004002800fe80b100f90089078a00"
            + "00000b001800240030003c0074007f009500ad00b900d500e1008300000001000500000060308300000001000b000000"
            + "03008300000001000200000000008300000007000100000005000200000001000300000095291f040500000000000700"
            + "00000200000009000000010001000a0000008422df488300000001001300000000830000000200120000000000000013"
            + "000000000000008300000003000300000014000800000000001000000001008300000001000900000000008300000003"
            + "000f0000000000180000000000000019000000000000008300000001000200000002018300000001000600000073b4ea"
            + "05f4590400";

    private static final String GET_LIST_REQUEST = "7000200000010211000000000000000000000000000000000000000001000200a1000400010b7c00b1000c008b070302"
            + "208b240101000800";

    private static final String GET_LIST_RESPONSE = "7000480000010211000000000000000000000000000000000000000000000200a10004002800fe80b10034008b078300"
            + "000001000800000024000000474d542d30353a3030204561737465726e2054696d652028555320262043616e61646129";

    private static final String UNCONNECTED_SEND = "6f0024000001021100000000b39b02002008e10000000000000000002000020000000000b200140052022006240107f9"
            + "060001022001240101000100";

    private static final String UNCONNECTED_RESPONSE = "6f0037000001021100000000b39b02002008e10000000000000000002000020000000000b20027008100000001000e00"
            + "3600101460303f82510014313735362d4c36312f42204c4f47495835353631";

    private byte[][] messages;
    private boolean[] fromClient;
    private final EnipParser parser = new EnipParser();
    private final EnipMessage msg = new EnipMessage();
    private final EnipFlowState state = new EnipFlowState();
    private final IcsOp op = new IcsOp();
    private long sum;
    private final EnipMessageSink count = m -> sum += m.service + m.cipClass + m.serviceCount;
    private final EnipMessageSink toOp = m -> {
        EnipOps.fill(op, m);
        sum += op.kind + op.objectClass + op.objectCount;
    };
    private int next;

    @Setup
    public void setUp() {
        String[] hex = {MSP_REQUEST, MSP_RESPONSE, GET_LIST_REQUEST, GET_LIST_RESPONSE, UNCONNECTED_SEND,
            UNCONNECTED_RESPONSE};
        messages = new byte[hex.length][];
        fromClient = new boolean[hex.length];
        for (int i = 0; i < hex.length; i++) {
            messages[i] = bytes(hex[i]);
            fromClient[i] = i % 2 == 0;
        }
    }

    private static byte[] bytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Framing, decoding and request/response matching (path onto responses, latency). */
    @Benchmark
    public long parse() {
        int i = next++ % messages.length;
        byte[] b = messages[i];
        return parser.parseStream(b, 0, b.length, fromClient[i], msg, state, count) + sum;
    }

    /** As {@link #parse}, plus the reduction to the IcsOp the flow worker publishes. */
    @Benchmark
    public long parseToIcsOp() {
        int i = next++ % messages.length;
        byte[] b = messages[i];
        return parser.parseStream(b, 0, b.length, fromClient[i], msg, state, toOp) + sum;
    }
}
