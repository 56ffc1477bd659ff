package io.vigil.protocols.tls;

import static io.vigil.protocols.tls.TlsParserTest.ascii;
import static io.vigil.protocols.tls.TlsParserTest.cat;
import static io.vigil.protocols.tls.TlsParserTest.ext;
import static io.vigil.protocols.tls.TlsParserTest.handshake;
import static io.vigil.protocols.tls.TlsParserTest.list16;
import static io.vigil.protocols.tls.TlsParserTest.record;
import static io.vigil.protocols.tls.TlsParserTest.u16;
import static io.vigil.protocols.tls.TlsParserTest.vec16;
import static io.vigil.protocols.tls.TlsParserTest.vec8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JA4/JA4S on hand-built hellos, against the values published in FoxIO's JA4.md (v0.18.2) worked example. */
class Ja4Test {
    private static final int[] SPEC_CIPHERS = {0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
        0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035};
    private static final int[] SIG_ALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    /**
     * The spec's example ClientHello: its 15 ciphers and 16 extensions in its order (001b,0000,0033,0010,4469,0017,
     * 002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015), plus GREASE in every list, which must not count.
     */
    static byte[] specHello(String alpn, boolean sigAlgs) {
        List<byte[]> e = new ArrayList<>();
        e.add(ext(0x0A0A, new byte[0]));
        e.add(ext(0x001B, vec8(u16(2))));
        e.add(ext(0x0000, vec16(cat(new byte[] {0}, vec16(ascii("example.com"))))));
        e.add(ext(0x0033, vec16(new byte[0])));
        e.add(ext(0x0010, alpn == null ? vec16(new byte[0]) : vec16(vec8(ascii(alpn)))));
        e.add(ext(0x4469, new byte[0]));
        e.add(ext(0x0017, new byte[0]));
        e.add(ext(0x002D, vec8(new byte[] {1})));
        e.add(ext(0x000D, sigAlgs ? vec16(list16(SIG_ALGS)) : vec16(new byte[0])));
        e.add(ext(0x0005, new byte[] {1, 0, 0, 0, 0}));
        e.add(ext(0x0023, new byte[0]));
        e.add(ext(0x0012, new byte[0]));
        e.add(ext(0x002B, vec8(list16(0x7A7A, 0x0304, 0x0303))));
        e.add(ext(0xFF01, new byte[] {0}));
        e.add(ext(0x000B, vec8(new byte[] {0})));
        e.add(ext(0x000A, vec16(list16(0x1A1A, 29, 23))));
        e.add(ext(0x0015, new byte[8]));
        e.add(ext(0xFAFA, new byte[] {0}));
        int[] ciphers = new int[SPEC_CIPHERS.length + 1];
        ciphers[0] = 0x2A2A;
        System.arraycopy(SPEC_CIPHERS, 0, ciphers, 1, SPEC_CIPHERS.length);
        byte[] body = cat(u16(0x0303), new byte[32], vec8(new byte[32]), vec16(list16(ciphers)),
            vec8(new byte[] {0}), vec16(cat(e.toArray(byte[][]::new))));
        return record(22, handshake(1, body));
    }

    private static TlsHello parse(TlsParser p, byte[] stream, boolean fromClient) {
        TlsHello h = new TlsHello();
        String[] ja4 = new String[1];
        p.parse(stream, 0, stream.length, fromClient, h, x -> ja4[0] = x.ja4String());
        return h;
    }

    @Test
    void publishedExample() {
        TlsParser p = new TlsParser();
        TlsHello h = parse(p, specHello("h2", true), true);
        assertTrue(h.ja4Valid);
        // JA4.md: t13d1516h2_8daaf6152771_e5627efa2ab1, from the sorted lists it shows
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", h.ja4String());
        assertEquals("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,"
            + "0501,0806,0601", p.lastJa4Text());
        // "If there are no signature algorithms in the hello packet, then the string ends without an underscore":
        // 0005,...,ff01 = 6d807ffa2a79
        TlsHello noSig = parse(new TlsParser(), specHello("h2", false), true);
        assertEquals("t13d1516h2_8daaf6152771_6d807ffa2a79", noSig.ja4String());
    }

    @Test
    void alpnVariants() {
        assertEquals("h1", parse(new TlsParser(), specHello("http/1.1", true), true).ja4String().substring(8, 10));
        assertEquals("00", parse(new TlsParser(), specHello(null, true), true).ja4String().substring(8, 10),
            "ALPN extension without values");
        assertEquals("hh", parse(new TlsParser(), specHello("h", true), true).ja4String().substring(8, 10));
        // non-alphanumeric first or last byte: first and last hex digit of the value ("h2\u00ff" = 6832ff)
        assertEquals("6f", parse(new TlsParser(), specHello("h2\u00ff", true), true).ja4String().substring(8, 10));
    }

    @Test
    void noSniNoCiphersAndOldVersions() {
        byte[] body = cat(u16(0x0301), new byte[32], vec8(new byte[0]), vec16(new byte[0]), vec8(new byte[] {0}));
        TlsHello h = parse(new TlsParser(), record(22, handshake(1, body)), true);
        assertEquals("t10i000000_000000000000_000000000000", h.ja4String());
        byte[] ssl3 = cat(u16(0x0300), new byte[32], vec8(new byte[0]), vec16(list16(0x000A)), vec8(new byte[] {0}),
            vec16(ext(0xFF01, new byte[] {0})));
        assertEquals("s3i0101", parse(new TlsParser(), record(22, handshake(1, ssl3)), true).ja4String().substring(1,
            8));
    }

    @Test
    void serverHelloJa4s() {
        // TLS 1.3 ServerHello selecting 1301, key_share then supported_versions (wire order, not sorted)
        byte[] exts = cat(ext(0x0033, cat(u16(29), vec16(new byte[32]))), ext(0x002B, u16(0x0304)));
        byte[] body = cat(u16(0x0303), new byte[32], vec8(new byte[32]), u16(0x1301), new byte[] {0}, vec16(exts));
        TlsParser p = new TlsParser();
        TlsHello h = parse(p, record(22, handshake(2, body)), false);
        assertEquals("t130200_1301_234ea6891581", h.ja4String(), "JA4S.md's example value");
        assertEquals("0033,002b", p.lastJa4Text());
        byte[] alpn = cat(ext(0xFF01, new byte[] {0}), ext(0x0010, vec16(vec8(ascii("http/1.1")))));
        byte[] b12 = cat(u16(0x0303), new byte[32], vec8(new byte[0]), u16(0xC02F), new byte[] {0}, vec16(alpn));
        assertTrue(parse(new TlsParser(), record(22, handshake(2, b12)), false).ja4String().startsWith("t1202h1_c02f_"));
    }

    @Test
    void malformedHelloHasNoJa4() {
        byte[] hello = specHello("h2", true);
        byte[] cut = java.util.Arrays.copyOf(hello, hello.length);
        cut[9 + 2 + 32 + 1 + 32 + 2 + 32 + 1 + 1 + 1] = (byte) 0x7F; // extensions length far beyond the message
        TlsHello h = parse(new TlsParser(), cut, true);
        assertTrue(h.malformed);
        assertFalse(h.ja4Valid);
        assertNull(h.ja4String());
    }

    @Test
    void computingJa4AllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] hello = specHello("h2", true);
        TlsParser p = new TlsParser();
        TlsHello h = new TlsHello();
        long[] sum = {0};
        TlsHelloSink sink = x -> sum[0] += x.ja4[30] + x.ja3[3];
        for (int i = 0; i < 20_000; i++) {
            p.parse(hello, 0, hello.length, true, h, sink);
        }
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 50_000; i++) {
            p.parse(hello, 0, hello.length, true, h, sink);
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(sum[0] != 0);
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for 50000 hellos");
    }
}
