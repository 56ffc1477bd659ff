package io.vigil.protocols.app;

import java.util.LinkedHashMap;
import java.util.Map;

/** Per-worker tallies of the application layer; merged at the end like the decode counters. */
public final class AppCounters {
    private final long[] pdus = new long[AppProtocol.values().length];
    private final long[] malformed = new long[AppProtocol.values().length];
    private final long[] mismatches = new long[AppProtocol.values().length];
    private final long[] flows = new long[AppProtocol.values().length];
    /** Messages the protocol's own segmentation split (BACnet segments, DNP3 transport, COTP) and that were rejoined. */
    private final long[] reassembled = new long[AppProtocol.values().length];
    /** Such messages given up: a missed segment, or past the reassembly bound. */
    private final long[] reassemblyLost = new long[AppProtocol.values().length];
    private long gaps;

    void pdu(AppProtocol p, boolean isMalformed) {
        pdus[p.ordinal()]++;
        if (isMalformed) {
            malformed[p.ordinal()]++;
        }
    }

    void mismatch(AppProtocol p) {
        mismatches[p.ordinal()]++;
    }

    void flowsClassified(AppProtocol p) {
        flows[p.ordinal()]++;
    }

    void messageReassembled(AppProtocol p) {
        reassembled[p.ordinal()]++;
    }

    void messageLost(AppProtocol p) {
        reassemblyLost[p.ordinal()]++;
    }

    public long reassembled(AppProtocol p) {
        return reassembled[p.ordinal()];
    }

    public long reassemblyLost(AppProtocol p) {
        return reassemblyLost[p.ordinal()];
    }

    void gap() {
        gaps++;
    }

    public long pdus(AppProtocol p) {
        return pdus[p.ordinal()];
    }

    public long malformed(AppProtocol p) {
        return malformed[p.ordinal()];
    }

    public long mismatches(AppProtocol p) {
        return mismatches[p.ordinal()];
    }

    /** Stream gaps the parsers had to resynchronise across. */
    public long gaps() {
        return gaps;
    }

    public void addTo(AppCounters total) {
        for (int i = 0; i < pdus.length; i++) {
            total.pdus[i] += pdus[i];
            total.malformed[i] += malformed[i];
            total.mismatches[i] += mismatches[i];
            total.flows[i] += flows[i];
            total.reassembled[i] += reassembled[i];
            total.reassemblyLost[i] += reassemblyLost[i];
        }
        total.gaps += gaps;
    }

    /** "modbus" → {pdus, malformed, mismatches, flows, reassembled, reassembly lost}, for the statistics JSON. */
    public Map<String, long[]> byProtocol() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (AppProtocol p : AppProtocol.values()) {
            int i = p.ordinal();
            m.put(p.label(), new long[] {pdus[i], malformed[i], mismatches[i], flows[i], reassembled[i],
                reassemblyLost[i]});
        }
        return m;
    }
}
