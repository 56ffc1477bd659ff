package io.vigil.protocols.testsupport;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-order byte stream of one TCP direction, as simple as a differential test can afford: bytes already seen
 * (retransmissions, overlaps) are trimmed by sequence number, and a segment that does not continue the stream (a
 * gap, or a jump in fuzzed sequence numbers) drops the pending bytes and starts over. The parser under test reads
 * {@code buf[0, len)} and reports what it used; the rest stays for the next segment.
 */
public final class TcpPayloadFollower {
    /** Further back than this is not a retransmission but a jump. */
    private static final long FAR = 1 << 20;

    public byte[] buf = new byte[4096];
    public int len;
    private long next = -1;

    /**
     * Appends a segment. Sequence numbers are compared modulo 2^32, so raw and relative ones both work.
     *
     * @return true when the segment did not continue the stream (a gap): the pending bytes were dropped
     */
    public boolean add(long seq, byte[] data) {
        int skip = 0;
        boolean gap = false;
        if (next >= 0) {
            long delta = seq - next;
            if (delta > (1L << 31)) {
                delta -= 1L << 32;
            } else if (delta < -(1L << 31)) {
                delta += 1L << 32;
            }
            if (delta > 0 || delta < -FAR) {
                len = 0;
                gap = true;
            } else if (delta + data.length <= 0) {
                return false;
            } else if (delta < 0) {
                skip = (int) -delta;
            }
        }
        int n = data.length - skip;
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        System.arraycopy(data, skip, buf, len, n);
        len += n;
        next = (seq + data.length) & 0xFFFFFFFFL;
        return gap;
    }

    /** Drops the first {@code n} bytes, which the parser consumed. */
    public void consume(int n) {
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
    }

    /** A stream parser under test: parses {@code buf[0, len)} of one direction and returns the bytes it used. */
    public interface StreamParser {
        int parse(TcpSegment segment, boolean fromClient, byte[] buf, int len);
    }

    /**
     * Follows every connection (tshark's tcp.stream) in both directions, the client being the side with the higher
     * port, and offers each direction's pending bytes to {@code parser} after every segment.
     */
    public static void followByStream(List<TcpSegment> segments, StreamParser parser) {
        Map<String, TcpPayloadFollower> followers = new HashMap<>();
        for (TcpSegment s : segments) {
            boolean fromClient = s.dstPort < s.srcPort;
            TcpPayloadFollower f = followers.computeIfAbsent(s.stream + (fromClient ? "c" : "s"),
                k -> new TcpPayloadFollower());
            f.add(s.seq, s.payload);
            f.consume(parser.parse(s, fromClient, f.buf, f.len));
        }
    }
}
