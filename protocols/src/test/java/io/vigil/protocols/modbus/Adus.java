package io.vigil.protocols.modbus;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: hand-built ADUs and a sink that keeps copies. */
final class Adus {
    private Adus() {
    }

    /** MBAP header (length computed) + unit id + function code + body (each int one byte). */
    static byte[] adu(int tid, int unit, int fc, int... body) {
        byte[] b = new byte[8 + body.length];
        b[0] = (byte) (tid >>> 8);
        b[1] = (byte) tid;
        int len = 2 + body.length;
        b[4] = (byte) (len >>> 8);
        b[5] = (byte) len;
        b[6] = (byte) unit;
        b[7] = (byte) fc;
        for (int i = 0; i < body.length; i++) {
            b[8 + i] = (byte) body[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static final class Collector implements ModbusPduSink {
        final List<ModbusPdu> pdus = new ArrayList<>();

        @Override
        public void onPdu(ModbusPdu pdu) {
            ModbusPdu c = new ModbusPdu();
            c.copyFrom(pdu);
            pdus.add(c);
        }
    }

    /** Parses a buffer holding exactly one ADU and returns it. */
    static ModbusPdu one(byte[] b, boolean fromClient) {
        Collector c = new Collector();
        int used = new ModbusParser().parse(b, 0, b.length, fromClient, new ModbusPdu(), c);
        if (used != b.length || c.pdus.size() != 1) {
            throw new AssertionError("consumed " + used + " of " + b.length + ", " + c.pdus.size() + " ADUs");
        }
        return c.pdus.get(0);
    }
}
