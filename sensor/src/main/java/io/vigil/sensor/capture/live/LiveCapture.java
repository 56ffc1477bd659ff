package io.vigil.sensor.capture.live;

import io.vigil.sensor.pipeline.Pipeline;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;

/**
 * Live capture through libpcap (pcap4j), one thread per interface, all feeding one pipeline.
 * Handles are opened receive-only in spirit: nothing here ever calls sendPacket, and the
 * direction is left at libpcap's default so mirrored traffic in both directions is seen.
 *
 * <p>Frames are read with libpcap's pcap_next_ex called directly ({@link DirectPcap}), copied from
 * libpcap's buffer into the ring: nothing is allocated per frame. pcap4j's own read path (a new
 * byte[], a Timestamp and an Integer per frame) remains the fallback where the direct call is not
 * available, and {@code -Dvigil.capture.reader=pcap4j} selects it for comparison.
 */
public final class LiveCapture implements AutoCloseable {
    /** libpcap read timeout: bounds how long a quiet interface delays a stop request. */
    private static final int READ_TIMEOUT_MILLIS = 100;
    /** Frames handed over per dispatch call before the stop flag is checked again. */
    private static final int DISPATCH_BATCH = 4096;
    private static final long STATS_PUBLISH_NANOS = 1_000_000_000L;
    /** How long the capture thread parks when libpcap's buffer is empty (see Interface#directLoop). */
    private static final long POLL_NANOS = 50_000;
    /** A link quiet this long is waited on in poll(2) instead of polled. */
    private static final long BLOCK_AFTER_IDLE_NANOS = 1_000_000;

    private final List<Interface> interfaces = new ArrayList<>();
    private final Pipeline pipeline;
    private final AtomicBoolean stop = new AtomicBoolean();

    /**
     * Opens every interface and applies the filter; throws LiveCaptureException with a one-line
     * reason (no such device, permission denied, bad filter) before any thread starts.
     */
    public LiveCapture(List<String> names, String bpf, int snaplen, int bufferMb, boolean promiscuous,
                       Pipeline pipeline) throws LiveCaptureException {
        this.pipeline = pipeline;
        try {
            for (int i = 0; i < names.size(); i++) {
                interfaces.add(open(i, names.get(i), bpf, snaplen, bufferMb, promiscuous));
            }
        } catch (LiveCaptureException e) {
            close();
            throw e;
        }
    }

    private Interface open(int id, String name, String bpf, int snaplen, int bufferMb, boolean promiscuous)
        throws LiveCaptureException {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(name)
                .snaplen(snaplen)
                .promiscuousMode(promiscuous ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MILLIS)
                .bufferSize(bufferMb << 20)
                .immediateMode(true)
                .build();
        } catch (PcapNativeException | RuntimeException e) {
            throw new LiveCaptureException("cannot open interface " + name + ": " + oneLine(e)
                + " (capturing needs root or CAP_NET_RAW)");
        } catch (LinkageError e) {
            // UnsatisfiedLinkError the first time, NoClassDefFoundError on later attempts.
            throw new LiveCaptureException("cannot load libpcap: " + oneLine(e)
                + " (install libpcap0.8, e.g. apt-get install libpcap-dev)");
        }
        if (bpf != null && !bpf.isBlank()) {
            try {
                handle.setFilter(bpf, BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                handle.close();
                throw new LiveCaptureException("invalid capture filter '" + bpf + "' on " + name + ": " + oneLine(e));
            }
        }
        return new Interface(id, name, handle, handle.getDlt().value());
    }

    /** Captures until {@link #stop()} is called; ticks the pipeline's clock while interfaces are quiet. */
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Interface itf : interfaces) {
            Thread t = new Thread(itf::captureLoop, "vigil-capture-" + itf.name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        while (!stop.get()) {
            Thread.sleep(1000);
            pipeline.tick(System.currentTimeMillis() * 1_000_000L);
            boolean anyAlive = false;
            for (Thread t : threads) {
                anyAlive |= t.isAlive();
            }
            if (!anyAlive) {
                break;
            }
        }
        for (Thread t : threads) {
            t.join(2000);
        }
    }

    public void stop() {
        stop.set(true);
        for (Interface itf : interfaces) {
            try {
                itf.handle.breakLoop();
            } catch (NotOpenException ignored) {
                // already closed: nothing to interrupt
            }
        }
    }

    /**
     * Counts as of the last second, for the metrics endpoint while capture runs: each capture thread
     * reads libpcap's statistics itself (pcap_stats is not safe against the thread inside dispatch) and
     * publishes them through a volatile field.
     */
    public List<InterfaceStats> latestStats() {
        List<InterfaceStats> list = new ArrayList<>();
        for (Interface itf : interfaces) {
            InterfaceStats s = itf.published;
            list.add(s != null ? s : new InterfaceStats(itf.name, 0, 0, 0, 0, 0, null));
        }
        return list;
    }

    public List<InterfaceStats> stats() {
        List<InterfaceStats> list = new ArrayList<>();
        for (Interface itf : interfaces) {
            list.add(itf.stats());
        }
        return list;
    }

    @Override
    public void close() {
        for (Interface itf : interfaces) {
            itf.handle.close();
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').trim();
    }

    /** What libpcap and the sensor counted on one interface. */
    public record InterfaceStats(String name, long captured, long received, long kernelDrops, long interfaceDrops,
                                 long ringDrops, String error) {
    }

    private final class Interface implements RawPacketListener {
        private final int id;
        private final String name;
        private final PcapHandle handle;
        private final int linkType;
        private long captured;
        private long ringDrops;
        private volatile String error;
        private volatile InterfaceStats lastStats;
        private volatile InterfaceStats published;
        private long nextPublishNanos;

        Interface(int id, String name, PcapHandle handle, int linkType) {
            this.id = id;
            this.name = name;
            this.handle = handle;
            this.linkType = linkType;
        }

        void captureLoop() {
            StringBuilder why = new StringBuilder();
            DirectPcap direct = "pcap4j".equals(System.getProperty("vigil.capture.reader")) ? null
                : DirectPcap.of(handle, why);
            if (direct == null && why.length() > 0) {
                System.err.println("vigil: reading " + name + " through pcap4j (one allocation per frame): " + why);
            }
            try {
                if (direct != null) {
                    directLoop(direct);
                } else {
                    while (!stop.get()) {
                        handle.dispatch(DISPATCH_BATCH, this);
                        publishStatsEverySecond();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                if (!stop.get()) {
                    error = oneLine(e);
                    System.err.println("vigil: capture on " + name + " stopped: " + error);
                }
            }
            lastStats = readStats();
            published = lastStats;
        }

        /**
         * Reads libpcap's buffer without blocking and parks {@link #POLL_NANOS} whenever it is empty,
         * rather than sleeping in poll(2) until the kernel wakes the thread for the next frame. Woken
         * per frame, at 100 kpps the thread was switched in and out ~20 000 times a second, the
         * device and flow threads as often, and on a 2-core box the switching itself took the CPU
         * the pipeline needed: packets then waited milliseconds for a core (bench/RESULTS.md). Polled,
         * each wake reads the ~5 frames that came meanwhile, for at most 50 µs more latency. A link
         * quiet for {@link #BLOCK_AFTER_IDLE_NANOS} is waited on in poll(2) again, so an idle sensor
         * costs nothing.
         */
        private void directLoop(DirectPcap direct) {
            boolean[] published = new boolean[1];
            String refused = direct.nonBlocking(true);
            boolean canPoll = refused == null;
            if (!canPoll) {
                System.err.println("vigil: reading " + name + " woken per frame (libpcap would not read without "
                    + "blocking: " + refused + ")");
            }
            boolean blocking = !canPoll;
            long idleSince = 0;
            while (!stop.get()) {
                int rc = direct.next(pipeline, linkType, id, published);
                if (rc == DirectPcap.FRAME) {
                    captured++;
                    if (!published[0]) {
                        ringDrops++;
                    }
                    idleSince = 0;
                    if (blocking && canPoll) {
                        blocking = direct.nonBlocking(true) != null;
                    }
                } else if (rc == DirectPcap.TIMEOUT) {
                    if (!blocking) {
                        long now = System.nanoTime();
                        if (idleSince == 0) {
                            idleSince = now;
                        } else if (now - idleSince >= BLOCK_AFTER_IDLE_NANOS) {
                            blocking = direct.nonBlocking(false) == null;
                        }
                        if (!blocking) {
                            LockSupport.parkNanos(POLL_NANOS);
                        }
                    }
                } else if (rc == DirectPcap.BREAK) {
                    break;
                } else {
                    if (!stop.get()) {
                        error = direct.error();
                        System.err.println("vigil: capture on " + name + " stopped: " + error);
                    }
                    break;
                }
                publishStatsEverySecond(); // a clock read: cheap next to the frame's copy, and a slow link stays current
            }
        }

        private void publishStatsEverySecond() {
            long now = System.nanoTime();
            if (now - nextPublishNanos >= 0) {
                published = readStats();
                nextPublishNanos = now + STATS_PUBLISH_NANOS;
            }
        }

        @Override
        public void gotPacket(byte[] frame) {
            Timestamp ts = handle.getTimestamp();
            long nanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
            Integer original = handle.getOriginalLength();
            captured++;
            if (!pipeline.publish(frame, 0, frame.length, original == null ? frame.length : original, nanos,
                linkType, id)) {
                ringDrops++;
            }
        }

        InterfaceStats stats() {
            InterfaceStats s = lastStats;
            return s != null ? s : readStats();
        }

        private InterfaceStats readStats() {
            try {
                PcapStat st = handle.getStats();
                return new InterfaceStats(name, captured, st.getNumPacketsReceived(), st.getNumPacketsDropped(),
                    st.getNumPacketsDroppedByIf(), ringDrops, error);
            } catch (PcapNativeException | NotOpenException | RuntimeException e) {
                return new InterfaceStats(name, captured, -1, -1, -1, ringDrops, error);
            }
        }
    }
}
