package io.vigil.protocols.tls;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * TLS record-layer parser for one direction of an in-order TCP stream: delivers each ClientHello
 * and ServerHello as a {@link TlsHello} (SNI, ALPN, versions, JA3/JA3S, JA4/JA4S) and skips every other
 * record by its length. Keeps no per-flow state, so one instance serves every flow of a worker;
 * it owns the scratch buffers and the MD5 engine that make the parse path allocation-free, so it
 * is not thread-safe.
 *
 * <p><b>Framing.</b> Only whole records are consumed; a partial one is left to the caller. A
 * handshake message may span records: a run of consecutive handshake records is gathered until it
 * ends on a message boundary, then walked. Because nothing is remembered between calls, the caller
 * is asked to hold at most {@link #MAX_PENDING} bytes; a run longer than that (a certificate chain
 * in many records) is consumed record by record, and messages cut at a record end are dropped,
 * which never costs a hello in practice (they come first and are far smaller).
 *
 * <p><b>Robustness.</b> A header that is not a TLS record (type 20..24, major version 3, length
 * within the ciphertext limit) means the stream is not TLS or we lost step: the rest of the buffer
 * is consumed and counted, since a record layer cannot be resynchronised reliably. Every read is
 * bounded by its enclosing length; nothing throws on hostile input.
 */
public final class TlsParser {
    private static final byte HEARTBEAT = 24;
    /** RFC 6520: a heartbeat message carries at least 16 bytes of random padding after its payload. */
    private static final int HEARTBEAT_MIN_PADDING = 16;
    /** Largest record the RFC allows on the wire (TLSCiphertext: 2^14 + 2048). */
    static final int MAX_RECORD = 16384 + 2048;
    /** The most the parser leaves unconsumed while waiting for a handshake run to complete. */
    public static final int MAX_PENDING = 40 * 1024;
    /** A handshake run larger than this is not gathered (hellos are a few hundred bytes). */
    private static final int MAX_RUN = 64 * 1024;

    private final byte[] scratch = new byte[MAX_RUN];
    /** JA3 text: at most 6 characters ("65535-") per 2 input bytes, plus one 255-byte point-format list. */
    private final byte[] text = new byte[3 * MAX_RUN + 2048];
    private int textLen;
    private final MessageDigest md5;
    private final Ja4 ja4 = new Ja4(MAX_RUN / 2);
    /** Extension types of the hello being parsed, in wire order (each takes at least 4 bytes). */
    private final int[] extTypes = new int[MAX_RUN / 4];
    private int extTypeCount;

    private long records;
    private long hellos;
    private long malformedHellos;
    private long notTlsBytes;

    public TlsParser() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is mandatory in every JRE", e);
        }
    }

    /**
     * Parses every complete record in {@code buf[off, off+len)}, handing each hello to {@code sink}.
     *
     * @return bytes consumed; an incomplete trailing record (or handshake run) is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, TlsHello out, TlsHelloSink sink) {
        if (buf == null || out == null || sink == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        final int end = off + len;
        int pos = off;
        while (end - pos >= 5) {
            int rlen = recordLength(buf, pos);
            if (rlen < 0) {
                notTlsBytes += end - pos;
                return len;
            }
            if (buf[pos] != 22) {
                if (end - pos < 5 + rlen) {
                    break;
                }
                if (buf[pos] == HEARTBEAT && rlen >= 3) {
                    heartbeat(buf, pos, rlen, fromClient, sink);
                }
                records++;
                pos += 5 + rlen;
                continue;
            }
            int next = handshakeRun(buf, pos, end, fromClient, out, sink);
            if (next == pos) {
                break;
            }
            pos = next;
        }
        return pos - off;
    }

    /**
     * Content detection: a handshake record of a plausible version and length that starts with a
     * ClientHello or ServerHello whose length fits the record.
     */
    public static boolean looksLikeTls(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 9 || off > buf.length - len) {
            return false;
        }
        if (buf[off] != 22 || buf[off + 1] != 3 || (buf[off + 2] & 0xFF) > 4) {
            return false;
        }
        int rlen = u16(buf, off + 3);
        int type = buf[off + 5];
        int mlen = u24(buf, off + 6);
        return rlen >= 4 + 38 && rlen <= 16384 && (type == 1 || type == 2) && mlen >= 38 && mlen <= 0xFFFF;
    }

    public long records() {
        return records;
    }

    public long hellos() {
        return hellos;
    }

    public long malformedHellos() {
        return malformedHellos;
    }

    public long notTlsBytes() {
        return notTlsBytes;
    }

    /** The JA3/JA3S text of the last hello (for tests and debugging; allocates). */
    String lastJa3Text() {
        return new String(text, 0, textLen, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The text the last JA4 hash covered (its c part for a ClientHello; tests and debugging; allocates). */
    String lastJa4Text() {
        return ja4.lastText();
    }

    /**
     * Reports a heartbeat whose first byte is a request or response type. After ChangeCipherSpec the
     * record is encrypted and that byte is ciphertext; a stateless parser cannot tell, but with AEAD
     * suites it is the explicit nonce (a counter, 0 at first) and heartbeats are rare after the
     * handshake anyway, which is where Heartbleed sends them.
     */
    private static void heartbeat(byte[] b, int p, int rlen, boolean fromClient, TlsHelloSink sink) {
        int type = b[p + 5] & 0xFF;
        if (type != 1 && type != 2) {
            return;
        }
        int payload = u16(b, p + 6);
        sink.onHeartbeat(fromClient, type, payload, rlen, payload + 3 + HEARTBEAT_MIN_PADDING > rlen);
    }

    /** Record payload length, or -1 when the header is not a TLS record header. */
    private static int recordLength(byte[] b, int p) {
        int type = b[p];
        if (type < 20 || type > 24 || b[p + 1] != 3 || (b[p + 2] & 0xFF) > 4) {
            return -1;
        }
        int rlen = u16(b, p + 3);
        return rlen > MAX_RECORD ? -1 : rlen;
    }

    /**
     * Handles the handshake records starting at {@code start}; returns where parsing goes on, or
     * {@code start} to wait for more bytes.
     */
    private int handshakeRun(byte[] b, int start, int end, boolean fromClient, TlsHello out, TlsHelloSink sink) {
        int recordVersion = u16(b, start + 1);
        int rlen = u16(b, start + 3);
        if (end - start < 5 + rlen) {
            return start;
        }
        int fs = start + 5;
        int fe = fs + rlen;
        if (boundary(b, fs, fe) == fe) { // the common case: messages whole within one record
            records++;
            walk(b, fs, fe, fromClient, recordVersion, out, sink);
            return fe;
        }
        int n = 0;
        int q = start;
        boolean complete = false;
        boolean mayGrow = false;
        while (true) {
            if (end - q < 5) {
                mayGrow = true;
                break;
            }
            int l = recordLength(b, q);
            if (l < 0 || b[q] != 22) {
                break; // run broken by another record type or garbage: take what we have
            }
            if (end - q < 5 + l) {
                mayGrow = true;
                break;
            }
            if (n + l > scratch.length) {
                break;
            }
            System.arraycopy(b, q + 5, scratch, n, l);
            n += l;
            q += 5 + l;
            records++;
            if (boundary(scratch, 0, n) == n) {
                complete = true;
                break;
            }
        }
        if (!complete && mayGrow && end - start < MAX_PENDING) {
            records -= countRecords(b, start, q);
            return start;
        }
        walk(scratch, 0, n, fromClient, recordVersion, out, sink);
        return q;
    }

    private static int countRecords(byte[] b, int from, int to) {
        int c = 0;
        for (int p = from; p < to; p += 5 + u16(b, p + 3)) {
            c++;
        }
        return c;
    }

    /** Position of the first handshake message not wholly inside [p, e). */
    private static int boundary(byte[] b, int p, int e) {
        while (e - p >= 4) {
            int ml = u24(b, p + 1);
            if (ml > e - p - 4) {
                return p;
            }
            p += 4 + ml;
        }
        return p;
    }

    private void walk(byte[] b, int p, int e, boolean fromClient, int recordVersion, TlsHello out,
                      TlsHelloSink sink) {
        while (e - p >= 4) {
            int type = b[p];
            int ml = u24(b, p + 1);
            if (ml > e - p - 4) {
                return;
            }
            if (type == TlsHello.CLIENT_HELLO || type == TlsHello.SERVER_HELLO) {
                out.reset(b, fromClient, type, recordVersion);
                parseHello(b, p + 4, p + 4 + ml, out);
                hellos++;
                if (out.malformed) {
                    malformedHellos++;
                }
                sink.onHello(out);
            }
            p += 4 + ml;
        }
    }

    /** Decodes one hello body [p, e) and computes its JA3/JA3S. */
    private void parseHello(byte[] b, int p, int e, TlsHello h) {
        textLen = 0;
        if (e - p < 35) {
            h.malformed = true;
            return;
        }
        h.legacyVersion = u16(b, p);
        if (!h.isClient && isHelloRetryRandom(b, p + 2)) {
            h.helloRetryRequest = true;
        }
        p += 34;
        int sid = b[p] & 0xFF;
        p += 1 + sid;
        int cipherStart;
        int cipherEnd;
        if (h.isClient) {
            if (e - p < 2) {
                h.malformed = true;
                return;
            }
            int cl = u16(b, p);
            p += 2;
            if (cl > e - p || (cl & 1) != 0) {
                h.malformed = true;
                return;
            }
            cipherStart = p;
            cipherEnd = p + cl;
            h.cipherSuiteCount = cl / 2;
            p += cl;
            if (e - p < 1) {
                h.malformed = true;
                return;
            }
            int comp = b[p] & 0xFF;
            p += 1 + comp;
        } else {
            if (e - p < 3) {
                h.malformed = true;
                return;
            }
            cipherStart = p;
            cipherEnd = p + 2;
            h.cipherSuiteCount = 1;
            h.selectedCipherSuite = u16(b, p);
            p += 3;
        }
        if (p > e) {
            h.malformed = true;
            return;
        }
        // JA3 = version,ciphers,extensions,groups,point formats; JA3S = version,cipher,extensions.
        writeDec(h.legacyVersion);
        writeChar(',');
        writeList16(b, cipherStart, cipherEnd);
        writeChar(',');
        int groupsOff = -1;
        int groupsEnd = -1;
        int formatsOff = -1;
        int formatsEnd = -1;
        int sigOff = -1;
        int sigEnd = -1;
        extTypeCount = 0;
        if (e - p >= 2) {
            int el = u16(b, p);
            p += 2;
            if (el > e - p) {
                h.malformed = true;
                el = e - p;
            }
            int xe = p + el;
            boolean first = true;
            while (xe - p >= 4) {
                int type = u16(b, p);
                int l = u16(b, p + 2);
                p += 4;
                if (l > xe - p) {
                    h.malformed = true;
                    break;
                }
                h.extensionCount++;
                if (extTypeCount < extTypes.length) {
                    extTypes[extTypeCount++] = type;
                }
                if (!isGrease(type)) {
                    if (!first) {
                        writeChar('-');
                    }
                    writeDec(type);
                    first = false;
                }
                switch (type) {
                    case 0:
                        serverName(b, p, p + l, h);
                        break;
                    case 16:
                        alpn(b, p, p + l, h);
                        break;
                    case 43:
                        supportedVersions(b, p, p + l, h);
                        break;
                    case 10:
                        if (l >= 2 && u16(b, p) <= l - 2) {
                            groupsOff = p + 2;
                            groupsEnd = p + 2 + (u16(b, p) & ~1);
                        }
                        break;
                    case 11:
                        if (l >= 1 && (b[p] & 0xFF) <= l - 1) {
                            formatsOff = p + 1;
                            formatsEnd = p + 1 + (b[p] & 0xFF);
                        }
                        break;
                    case 13:
                        if (l >= 2 && u16(b, p) <= l - 2) {
                            sigOff = p + 2;
                            sigEnd = p + 2 + (u16(b, p) & ~1);
                        }
                        break;
                    default:
                        break;
                }
                p += l;
            }
            if (p != xe) {
                h.malformed = true;
            }
        }
        if (h.isClient) {
            writeChar(',');
            if (groupsOff >= 0) {
                writeList16(b, groupsOff, groupsEnd);
            }
            writeChar(',');
            for (int i = formatsOff; i >= 0 && i < formatsEnd; i++) {
                if (i > formatsOff) {
                    writeChar('-');
                }
                writeDec(b[i] & 0xFF);
            }
        }
        md5.update(text, 0, textLen);
        try {
            md5.digest(h.ja3, 0, 16);
            // A hello cut short would hash a prefix: a fingerprint no real client has.
            h.ja3Valid = !h.malformed;
        } catch (DigestException impossible) {
            md5.reset();
        }
        if (!h.malformed) {
            if (h.isClient) {
                ja4.client(b, cipherStart, cipherEnd, extTypes, extTypeCount, sigOff, sigEnd, h, h.ja4);
                h.ja4Length = Ja4.JA4_LENGTH;
            } else {
                ja4.server(extTypes, extTypeCount, h, h.ja4);
                h.ja4Length = Ja4.JA4S_LENGTH;
            }
            h.ja4Valid = true;
        }
    }

    private static void serverName(byte[] b, int p, int e, TlsHello h) {
        if (e - p < 2) {
            return; // a ServerHello echoes an empty server_name
        }
        int ll = u16(b, p);
        p += 2;
        int le = Math.min(e, p + ll);
        while (le - p >= 3) {
            int type = b[p] & 0xFF;
            int l = u16(b, p + 1);
            p += 3;
            if (l > le - p) {
                h.malformed = true;
                return;
            }
            if (type == 0 && h.sniOffset < 0) {
                h.sniOffset = p;
                h.sniLength = l;
            }
            p += l;
        }
    }

    private static void alpn(byte[] b, int p, int e, TlsHello h) {
        if (e - p < 2) {
            return;
        }
        int ll = u16(b, p);
        p += 2;
        int le = Math.min(e, p + ll);
        while (le - p >= 1) {
            int l = b[p] & 0xFF;
            p++;
            if (l > le - p) {
                h.malformed = true;
                return;
            }
            if (h.alpnCount == 0) {
                h.alpnOffset = p;
                h.alpnLength = l;
            }
            h.alpnCount++;
            p += l;
        }
    }

    private static void supportedVersions(byte[] b, int p, int e, TlsHello h) {
        if (!h.isClient) {
            if (e - p >= 2) {
                h.supportedVersion = u16(b, p);
            }
            return;
        }
        if (e - p < 1) {
            return;
        }
        int l = b[p] & 0xFF;
        p++;
        int le = Math.min(e, p + l);
        for (; le - p >= 2; p += 2) {
            int v = u16(b, p);
            if (!isGrease(v) && v > h.supportedVersion) {
                h.supportedVersion = v;
            }
        }
    }

    /** RFC 8446 4.1.3: SHA-256("HelloRetryRequest") as the ServerHello random. */
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D, (byte) 0x8C,
        0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB,
        (byte) 0x8C, 0x5E, 0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C};

    private static boolean isHelloRetryRandom(byte[] b, int p) {
        for (int i = 0; i < 32; i++) {
            if (b[p + i] != HRR_RANDOM[i]) {
                return false;
            }
        }
        return true;
    }

    /** GREASE (RFC 8701): 0x?A?A with both bytes equal. JA3 drops these so browsers hash stably. */
    static boolean isGrease(int v) {
        return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
    }

    private void writeList16(byte[] b, int p, int e) {
        boolean first = true;
        for (; e - p >= 2; p += 2) {
            int v = u16(b, p);
            if (isGrease(v)) {
                continue;
            }
            if (!first) {
                writeChar('-');
            }
            writeDec(v);
            first = false;
        }
    }

    private void writeChar(char c) {
        text[textLen++] = (byte) c;
    }

    private void writeDec(int v) {
        if (v >= 10) {
            writeDec(v / 10);
        }
        text[textLen++] = (byte) ('0' + v % 10);
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static int u24(byte[] b, int p) {
        return ((b[p] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
    }
}
