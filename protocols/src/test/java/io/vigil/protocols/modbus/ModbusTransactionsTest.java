package io.vigil.protocols.modbus;

import static io.vigil.protocols.modbus.Adus.adu;
import static io.vigil.protocols.modbus.Adus.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModbusTransactionsTest {

    @Test
    void responseGetsAddressLatencyAndFrameFromItsRequest() {
        ModbusTransactions tx = new ModbusTransactions();
        tx.track(one(adu(10, 1, 3, 0x00, 0x6B, 0x00, 0x03), true), 4, 1_000);
        tx.track(one(adu(11, 1, 1, 0x00, 0x13, 0x00, 0x0A), true), 5, 2_000);
        ModbusPdu coils = one(adu(11, 1, 1, 2, 0xFF, 0xFF), false);
        assertTrue(tx.track(coils, 6, 2_500));
        assertEquals(19, coils.startAddress);
        assertEquals(10, coils.quantity);
        assertEquals(10, coils.bitCount, "padding bits of the last byte are not coils");
        assertTrue(coils.addressFromRequest);
        assertEquals(5, coils.requestFrame);
        assertEquals(500, coils.latencyNanos);
        ModbusPdu regs = one(adu(10, 1, 3, 6, 0, 1, 0, 2, 0, 3), false);
        assertTrue(tx.track(regs, 7, 4_000));
        assertEquals(107, regs.startAddress);
        assertEquals(3, regs.quantity);
        assertEquals(3_000, regs.latencyNanos);
        assertEquals(0, tx.outstanding());
        assertEquals(2, tx.matchedResponses());
    }

    @Test
    void responseCarryingItsOwnAddressKeepsIt() {
        ModbusTransactions tx = new ModbusTransactions();
        tx.track(one(adu(1, 1, 6, 0, 5, 0, 9), true), 1, 0);
        ModbusPdu r = one(adu(1, 1, 6, 0, 5, 0, 9), false);
        assertTrue(tx.track(r, 2, 10));
        assertFalse(r.addressFromRequest);
        assertEquals(5, r.startAddress);
    }

    @Test
    void exceptionResponseMatchesButGetsNoAddress() {
        ModbusTransactions tx = new ModbusTransactions();
        tx.track(one(adu(3, 1, 3, 0, 0, 0, 1), true), 1, 0);
        ModbusPdu e = one(adu(3, 1, 0x83, 2), false);
        assertTrue(tx.track(e, 2, 7));
        assertEquals(1, e.requestFrame);
        assertEquals(-1, e.startAddress);
    }

    @Test
    void unmatchedAndDuplicates() {
        ModbusTransactions tx = new ModbusTransactions();
        assertFalse(tx.track(one(adu(9, 1, 3, 2, 0, 0), false), 1, 0));
        tx.track(one(adu(5, 1, 3, 0, 0, 0, 1), true), 2, 0);
        tx.track(one(adu(5, 1, 3, 0, 7, 0, 1), true), 3, 0);
        assertEquals(1, tx.duplicateTransactionIds());
        assertFalse(tx.track(one(adu(5, 2, 3, 2, 0, 0), false), 4, 0), "other unit");
        assertFalse(tx.track(one(adu(5, 1, 4, 2, 0, 0), false), 4, 0), "other function");
        ModbusPdu r = one(adu(5, 1, 3, 2, 0, 0), false);
        assertTrue(tx.track(r, 5, 0));
        assertEquals(7, r.startAddress, "the latest request with the id wins");
        assertFalse(tx.track(one(adu(5, 1, 3, 2, 0, 0), false), 6, 0), "matched once only");
        assertEquals(4, tx.unmatchedResponses());
    }

    @Test
    void oldestIsOverwrittenWhenFull() {
        ModbusTransactions tx = new ModbusTransactions();
        for (int i = 0; i < ModbusTransactions.CAPACITY + 10; i++) {
            tx.track(one(adu(i * 7, 1, 3, 0, i, 0, 1), true), i, i);
        }
        assertEquals(ModbusTransactions.CAPACITY, tx.outstanding());
        assertEquals(10, tx.evictedRequests());
        assertFalse(tx.track(one(adu(0, 1, 3, 2, 0, 0), false), 100, 0), "the oldest went first");
        ModbusPdu r = one(adu(10 * 7, 1, 3, 2, 0, 0), false);
        assertTrue(tx.track(r, 100, 0));
        assertEquals(10, r.startAddress);
    }

    /** Random requests/responses against a map model: the probe chains survive backward-shift deletion. */
    @Test
    void behavesLikeAMapModel() {
        SplittableRandom rnd = new SplittableRandom(64);
        ModbusTransactions tx = new ModbusTransactions();
        Map<Integer, Long> model = new HashMap<>();
        ArrayDeque<Integer> order = new ArrayDeque<>();
        ModbusPdu p = new ModbusPdu();
        for (int i = 0; i < 200_000; i++) {
            int tid = rnd.nextBoolean() ? rnd.nextInt(200) : rnd.nextInt(65536);
            p.reset();
            p.transactionId = tid;
            p.unitId = 1;
            p.functionCode = 3;
            if (rnd.nextInt(3) > 0) {
                p.isResponse = false;
                p.startAddress = i & 0xFFFF;
                p.quantity = 1;
                tx.track(p, i, i);
                if (model.put(tid, (long) i) != null) {
                    order.remove(tid);
                } else if (model.size() > ModbusTransactions.CAPACITY) {
                    model.remove(order.pollFirst());
                }
                order.addLast(tid);
            } else {
                p.isResponse = true;
                boolean matched = tx.track(p, i, i);
                Long frame = model.remove(tid);
                assertEquals(frame != null, matched, "step " + i);
                if (frame != null) {
                    order.remove(tid);
                    assertEquals((long) frame, p.requestFrame);
                }
            }
            assertEquals(model.size(), tx.outstanding());
        }
    }
}
