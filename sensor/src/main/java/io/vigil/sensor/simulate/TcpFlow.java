package io.vigil.sensor.simulate;

/**
 * One TCP connection with consistent sequence and acknowledgement numbers in both directions: handshake, data cut
 * at the MSS, acknowledgements, FIN or RST close. Times are capture microseconds; each call returns when its last
 * packet was on the wire so callers chain exchanges.
 */
final class TcpFlow {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int MSS = 1_460;

    final int client;
    final int server;
    final int clientPort;
    final int serverPort;
    /** One-way delay in microseconds: sub-millisecond inside a segment, tens of milliseconds to the internet. */
    final long delay;
    private final Wire wire;
    private long clientSeq;
    private long serverSeq;
    private boolean closed;

    TcpFlow(Wire wire, int client, int clientPort, int server, int serverPort, long isnClient, long isnServer) {
        this.wire = wire;
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
        this.clientSeq = isnClient;
        this.serverSeq = isnServer;
        boolean external = !Network.isInternal(server) || !Network.isInternal(client);
        boolean sameSegment = Network.segment(client) == Network.segment(server);
        this.delay = external ? 9_000 + (server & 0x3FFF) : sameSegment ? 120 : 350;
    }

    /** Three-way handshake starting at {@code t}; returns the time of the final ACK. */
    long open(long t) {
        wire.tcp(t, client, server, clientPort, serverPort, clientSeq, 0, SYN, null, 0, 0);
        clientSeq++;
        wire.tcp(t + delay, server, client, serverPort, clientPort, serverSeq, clientSeq, SYN | ACK, null, 0, 0);
        serverSeq++;
        long end = t + 2 * delay;
        wire.tcp(end, client, server, clientPort, serverPort, clientSeq, serverSeq, ACK, null, 0, 0);
        return end;
    }

    /** A SYN answered by RST: nothing listens on the port. */
    long refused(long t) {
        wire.tcp(t, client, server, clientPort, serverPort, clientSeq, 0, SYN, null, 0, 0);
        wire.tcp(t + delay, server, client, serverPort, clientPort, 0, clientSeq + 1, RST | ACK, null, 0, 0);
        closed = true;
        return t + delay;
    }

    /** A SYN scan probe of an open port: SYN, SYN/ACK, and the scanner's RST instead of the final ACK. */
    long synScanOpen(long t) {
        wire.tcp(t, client, server, clientPort, serverPort, clientSeq, 0, SYN, null, 0, 0);
        wire.tcp(t + delay, server, client, serverPort, clientPort, serverSeq, clientSeq + 1, SYN | ACK, null, 0, 0);
        wire.tcp(t + 2 * delay, client, server, clientPort, serverPort, clientSeq + 1, 0, RST, null, 0, 0);
        closed = true;
        return t + 2 * delay;
    }

    /** Sends {@code data} in MSS-sized segments 10 us apart; returns the time of the last one. */
    long send(long t, boolean fromClient, byte[] data) {
        return send(t, fromClient, data, 0, data.length);
    }

    long send(long t, boolean fromClient, byte[] data, int off, int len) {
        long at = t;
        int sent = 0;
        while (sent < len) {
            int n = Math.min(MSS, len - sent);
            byte[] seg = data;
            if (off + sent != 0 || n != data.length) {
                seg = java.util.Arrays.copyOfRange(data, off + sent, off + sent + n);
            }
            segment(at, fromClient, PSH | ACK, seg, n);
            sent += n;
            if (sent < len) {
                at += 12;
            }
        }
        return at;
    }

    /** One data segment carrying exactly {@code payload}; used to build retransmissions too. */
    void segment(long t, boolean fromClient, int flags, byte[] payload, int n) {
        if (fromClient) {
            wire.tcp(t, client, server, clientPort, serverPort, clientSeq, serverSeq, flags, payload, 0, n);
            clientSeq += n;
        } else {
            wire.tcp(t, server, client, serverPort, clientPort, serverSeq, clientSeq, flags, payload, 0, n);
            serverSeq += n;
        }
    }

    /** A segment lost before it reached the tap: the sender's sequence space moves on, nothing is captured. */
    void lostBeforeTap(boolean fromClient, int n) {
        if (fromClient) {
            clientSeq += n;
        } else {
            serverSeq += n;
        }
    }

    /** Resends a segment that was already counted: {@code seq} is where it started. */
    void retransmit(long t, boolean fromClient, long seq, byte[] payload, int n) {
        if (fromClient) {
            wire.tcp(t, client, server, clientPort, serverPort, seq, serverSeq, PSH | ACK, payload, 0, n);
        } else {
            wire.tcp(t, server, client, serverPort, clientPort, seq, clientSeq, PSH | ACK, payload, 0, n);
        }
    }

    /** A bare ACK acknowledging {@code acked} instead of everything received (for duplicate ACKs). */
    void ackAt(long t, boolean fromClient, long acked) {
        if (fromClient) {
            wire.tcp(t, client, server, clientPort, serverPort, clientSeq, acked, ACK, null, 0, 0);
        } else {
            wire.tcp(t, server, client, serverPort, clientPort, serverSeq, acked, ACK, null, 0, 0);
        }
    }

    long clientSeq() {
        return clientSeq;
    }

    long serverSeq() {
        return serverSeq;
    }

    /** A bare ACK of everything received so far. */
    void ack(long t, boolean fromClient) {
        ackAt(t, fromClient, fromClient ? serverSeq : clientSeq);
    }

    /** Orderly close started by one side: FIN, FIN, ACK. Returns the time of the last ACK. */
    long close(long t, boolean fromClient) {
        int a = fromClient ? client : server;
        int b = fromClient ? server : client;
        int pa = fromClient ? clientPort : serverPort;
        int pb = fromClient ? serverPort : clientPort;
        long sa = fromClient ? clientSeq : serverSeq;
        long sb = fromClient ? serverSeq : clientSeq;
        wire.tcp(t, a, b, pa, pb, sa, sb, FIN | ACK, null, 0, 0);
        wire.tcp(t + delay, b, a, pb, pa, sb, sa + 1, FIN | ACK, null, 0, 0);
        wire.tcp(t + 2 * delay, a, b, pa, pb, sa + 1, sb + 1, ACK, null, 0, 0);
        if (fromClient) {
            clientSeq++;
            serverSeq++;
        } else {
            serverSeq++;
            clientSeq++;
        }
        closed = true;
        return t + 2 * delay;
    }

    /** Abortive close: one RST, as a stack that lost the connection or an application that aborts it. */
    long reset(long t, boolean fromClient) {
        if (fromClient) {
            wire.tcp(t, client, server, clientPort, serverPort, clientSeq, serverSeq, RST | ACK, null, 0, 0);
        } else {
            wire.tcp(t, server, client, serverPort, clientPort, serverSeq, clientSeq, RST | ACK, null, 0, 0);
        }
        closed = true;
        return t;
    }

    boolean closed() {
        return closed;
    }

    /** Request from the client, response from the server after {@code think} microseconds; returns the response time. */
    long exchange(long t, byte[] request, long think, byte[] response) {
        long sent = send(t, true, request);
        return send(sent + delay + think, false, response);
    }

    /**
     * Bulk data paced at {@code microsPerSegment}, the receiver acknowledging every second segment (and the last) one
     * delay later, as a real receiver does. Returns the time of the last data segment.
     */
    long stream(long t, boolean fromClient, byte[] data, long microsPerSegment) {
        long at = t;
        int sent = 0;
        int segments = 0;
        while (sent < data.length) {
            int n = Math.min(MSS, data.length - sent);
            byte[] seg = java.util.Arrays.copyOfRange(data, sent, sent + n);
            segment(at, fromClient, sent + n == data.length ? PSH | ACK : ACK, seg, n);
            sent += n;
            segments++;
            if (segments % 2 == 0 || sent == data.length) {
                ackAt(at + delay, !fromClient, fromClient ? clientSeq : serverSeq);
            }
            if (sent < data.length) {
                at += microsPerSegment;
            }
        }
        return at;
    }
}
