package io.vigil.protocols.tcp;

import io.vigil.protocols.decode.DecodedPacket;

/** A hand-built TCP segment: a decoded packet and a frame whose payload starts after fake headers. */
record Segment(DecodedPacket packet, byte[] frame) {
    static final int HEADERS = 54;
    private static long frames;

    static Segment of(long seq, int flags, byte[] stream, int from, int len) {
        byte[] frame = new byte[HEADERS + len + 4];
        java.util.Arrays.fill(frame, (byte) 0xEE); // junk around the payload catches off-by-ones
        System.arraycopy(stream, from, frame, HEADERS, len);
        DecodedPacket p = new DecodedPacket();
        p.reset();
        p.ipProto = DecodedPacket.PROTO_TCP;
        p.hasPorts = true;
        p.tcpSeq = seq & 0xFFFF_FFFFL;
        p.tcpFlags = flags;
        p.payloadOffset = HEADERS;
        p.payloadLength = len;
        p.captureLength = frame.length;
        p.originalLength = frame.length;
        p.frameNumber = ++frames;
        p.timestampNanos = p.frameNumber * 1000;
        return new Segment(p, frame);
    }

    static Segment data(long seq, byte[] stream, int from, int len) {
        return of(seq, DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH, stream, from, len);
    }

    static Segment flags(long seq, int flags) {
        return of(seq, flags, new byte[0], 0, 0);
    }

    void feed(TcpReassembler r, int slot, boolean fromClient, StreamConsumer c) {
        r.onSegment(slot, fromClient, packet, frame, c);
    }
}
