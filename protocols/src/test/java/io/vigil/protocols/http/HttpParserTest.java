package io.vigil.protocols.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpParserTest {
    record Seen(boolean request, String method, String uri, int minor, int status, String host, String ua,
                long contentLength, boolean chunked, int headers, boolean malformed) {
        static Seen of(HttpMessage m) {
            return new Seen(m.isRequest, s(m, m.methodOffset, m.methodLength), s(m, m.uriOffset, m.uriLength),
                m.versionMinor, m.statusCode, s(m, m.hostOffset, m.hostLength),
                s(m, m.userAgentOffset, m.userAgentLength), m.contentLength, m.chunked, m.headerCount, m.malformed);
        }

        private static String s(HttpMessage m, int off, int len) {
            return off < 0 ? null : new String(m.data, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static final String REQUESTS = "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0 (x, y)\r\n"
        + "Accept: */*\r\n\r\n"
        + "POST /upload HTTP/1.1\r\nhost:  h2.example  \r\nContent-Length: 11\r\n\r\nhello world"
        + "PUT /c HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nGET /\r\n0\r\nX-Trailer: 1\r\n\r\n"
        + "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"
        + "OPTIONS * HTTP/1.1\n\n";
    static final String RESPONSES = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/"
        + "HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"
        + "HTTP/1.0 204 No Content\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" // answer to HEAD: no body
        + "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n";

    static List<Seen> parseAll(HttpParser p, String s, boolean fromClient) {
        List<Seen> seen = new ArrayList<>();
        byte[] buf = b(s);
        assertEquals(buf.length, p.parse(buf, 0, buf.length, fromClient, new HttpMessage(), m -> seen.add(Seen.of(m))));
        return seen;
    }

    @Test
    void requestsAndResponsesWithBodyFraming() {
        HttpParser p = new HttpParser();
        List<Seen> req = parseAll(p, REQUESTS, true);
        assertEquals(5, req.size());
        assertEquals(new Seen(true, "GET", "/index.html?q=1", 1, -1, "example.com", "curl/8.0 (x, y)", -1, false, 3,
            false), req.get(0));
        assertEquals(new Seen(true, "POST", "/upload", 1, -1, "h2.example", null, 11, false, 2, false), req.get(1));
        assertEquals(new Seen(true, "PUT", "/c", 0, -1, null, null, -1, true, 1, false), req.get(2));
        assertEquals("HEAD", req.get(3).method());
        assertEquals("*", req.get(4).uri());
        List<Seen> resp = parseAll(p, RESPONSES, false);
        assertEquals(List.of(200, 100, 201, 204, 200, 404), resp.stream().map(Seen::status).toList());
        assertTrue(resp.get(2).chunked());
        assertFalse(p.gaveUp());
        assertEquals(11, p.messages());
    }

    @Test
    void splitAtEveryPositionGivesTheSameMessages() {
        List<Seen> wholeReq = parseAll(new HttpParser(), REQUESTS, true);
        byte[] all = b(REQUESTS);
        for (int cut = 0; cut <= all.length; cut++) {
            HttpParser p = new HttpParser();
            List<Seen> seen = new ArrayList<>();
            HttpMessage m = new HttpMessage();
            byte[] buf = all.clone();
            int used = p.parse(buf, 0, cut, true, m, x -> seen.add(Seen.of(x)));
            assertTrue(used >= 0 && used <= cut);
            used += p.parse(buf, used, all.length - used, true, m, x -> seen.add(Seen.of(x)));
            assertEquals(all.length, used, "cut " + cut);
            assertEquals(wholeReq, seen, "cut " + cut);
        }
    }

    @Test
    void responseWithoutLengthRunsToClose() {
        HttpParser p = new HttpParser();
        assertEquals(1, parseAll(p, "HTTP/1.0 200 OK\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", false).size());
    }

    @Test
    void switchingProtocolsAndConnectMakeTheConnectionOpaque() {
        HttpParser p = new HttpParser();
        parseAll(p, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", true);
        assertEquals(1, parseAll(p, "HTTP/1.1 101 Switching Protocols\r\n\r\nGET / HTTP/1.1\r\n\r\n", false).size());
        assertEquals(0, parseAll(p, "GET / HTTP/1.1\r\n\r\n", true).size());
        HttpParser c = new HttpParser();
        parseAll(c, "CONNECT a:443 HTTP/1.1\r\n\r\n", true);
        assertEquals(1, parseAll(c, "HTTP/1.1 200 OK\r\n\r\n\u0016\u0003\u0001", false).size());
    }

    @Test
    void hostileInputGivesUpInsteadOfThrowing() {
        HttpParser p = new HttpParser();
        assertEquals(0, parseAll(p, "\u0016\u0003\u0001 binary\r\n\r\n", true).size());
        assertTrue(p.gaveUp());
        HttpParser big = new HttpParser();
        byte[] head = b("GET / HTTP/1.1\r\nX: " + "a".repeat(HttpParser.MAX_HEAD) + "\r\n\r\n");
        assertEquals(head.length, big.parse(head, 0, head.length, true, new HttpMessage(), m -> { }));
        assertTrue(big.gaveUp());
        HttpParser cl = new HttpParser();
        List<Seen> s = parseAll(cl, "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n12345", true);
        assertTrue(s.get(0).malformed());
        assertEquals(5, s.get(0).contentLength());
        HttpParser ch = new HttpParser();
        parseAll(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", false);
        assertTrue(ch.gaveUp());
        HttpParser huge = new HttpParser(); // a huge length is skipped, not buffered
        parseAll(huge, "HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999\r\n\r\nabc", false);
        assertEquals(0, new HttpParser().parse(null, 0, 1, true, new HttpMessage(), m -> { }));
    }

    @Test
    void seededFuzzNeverThrows() {
        Random rnd = new Random(0x4777);
        byte[] base = b(REQUESTS + RESPONSES);
        HttpMessage m = new HttpMessage();
        long messages = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] buf = base.clone();
            for (int f = 1 + rnd.nextInt(8); f > 0; f--) {
                buf[rnd.nextInt(buf.length)] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : "\r\n :0a;".charAt(rnd.nextInt(7)));
            }
            HttpParser p = new HttpParser();
            int len = rnd.nextInt(buf.length + 1);
            int cut = rnd.nextInt(len + 1);
            boolean dir = rnd.nextBoolean();
            int used = p.parse(buf, 0, cut, dir, m, x -> { });
            assertTrue(used >= 0 && used <= cut);
            used += p.parse(buf, used, len - used, dir, m, x -> { });
            assertTrue(used <= len);
            messages += p.messages();
        }
        assertTrue(messages > 100_000);
    }

    @Test
    void looksLikeHttp() {
        assertTrue(HttpParser.looksLikeHttp(b("GET / HTTP/1.1"), 0, 14));
        assertTrue(HttpParser.looksLikeHttp(b("OPTIONS * "), 0, 10));
        assertTrue(HttpParser.looksLikeHttp(b("HTTP/1.0 200"), 0, 12));
        assertFalse(HttpParser.looksLikeHttp(b("GETX / HTTP/1.1"), 0, 15));
        assertFalse(HttpParser.looksLikeHttp(b("SSH-2.0-x"), 0, 9));
        assertFalse(HttpParser.looksLikeHttp(b("GET"), 0, 3));
        assertFalse(HttpParser.looksLikeHttp(null, 0, 3));
    }

    @Test
    void parseAllocatesNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] req = b(REQUESTS);
        byte[] resp = b(RESPONSES);
        HttpParser p = new HttpParser();
        HttpMessage m = new HttpMessage();
        long[] sum = {0};
        HttpMessageSink sink = x -> sum[0] += x.statusCode + x.hostLength;
        for (int i = 0; i < 50_000; i++) {
            p.parse(req, 0, req.length, true, m, sink);
            p.parse(resp, 0, resp.length, false, m, sink);
        }
        long before = mx.getThreadAllocatedBytes(thread);
        long messages = p.messages();
        for (int i = 0; i < 10_000; i++) {
            p.parse(req, 0, req.length, true, m, sink);
            p.parse(resp, 0, resp.length, false, m, sink);
        }
        long allocated = mx.getThreadAllocatedBytes(thread) - before;
        assertTrue(p.messages() - messages >= 100_000);
        assertFalse(p.gaveUp());
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
    }
}
