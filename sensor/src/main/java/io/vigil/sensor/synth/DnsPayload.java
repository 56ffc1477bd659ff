package io.vigil.sensor.synth;

import java.nio.charset.StandardCharsets;

/** A DNS A query, or its answer with one IPv4 address, as the synthetic traffic generators send them. */
public final class DnsPayload {
    private DnsPayload() {
    }

    /** Writes the message into {@code payload} from offset 0 and returns its length. */
    public static int write(byte[] payload, int id, String name, boolean response, int answerIpv4) {
        int n = put16(payload, 0, id);
        n = put16(payload, n, response ? 0x8180 : 0x0100);
        n = put16(payload, n, 1);
        n = put16(payload, n, response ? 1 : 0);
        n = put16(payload, n, 0);
        n = put16(payload, n, 0);
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            payload[n++] = (byte) b.length;
            System.arraycopy(b, 0, payload, n, b.length);
            n += b.length;
        }
        payload[n++] = 0;
        n = put16(payload, n, 1); // type A
        n = put16(payload, n, 1); // class IN
        if (response) {
            n = put16(payload, n, 0xC00C); // the name, compressed to the question's
            n = put16(payload, n, 1);
            n = put16(payload, n, 1);
            n = put16(payload, n, 0);
            n = put16(payload, n, 300); // TTL
            n = put16(payload, n, 4);
            for (int i = 3; i >= 0; i--) {
                payload[n++] = (byte) (answerIpv4 >>> (8 * i));
            }
        }
        return n;
    }

    /** Big-endian 16 bits at {@code at}; returns the offset after them. */
    public static int put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
        return at + 2;
    }
}
