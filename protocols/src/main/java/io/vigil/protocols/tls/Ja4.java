package io.vigil.protocols.tls;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * JA4 (ClientHello) and JA4S (ServerHello) fingerprints, written into a caller's byte array without allocating: one
 * SHA-256 engine, one text buffer and one sort buffer are reused.
 *
 * <p>Specification followed: FoxIO "JA4: TLS Client Fingerprinting" and "JA4S: TLS Server Response / Session
 * Fingerprinting", technical_details/JA4.md and JA4S.md as of release v0.18.2 of FoxIO-LLC/ja4, with the two later
 * clarifications of the reference implementations: an empty cipher or extension list hashes to "000000000000", and
 * when the first or last byte of the first ALPN value is not ASCII alphanumeric the two ALPN characters are the first
 * and last characters of that value's hex form. Concretely:
 * <ul>
 * <li>JA4 = {@code t} (TCP; QUIC and DTLS are not parsed here), version (highest non-GREASE supported_versions entry,
 *     else legacy_version: 13 12 11 10 s3 s2 s1, other 00), {@code d} with a server_name extension else {@code i},
 *     cipher count and extension count (two digits, GREASE excluded, at most 99; the extension count includes SNI and
 *     ALPN), first and last character of the first ALPN value ({@code 00} without one), {@code _}, the first 12 hex
 *     digits of SHA-256 over the sorted non-GREASE cipher suites as 4-digit lower-case hex joined by commas, {@code _},
 *     the first 12 hex digits of SHA-256 over the sorted non-GREASE extension types without 0000 (SNI) and 0010
 *     (ALPN), then, if the hello has signature_algorithms, {@code _} and those algorithms in wire order (GREASE
 *     dropped, as everywhere).</li>
 * <li>JA4S = {@code t}, version (supported_versions as selected, else server_version), extension count (two digits),
 *     first and last character of the selected ALPN ({@code 00} without), {@code _}, the chosen cipher suite as 4-digit
 *     hex, {@code _}, the first 12 hex digits of SHA-256 over the extension types in wire order.</li>
 * </ul>
 */
final class Ja4 {
    /** "t13d1516h2_8daaf6152771_b186095e22b6". */
    static final int JA4_LENGTH = 36;
    /** "t130200_1301_234ea6891581". */
    static final int JA4S_LENGTH = 25;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final MessageDigest sha256;
    private final int[] sort;
    private final byte[] text;
    private int textLen;
    private final byte[] digest = new byte[32];

    /** @param maxValues the most 16-bit values one list can hold (a handshake run's bytes / 2) */
    Ja4(int maxValues) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
        sort = new int[maxValues];
        text = new byte[5 * maxValues + 16];
    }

    /**
     * JA4 of a ClientHello into {@code out[0, 36)}: ciphers are the 16-bit values in b[cipherStart, cipherEnd),
     * extensions the {@code extCount} types in {@code ext}, signature algorithms the list in b[sigStart, sigEnd)
     * ({@code sigStart} -1 when the extension is absent).
     */
    void client(byte[] b, int cipherStart, int cipherEnd, int[] ext, int extCount, int sigStart, int sigEnd,
                TlsHello h, byte[] out) {
        out[0] = 't';
        version(h.supportedVersion >= 0 ? h.supportedVersion : h.legacyVersion, out, 1);
        boolean sni = false;
        int extensions = 0;
        for (int i = 0; i < extCount; i++) {
            if (!TlsParser.isGrease(ext[i])) {
                extensions++;
                sni |= ext[i] == 0;
            }
        }
        out[3] = (byte) (sni ? 'd' : 'i');
        int n = 0;
        for (int p = cipherStart; cipherEnd - p >= 2; p += 2) {
            int v = u16(b, p);
            if (!TlsParser.isGrease(v)) {
                sort[n++] = v;
            }
        }
        twoDigits(n, out, 4);
        twoDigits(extensions, out, 6);
        alpn(h, out, 8);
        out[10] = '_';
        Arrays.sort(sort, 0, n);
        textLen = 0;
        hexList(sort, n);
        hash12(n == 0, out, 11);
        out[23] = '_';
        n = 0;
        for (int i = 0; i < extCount; i++) {
            int t = ext[i];
            if (!TlsParser.isGrease(t) && t != 0x0000 && t != 0x0010) {
                sort[n++] = t;
            }
        }
        Arrays.sort(sort, 0, n);
        textLen = 0;
        hexList(sort, n);
        if (sigStart >= 0) {
            byte separator = '_';
            for (int p = sigStart; sigEnd - p >= 2; p += 2) {
                int v = u16(b, p);
                if (!TlsParser.isGrease(v)) {
                    text[textLen++] = separator;
                    separator = ',';
                    hex4(v);
                }
            }
        }
        hash12(n == 0, out, 24);
    }

    /** JA4S of a ServerHello into {@code out[0, 25)}; extensions as for {@link #client}. */
    void server(int[] ext, int extCount, TlsHello h, byte[] out) {
        out[0] = 't';
        version(h.supportedVersion >= 0 ? h.supportedVersion : h.legacyVersion, out, 1);
        twoDigits(extCount, out, 3);
        alpn(h, out, 5);
        out[7] = '_';
        int c = h.selectedCipherSuite;
        out[8] = HEX[c >> 12 & 0xF];
        out[9] = HEX[c >> 8 & 0xF];
        out[10] = HEX[c >> 4 & 0xF];
        out[11] = HEX[c & 0xF];
        out[12] = '_';
        textLen = 0;
        hexList(ext, extCount);
        hash12(extCount == 0, out, 13);
    }

    private static void version(int v, byte[] out, int at) {
        byte a;
        byte b;
        switch (v) {
            case 0x0304: a = '1'; b = '3'; break;
            case 0x0303: a = '1'; b = '2'; break;
            case 0x0302: a = '1'; b = '1'; break;
            case 0x0301: a = '1'; b = '0'; break;
            case 0x0300: a = 's'; b = '3'; break;
            case 0x0200: a = 's'; b = '2'; break;
            case 0x0100: a = 's'; b = '1'; break;
            default: a = '0'; b = '0'; break;
        }
        out[at] = a;
        out[at + 1] = b;
    }

    private static void twoDigits(int n, byte[] out, int at) {
        n = Math.min(n, 99);
        out[at] = (byte) ('0' + n / 10);
        out[at + 1] = (byte) ('0' + n % 10);
    }

    private static void alpn(TlsHello h, byte[] out, int at) {
        if (h.alpnOffset < 0 || h.alpnLength == 0) {
            out[at] = '0';
            out[at + 1] = '0';
            return;
        }
        int first = h.data[h.alpnOffset] & 0xFF;
        int last = h.data[h.alpnOffset + h.alpnLength - 1] & 0xFF;
        if (alnum(first) && alnum(last)) {
            out[at] = (byte) first;
            out[at + 1] = (byte) last;
        } else {
            out[at] = HEX[first >> 4];
            out[at + 1] = HEX[last & 0xF];
        }
    }

    private static boolean alnum(int c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private void hexList(int[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                text[textLen++] = ',';
            }
            hex4(values[i]);
        }
    }

    private void hex4(int v) {
        text[textLen++] = HEX[v >> 12 & 0xF];
        text[textLen++] = HEX[v >> 8 & 0xF];
        text[textLen++] = HEX[v >> 4 & 0xF];
        text[textLen++] = HEX[v & 0xF];
    }

    /** The first 12 hex digits of SHA-256 over the text, or twelve zeros for an empty list. */
    private void hash12(boolean empty, byte[] out, int at) {
        if (empty) {
            Arrays.fill(out, at, at + 12, (byte) '0');
            return;
        }
        sha256.update(text, 0, textLen);
        try {
            sha256.digest(digest, 0, 32);
        } catch (DigestException impossible) {
            sha256.reset();
        }
        for (int i = 0; i < 6; i++) {
            out[at + 2 * i] = HEX[digest[i] >> 4 & 0xF];
            out[at + 2 * i + 1] = HEX[digest[i] & 0xF];
        }
    }

    /** The text last hashed (tests and debugging; allocates). */
    String lastText() {
        return new String(text, 0, textLen, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }
}
