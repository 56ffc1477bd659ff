package io.vigil.sensor.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.LinkType;
import io.vigil.sensor.pipeline.Pipeline;
import io.vigil.sensor.synth.FrameBuilder;

/**
 * Hand-built Ethernet frames published into a pipeline one at a time, 1 ms apart: the frame in {@link #frames()}
 * is sent by {@link #send}, and {@link #handshake} opens a TCP connection (client ISN 999, server ISN 4999).
 */
public final class TcpFeed {
    private final FrameBuilder f = new FrameBuilder();
    private long clock = 1_000_000_000_000L;

    /** The frame builder whose current frame {@link #send} publishes. */
    public FrameBuilder frames() {
        return f;
    }

    /** Publishes the current frame 1 ms after the previous one; the ring must take it. */
    public void send(Pipeline p) {
        clock += 1_000_000;
        assertTrue(p.publish(f.buffer(), 0, f.length(), f.length(), clock, LinkType.ETHERNET, 0));
    }

    /** Client SYN, server SYN+ACK, client ACK: afterwards the client sends from 1000, the server from 5000. */
    public void handshake(Pipeline p, int client, int server, int cport, int sport) {
        f.tcp(1, 2, 0, client, server, cport, sport, 999, 0, 0x02, null, 0);
        send(p);
        f.tcp(2, 1, 0, server, client, sport, cport, 4999, 1000, 0x12, null, 0);
        send(p);
        f.tcp(1, 2, 0, client, server, cport, sport, 1000, 5000, 0x10, null, 0);
        send(p);
    }

    /** "0a 1b..." (spaces ignored) as bytes. */
    public static byte[] hex(String s) {
        s = s.replace(" ", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
