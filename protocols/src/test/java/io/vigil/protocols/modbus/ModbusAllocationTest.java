package io.vigil.protocols.modbus;

import static io.vigil.protocols.modbus.Adus.adu;
import static io.vigil.protocols.modbus.Adus.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ModbusAllocationTest {
    private static final int ADUS = 100_000;

    @Test
    void parseAndMatchAllocateNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // Every function body, exceptions, malformed ADUs and garbage resynchronisation in one stream each way.
        byte[] requests = concat(adu(1, 1, 3, 0, 0, 0, 10), adu(2, 1, 16, 0, 1, 0, 2, 4, 0, 1, 0, 2),
            adu(3, 1, 15, 0, 0, 0, 9, 2, 0xFF, 1), adu(4, 1, 23, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0),
            adu(5, 1, 43, 14, 1, 0), adu(6, 1, 21, 9, 6, 0, 1, 0, 1, 0, 1, 0, 0), adu(7, 1, 20, 7, 6, 0, 1, 0, 1, 0, 1),
            adu(8, 1, 24, 0, 4), adu(9, 1, 8, 0, 0, 1, 2), adu(10, 1, 1, 0, 0, 0, 20), adu(11, 1, 6, 0, 1, 0, 2),
            adu(12, 1, 3, 0, 0, 0, 0), new byte[] {1, 2, 3, 4, 5}, adu(13, 1, 90, 1), adu(14, 1, 66, 1));
        byte[] responses = concat(adu(1, 1, 3, 20, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10), adu(2, 1, 16, 0, 1, 0, 2),
            adu(3, 1, 15, 0, 0, 0, 9), adu(4, 1, 23, 2, 0, 0), adu(5, 1, 43, 14, 1, 1, 0, 0, 1, 0, 1, 'x'),
            adu(6, 1, 21, 9, 6, 0, 1, 0, 1, 0, 1, 0, 0), adu(7, 1, 20, 4, 3, 6, 0, 1), adu(8, 1, 24, 0, 4, 0, 1, 0, 5),
            adu(9, 1, 8, 0, 0, 1, 2), adu(10, 1, 1, 3, 1, 2, 3), adu(11, 1, 6, 0, 1, 0, 2), adu(12, 1, 0x83, 3),
            adu(13, 1, 12, 6, 0, 0, 0, 0, 0, 0), adu(99, 1, 4, 2, 0, 1));
        ModbusParser parser = new ModbusParser();
        ModbusTransactions tx = new ModbusTransactions();
        ModbusPdu pdu = new ModbusPdu();
        long[] frame = {0};
        ModbusPduSink sink = p -> tx.track(p, frame[0], frame[0] * 1000);
        run(parser, pdu, sink, requests, responses, frame); // warm-up: JIT compilation allocates on this thread
        run(parser, pdu, sink, requests, responses, frame);
        long adusBefore = parser.adus();
        long before = mx.getThreadAllocatedBytes(thread);
        run(parser, pdu, sink, requests, responses, frame);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(parser.adus() - adusBefore >= ADUS, "ADUs " + (parser.adus() - adusBefore));
        assertTrue(tx.matchedResponses() > 0 && tx.unmatchedResponses() > 0 && parser.skippedBytes() > 0);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + ADUS + " ADUs");
    }

    private static void run(ModbusParser parser, ModbusPdu pdu, ModbusPduSink sink, byte[] requests,
                            byte[] responses, long[] frame) {
        long start = parser.adus();
        while (parser.adus() - start < ADUS) {
            frame[0]++;
            assertEquals(requests.length, parser.parse(requests, 0, requests.length, true, pdu, sink));
            frame[0]++;
            assertEquals(responses.length, parser.parse(responses, 0, responses.length, false, pdu, sink));
        }
    }
}
