package io.vigil.sensor.simulate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** A growable big-endian byte buffer for building protocol messages, with back-patching of length fields. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    Bytes u8(int v) {
        out.write(v);
        return this;
    }

    Bytes u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Bytes u24(int v) {
        out.write(v >>> 16);
        return u16(v);
    }

    Bytes u32(long v) {
        u16((int) (v >>> 16));
        return u16((int) v);
    }

    Bytes u32le(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    Bytes bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    Bytes ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    Bytes random(SplittableRandom r, int n) {
        for (int i = 0; i < n; i++) {
            out.write(r.nextInt(256));
        }
        return this;
    }

    Bytes zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    static void put32le(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static byte[] text(String... lines) {
        return String.join("", lines).getBytes(StandardCharsets.US_ASCII);
    }
}
