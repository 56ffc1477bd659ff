package io.vigil.protocols.testsupport;

import java.nio.charset.StandardCharsets;

/** Byte helpers of the differential tests. */
public final class Bytes {
    private Bytes() {
    }

    /** A field given as offset/length into a message's bytes, one char per byte; "" where the offset is -1 (absent). */
    public static String latin1(byte[] b, int off, int len) {
        return off < 0 ? "" : new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
