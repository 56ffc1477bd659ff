package io.vigil.protocols.ssh;

/**
 * SSH parser for one TCP connection: delivers each side's identification string and then
 * consumes everything else, since the binary packet protocol that follows is opaque to a passive
 * sensor once keys are exchanged. It remembers per direction whether the banner was seen, so use
 * one instance per connection.
 *
 * <p>RFC 4253 lets a server send other lines before its identification string; up to
 * {@link #MAX_LINES_BEFORE} of them are skipped. A line longer than {@link #MAX_LINE} (the RFC caps
 * it at 255 with CR LF; we allow slack for sloppy peers) or too many leading lines end parsing of
 * that direction. Nothing throws and nothing is allocated.
 */
public final class SshParser {
    public static final int MAX_LINE = 1024;
    public static final int MAX_LINES_BEFORE = 32;

    private final boolean[] done = new boolean[2];
    private final int[] linesBefore = new int[2];
    private long banners;
    private boolean gaveUp;

    /**
     * Parses {@code buf[off, off+len)} of one direction.
     *
     * @return bytes consumed; a banner line not yet complete is left for the next call
     */
    public int parse(byte[] buf, int off, int len, boolean fromClient, SshBanner out, SshBannerSink sink) {
        if (buf == null || out == null || sink == null || off < 0 || len <= 0 || off > buf.length - len) {
            return 0;
        }
        final int d = fromClient ? 0 : 1;
        final int end = off + len;
        int pos = off;
        while (!done[d] && pos < end) {
            int nl = -1;
            int limit = Math.min(end, pos + MAX_LINE);
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                if (end - pos >= MAX_LINE) {
                    giveUp(d);
                    break;
                }
                return pos - off;
            }
            if (end - pos >= 4 && buf[pos] == 'S' && buf[pos + 1] == 'S' && buf[pos + 2] == 'H'
                && buf[pos + 3] == '-') {
                out.reset(buf, fromClient);
                out.linesBefore = linesBefore[d];
                banner(buf, pos, nl, out);
                done[d] = true;
                banners++;
                sink.onBanner(out);
            } else if (++linesBefore[d] > MAX_LINES_BEFORE) {
                giveUp(d);
            }
            pos = nl + 1;
        }
        return len; // after the banner everything is binary packets
    }

    /** Forgets both directions, so that one instance can serve a new connection without allocating. */
    public void reset() {
        done[0] = done[1] = false;
        linesBefore[0] = linesBefore[1] = 0;
        gaveUp = false;
    }

    /** Content detection: the stream starts with "SSH-". */
    public static boolean looksLikeSsh(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 4 && off <= buf.length - len && buf[off] == 'S'
            && buf[off + 1] == 'S' && buf[off + 2] == 'H' && buf[off + 3] == '-';
    }

    public long banners() {
        return banners;
    }

    /** True once a direction was abandoned without an identification string. */
    public boolean gaveUp() {
        return gaveUp;
    }

    private void giveUp(int d) {
        gaveUp = true;
        done[d] = true;
    }

    private static void banner(byte[] b, int p, int nl, SshBanner m) {
        int e = nl;
        if (e > p && b[e - 1] == '\r') {
            e--;
        } else {
            // RFC 4253 4.2 asks for CR LF but OpenSSH accepts a bare LF and many embedded stacks send one: not
            // malformed, but kept apart since the line ending helps tell implementations apart.
            m.bareLf = true;
        }
        m.lineOffset = p;
        m.lineLength = e - p;
        int vs = p + 4;
        int dash = -1;
        for (int i = vs; i < e; i++) {
            if (b[i] == '-') {
                dash = i;
                break;
            }
            if (b[i] == ' ') {
                break;
            }
        }
        if (dash < 0) {
            m.malformed = true;
            m.protoVersionOffset = vs;
            m.protoVersionLength = e - vs;
            return;
        }
        m.protoVersionOffset = vs;
        m.protoVersionLength = dash - vs;
        int ss = dash + 1;
        int sp = ss;
        while (sp < e && b[sp] != ' ') {
            sp++;
        }
        m.softwareVersionOffset = ss;
        m.softwareVersionLength = sp - ss;
        if (sp < e) {
            m.commentsOffset = sp + 1;
            m.commentsLength = e - sp - 1;
        }
    }
}
