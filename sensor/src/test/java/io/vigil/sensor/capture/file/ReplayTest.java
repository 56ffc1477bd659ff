package io.vigil.sensor.capture.file;

import io.vigil.protocols.LinkType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Many-packet captures: window remapping and the no-allocation promise of the read path. */
class ReplayTest {
    static final int PACKETS = 6000;

    @TempDir
    static Path tmp;
    static Path pcap;
    static Path pcapng;
    static long expectedDigest;
    static long expectedBytes;

    /** Order-sensitive digest over everything a handler sees; allocation-free so it can run in the allocation test. */
    static final class Digest implements PacketHandler {
        long h = 17;
        long bytes;
        long packets;

        @Override
        public void onPacket(ByteBuffer data, int offset, int captureLength, int originalLength, long timestampNanos,
                             int linkType, int interfaceId) {
            long x = h;
            x = x * 31 + timestampNanos;
            x = x * 31 + captureLength;
            x = x * 31 + originalLength;
            x = x * 31 + linkType * 7L + interfaceId;
            for (int i = offset, end = offset + captureLength; i < end; i++) {
                x = x * 31 + data.get(i);
            }
            h = x;
            bytes += captureLength;
            packets++;
        }
    }

    @BeforeAll
    static void write() throws IOException {
        pcap = tmp.resolve("many.pcap");
        pcapng = tmp.resolve("many.pcapng");
        List<byte[]> ips = TestFrames.ipPackets(PACKETS, 99);
        Digest d = new Digest();
        try (PcapWriter w = new PcapWriter(pcap, LinkType.ETHERNET, 65535, ByteOrder.LITTLE_ENDIAN, true);
             PcapngWriter n = new PcapngWriter(pcapng, ByteOrder.BIG_ENDIAN)) {
            n.addInterface(LinkType.ETHERNET, 65535, 9);
            for (int i = 0; i < PACKETS; i++) {
                byte[] frame = TestFrames.ethernet(ips.get(i));
                long t = TestCaptures.ts(i, 1);
                w.write(t, frame, 0, frame.length);
                n.writeEnhancedPacket(0, t, frame, 0, frame.length);
                d.onPacket(ByteBuffer.wrap(frame), 0, frame.length, frame.length, t, LinkType.ETHERNET, 0);
                if (i % 1000 == 999) {
                    n.writeComment("progress " + i); // blocks to skip, also across window boundaries
                }
            }
        }
        expectedDigest = d.h;
        expectedBytes = d.bytes;
    }

    @Test
    void tinyWindowsRemapAndGiveTheSamePackets() throws Exception {
        assertTrue(Files.size(pcap) > 100 * 4096, "capture must span many windows");
        for (Path f : List.of(pcap, pcapng)) {
            for (int window : new int[] {CaptureFileReader.DEFAULT_WINDOW, 4096, 4099, 1500, 64, -CaptureFileReader.DEFAULT_READ_BUFFER, -4096, -4099, -1500, -64}) {
                try (CaptureFileReader r = openWith(f, window)) {
                    Digest d = new Digest();
                    while (r.next(d)) {
                        // digest only
                    }
                    String what = f.getFileName() + " window " + window;
                    assertNull(r.problem(), what);
                    assertEquals(PACKETS, d.packets, what);
                    assertEquals(PACKETS, r.packetsRead(), what);
                    assertEquals(expectedBytes, r.bytesRead(), what);
                    assertEquals(expectedDigest, d.h, what);
                    assertEquals(r.fileSize(), r.position(), what);
                }
            }
        }
    }

    @Test
    void readingAllocatesNothingPerPacket() throws Exception {
        java.lang.management.ThreadMXBean std = ManagementFactory.getThreadMXBean();
        assumeTrue(std instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) std;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "no allocation counter on this JVM");
        mx.setThreadAllocatedMemoryEnabled(true);

        Digest d = new Digest();
        for (Path f : List.of(pcap, pcapng)) {
            for (int warm = 0; warm < 5; warm++) {
                drain(f, d); // let the JIT settle so the measurement sees steady-state code
            }
            for (int pass = 0; pass < 2; pass++) {
                try (CaptureFileReader r = CaptureFileReader.open(f)) {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    while (r.next(d)) {
                        // nothing
                    }
                    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                    assertNull(r.problem());
                    assertEquals(PACKETS, r.packetsRead());
                    // A few bytes of slack for the counter itself; one allocation per packet would be >= 16 * 6000.
                    assertTrue(allocated < 1024, f.getFileName() + " pass " + pass + ": " + allocated
                            + " bytes allocated for " + PACKETS + " packets");
                }
            }
        }
    }

    private static void drain(Path f, PacketHandler h) throws CaptureFileException {
        try (CaptureFileReader r = CaptureFileReader.open(f)) {
            while (r.next(h)) {
                // nothing
            }
        }
    }

    /** Window size > 0: memory-mapped windows; < 0: read() into a buffer of -window bytes (the default mode). */
    static CaptureFileReader openWith(Path f, int window) throws CaptureFileException {
        return window < 0 ? CaptureFileReader.open(f, -window, false) : CaptureFileReader.open(f, window, true);
    }
}
