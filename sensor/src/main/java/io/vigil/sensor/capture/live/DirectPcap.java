package io.vigil.sensor.capture.live;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.vigil.sensor.pipeline.Pipeline;
import io.vigil.sensor.ring.NativeMemory;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * Reads frames from an open pcap4j handle with libpcap's pcap_next_ex called directly (JNA direct
 * mapping: one native call, no Java object per frame) and copies each into the packet ring.
 *
 * <p>Why not pcap4j's own read path: it copies every frame into a new byte[] and builds a
 * java.sql.Timestamp and an Integer for it. At 100 kpps that is tens of MB of garbage a second,
 * and the young collections it forced paused capture for 150–220 ms on a 2-core box: kernel drops
 * at 20 kpps (bench/RESULTS.md). pcap4j still opens the handle, compiles the filter and reads the
 * statistics; only the per-frame read is ours.
 *
 * <p>Used by one capture thread per handle, as libpcap requires.
 */
final class DirectPcap {
    /** pcap_next_ex: a frame was read. */
    static final int FRAME = 1;
    /** pcap_next_ex: the read timeout expired with nothing to read. */
    static final int TIMEOUT = 0;
    /** pcap_next_ex: pcap_breakloop was called. */
    static final int BREAK = -2;

    private static final Throwable UNAVAILABLE = register();

    private final Pointer pcap;
    private final boolean nanoTimestamps;
    /** Out-parameters of pcap_next_ex (struct pcap_pkthdr ** and u_char **), allocated once. */
    private final Memory header = new Memory(Native.POINTER_SIZE);
    private final Memory data = new Memory(Native.POINTER_SIZE);
    private final long headerAddress = Pointer.nativeValue(header);
    private final long dataAddress = Pointer.nativeValue(data);
    /** PCAP_ERRBUF_SIZE. */
    private final Memory errbuf = new Memory(256);

    private DirectPcap(Pointer pcap, boolean nanoTimestamps) {
        this.pcap = pcap;
        this.nanoTimestamps = nanoTimestamps;
    }

    private static Throwable register() {
        try {
            Native.register(DirectPcap.class,
                NativeLibrary.getInstance(System.getProperty("org.pcap4j.core.pcapLibName", "pcap")));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return e;
        }
    }

    private static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    private static native String pcap_geterr(Pointer p);

    private static native int pcap_setnonblock(Pointer p, int nonblock, Pointer errbuf);

    /**
     * A reader for {@code handle}, or null when libpcap cannot be called directly here (the library
     * did not load under this name, or pcap4j's handle field is not where 1.8.2 keeps it); the
     * caller then reads through pcap4j. {@code why} receives the reason.
     */
    static DirectPcap of(PcapHandle handle, StringBuilder why) {
        if (UNAVAILABLE != null) {
            why.append(UNAVAILABLE.getMessage());
            return null;
        }
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            why.append("struct pcap_pkthdr is read for a 64-bit platform only");
            return null;
        }
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return new DirectPcap((Pointer) f.get(handle),
                handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO);
        } catch (ReflectiveOperationException | RuntimeException e) {
            why.append("no pcap_t in pcap4j's handle: ").append(e);
            return null;
        }
    }

    /**
     * Reads one frame into the pipeline. Returns {@link #FRAME} (published, or counted by the
     * pipeline as a ring drop: then {@code false} lands in {@code published}), {@link #TIMEOUT},
     * {@link #BREAK}, or -1 on an error ({@link #error()}).
     */
    int next(Pipeline pipeline, int linkType, int interfaceId, boolean[] published) {
        int rc = pcap_next_ex(pcap, header, data);
        if (rc != FRAME) {
            return rc;
        }
        // struct pcap_pkthdr on LP64: struct timeval (8-byte seconds, 8-byte micro- or nanoseconds),
        // then bpf_u_int32 caplen and len.
        long h = NativeMemory.getLong(headerAddress);
        long seconds = NativeMemory.getLong(h);
        long fraction = NativeMemory.getLong(h + 8);
        int captured = NativeMemory.getInt(h + 16);
        int original = NativeMemory.getInt(h + 20);
        long nanos = seconds * 1_000_000_000L + (nanoTimestamps ? fraction : fraction * 1000);
        published[0] = pipeline.publishNative(NativeMemory.getLong(dataAddress), captured, original, nanos, linkType,
            interfaceId);
        return FRAME;
    }

    /**
     * Non-blocking, {@link #next} returns {@link #TIMEOUT} at once when libpcap's buffer is empty;
     * blocking, it waits in poll(2) for a frame or the read timeout. Returns null when done, or
     * libpcap's reason for refusing.
     */
    String nonBlocking(boolean on) {
        return pcap_setnonblock(pcap, on ? 1 : 0, errbuf) == 0 ? null : errbuf.getString(0);
    }

    String error() {
        return pcap_geterr(pcap);
    }
}
