package io.vigil.sensor.capture.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * pcap / pcapng reader for the replay path, over a window of the file held in one buffer.
 *
 * <p>Two ways to fill the window, same parsing: by default positional {@code read()} calls into a reused 4 MiB direct
 * buffer; optionally ({@link #openMapped}) a read-only memory mapping of up to {@link #DEFAULT_WINDOW} bytes. Measured on
 * this project's 2-core machines with the file in the page cache, read() moves 9-12 GB/s while touching a fresh mapping
 * moves about 2 GB/s (one page fault per 4 KiB page), so the copy is the cheaper way (bench/RESULTS.md). A record that
 * does not fit in the rest of the current window causes a refill that starts at that record, so every record handed out
 * is contiguous in one buffer. Headers are read with absolute gets
 * from a view in the file's byte order; packet bytes are handed out from a big-endian view of the same memory, so
 * nothing is copied and nothing is allocated per packet (allocation happens only on remap, on a pcapng interface
 * description block, and when reporting a problem).
 *
 * <p>Bad content never throws: {@link #next} returns false and {@link #problem()} describes the first record that could
 * not be read, keeping every packet before it. Only an unopenable file or an unusable file header throws
 * {@link CaptureFileException}, from {@link #open}.
 *
 * <p>Not thread-safe; one reader per thread.
 */
public final class CaptureFileReader implements AutoCloseable {

    /** Largest mapping; 1 GiB keeps int indexes comfortably positive and bounds virtual memory per reader. */
    static final int DEFAULT_WINDOW = 1 << 30;
    /** Read buffer: large enough that the read() calls cost nothing per packet, small enough to stay in L2/L3 reach. */
    static final int DEFAULT_READ_BUFFER = 4 << 20;

    /**
     * pcap records may claim up to max(snaplen, this) captured bytes. Real files are sloppy: some writers put 0 or 65535
     * in the header snaplen and then store bigger records (tcpdump -s 0 on jumbo frames, editcap'ed files), so a strict
     * {@code caplen <= snaplen} would reject files Wireshark reads. 262144 is libpcap's MAXIMUM_SNAPLEN; anything bigger
     * than both is taken as a corrupt record rather than a packet.
     */
    static final int PCAP_CAPLEN_SLACK = 262_144;

    private static final int PCAP_FILE_HEADER = 24;
    private static final int MAGIC_USEC = 0xA1B2C3D4;
    private static final int MAGIC_NSEC = 0xA1B23C4D;
    /** Alexey Kuznetsov's patched libpcap: 8 extra bytes (ifindex, protocol, pkt_type, pad) per record header. */
    private static final int MAGIC_KUZNETSOV = 0xA1B2CD34;

    private static final int BT_SHB = 0x0A0D0D0A;
    private static final int BT_IDB = 1;
    private static final int BT_PB = 2;
    private static final int BT_SPB = 3;
    private static final int BT_EPB = 6;
    private static final int BOM = 0x1A2B3C4D;
    private static final int SHB_MIN = 28;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_IF_TSOFFSET = 14;

    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final int windowSize;
    private final boolean mapped;
    /** Reused buffer of the read() mode; replaced only by a bigger one when a record exceeds it. */
    private ByteBuffer readBuffer;
    private CaptureFormat format;

    /** Current window in BIG_ENDIAN order; handed to handlers. */
    private ByteBuffer data;
    /** Same memory in the byte order of the file (pcap) or current section (pcapng); used for record headers only. */
    private ByteBuffer hdr;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private long windowStart;
    private long windowEnd;

    private long position;
    private long packetsRead;
    private long bytesRead;
    private CaptureProblem problem;
    private boolean done;

    // pcap
    private int pcapLinkType;
    private int pcapSnaplen;
    private int pcapMaxCaplen;
    private int pcapRecordHeader;
    private long pcapFracToNanos;

    // pcapng: interfaces of the current section, indexed by IDB order
    private int ifCount;
    private int[] ifLinkType = new int[4];
    private int[] ifSnaplen = new int[4];
    /** >= 0: power-of-2 resolution with this many fraction bits; -1: multiply by ifTsMul; -2: divide by ifTsDiv. */
    private int[] ifTsShift = new int[4];
    private long[] ifTsFactor = new long[4];
    private long[] ifTsOffsetNanos = new long[4];

    private CaptureFileReader(Path file, FileChannel channel, long fileSize, int windowSize, boolean mapped) {
        this.file = file;
        this.channel = channel;
        this.fileSize = fileSize;
        this.windowSize = windowSize;
        this.mapped = mapped;
    }

    /**
     * Opens and validates the header. Throws CaptureFileException (one-line message naming the file, the problem and the
     * byte offset) for a missing/unreadable file, an empty file, unknown magic or bad header fields.
     */
    public static CaptureFileReader open(Path file) throws CaptureFileException {
        return open(file, DEFAULT_READ_BUFFER, false);
    }

    /** As {@link #open(Path)}, but windows are memory mappings instead of read() copies (for comparisons). */
    public static CaptureFileReader openMapped(Path file) throws CaptureFileException {
        return open(file, DEFAULT_WINDOW, true);
    }

    /** As {@link #open(Path)} with a chosen mapping window; small windows let tests exercise remapping. */
    static CaptureFileReader open(Path file, int windowSize) throws CaptureFileException {
        return open(file, windowSize, true);
    }

    /** With a chosen window size and fill mode; small windows let tests exercise refills. */
    static CaptureFileReader open(Path file, int windowSize, boolean mapped) throws CaptureFileException {
        if (windowSize < 64) {
            throw new IllegalArgumentException("window size " + windowSize + " < 64");
        }
        if (Files.isDirectory(file)) {
            throw new CaptureFileException(file, 0, "is a directory, not a capture file");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CaptureFileException(file, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new CaptureFileException(file, 0, "permission denied", e);
        } catch (IOException | SecurityException e) {
            throw new CaptureFileException(file, 0, "cannot open: " + e, e);
        }
        try {
            CaptureFileReader r = new CaptureFileReader(file, ch, ch.size(), windowSize, mapped);
            r.readFileHeader();
            return r;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CaptureFileException(file, 0, "cannot read: " + e, e);
        } catch (CaptureFileException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private void readFileHeader() throws CaptureFileException {
        if (fileSize == 0) {
            throw new CaptureFileException(file, 0, "empty file");
        }
        if (fileSize < 4) {
            throw new CaptureFileException(file, 0, "file too short for a capture header (" + fileSize + " bytes)");
        }
        if (!ensure(0, (int) Math.min(fileSize, SHB_MIN))) {
            throw new CaptureFileException(file, 0, problem.message());
        }
        int magic = data.getInt(0);
        if (magic == BT_SHB) {
            format = CaptureFormat.PCAPNG;
            String err = readSectionHeader(0);
            if (err != null) {
                throw new CaptureFileException(file, 0, err);
            }
            return;
        }
        int swapped = Integer.reverseBytes(magic);
        ByteOrder o;
        int m;
        if (magic == MAGIC_USEC || magic == MAGIC_NSEC || magic == MAGIC_KUZNETSOV) {
            o = ByteOrder.BIG_ENDIAN;
            m = magic;
        } else if (swapped == MAGIC_USEC || swapped == MAGIC_NSEC || swapped == MAGIC_KUZNETSOV) {
            o = ByteOrder.LITTLE_ENDIAN;
            m = swapped;
        } else {
            throw new CaptureFileException(file, 0, String.format("not a pcap or pcapng file: bad magic 0x%08x%s",
                    magic, looksLikePcapngBlock(magic) ? " (looks like a pcapng block that is not a section header block;"
                            + " a pcapng file must start with one)" : ""));
        }
        format = CaptureFormat.PCAP;
        if (fileSize < PCAP_FILE_HEADER) {
            throw new CaptureFileException(file, 0, "truncated pcap file header: " + fileSize + " of 24 bytes");
        }
        setOrder(o);
        int major = hdr.getShort(4) & 0xFFFF;
        int minor = hdr.getShort(6) & 0xFFFF;
        if (major != 2) {
            throw new CaptureFileException(file, 4, "unsupported pcap version " + major + "." + minor);
        }
        long snap = hdr.getInt(16) & 0xFFFF_FFFFL;
        pcapSnaplen = (int) Math.min(snap, Integer.MAX_VALUE);
        pcapMaxCaplen = Math.max(pcapSnaplen, PCAP_CAPLEN_SLACK);
        // Upper 4 bits of the network field carry FCS presence/length, not the link type.
        pcapLinkType = hdr.getInt(20) & 0x0FFF_FFFF;
        pcapFracToNanos = m == MAGIC_NSEC ? 1 : 1000;
        pcapRecordHeader = m == MAGIC_KUZNETSOV ? 24 : 16;
        position = PCAP_FILE_HEADER;
    }

    private boolean looksLikePcapngBlock(int magic) {
        int le = Integer.reverseBytes(magic);
        return isPcapngBlockType(magic) || isPcapngBlockType(le);
    }

    private static boolean isPcapngBlockType(int t) {
        return t >= 1 && t <= 10 || t == 0x0BAD || t == 0x40000BAD;
    }

    /**
     * Reads the next packet and hands it to the handler. Returns false at the end of the file or at the first
     * unrecoverable problem; after false, problem() says which (null for a clean end). Never throws for bad content.
     */
    public boolean next(PacketHandler handler) {
        if (done) {
            return false;
        }
        return format == CaptureFormat.PCAP ? nextPcap(handler) : nextPcapng(handler);
    }

    private boolean nextPcap(PacketHandler handler) {
        final long pos = position;
        final long remaining = fileSize - pos;
        final int rh = pcapRecordHeader;
        if (remaining == 0) {
            done = true;
            return false;
        }
        if (remaining < rh) {
            return fail(pos, "truncated record header: " + remaining + " of " + rh + " bytes");
        }
        if (!ensure(pos, rh)) {
            return false;
        }
        int i = (int) (pos - windowStart);
        final ByteBuffer h = hdr;
        long seconds = h.getInt(i) & 0xFFFF_FFFFL;
        long frac = h.getInt(i + 4) & 0xFFFF_FFFFL;
        int caplen = h.getInt(i + 8);
        int origlen = h.getInt(i + 12);
        if (caplen < 0 || caplen > pcapMaxCaplen) {
            return fail(pos, "captured length " + Integer.toUnsignedString(caplen) + " exceeds snaplen " + pcapSnaplen
                    + " (limit is max(snaplen, " + PCAP_CAPLEN_SLACK + "))");
        }
        if (caplen > remaining - rh) {
            return fail(pos, "record at offset " + pos + " claims " + caplen + " bytes but only " + (remaining - rh)
                    + " remain");
        }
        int total = rh + caplen;
        if (!ensure(pos, total)) {
            return false;
        }
        i = (int) (pos - windowStart);
        position = pos + total;
        packetsRead++;
        bytesRead += caplen;
        handler.onPacket(data, i + rh, caplen, origlen, seconds * 1_000_000_000L + frac * pcapFracToNanos,
                pcapLinkType, 0);
        return true;
    }

    private boolean nextPcapng(PacketHandler handler) {
        for (;;) {
            final long pos = position;
            final long remaining = fileSize - pos;
            if (remaining == 0) {
                done = true;
                return false;
            }
            if (remaining < 12) {
                return fail(pos, "truncated record header: " + remaining + " bytes remain, a pcapng block needs"
                        + " at least 12");
            }
            if (!ensure(pos, 12)) {
                return false;
            }
            int i = (int) (pos - windowStart);
            int type = hdr.getInt(i);
            if (type == BT_SHB) {
                String err = readSectionHeader(pos);
                if (err != null) {
                    return fail(pos, err);
                }
                continue;
            }
            long len = hdr.getInt(i + 4) & 0xFFFF_FFFFL;
            String err = checkBlockLength(pos, type, len, remaining);
            if (err != null) {
                return fail(pos, err);
            }
            if (!ensure(pos, (int) len)) {
                return false;
            }
            i = (int) (pos - windowStart);
            long trailer = hdr.getInt(i + (int) len - 4) & 0xFFFF_FFFFL;
            if (trailer != len) {
                return fail(pos, "block of type " + blockTypeName(type) + " has trailing length " + trailer
                        + " that does not match its leading length " + len);
            }
            switch (type) {
                case BT_EPB:
                    return enhancedPacket(handler, pos, i, (int) len);
                case BT_SPB:
                    return simplePacket(handler, pos, i, (int) len);
                case BT_PB:
                    return obsoletePacket(handler, pos, i, (int) len);
                case BT_IDB:
                    err = interfaceDescription(i, (int) len);
                    if (err != null) {
                        return fail(pos, err);
                    }
                    position = pos + len;
                    break;
                default:
                    // NRB, ISB, DSB, custom and unknown blocks: nothing the packet path needs.
                    position = pos + len;
                    break;
            }
        }
    }

    private String checkBlockLength(long pos, int type, long len, long remaining) {
        if ((len & 3) != 0 || len < 12) {
            return "block of type " + blockTypeName(type) + " has bad total length " + len
                    + " (must be a multiple of 4 and at least 12)";
        }
        if (len > remaining) {
            return "record at offset " + pos + " claims " + len + " bytes but only " + remaining + " remain";
        }
        if (len > Integer.MAX_VALUE - 8) {
            return "block of type " + blockTypeName(type) + " has total length " + len + ", larger than supported";
        }
        return null;
    }

    private boolean enhancedPacket(PacketHandler handler, long pos, int i, int len) {
        if (len < 32) {
            return fail(pos, "enhanced packet block too short (" + len + " bytes, need at least 32)");
        }
        return timestampedPacket(handler, pos, i, len, hdr.getInt(i + 8), "enhanced packet block");
    }

    /**
     * The common tail of EPB and the obsolete PB: interface id, 64-bit timestamp, captured and
     * original length at the same offsets, then the packet data at offset 28.
     */
    private boolean timestampedPacket(PacketHandler handler, long pos, int i, int len, int ifc, String block) {
        final ByteBuffer h = hdr;
        if (ifc < 0 || ifc >= ifCount) {
            return fail(pos, block + " refers to unknown interface " + Integer.toUnsignedString(ifc)
                    + " (" + ifCount + " defined in this section)");
        }
        long ts = ((long) h.getInt(i + 12) << 32) | (h.getInt(i + 16) & 0xFFFF_FFFFL);
        int caplen = h.getInt(i + 20);
        int origlen = h.getInt(i + 24);
        if (caplen < 0 || caplen > len - 32) {
            return fail(pos, block + " captured length " + Integer.toUnsignedString(caplen)
                    + " exceeds the block's " + (len - 32) + " data bytes");
        }
        position = pos + len;
        packetsRead++;
        bytesRead += caplen;
        handler.onPacket(data, i + 28, caplen, origlen, toNanos(ifc, ts), ifLinkType[ifc], ifc);
        return true;
    }

    private boolean simplePacket(PacketHandler handler, long pos, int i, int len) {
        if (len < 16) {
            return fail(pos, "simple packet block too short (" + len + " bytes, need at least 16)");
        }
        if (ifCount == 0) {
            return fail(pos, "simple packet block but no interface defined in this section");
        }
        int origlen = hdr.getInt(i + 8);
        // The block stores min(origlen, snaplen) bytes but no captured length; take the smallest plausible value.
        long caplen = Math.min(origlen & 0xFFFF_FFFFL, len - 16);
        int snap = ifSnaplen[0];
        if (snap > 0 && caplen > snap) {
            caplen = snap;
        }
        position = pos + len;
        packetsRead++;
        bytesRead += caplen;
        // No timestamp in an SPB.
        handler.onPacket(data, i + 12, (int) caplen, origlen, 0L, ifLinkType[0], 0);
        return true;
    }

    private boolean obsoletePacket(PacketHandler handler, long pos, int i, int len) {
        if (len < 32) {
            return fail(pos, "packet block too short (" + len + " bytes, need at least 32)");
        }
        return timestampedPacket(handler, pos, i, len, hdr.getShort(i + 8) & 0xFFFF, "packet block");
    }

    /** Validates the SHB at pos, switches to its byte order and starts a new interface list. Returns an error or null. */
    private String readSectionHeader(long pos) {
        long remaining = fileSize - pos;
        if (remaining < SHB_MIN) {
            return "truncated section header block: " + remaining + " bytes remain, need at least " + SHB_MIN;
        }
        if (!ensure(pos, SHB_MIN)) {
            return problem.message();
        }
        int i = (int) (pos - windowStart);
        // Read through hdr, not data: handlers get data and might (against the contract) have changed its order.
        int bom = hdr.getInt(i + 8);
        if (bom == Integer.reverseBytes(BOM)) {
            setOrder(order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        } else if (bom != BOM) {
            return String.format("section header block has bad byte-order magic 0x%08x",
                    order == ByteOrder.BIG_ENDIAN ? bom : Integer.reverseBytes(bom));
        }
        long len = hdr.getInt(i + 4) & 0xFFFF_FFFFL;
        if (len < SHB_MIN) {
            return "section header block has bad total length " + len + " (at least " + SHB_MIN + ")";
        }
        String err = checkBlockLength(pos, BT_SHB, len, remaining);
        if (err != null) {
            return err;
        }
        int major = hdr.getShort(i + 12) & 0xFFFF;
        int minor = hdr.getShort(i + 14) & 0xFFFF;
        if (major != 1) {
            return "unsupported pcapng version " + major + "." + minor;
        }
        if (!ensure(pos, (int) len)) {
            return problem.message();
        }
        i = (int) (pos - windowStart);
        long trailer = hdr.getInt(i + (int) len - 4) & 0xFFFF_FFFFL;
        if (trailer != len) {
            return "block of type SHB has trailing length " + trailer + " that does not match its leading length " + len;
        }
        ifCount = 0;
        position = pos + len;
        return null;
    }

    private String interfaceDescription(int i, int len) {
        if (len < 20) {
            return "interface description block too short (" + len + " bytes, need at least 20)";
        }
        final ByteBuffer h = hdr;
        int linkType = h.getShort(i + 8) & 0xFFFF;
        long snap = h.getInt(i + 12) & 0xFFFF_FFFFL;
        int tsresol = 6;
        long tsoffset = 0;
        int o = i + 16;
        int end = i + len - 4;
        while (o + 4 <= end) {
            int code = h.getShort(o) & 0xFFFF;
            int olen = h.getShort(o + 2) & 0xFFFF;
            if (code == 0 || o + 4 + olen > end) {
                break; // opt_endofopt, or an option overrunning the block: ignore the rest rather than the interface
            }
            if (code == OPT_IF_TSRESOL && olen >= 1) {
                tsresol = h.get(o + 4) & 0xFF;
            } else if (code == OPT_IF_TSOFFSET && olen >= 8) {
                tsoffset = h.getLong(o + 4);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        int n = ifCount;
        if (n == ifLinkType.length) {
            int cap = n * 2;
            ifLinkType = java.util.Arrays.copyOf(ifLinkType, cap);
            ifSnaplen = java.util.Arrays.copyOf(ifSnaplen, cap);
            ifTsShift = java.util.Arrays.copyOf(ifTsShift, cap);
            ifTsFactor = java.util.Arrays.copyOf(ifTsFactor, cap);
            ifTsOffsetNanos = java.util.Arrays.copyOf(ifTsOffsetNanos, cap);
        }
        ifLinkType[n] = linkType;
        ifSnaplen[n] = (int) Math.min(snap, Integer.MAX_VALUE);
        if ((tsresol & 0x80) != 0) {
            ifTsShift[n] = tsresol & 0x7F;
            ifTsFactor[n] = 0;
        } else if (tsresol <= 9) {
            ifTsShift[n] = -1;
            ifTsFactor[n] = POW10[9 - tsresol];
        } else {
            ifTsShift[n] = -2;
            ifTsFactor[n] = tsresol - 9 < POW10.length ? POW10[tsresol - 9] : Long.MAX_VALUE;
        }
        ifTsOffsetNanos[n] = tsoffset * 1_000_000_000L;
        ifCount = n + 1;
        return null;
    }

    private long toNanos(int ifc, long ts) {
        int shift = ifTsShift[ifc];
        long nanos;
        if (shift == -1) {
            nanos = ts * ifTsFactor[ifc];
        } else if (shift == -2) {
            nanos = Long.divideUnsigned(ts, ifTsFactor[ifc]);
        } else if (shift == 0) {
            nanos = ts * 1_000_000_000L;
        } else {
            long frac = ts & ((1L << shift) - 1);
            // frac * 1e9 must stay below 2^64: drop fraction bits beyond 33 (sub-nanosecond anyway).
            int s = shift;
            if (s > 33) {
                frac >>>= s - 33;
                s = 33;
            }
            nanos = (ts >>> shift) * 1_000_000_000L + ((frac * 1_000_000_000L) >>> s);
        }
        return nanos + ifTsOffsetNanos[ifc];
    }

    private static String blockTypeName(int type) {
        switch (type) {
            case BT_SHB: return "SHB";
            case BT_IDB: return "IDB";
            case BT_PB: return "PB";
            case BT_SPB: return "SPB";
            case 4: return "NRB";
            case 5: return "ISB";
            case BT_EPB: return "EPB";
            case 10: return "DSB";
            default: return String.format("0x%08x", type);
        }
    }

    /** Makes [pos, pos+len) addressable in the current window; caller guarantees it lies inside the file. */
    private boolean ensure(long pos, int len) {
        if (pos >= windowStart && pos + len <= windowEnd) {
            return true;
        }
        return remap(pos, len);
    }

    private boolean remap(long pos, int len) {
        return mapped ? map(pos, len) : refill(pos, len);
    }

    /** Reads [pos, pos + buffer capacity) into the read buffer, growing it only for a record bigger than it. */
    private boolean refill(long pos, int len) {
        int size = (int) Math.min(Math.max(windowSize, len), fileSize - pos);
        try {
            if (readBuffer == null || readBuffer.capacity() < size) {
                readBuffer = ByteBuffer.allocateDirect(Math.max(size, windowSize));
                hdr = readBuffer.duplicate().order(order);
            }
            readBuffer.clear().limit(size);
            while (readBuffer.hasRemaining()) {
                if (channel.read(readBuffer, pos + readBuffer.position()) < 0) {
                    throw new IOException("file shrank while being read");
                }
            }
            readBuffer.clear().limit(size);
            hdr.clear().limit(size);
            data = readBuffer;
            windowStart = pos;
            windowEnd = pos + size;
            return true;
        } catch (IOException | RuntimeException e) {
            data = null;
            hdr = null;
            readBuffer = null;
            windowStart = windowEnd = 0;
            return fail(pos, "cannot read " + size + " bytes: " + e);
        }
    }

    private boolean map(long pos, int len) {
        long size = Math.min(Math.max(windowSize, len), fileSize - pos);
        try {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, pos, size);
            data = m; // freshly mapped buffers are BIG_ENDIAN
            hdr = m.duplicate().order(order);
            windowStart = pos;
            windowEnd = pos + size;
            return true;
        } catch (IOException | RuntimeException e) {
            data = null;
            hdr = null;
            windowStart = windowEnd = 0;
            return fail(pos, "cannot map " + size + " bytes: " + e);
        }
    }

    private void setOrder(ByteOrder o) {
        order = o;
        hdr.order(o);
    }

    private boolean fail(long offset, String message) {
        problem = new CaptureProblem(file, offset, message);
        position = offset;
        done = true;
        return false;
    }

    /** null after a clean end of file (or before the end); otherwise why reading stopped early. */
    public CaptureProblem problem() {
        return problem;
    }

    public CaptureFormat format() {
        return format;
    }

    public long packetsRead() {
        return packetsRead;
    }

    /** Sum of captured lengths of the packets handed out. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Byte offset of the next record; after a problem, the offset of the record that could not be read. */
    public long position() {
        return position;
    }

    public long fileSize() {
        return fileSize;
    }

    public Path file() {
        return file;
    }

    /** Idempotent. A mapping is released when its buffers are collected (Java 17 has no public unmap). */
    @Override
    public void close() {
        done = true;
        data = null;
        hdr = null;
        readBuffer = null;
        windowStart = windowEnd = 0;
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
