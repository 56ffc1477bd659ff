package io.vigil.sensor.capture.file;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes pcapng files: SHB, IDBs, EPB/SPB/obsolete PB, comment blocks and interface statistics. Meant for tests,
 * benchmark and scenario generators (allocation per block is fine here).
 */
public final class PcapngWriter implements Closeable {
    private final OutputStream out;
    private ByteOrder order;
    private int ifCount;
    /** Per interface of the current section: if_tsresol byte and if_tsoffset seconds, to encode timestamps. */
    private int[] tsresolByte = new int[4];
    private long[] tsOffset = new long[4];

    /** Opens the file and writes a Section Header Block in {@code order}. */
    public PcapngWriter(Path file, ByteOrder order) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        newSection(order);
    }

    /**
     * Starts a new section (a new SHB) in {@code order}; interface ids restart at 0, as readers reset their interface
     * list at every SHB.
     */
    public void newSection(ByteOrder order) throws IOException {
        this.order = order;
        this.ifCount = 0;
        ByteBuffer b = body(16);
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L); // section length unknown
        writeBlock(0x0A0D0D0A, b, null);
    }

    /** Adds an IDB with timestamp resolution 10^-tsresolPowerOf10 s; returns its interface id in this section. */
    public int addInterface(int linkType, int snaplen, int tsresolPowerOf10) throws IOException {
        if (tsresolPowerOf10 < 0 || tsresolPowerOf10 > 9) {
            throw new IllegalArgumentException("tsresol power of 10 must be 0..9: " + tsresolPowerOf10);
        }
        return addInterface(linkType, snaplen, tsresolPowerOf10, 0);
    }

    /**
     * Adds an IDB with a raw if_tsresol byte (high bit set = power of 2) and an if_tsoffset in seconds (0 = omit).
     * With an offset, timestamps passed to the write methods are absolute and stored relative to it.
     */
    public int addInterface(int linkType, int snaplen, int tsresolByte, long tsOffsetSeconds) throws IOException {
        ByteBuffer opts = body(64);
        if (tsresolByte != 6) {
            opts.putShort((short) 9).putShort((short) 1).put((byte) tsresolByte).put(new byte[3]);
        }
        if (tsOffsetSeconds != 0) {
            opts.putShort((short) 14).putShort((short) 8).putLong(tsOffsetSeconds);
        }
        if (opts.position() > 0) {
            opts.putInt(0); // opt_endofopt
        }
        ByteBuffer b = body(8);
        b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        writeBlock(1, b, opts);
        int id = ifCount++;
        if (id >= this.tsresolByte.length) {
            this.tsresolByte = Arrays.copyOf(this.tsresolByte, id * 2 + 2);
            this.tsOffset = Arrays.copyOf(this.tsOffset, id * 2 + 2);
        }
        this.tsresolByte[id] = tsresolByte;
        this.tsOffset[id] = tsOffsetSeconds;
        return id;
    }

    public void writeEnhancedPacket(int interfaceId, long timestampNanos, byte[] frame, int off, int len)
            throws IOException {
        writeEnhancedPacket(interfaceId, timestampNanos, frame, off, len, len);
    }

    /** EPB storing {@code captureLength} bytes of a frame {@code originalLength} long on the wire. */
    public void writeEnhancedPacket(int interfaceId, long timestampNanos, byte[] frame, int off, int captureLength,
                                    int originalLength) throws IOException {
        ByteBuffer b = body(20 + pad4(captureLength));
        long units = toUnits(interfaceId, timestampNanos);
        b.putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units).putInt(captureLength)
                .putInt(originalLength).put(frame, off, captureLength);
        b.position(20 + pad4(captureLength));
        writeBlock(6, b, null);
    }

    /** SPB: implicitly interface 0, no timestamp; the whole frame is stored. */
    public void writeSimplePacket(byte[] frame, int off, int len) throws IOException {
        ByteBuffer b = body(4 + pad4(len));
        b.putInt(len).put(frame, off, len);
        b.position(4 + pad4(len));
        writeBlock(3, b, null);
    }

    /** Obsolete Packet Block (type 2), still written by old tools; readers must accept it. */
    public void writeObsoletePacket(int interfaceId, long timestampNanos, byte[] frame, int off, int len)
            throws IOException {
        ByteBuffer b = body(20 + pad4(len));
        long units = toUnits(interfaceId, timestampNanos);
        b.putShort((short) interfaceId).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(len).putInt(len).put(frame, off, len);
        b.position(20 + pad4(len));
        writeBlock(2, b, null);
    }

    /**
     * Writes a Name Resolution Block with no records and an opt_comment: a comment Wireshark shows and a block a
     * packet reader has to skip.
     */
    public void writeComment(String text) throws IOException {
        ByteBuffer b = body(4);
        b.putInt(0); // nrb_record_end
        writeBlock(4, b, commentOption(text));
    }

    /** Interface Statistics Block with isb_ifrecv and isb_ifdrop. */
    public void writeInterfaceStatistics(int interfaceId, long timestampNanos, long received, long dropped)
            throws IOException {
        long units = toUnits(interfaceId, timestampNanos);
        ByteBuffer b = body(12);
        b.putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units);
        ByteBuffer opts = body(28);
        opts.putShort((short) 4).putShort((short) 8).putLong(received)
                .putShort((short) 5).putShort((short) 8).putLong(dropped)
                .putInt(0);
        writeBlock(5, b, opts);
    }

    /** Writes an arbitrary block (type, body padded to 4 by the caller); for generators of odd or broken files. */
    public void writeRawBlock(int type, byte[] body) throws IOException {
        ByteBuffer b = body(body.length);
        b.put(body);
        writeBlock(type, b, null);
    }

    public ByteOrder order() {
        return order;
    }

    private ByteBuffer commentOption(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer o = body(4 + pad4(t.length) + 4);
        o.putShort((short) 1).putShort((short) t.length).put(t);
        o.position(4 + pad4(t.length));
        o.putInt(0);
        return o;
    }

    private long toUnits(int interfaceId, long timestampNanos) {
        if (interfaceId < 0 || interfaceId >= ifCount) {
            throw new IllegalArgumentException("unknown interface " + interfaceId + " (" + ifCount + " defined)");
        }
        long rel = timestampNanos - tsOffset[interfaceId] * 1_000_000_000L;
        int r = tsresolByte[interfaceId];
        if ((r & 0x80) != 0) {
            int shift = r & 0x7F;
            long sec = Math.floorDiv(rel, 1_000_000_000L);
            long ns = Math.floorMod(rel, 1_000_000_000L);
            // Rounded down; exact whenever ns is a multiple of the resolution.
            long frac = java.math.BigInteger.valueOf(ns).shiftLeft(shift)
                    .divide(java.math.BigInteger.valueOf(1_000_000_000L)).longValue();
            return (sec << shift) + frac;
        }
        long div = 1;
        for (int i = r; i < 9; i++) {
            div *= 10;
        }
        return Math.floorDiv(rel, div);
    }

    private ByteBuffer body(int size) {
        return ByteBuffer.allocate(size).order(order);
    }

    private void writeBlock(int type, ByteBuffer body, ByteBuffer options) throws IOException {
        int bodyLen = body.position();
        int optLen = options == null ? 0 : options.position();
        int total = 12 + bodyLen + optLen;
        ByteBuffer h = body(8).putInt(type).putInt(total);
        out.write(h.array(), 0, 8);
        out.write(body.array(), 0, bodyLen);
        if (optLen > 0) {
            out.write(options.array(), 0, optLen);
        }
        out.write(body(4).putInt(total).array(), 0, 4);
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
