package io.vigil.sensor.simulate;

import io.vigil.protocols.LinkType;
import io.vigil.sensor.capture.file.PcapWriter;
import io.vigil.sensor.synth.FrameBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The tap: frames built by {@link FrameBuilder} are queued by capture time and written in time order, because one
 * exchange emits packets a little into the future while other conversations run. Also keeps what the ground truth
 * needs, counted as frames are written: which internal addresses sent packets, and the first and last packet of each
 * injected event.
 *
 * <p>Frames carry the MACs a SPAN port on the sender's segment would see: the receiver's own MAC on the same segment,
 * the router's MAC across segments (and as the sender of everything that comes from the internet).
 */
final class Wire implements Closeable {
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private final Network net;
    private final FrameBuilder frame = new FrameBuilder();
    private final PcapWriter out;
    private final PriorityQueue<Queued> queue = new PriorityQueue<>();
    private final TreeSet<Integer> internalSenders = new TreeSet<>();
    private long order;
    private long packets;
    private long bytes;
    private long firstMicros = Long.MAX_VALUE;
    private long lastMicros = Long.MIN_VALUE;
    private EventRecord recording;

    private record Queued(long micros, long order, byte[] frame, int srcIp, EventRecord event)
        implements Comparable<Queued> {
        @Override
        public int compareTo(Queued o) {
            int c = Long.compare(micros, o.micros);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    Wire(Network net, Path pcap) throws IOException {
        this.net = net;
        this.out = new PcapWriter(pcap, LinkType.ETHERNET, 65_535, ByteOrder.LITTLE_ENDIAN, false);
    }

    /** Packets emitted until {@link #stopRecording()} count toward this event's first and last packet. */
    void record(EventRecord event) {
        this.recording = event;
    }

    void stopRecording() {
        this.recording = null;
    }

    void tcp(long micros, int src, int dst, int sport, int dport, long seq, long ack, int flags, byte[] payload,
             int off, int len) {
        byte[] data = payload;
        if (payload != null && off != 0) {
            data = Arrays.copyOfRange(payload, off, off + len);
        }
        frame.tcp(net.srcMac(src, dst), net.dstMac(src, dst), 0, src, dst, sport, dport, seq & 0xFFFF_FFFFL,
            ack & 0xFFFF_FFFFL, flags, data, len);
        queue(micros, src);
    }

    void udp(long micros, int src, int dst, int sport, int dport, byte[] payload) {
        long dstMac = (dst == -1 || (dst & 0xFF) == 0xFF) ? BROADCAST : net.dstMac(src, dst);
        frame.udp(net.srcMac(src, dst), dstMac, 0, src, dst, sport, dport, payload, payload.length);
        queue(micros, src);
    }

    /** A DHCP client frame: the client has no address yet, so its MAC is given. */
    void udpFromMac(long micros, long srcMac, int src, int dst, int sport, int dport, byte[] payload) {
        frame.udp(srcMac, BROADCAST, 0, src, dst, sport, dport, payload, payload.length);
        queue(micros, src);
    }

    void icmpEcho(long micros, int src, int dst, int type, int id, int seq) {
        frame.icmpEcho(net.srcMac(src, dst), net.dstMac(src, dst), 0, src, dst, type, id, seq);
        queue(micros, src);
    }

    /** ARP; {@code ethDst} is {@link #BROADCAST} for requests and gratuitous announcements. */
    void arp(long micros, long ethSrc, long ethDst, int op, long senderMac, int senderIp, long targetMac,
             int targetIp) {
        frame.arp(ethSrc, ethDst, 0, op, senderMac, senderIp, targetMac, targetIp);
        queue(micros, senderIp);
    }

    private void queue(long micros, int srcIp) {
        byte[] copy = Arrays.copyOf(frame.buffer(), frame.length());
        queue.add(new Queued(micros, order++, copy, srcIp, recording));
    }

    /** Writes every queued frame stamped before {@code micros}: nothing later can be emitted before it. */
    void flushBefore(long micros) throws IOException {
        while (!queue.isEmpty() && queue.peek().micros < micros) {
            write(queue.poll());
        }
    }

    /**
     * Ends the capture at {@code micros}: frames stamped later (the tail of sessions still open when the capture stops)
     * are dropped, as a capture that stops at that moment would never see them.
     */
    void stopAt(long micros) throws IOException {
        flushBefore(micros);
        queue.clear();
    }

    private void write(Queued q) throws IOException {
        out.write(q.micros * 1_000L, q.frame, 0, q.frame.length);
        if (Network.isInternal(q.srcIp)) {
            internalSenders.add(q.srcIp);
        }
        if (q.event != null) {
            q.event.saw(q.micros);
        }
        packets++;
        bytes += q.frame.length;
        firstMicros = Math.min(firstMicros, q.micros);
        lastMicros = Math.max(lastMicros, q.micros);
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }

    long firstMicros() {
        return firstMicros;
    }

    long lastMicros() {
        return lastMicros;
    }

    int devices() {
        return internalSenders.size();
    }

    @Override
    public void close() throws IOException {
        flushBefore(Long.MAX_VALUE);
        out.close();
    }
}
