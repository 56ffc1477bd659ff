package io.vigil.protocols.tls;

import org.junit.jupiter.api.Test;

class TlsParserTest {
    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void placeholder() {
    }
}
