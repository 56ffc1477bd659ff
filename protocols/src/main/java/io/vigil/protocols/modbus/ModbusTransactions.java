package io.vigil.protocols.modbus;

/**
 * Per-flow Modbus transaction state: the requests still waiting for a response, keyed by MBAP
 * transaction id, so that a response can be matched to its request. One object per flow; nothing
 * is allocated per PDU.
 *
 * <p>A client may pipeline requests, but rarely more than a few; 64 outstanding requests cover
 * that with room to spare. The table is open-addressed with linear probing and backward-shift
 * deletion (no tombstones, so probe chains stay short however long the flow lives). When it is
 * full, the oldest request is dropped: a request that old has been answered unseen or never will be.
 *
 * <p>A response matches the outstanding request with the same transaction id, unit id and
 * function code (as Wireshark does); the matched request is removed, so a second response to it
 * counts as unmatched. A request reusing an outstanding id replaces the older request and counts
 * as a duplicate: many masters (and the specification's own examples) use id 0 throughout, where
 * only the latest request can be answered.
 */
public final class ModbusTransactions {
    public static final int CAPACITY = 64;
    private static final int MASK = CAPACITY - 1;
    private static final int EMPTY = -1;

    private final int[] key = new int[CAPACITY];
    private final int[] unit = new int[CAPACITY];
    private final int[] function = new int[CAPACITY];
    private final int[] start = new int[CAPACITY];
    private final int[] quantity = new int[CAPACITY];
    private final long[] frame = new long[CAPACITY];
    private final long[] time = new long[CAPACITY];
    private final long[] seq = new long[CAPACITY];
    private int size;
    private long nextSeq;

    private long requests;
    private long matchedResponses;
    private long unmatchedResponses;
    private long duplicateTransactionIds;
    private long evicted;

    public ModbusTransactions() {
        java.util.Arrays.fill(key, EMPTY);
    }

    /** Records a request, or matches a response to its request, by {@link ModbusPdu#isResponse}. */
    public boolean track(ModbusPdu pdu, long frameNumber, long timestampNanos) {
        if (pdu.isResponse) {
            return onResponse(pdu, frameNumber, timestampNanos);
        }
        onRequest(pdu, frameNumber, timestampNanos);
        return false;
    }

    public void onRequest(ModbusPdu req, long frameNumber, long timestampNanos) {
        requests++;
        int tid = req.transactionId & 0xFFFF;
        int slot = find(tid);
        if (slot >= 0) {
            duplicateTransactionIds++;
        } else {
            if (size == CAPACITY) {
                removeAt(oldest());
                evicted++;
            }
            slot = hash(tid);
            while (key[slot] != EMPTY) {
                slot = (slot + 1) & MASK;
            }
            key[slot] = tid;
            size++;
        }
        unit[slot] = req.unitId;
        function[slot] = req.functionCode;
        start[slot] = req.startAddress;
        quantity[slot] = req.quantity;
        frame[slot] = frameNumber;
        time[slot] = timestampNanos;
        seq[slot] = nextSeq++;
    }

    /**
     * Matches a response: on success sets {@code matched}, {@code requestFrame} and
     * {@code latencyNanos}, and fills startAddress/quantity when the response does not carry them.
     *
     * @return true when the response matched an outstanding request
     */
    public boolean onResponse(ModbusPdu rsp, long frameNumber, long timestampNanos) {
        int slot = find(rsp.transactionId & 0xFFFF);
        if (slot < 0 || unit[slot] != rsp.unitId || function[slot] != rsp.functionCode) {
            unmatchedResponses++;
            return false;
        }
        matchedResponses++;
        rsp.matched = true;
        rsp.requestFrame = frame[slot];
        rsp.latencyNanos = timestampNanos - time[slot];
        if (!rsp.isException && rsp.startAddress < 0 && start[slot] >= 0) {
            rsp.startAddress = start[slot];
            rsp.quantity = quantity[slot];
            rsp.addressFromRequest = true;
            int fc = rsp.functionCode;
            if ((fc == 1 || fc == 2) && rsp.quantity >= 0 && rsp.quantity < rsp.bitCount) {
                rsp.bitCount = rsp.quantity; // the padding bits of the last byte are not coils
            }
        }
        removeAt(slot);
        return true;
    }

    private static int hash(int tid) {
        // Ids are usually sequential, which the low bits spread perfectly; the fold keeps ids that
        // step by 64 (several masters interleaving) from piling into one chain.
        return (tid ^ (tid >>> 6)) & MASK;
    }

    private int find(int tid) {
        int slot = hash(tid);
        for (int i = 0; i < CAPACITY; i++) {
            int k = key[slot];
            if (k == EMPTY) {
                return -1;
            }
            if (k == tid) {
                return slot;
            }
            slot = (slot + 1) & MASK;
        }
        return -1;
    }

    private int oldest() {
        int best = -1;
        for (int i = 0; i < CAPACITY; i++) {
            if (key[i] != EMPTY && (best < 0 || seq[i] < seq[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Backward-shift deletion: moves later members of the probe chain into the hole. */
    private void removeAt(int hole) {
        key[hole] = EMPTY;
        size--;
        int i = hole;
        while (true) {
            i = (i + 1) & MASK;
            int k = key[i];
            if (k == EMPTY) {
                return;
            }
            int home = hash(k);
            // Move k when its home is not in the cyclic range (hole, i].
            boolean stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!stays) {
                key[hole] = k;
                unit[hole] = unit[i];
                function[hole] = function[i];
                start[hole] = start[i];
                quantity[hole] = quantity[i];
                frame[hole] = frame[i];
                time[hole] = time[i];
                seq[hole] = seq[i];
                key[i] = EMPTY;
                hole = i;
            }
        }
    }

    /** Forgets every outstanding request (flow end or reuse of the object). */
    public void clear() {
        java.util.Arrays.fill(key, EMPTY);
        size = 0;
    }

    public int outstanding() {
        return size;
    }

    public long requests() {
        return requests;
    }

    public long matchedResponses() {
        return matchedResponses;
    }

    public long unmatchedResponses() {
        return unmatchedResponses;
    }

    public long duplicateTransactionIds() {
        return duplicateTransactionIds;
    }

    /** Outstanding requests dropped because the table was full. */
    public long evictedRequests() {
        return evicted;
    }
}
