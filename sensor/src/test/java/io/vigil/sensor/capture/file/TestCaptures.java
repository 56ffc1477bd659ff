package io.vigil.sensor.capture.file;

import io.vigil.protocols.LinkType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Generator of the test captures in the repository's {@code pcaps/} folder, and the packets each one must yield.
 *
 * <p>Regenerate with {@code TestCaptures.main} (argument: the pcaps folder, default {@code pcaps}). Output is
 * deterministic, and {@code CaptureFileReaderTest} checks that the committed files are byte-identical to a fresh run, so
 * a change here must be followed by a regeneration.
 */
public final class TestCaptures {

    /** What the reader must hand out for one packet. {@code frame} is the whole original frame. */
    public record Pkt(long timestampNanos, byte[] frame, int captureLength, int originalLength, int linkType,
                      int interfaceId) {
        byte[] captured() {
            return Arrays.copyOf(frame, captureLength);
        }
    }

    /** A well-formed capture and its packets in file order. */
    public record Good(String path, CaptureFormat format, List<Pkt> packets, String description) {
    }

    /**
     * A damaged capture. If {@code openFails}, {@link CaptureFileReader#open} must throw with {@code messagePart} in
     * the message; otherwise reading must stop after {@code packetsBefore} packets with a problem at {@code offset}.
     */
    public record Corrupt(String path, boolean openFails, long packetsBefore, long offset, String messagePart,
                          String description) {
    }

    /** 2023-11-14T22:13:20Z plus a bit, so every field of the timestamp is non-trivial. */
    static final long T0 = 1_700_000_000_000_000_000L + 123_456_789L;

    private TestCaptures() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args.length > 0 ? args[0] : "pcaps");
        List<Good> good = writeGood(root);
        List<Corrupt> bad = writeCorrupt(root);
        for (Good g : good) {
            System.out.println(g.path() + "\t" + g.packets().size() + " packets\t" + g.description());
        }
        for (Corrupt c : bad) {
            System.out.println(c.path() + "\t" + c.description());
        }
    }

    /** Timestamp of packet i, rounded down to {@code resolutionNanos}. Irregular gaps, always increasing. */
    static long ts(int i, long resolutionNanos) {
        long raw = T0 + i * 1_234_567_891L + (long) i * i * 7_919L;
        return raw - Math.floorMod(raw, resolutionNanos);
    }

    static List<Good> writeGood(Path root) throws IOException {
        List<Good> out = new ArrayList<>();
        out.add(pcap(root, "format/pcap-le-usec-ethernet.pcap", LinkType.ETHERNET, 65535, ByteOrder.LITTLE_ENDIAN,
                false, 24, 1, TestFrames::ethernet,
                "pcap little-endian, microsecond timestamps, Ethernet, IPv4/IPv6 TCP/UDP"));
        out.add(pcapWithBig(root, "format/pcap-be-usec-ethernet.pcap", ByteOrder.BIG_ENDIAN, false,
                "pcap big-endian, microsecond, Ethernet, snaplen 128: two 1514-byte frames captured as 128"));
        out.add(pcap(root, "format/pcap-le-nsec-ethernet.pcap", LinkType.ETHERNET, 262144, ByteOrder.LITTLE_ENDIAN,
                true, 24, 3, TestFrames::ethernet, "pcap little-endian, nanosecond timestamps (magic 0xa1b23c4d)"));
        out.add(pcapWithBig(root, "format/pcap-be-nsec-ethernet.pcap", ByteOrder.BIG_ENDIAN, true,
                "pcap big-endian, nanosecond, Ethernet, snaplen 128 with truncated frames"));
        out.add(pcapngTwoInterfaces(root));
        out.add(pcapngBigEndian(root));
        out.add(pcapngMultiSection(root));
        out.add(pcap(root, "linktype/pcap-linux-sll.pcap", LinkType.LINUX_SLL, 65535, ByteOrder.LITTLE_ENDIAN,
                false, 12, 5, TestFrames::linuxSll, "pcap, LINKTYPE_LINUX_SLL (113), Linux cooked capture v1"));
        out.add(pcap(root, "linktype/pcap-linux-sll2.pcap", LinkType.LINUX_SLL2, 65535, ByteOrder.LITTLE_ENDIAN,
                false, 12, 6, TestFrames::linuxSll2, "pcap, LINKTYPE_LINUX_SLL2 (276), Linux cooked capture v2"));
        out.add(pcap(root, "linktype/pcap-raw-ipv4-ipv6.pcap", LinkType.RAW, 65535, ByteOrder.LITTLE_ENDIAN,
                false, 12, 7, Function.identity(), "pcap, LINKTYPE_RAW (101), raw IPv4 and IPv6"));
        out.add(pcap(root, "linktype/pcap-null-loopback.pcap", LinkType.NULL, 65535, ByteOrder.LITTLE_ENDIAN,
                false, 12, 8, ip -> TestFrames.bsdNull(ip, ByteOrder.LITTLE_ENDIAN),
                "pcap, LINKTYPE_NULL (0), BSD loopback, AF_INET=2 / AF_INET6=24 little-endian"));
        out.add(pcap(root, "edge/pcap-header-only.pcap", LinkType.ETHERNET, 65535, ByteOrder.LITTLE_ENDIAN,
                false, 0, 9, TestFrames::ethernet, "pcap file header and no records: clean end, 0 packets"));
        out.add(pcapngShbOnly(root));
        out.add(pcapCaplenAboveSnaplen(root));
        out.add(pcapFcsBits(root));
        return out;
    }

    // ---------------------------------------------------------------- pcap

    private static Good pcap(Path root, String name, int linkType, int snaplen, ByteOrder order, boolean nanos,
                             int count, int seed, Function<byte[], byte[]> wrap, String description)
            throws IOException {
        Path f = prepare(root, name);
        List<Pkt> pkts = new ArrayList<>();
        List<byte[]> ips = TestFrames.ipPackets(count, seed);
        try (PcapWriter w = new PcapWriter(f, linkType, snaplen, order, nanos)) {
            for (int i = 0; i < count; i++) {
                byte[] frame = wrap.apply(ips.get(i));
                long t = ts(i, nanos ? 1 : 1000);
                w.write(t, frame, 0, frame.length);
                pkts.add(new Pkt(t, frame, frame.length, frame.length, linkType, 0));
            }
        }
        return new Good(name, CaptureFormat.PCAP, pkts, description);
    }

    private static Good pcapWithBig(Path root, String name, ByteOrder order, boolean nanos, String description)
            throws IOException {
        Path f = prepare(root, name);
        int snap = 128;
        List<Pkt> pkts = new ArrayList<>();
        List<byte[]> ips = TestFrames.ipPackets(16, nanos ? 4 : 2);
        ips.set(5, TestFrames.bigIpv4(5));
        ips.set(11, TestFrames.bigIpv4(11));
        try (PcapWriter w = new PcapWriter(f, LinkType.ETHERNET, snap, order, nanos)) {
            for (int i = 0; i < ips.size(); i++) {
                byte[] frame = TestFrames.ethernet(ips.get(i));
                int cap = Math.min(snap, frame.length);
                long t = ts(i, nanos ? 1 : 1000);
                w.write(t, frame, 0, cap, frame.length);
                pkts.add(new Pkt(t, frame, cap, frame.length, LinkType.ETHERNET, 0));
            }
        }
        return new Good(name, CaptureFormat.PCAP, pkts, description);
    }

    /** snaplen 64 in the header, yet full 60..500-byte frames: tolerated (caplen <= 262144) by the reader and tshark. */
    private static Good pcapCaplenAboveSnaplen(Path root) throws IOException {
        return pcap(root, "edge/pcap-caplen-above-snaplen.pcap", LinkType.ETHERNET, 64, ByteOrder.LITTLE_ENDIAN,
                false, 12, 10, TestFrames::ethernet,
                "header snaplen 64 but records up to 554 bytes; accepted (limit is max(snaplen, 262144))");
    }

    /** Network field 0x10000001: FCS-length bits set above LINKTYPE_ETHERNET; link type must come out as 1. */
    private static Good pcapFcsBits(Path root) throws IOException {
        String name = "edge/pcap-linktype-fcs-bits.pcap";
        Good g = pcap(root, name, LinkType.ETHERNET, 65535, ByteOrder.BIG_ENDIAN, false, 6, 11,
                TestFrames::ethernet, "network field 0x10000001 (FCS bits set; frames carry no FCS): link type 1");
        Path f = root.resolve(name);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).putInt(20, 0x1000_0001);
        Files.write(f, b);
        return g;
    }

    // ---------------------------------------------------------------- pcapng

    private static Good pcapngTwoInterfaces(Path root) throws IOException {
        String name = "format/pcapng-le-ethernet-rawip-comment-stats.pcapng";
        Path f = prepare(root, name);
        List<Pkt> pkts = new ArrayList<>();
        List<byte[]> ips = TestFrames.ipPackets(20, 12);
        try (PcapngWriter w = new PcapngWriter(f, ByteOrder.LITTLE_ENDIAN)) {
            w.writeComment("Vigil test capture: interface 0 Ethernet (usec), interface 1 raw IP (nsec)");
            int eth = w.addInterface(LinkType.ETHERNET, 65535, 6);
            int raw = w.addInterface(LinkType.RAW, 65535, 9);
            for (int i = 0; i < ips.size(); i++) {
                boolean onEth = i % 3 != 2;
                int ifc = onEth ? eth : raw;
                byte[] frame = onEth ? TestFrames.ethernet(ips.get(i)) : ips.get(i);
                long t = ts(i, onEth ? 1000 : 1);
                w.writeEnhancedPacket(ifc, t, frame, 0, frame.length);
                pkts.add(new Pkt(t, frame, frame.length, frame.length, onEth ? LinkType.ETHERNET : LinkType.RAW, ifc));
                if (i == 9) {
                    w.writeComment("half way");
                }
            }
            w.writeInterfaceStatistics(eth, ts(21, 1000), 14, 0);
            w.writeInterfaceStatistics(raw, ts(21, 1), 6, 1);
        }
        return new Good(name, CaptureFormat.PCAPNG, pkts,
                "pcapng little-endian; IDB 0 Ethernet usec + IDB 1 raw IP nsec; NRB comment blocks; ISBs");
    }

    private static Good pcapngBigEndian(Path root) throws IOException {
        String name = "format/pcapng-be-ethernet-spb-pb.pcapng";
        Path f = prepare(root, name);
        int snap = 256;
        List<Pkt> pkts = new ArrayList<>();
        List<byte[]> ips = TestFrames.ipPackets(12, 13);
        ips.set(7, TestFrames.bigIpv4(7));
        try (PcapngWriter w = new PcapngWriter(f, ByteOrder.BIG_ENDIAN)) {
            w.addInterface(LinkType.ETHERNET, snap, 9);
            for (int i = 0; i < ips.size(); i++) {
                byte[] frame = TestFrames.ethernet(ips.get(i));
                long t = ts(i, 1);
                int cap = Math.min(snap, frame.length);
                if (i == 4) {
                    // SPB: no timestamp, captured length = min(original, snaplen)
                    w.writeSimplePacket(frame, 0, frame.length);
                    pkts.add(new Pkt(0, frame, frame.length, frame.length, LinkType.ETHERNET, 0));
                } else if (i == 9) {
                    w.writeObsoletePacket(0, t, frame, 0, frame.length);
                    pkts.add(new Pkt(t, frame, frame.length, frame.length, LinkType.ETHERNET, 0));
                } else {
                    w.writeEnhancedPacket(0, t, frame, 0, cap, frame.length);
                    pkts.add(new Pkt(t, frame, cap, frame.length, LinkType.ETHERNET, 0));
                }
            }
            w.writeInterfaceStatistics(0, ts(13, 1), 12, 0);
        }
        return new Good(name, CaptureFormat.PCAPNG, pkts,
                "pcapng big-endian; Ethernet nsec snaplen 256 (one 1514-byte frame truncated); one SPB; one obsolete PB");
    }

    private static Good pcapngMultiSection(Path root) throws IOException {
        String name = "format/pcapng-multi-section.pcapng";
        Path f = prepare(root, name);
        List<Pkt> pkts = new ArrayList<>();
        List<byte[]> ips = TestFrames.ipPackets(18, 14);
        int i = 0;
        try (PcapngWriter w = new PcapngWriter(f, ByteOrder.LITTLE_ENDIAN)) {
            // Section 1, LE: one Ethernet interface, usec.
            w.addInterface(LinkType.ETHERNET, 65535, 6);
            for (; i < 5; i++) {
                byte[] frame = TestFrames.ethernet(ips.get(i));
                long t = ts(i, 1000);
                w.writeEnhancedPacket(0, t, frame, 0, frame.length);
                pkts.add(new Pkt(t, frame, frame.length, frame.length, LinkType.ETHERNET, 0));
            }
            // Section 2, BE: raw IP nsec, then Ethernet with 2^-20 s resolution and if_tsoffset.
            w.newSection(ByteOrder.BIG_ENDIAN);
            int raw = w.addInterface(LinkType.RAW, 65535, 9);
            long offsetSeconds = 1_600_000_000L;
            int eth = w.addInterface(LinkType.ETHERNET, 65535, 0x80 | 20, offsetSeconds);
            for (; i < 12; i++) {
                boolean onEth = i % 2 == 0;
                byte[] frame = onEth ? TestFrames.ethernet(ips.get(i)) : ips.get(i);
                // 1/512 s = 1953125 ns: exactly representable in 2^-20 s units.
                long t = onEth ? ts(i, 1_953_125L) : ts(i, 1);
                w.writeEnhancedPacket(onEth ? eth : raw, t, frame, 0, frame.length);
                pkts.add(new Pkt(t, frame, frame.length, frame.length, onEth ? LinkType.ETHERNET : LinkType.RAW,
                        onEth ? eth : raw));
            }
            // Section 3, LE: interface list resets; Linux SLL with millisecond resolution.
            w.newSection(ByteOrder.LITTLE_ENDIAN);
            w.writeComment("third section");
            w.addInterface(LinkType.LINUX_SLL, 65535, 3);
            for (; i < ips.size(); i++) {
                byte[] frame = TestFrames.linuxSll(ips.get(i));
                long t = ts(i, 1_000_000L);
                w.writeEnhancedPacket(0, t, frame, 0, frame.length);
                pkts.add(new Pkt(t, frame, frame.length, frame.length, LinkType.LINUX_SLL, 0));
            }
        }
        return new Good(name, CaptureFormat.PCAPNG, pkts, "three sections: LE Ethernet usec; BE raw IP nsec + Ethernet"
                + " with if_tsresol 2^-20 and if_tsoffset; LE Linux SLL msec (interface ids restart per section)");
    }

    private static Good pcapngShbOnly(Path root) throws IOException {
        String name = "edge/pcapng-shb-only.pcapng";
        Path f = prepare(root, name);
        new PcapngWriter(f, ByteOrder.LITTLE_ENDIAN).close();
        return new Good(name, CaptureFormat.PCAPNG, List.of(), "section header block only: clean end, 0 packets");
    }

    // ---------------------------------------------------------------- corrupt

    static List<Corrupt> writeCorrupt(Path root) throws IOException {
        List<Corrupt> out = new ArrayList<>();

        String name = "corrupt/empty.pcap";
        Files.write(prepare(root, name), new byte[0]);
        out.add(new Corrupt(name, true, 0, 0, "empty file", "0 bytes: open fails"));

        name = "corrupt/bad-magic.pcap";
        byte[] good = pcapBytes(root, 3, 20);
        byte[] b = good.clone();
        ByteBuffer.wrap(b).putInt(0, 0xDEADBEEF);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, true, 0, 0, "bad magic 0xdeadbeef", "magic 0xdeadbeef: open fails"));

        name = "corrupt/file-header-cut-short.pcap";
        Files.write(prepare(root, name), Arrays.copyOf(good, 10));
        out.add(new Corrupt(name, true, 0, 0, "truncated pcap file header", "10 of 24 header bytes: open fails"));

        name = "corrupt/pcap-bad-version.pcap";
        b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 3);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, true, 0, 4, "unsupported pcap version 3.4", "version 3.4: open fails"));

        // pcap records: 5 good packets, then damage.
        byte[] five = pcapBytes(root, 5, 21);
        long afterFive = five.length;
        byte[] six = pcapBytes(root, 6, 21);

        name = "corrupt/record-header-cut-short.pcap";
        Files.write(prepare(root, name), Arrays.copyOf(six, five.length + 10));
        out.add(new Corrupt(name, false, 5, afterFive, "truncated record header",
                "5 packets, then 10 bytes of a 16-byte record header"));

        name = "corrupt/record-data-cut-short.pcap";
        Files.write(prepare(root, name), Arrays.copyOf(six, six.length - 7));
        out.add(new Corrupt(name, false, 5, afterFive, "record at offset " + afterFive + " claims",
                "5 packets, then a record missing its last 7 data bytes"));

        name = "corrupt/caplen-exceeds-snaplen.pcap";
        b = six.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt((int) afterFive + 8, 300_000);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, false, 5, afterFive, "exceeds snaplen",
                "6th record claims caplen 300000 > max(snaplen 65535, 262144)"));

        // pcapng: SHB, IDB, 6 EPBs; damage the 5th EPB.
        byte[] ng = pcapngBytes(root, 6, 22);
        List<Integer> blocks = blockOffsets(ng, ByteOrder.LITTLE_ENDIAN);
        int epb5 = blocks.get(2 + 4);
        int epb5Len = ByteBuffer.wrap(ng).order(ByteOrder.LITTLE_ENDIAN).getInt(epb5 + 4);

        name = "corrupt/pcapng-block-length-not-multiple-of-4.pcapng";
        b = ng.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(epb5 + 4, epb5Len + 2);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, false, 4, epb5, "bad total length", "5th EPB total length not a multiple of 4"));

        name = "corrupt/pcapng-block-length-beyond-eof.pcapng";
        b = ng.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(epb5 + 4, 1 << 20);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, false, 4, epb5, "claims 1048576 bytes but only",
                "5th EPB claims 1 MiB, more than the rest of the file"));

        name = "corrupt/pcapng-block-trailer-mismatch.pcapng";
        b = ng.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(epb5 + epb5Len - 4, epb5Len + 4);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, false, 4, epb5, "does not match its leading length",
                "5th EPB trailing length copy differs from the leading one"));

        name = "corrupt/pcapng-block-cut-short.pcapng";
        Files.write(prepare(root, name), Arrays.copyOf(ng, ng.length - 6));
        int epb6 = blocks.get(2 + 5);
        out.add(new Corrupt(name, false, 5, epb6, "claims", "file ends 6 bytes before the end of the 6th EPB"));

        name = "corrupt/pcapng-epb-unknown-interface.pcapng";
        b = ng.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(epb5 + 8, 3);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, false, 4, epb5, "unknown interface 3", "5th EPB refers to interface 3; only 0 exists"));

        name = "corrupt/pcapng-first-block-not-shb.pcapng";
        Files.write(prepare(root, name), Arrays.copyOfRange(ng, blocks.get(1), ng.length));
        out.add(new Corrupt(name, true, 0, 0, "not a section header block",
                "starts with an IDB (SHB removed): open fails"));

        name = "corrupt/pcapng-bad-byte-order-magic.pcapng";
        b = ng.clone();
        ByteBuffer.wrap(b).putInt(8, 0x11223344);
        Files.write(prepare(root, name), b);
        out.add(new Corrupt(name, true, 0, 0, "bad byte-order magic", "SHB byte-order magic 0x11223344: open fails"));

        // Tidy up the scratch files used to build the variants above.
        Files.deleteIfExists(root.resolve("corrupt/.scratch.pcap"));
        Files.deleteIfExists(root.resolve("corrupt/.scratch.pcapng"));
        return out;
    }

    private static byte[] pcapBytes(Path root, int count, int seed) throws IOException {
        Path f = prepare(root, "corrupt/.scratch.pcap");
        List<byte[]> ips = TestFrames.ipPackets(count, seed);
        try (PcapWriter w = new PcapWriter(f, LinkType.ETHERNET, 65535, ByteOrder.LITTLE_ENDIAN, false)) {
            for (int i = 0; i < count; i++) {
                byte[] frame = TestFrames.ethernet(ips.get(i));
                w.write(ts(i, 1000), frame, 0, frame.length);
            }
        }
        return Files.readAllBytes(f);
    }

    private static byte[] pcapngBytes(Path root, int count, int seed) throws IOException {
        Path f = prepare(root, "corrupt/.scratch.pcapng");
        List<byte[]> ips = TestFrames.ipPackets(count, seed);
        try (PcapngWriter w = new PcapngWriter(f, ByteOrder.LITTLE_ENDIAN)) {
            w.addInterface(LinkType.ETHERNET, 65535, 6);
            for (int i = 0; i < count; i++) {
                byte[] frame = TestFrames.ethernet(ips.get(i));
                w.writeEnhancedPacket(0, ts(i, 1000), frame, 0, frame.length);
            }
        }
        return Files.readAllBytes(f);
    }

    /** Offsets of the blocks of a well-formed single-section pcapng file. */
    static List<Integer> blockOffsets(byte[] file, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(file).order(order);
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < file.length; p += b.getInt(p + 4)) {
            out.add(p);
        }
        return out;
    }

    /** Offsets of the records of a well-formed pcap file. */
    static List<Long> pcapRecordOffsets(byte[] file, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(file).order(order);
        List<Long> out = new ArrayList<>();
        for (int p = 24; p < file.length; p += 16 + b.getInt(p + 8)) {
            out.add((long) p);
        }
        return out;
    }

    private static Path prepare(Path root, String name) throws IOException {
        Path f = root.resolve(name);
        Files.createDirectories(f.getParent());
        return f;
    }
}
