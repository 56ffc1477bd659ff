package io.vigil.protocols.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.testsupport.Bytes;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TlsParserTest {
    /** What the sink saw, copied out of the flyweight. */
    record Seen(int type, int recordVersion, int legacy, int supported, int suites, int selected, int extensions,
                String sni, String alpn, int alpnCount, String ja3, boolean hrr, boolean malformed) {
        static Seen of(TlsHello h) {
            return new Seen(h.handshakeType, h.recordVersion, h.legacyVersion, h.supportedVersion, h.cipherSuiteCount,
                h.selectedCipherSuite, h.extensionCount, Bytes.latin1(h.data, h.sniOffset, h.sniLength),
                Bytes.latin1(h.data, h.alpnOffset, h.alpnLength), h.alpnCount, h.ja3Valid ? hex(h.ja3) : "",
                h.helloRetryRequest, h.malformed);
        }
    }

    // ---- builders ----

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] vec16(byte[] body) {
        return cat(u16(body.length), body);
    }

    static byte[] vec8(byte[] body) {
        return cat(new byte[] {(byte) body.length}, body);
    }

    static byte[] list16(int... vs) {
        byte[] b = new byte[2 * vs.length];
        for (int i = 0; i < vs.length; i++) {
            b[2 * i] = (byte) (vs[i] >> 8);
            b[2 * i + 1] = (byte) vs[i];
        }
        return b;
    }

    static byte[] ext(int type, byte[] body) {
        return cat(u16(type), vec16(body));
    }

    static byte[] handshake(int type, byte[] body) {
        return cat(new byte[] {(byte) type, (byte) (body.length >> 16), (byte) (body.length >> 8), (byte) body.length},
            body);
    }

    static byte[] record(int type, byte[] body) {
        return cat(new byte[] {(byte) type, 3, 1}, vec16(body));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Chrome-like ClientHello: GREASE in suites, extensions, groups and versions. */
    static byte[] clientHelloBody() {
        byte[] exts = cat(
            ext(0x1A1A, new byte[0]),
            ext(0, vec16(cat(new byte[] {0}, vec16(ascii("example.com"))))),
            ext(23, new byte[0]),
            ext(16, vec16(cat(vec8(ascii("h2")), vec8(ascii("http/1.1"))))),
            ext(10, vec16(list16(0x2A2A, 29, 23, 24))),
            ext(11, vec8(new byte[] {0})),
            ext(43, vec8(list16(0x3A3A, 0x0304, 0x0303))),
            ext(0x4A4A, new byte[] {0}));
        return cat(u16(0x0303), new byte[32], vec8(new byte[32]), vec16(list16(0x0A0A, 0x1301, 0x1302, 0xC02B, 0xC02F)),
            vec8(new byte[] {0}), vec16(exts));
    }

    static final String CLIENT_JA3 = "771,4865-4866-49195-49199,0-23-16-10-11-43,29-23-24,0";

    static byte[] clientHello() {
        return record(22, handshake(1, clientHelloBody()));
    }

    static byte[] serverHelloBody() {
        byte[] exts = cat(ext(43, u16(0x0304)), ext(16, vec16(vec8(ascii("h2")))));
        return cat(u16(0x0303), new byte[32], vec8(new byte[0]), u16(0x1301), new byte[] {0}, vec16(exts));
    }

    static final String SERVER_JA3S = "771,4865,43-16";

    static List<Seen> parseAll(TlsParser p, byte[] stream, boolean fromClient) {
        List<Seen> seen = new ArrayList<>();
        int used = p.parse(stream, 0, stream.length, fromClient, new TlsHello(), h -> seen.add(Seen.of(h)));
        assertEquals(stream.length, used);
        return seen;
    }

    static String md5(String s) throws Exception {
        return hex(MessageDigest.getInstance("MD5").digest(ascii(s)));
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    // ---- tests ----

    @Test
    void heartbeatsAreReportedAndTheHeartbleedShapeOverflows() {
        TlsParser p = new TlsParser();
        List<String> beats = new ArrayList<>();
        TlsHelloSink sink = new TlsHelloSink() {
            @Override
            public void onHello(TlsHello hello) {
            }

            @Override
            public void onHeartbeat(boolean fromClient, int type, int payloadLength, int recordLength, boolean overflows) {
                beats.add(type + "/" + payloadLength + "/" + recordLength + "/" + overflows);
            }
        };
        byte[] keepAlive = record(24, cat(new byte[] {1}, u16(16), new byte[16], new byte[16]));
        byte[] heartbleed = record(24, cat(new byte[] {1}, u16(0x4000)));
        byte[] ciphertext = record(24, cat(new byte[] {(byte) 0x9c}, new byte[40])); // not a request/response type
        byte[] stream = cat(record(22, handshake(1, clientHelloBody())), keepAlive, heartbleed, ciphertext);
        assertEquals(stream.length, p.parse(stream, 0, stream.length, true, new TlsHello(), sink));
        assertEquals(List.of("1/16/35/false", "1/16384/3/true"), beats);
    }

    @Test
    void clientHelloFieldsAndJa3() throws Exception {
        TlsParser p = new TlsParser();
        List<Seen> seen = parseAll(p, clientHello(), true);
        assertEquals(1, seen.size());
        Seen s = seen.get(0);
        assertEquals(1, s.type());
        assertEquals(0x0301, s.recordVersion());
        assertEquals(0x0303, s.legacy());
        assertEquals(0x0304, s.supported(), "max non-GREASE supported_versions");
        assertEquals(5, s.suites(), "GREASE suite counts as offered");
        assertEquals(-1, s.selected());
        assertEquals(8, s.extensions());
        assertEquals("example.com", s.sni());
        assertEquals("h2", s.alpn());
        assertEquals(2, s.alpnCount());
        assertFalse(s.malformed());
        assertEquals(CLIENT_JA3, p.lastJa3Text());
        assertEquals(md5(CLIENT_JA3), s.ja3());
    }

    /** The JA3 of a published example: the test vector of salesforce/ja3 README's first fingerprint text. */
    @Test
    void ja3OfKnownText() throws Exception {
        // "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0" -> ada70206e40642a3e4461f35503241d5
        byte[] exts = cat(ext(0, vec16(cat(new byte[] {0}, vec16(ascii("a.b"))))), ext(10, vec16(list16(23, 24, 25))),
            ext(11, vec8(new byte[] {0})));
        byte[] body = cat(u16(0x0301), new byte[32], vec8(new byte[0]),
            vec16(list16(47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4)), vec8(new byte[] {0}), vec16(exts));
        TlsParser p = new TlsParser();
        List<Seen> seen = parseAll(p, record(22, handshake(1, body)), true);
        assertEquals("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", p.lastJa3Text());
        assertEquals("ada70206e40642a3e4461f35503241d5", seen.get(0).ja3());
    }

    @Test
    void serverHelloSelectedValuesAndJa3s() throws Exception {
        TlsParser p = new TlsParser();
        List<Seen> seen = parseAll(p, record(22, handshake(2, serverHelloBody())), false);
        Seen s = seen.get(0);
        assertEquals(2, s.type());
        assertEquals(0x1301, s.selected());
        assertEquals(0x0304, s.supported());
        assertEquals("h2", s.alpn());
        assertEquals("", s.sni());
        assertEquals(SERVER_JA3S, p.lastJa3Text());
        assertEquals(md5(SERVER_JA3S), s.ja3());
    }

    @Test
    void helloRetryRequestIsFlagged() {
        byte[] body = serverHelloBody();
        byte[] hrr = {(byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D,
            (byte) 0x8C, 0x02, 0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A,
            (byte) 0xBB, (byte) 0x8C, 0x5E, 0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33,
            (byte) 0x9C};
        System.arraycopy(hrr, 0, body, 2, 32);
        assertTrue(parseAll(new TlsParser(), record(22, handshake(2, body)), false).get(0).hrr());
        assertFalse(parseAll(new TlsParser(), record(22, handshake(2, serverHelloBody())), false).get(0).hrr());
    }

    @Test
    void otherRecordsAreSkippedByLength() {
        byte[] stream = cat(record(22, handshake(2, serverHelloBody())), record(20, new byte[] {1}),
            record(23, new byte[3000]), record(21, new byte[] {1, 0}), record(24, new byte[100]),
            record(22, new byte[40])); // an encrypted Finished: not a hello
        TlsParser p = new TlsParser();
        assertEquals(1, parseAll(p, stream, false).size());
        assertEquals(6, p.records());
    }

    @Test
    void helloSpanningRecordsIsGathered() {
        byte[] hs = cat(handshake(1, clientHelloBody()), handshake(11, new byte[5000]));
        byte[] stream = cat(record(22, Arrays.copyOfRange(hs, 0, 50)), record(22, Arrays.copyOfRange(hs, 50, 2000)),
            record(22, Arrays.copyOfRange(hs, 2000, hs.length)), record(23, new byte[10]));
        TlsParser p = new TlsParser();
        List<Seen> seen = parseAll(p, stream, true);
        assertEquals(1, seen.size());
        assertEquals("example.com", seen.get(0).sni());
        assertEquals(parseAll(new TlsParser(), clientHello(), true).get(0).ja3(), seen.get(0).ja3());
        // an incomplete run is left to the caller entirely
        byte[] partial = Arrays.copyOf(stream, stream.length - 100);
        assertEquals(0, p.parse(partial, 0, partial.length, true, new TlsHello(), h -> { }));
    }

    @Test
    void splitAtEveryPositionGivesTheSameHellos() {
        byte[] hs = handshake(1, clientHelloBody());
        byte[] stream = cat(record(22, Arrays.copyOfRange(hs, 0, 77)), record(22, Arrays.copyOfRange(hs, 77, hs.length)),
            record(22, handshake(2, serverHelloBody())), record(23, new byte[500]));
        List<Seen> whole = parseAll(new TlsParser(), stream, true);
        assertEquals(2, whole.size());
        TlsParser p = new TlsParser();
        TlsHello h = new TlsHello();
        for (int cut = 0; cut <= stream.length; cut++) {
            List<Seen> seen = new ArrayList<>();
            byte[] buf = stream.clone();
            int used = p.parse(buf, 0, cut, true, h, x -> seen.add(Seen.of(x)));
            assertTrue(used >= 0 && used <= cut);
            used += p.parse(buf, used, stream.length - used, true, h, x -> seen.add(Seen.of(x)));
            assertEquals(stream.length, used, "cut " + cut);
            assertEquals(whole, seen, "cut " + cut);
        }
    }

    @Test
    void hostileLengthsNeverThrow() {
        TlsParser p = new TlsParser();
        TlsHello h = new TlsHello();
        List<Seen> seen = new ArrayList<>();
        // record length beyond the ciphertext limit: not TLS, everything consumed
        byte[] huge = {22, 3, 3, (byte) 0xFF, (byte) 0xFF, 1, 0, 0, 1};
        assertEquals(huge.length, p.parse(huge, 0, huge.length, true, h, x -> seen.add(Seen.of(x))));
        // handshake length beyond the record, hello fields beyond the message
        byte[] body = clientHelloBody();
        for (int cut = 0; cut < body.length; cut++) {
            byte[] truncated = Arrays.copyOf(body, cut);
            byte[] rec = record(22, handshake(1, truncated));
            assertEquals(rec.length, p.parse(rec, 0, rec.length, true, h, x -> seen.add(Seen.of(x))));
        }
        assertTrue(seen.stream().filter(Seen::malformed).count() > 0);
        byte[] lies = record(22, cat(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, new byte[60]));
        assertEquals(0, p.parse(lies, 0, lies.length, true, h, x -> seen.add(Seen.of(x))), "waits for the run");
        assertEquals(0, p.parse(null, 0, 5, true, h, x -> { }));
        assertEquals(0, p.parse(lies, 10, lies.length, true, h, x -> { }));
        assertEquals(0, p.parse(lies, -1, 5, true, h, x -> { }));
    }

    @Test
    void seededFuzzNeverThrows() {
        Random rnd = new Random(0x7150);
        TlsParser p = new TlsParser();
        TlsHello h = new TlsHello();
        byte[] base = cat(clientHello(), record(22, handshake(2, serverHelloBody())), record(23, new byte[64]));
        for (int i = 0; i < 100_000; i++) {
            byte[] b = base.clone();
            int flips = 1 + rnd.nextInt(8);
            for (int f = 0; f < flips; f++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(b.length + 1);
            int used = p.parse(b, 0, len, rnd.nextBoolean(), h, x -> { });
            assertTrue(used >= 0 && used <= len);
            if (used < len) {
                used += p.parse(b, used, len - used, true, h, x -> { });
                assertTrue(used <= len);
            }
        }
        for (int i = 0; i < 20_000; i++) { // pure noise, some of it starting like a record
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            if (b.length > 3 && rnd.nextBoolean()) {
                b[0] = 22;
                b[1] = 3;
                b[2] = 1;
            }
            int used = p.parse(b, 0, b.length, true, h, x -> { });
            assertTrue(used >= 0 && used <= b.length);
        }
        assertTrue(p.hellos() > 0 && p.malformedHellos() > 0 && p.notTlsBytes() > 0);
    }

    @Test
    void looksLikeTls() {
        byte[] ch = clientHello();
        assertTrue(TlsParser.looksLikeTls(ch, 0, ch.length));
        assertTrue(TlsParser.looksLikeTls(ch, 0, 9), "a first segment's head suffices");
        byte[] sh = record(22, handshake(2, serverHelloBody()));
        assertTrue(TlsParser.looksLikeTls(sh, 0, sh.length));
        assertFalse(TlsParser.looksLikeTls(record(23, new byte[50]), 0, 55));
        assertFalse(TlsParser.looksLikeTls(ascii("GET / HTTP/1.1\r\n"), 0, 16));
        byte[] v5 = ch.clone();
        v5[2] = 5;
        assertFalse(TlsParser.looksLikeTls(v5, 0, v5.length));
        assertFalse(TlsParser.looksLikeTls(ch, 0, 8));
        assertFalse(TlsParser.looksLikeTls(null, 0, 8));
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] hs = handshake(1, clientHelloBody());
        byte[] client = cat(clientHello(), record(22, Arrays.copyOfRange(hs, 0, 90)),
            record(22, Arrays.copyOfRange(hs, 90, hs.length)), record(23, new byte[200]));
        byte[] server = cat(record(22, handshake(2, serverHelloBody())), record(20, new byte[] {1}),
            record(23, new byte[300]));
        TlsParser p = new TlsParser();
        TlsHello h = new TlsHello();
        long[] sni = {0};
        TlsHelloSink sink = x -> sni[0] += x.sniLength + x.ja3[0];
        for (int i = 0; i < 100_000; i++) { // warm-up: JIT compilation allocates on this thread
            p.parse(client, 0, client.length, true, h, sink);
            p.parse(server, 0, server.length, false, h, sink);
        }
        long before = mx.getThreadAllocatedBytes(thread);
        long hellos = p.hellos();
        for (int i = 0; i < 35_000; i++) {
            p.parse(client, 0, client.length, true, h, sink);
            p.parse(server, 0, server.length, false, h, sink);
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(p.hellos() - hellos >= 100_000);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
    }
}
