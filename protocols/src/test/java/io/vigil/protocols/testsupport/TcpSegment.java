package io.vigil.protocols.testsupport;

/** One TCP segment with payload as tshark reports it (outer addresses where a frame has several). */
public final class TcpSegment {
    public final long frame;
    /** tshark's tcp.stream index: one per connection. */
    public final String stream;
    public final String srcAddr;
    public final int srcPort;
    public final String dstAddr;
    public final int dstPort;
    /** Relative sequence number (tcp.seq). */
    public final long seq;
    /** Sequence number as on the wire (tcp.seq_raw); wraps at 2^32. */
    public final long seqRaw;
    public final byte[] payload;

    TcpSegment(long frame, String stream, String srcAddr, int srcPort, String dstAddr, int dstPort, long seq,
               long seqRaw, byte[] payload) {
        this.frame = frame;
        this.stream = stream;
        this.srcAddr = srcAddr;
        this.srcPort = srcPort;
        this.dstAddr = dstAddr;
        this.dstPort = dstPort;
        this.seq = seq;
        this.seqRaw = seqRaw;
        this.payload = payload;
    }

    public String src() {
        return srcAddr + ":" + srcPort;
    }

    public String dst() {
        return dstAddr + ":" + dstPort;
    }

    /** The same string for both directions of a connection. */
    public String connection() {
        String s = src();
        String d = dst();
        return s.compareTo(d) < 0 ? s + "-" + d : d + "-" + s;
    }
}
