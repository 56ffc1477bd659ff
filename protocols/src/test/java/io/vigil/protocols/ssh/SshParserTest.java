package io.vigil.protocols.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SshParserTest {
    record Seen(String line, String proto, String software, String comments, int linesBefore, boolean malformed) {
        static Seen of(SshBanner b) {
            return new Seen(s(b, b.lineOffset, b.lineLength), s(b, b.protoVersionOffset, b.protoVersionLength),
                s(b, b.softwareVersionOffset, b.softwareVersionLength), s(b, b.commentsOffset, b.commentsLength),
                b.linesBefore, b.malformed);
        }

        private static String s(SshBanner b, int off, int len) {
            return off < 0 ? null : new String(b.data, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Banner followed by the start of a binary KEXINIT packet, which must be consumed unread. */
    static final String CLIENT = "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n\u0000\u0000\u0005\u00dc\u0006\u0014SSH-";

    static List<Seen> parseAll(SshParser p, byte[] buf, boolean fromClient) {
        List<Seen> seen = new ArrayList<>();
        assertEquals(buf.length, p.parse(buf, 0, buf.length, fromClient, new SshBanner(), x -> seen.add(Seen.of(x))));
        return seen;
    }

    @Test
    void bannerPartsAndBinaryRest() {
        SshParser p = new SshParser();
        List<Seen> s = parseAll(p, b(CLIENT), true);
        assertEquals(List.of(new Seen("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13", "2.0", "OpenSSH_9.6p1", "Ubuntu-3ubuntu13",
            0, false)), s);
        assertEquals(0, parseAll(p, b("SSH-2.0-again\r\n"), true).size(), "one banner per direction");
        List<Seen> server = parseAll(p, b("SSH-1.99-Cisco-1.25\r\n"), false);
        assertEquals(new Seen("SSH-1.99-Cisco-1.25", "1.99", "Cisco-1.25", null, 0, false), server.get(0));
        assertEquals(2, p.banners());
    }

    @Test
    void linesBeforeTheBannerAndSloppyEndings() {
        SshParser p = new SshParser();
        List<Seen> s = parseAll(p, b("Welcome\r\nauthorised use only\r\nSSH-2.0-dropbear_2022.83\n"), false);
        // RFC 4253 4.2 allows a bare LF in practice: accepted, not malformed, but remembered.
        assertEquals(new Seen("SSH-2.0-dropbear_2022.83", "2.0", "dropbear_2022.83", null, 2, false), s.get(0));
        SshBanner lf = new SshBanner();
        new SshParser().parse(b("SSH-2.0-dropbear_2022.83\n"), 0, 25, false, lf, x -> { });
        assertTrue(lf.bareLf, "bare LF noted");
        assertFalse(lf.malformed, "bare LF is not malformed");
        SshBanner crlf = new SshBanner();
        new SshParser().parse(b(CLIENT), 0, CLIENT.length(), true, crlf, x -> { });
        assertFalse(crlf.bareLf, "CR LF is the norm");
        SshParser q = new SshParser();
        assertTrue(parseAll(q, b("SSH-2.0\r\n"), true).get(0).malformed(), "no software version");
    }

    @Test
    void splitAtEveryPosition() {
        byte[] all = b("Hello\r\n" + CLIENT);
        List<Seen> whole = parseAll(new SshParser(), all, false);
        for (int cut = 0; cut <= all.length; cut++) {
            SshParser p = new SshParser();
            SshBanner bn = new SshBanner();
            List<Seen> seen = new ArrayList<>();
            int used = p.parse(all, 0, cut, false, bn, x -> seen.add(Seen.of(x)));
            assertTrue(used >= 0 && used <= cut);
            used += p.parse(all, used, all.length - used, false, bn, x -> seen.add(Seen.of(x)));
            assertEquals(all.length, used);
            assertEquals(whole, seen, "cut " + cut);
        }
    }

    @Test
    void hostileInputIsBounded() {
        SshParser p = new SshParser();
        byte[] noNewline = b("SSH-2.0-" + "x".repeat(SshParser.MAX_LINE));
        assertEquals(noNewline.length, p.parse(noNewline, 0, noNewline.length, true, new SshBanner(), x -> { }));
        assertTrue(p.gaveUp());
        SshParser q = new SshParser();
        assertEquals(0, parseAll(q, b("x\n".repeat(SshParser.MAX_LINES_BEFORE + 1) + "SSH-2.0-late\r\n"), false).size());
        assertEquals(0, q.parse(null, 0, 4, true, new SshBanner(), x -> { }));
    }

    @Test
    void seededFuzzNeverThrows() {
        Random rnd = new Random(0x55);
        byte[] base = b("pre\r\n" + CLIENT);
        SshBanner bn = new SshBanner();
        int banners = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] buf = base.clone();
            for (int f = 1 + rnd.nextInt(6); f > 0; f--) {
                buf[rnd.nextInt(buf.length)] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : "\r\n -S".charAt(rnd.nextInt(5)));
            }
            SshParser p = new SshParser();
            int len = rnd.nextInt(buf.length + 1);
            int cut = rnd.nextInt(len + 1);
            int used = p.parse(buf, 0, cut, true, bn, x -> { });
            assertTrue(used >= 0 && used <= cut);
            used += p.parse(buf, used, len - used, true, bn, x -> { });
            assertTrue(used <= len);
            banners += (int) p.banners();
        }
        assertTrue(banners > 10_000);
    }

    @Test
    void looksLikeSsh() {
        assertTrue(SshParser.looksLikeSsh(b("SSH-2.0-x"), 0, 9));
        assertFalse(SshParser.looksLikeSsh(b("SSH"), 0, 3));
        assertFalse(SshParser.looksLikeSsh(b("GET / HTTP/1.1"), 0, 14));
        assertFalse(SshParser.looksLikeSsh(null, 0, 4));
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] buf = b("Welcome\r\n" + CLIENT);
        SshParser[] parsers = new SshParser[100_000];
        for (int i = 0; i < parsers.length; i++) {
            parsers[i] = new SshParser(); // one per connection, created before measuring
        }
        SshBanner bn = new SshBanner();
        long[] sum = {0};
        SshBannerSink sink = x -> sum[0] += x.softwareVersionLength;
        SshParser warm = new SshParser();
        for (int i = 0; i < 100_000; i++) {
            warm = new SshParser();
            warm.parse(buf, 0, buf.length, true, bn, sink);
        }
        long before = mx.getThreadAllocatedBytes(thread);
        for (SshParser p : parsers) {
            p.parse(buf, 0, buf.length, true, bn, sink);
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertEquals(100_000L * "OpenSSH_9.6p1".length(), sum[0] - 100_000L * "OpenSSH_9.6p1".length());
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
    }
}
