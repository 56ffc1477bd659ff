package io.vigil.sensor.realstack;

import io.vigil.protocols.LinkType;
import io.vigil.sensor.capture.file.PcapWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;

/**
 * Records frames on the loopback interface through libpcap (pcap4j) into memory and writes them
 * as a pcap file with the project's own writer.
 *
 * <p>Capture start and stop are synchronised with <em>probe datagrams</em> rather than sleeps:
 * the BPF filter also admits UDP to a private probe port, the capture thread counts probes and
 * drops them from the recording, and {@link #sync()} sends probes until one has come through. A
 * probe seen after {@code sync()} at the start proves the handle is receiving; at the end, since
 * loopback delivers in order, it proves every frame sent before it has been read.
 */
public final class LoopbackRecorder implements AutoCloseable {
    public record Frame(long timestampNanos, byte[] data) {
    }

    private final PcapHandle handle;
    private final DatagramSocket probeReceiver;
    private final DatagramSocket probeSender;
    private final int probePort;
    private final List<Frame> frames = new ArrayList<>();
    private final AtomicLong probesSeen = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    /** Opens lo with {@code filter} (plus the probe port) and starts the capture thread. */
    public LoopbackRecorder(String filter) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        probeReceiver = new DatagramSocket(new InetSocketAddress(lo, 0));
        probeSender = new DatagramSocket(new InetSocketAddress(lo, 0));
        probePort = probeReceiver.getLocalPort();
        handle = new PcapHandle.Builder("lo")
            .snaplen(65536)
            .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
            .timeoutMillis(10)
            .bufferSize(4 << 20)
            .immediateMode(true)
            .build();
        if (handle.getDlt().value() != LinkType.ETHERNET) {
            handle.close();
            throw new IllegalStateException("lo is not DLT_EN10MB here but " + handle.getDlt());
        }
        handle.setFilter("(" + filter + ") or (udp and dst port " + probePort + ")",
            BpfProgram.BpfCompileMode.OPTIMIZE);
        thread = new Thread(this::loop, "realstack-capture");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * pcap_next() can block in poll() past the read timeout when nothing arrives (immediate mode on
     * TPACKET_V3), so the thread dispatches and is stopped with breakLoop(), which wakes it.
     */
    private void loop() {
        RawPacketListener listener = b -> {
            Timestamp ts = handle.getTimestamp();
            long nanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
            if (isProbe(b)) {
                probesSeen.incrementAndGet();
            } else {
                synchronized (frames) {
                    frames.add(new Frame(nanos, b));
                }
            }
        };
        try {
            while (!stop) {
                handle.dispatch(64, listener);
            }
        } catch (InterruptedException e) {
            // breakLoop(): stopping
        } catch (Throwable t) {
            if (!stop) {
                failure = t;
            }
        }
    }

    /** An IPv4 UDP datagram to the probe port (Ethernet framing, as lo has). */
    private boolean isProbe(byte[] b) {
        if (b.length < 14 + 20 + 8 || (b[12] & 0xFF) != 0x08 || b[13] != 0 || (b[14 + 9] & 0xFF) != 17) {
            return false;
        }
        int udp = 14 + (b[14] & 0x0F) * 4;
        return udp + 4 <= b.length && ((b[udp + 2] & 0xFF) << 8 | (b[udp + 3] & 0xFF)) == probePort;
    }

    /**
     * Sends probes until the capture thread has seen one sent by this call: the capture is live
     * and everything sent before this call has been read.
     */
    public void sync() throws Exception {
        long before = probesSeen.get();
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] payload = "vigil-realstack-probe".getBytes();
        while (System.nanoTime() < deadline) {
            if (failure != null) {
                throw new IllegalStateException("capture thread failed", failure);
            }
            probeSender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                probePort));
            for (int i = 0; i < 10; i++) {
                Thread.sleep(5);
                if (probesSeen.get() > before) {
                    return;
                }
            }
        }
        throw new IllegalStateException("capture on lo saw no probe datagram within 10 s");
    }

    /** Stops capturing (after a final {@link #sync()}) and returns the frames in capture order. */
    public List<Frame> finish() throws Exception {
        sync();
        stopThread();
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }

    public static void write(List<Frame> frames, Path file) throws IOException {
        try (PcapWriter w = new PcapWriter(file, LinkType.ETHERNET, 65535, ByteOrder.LITTLE_ENDIAN, false)) {
            for (Frame f : frames) {
                w.write(f.timestampNanos(), f.data(), 0, f.data().length);
            }
        }
    }

    private void stopThread() throws InterruptedException {
        stop = true;
        for (int i = 0; i < 50 && thread.isAlive(); i++) {
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                break;
            }
            thread.join(100);
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("capture thread on lo did not stop");
        }
    }

    @Override
    public void close() {
        try {
            stopThread();
            handle.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            probeReceiver.close();
            probeSender.close();
        }
    }
}
