package io.vigil.sensor.capture.file;

import io.vigil.protocols.LinkType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CaptureFileReaderTest {

    @TempDir
    static Path tmp;

    /** A packet as handed out by the reader, copied so it outlives the callback. */
    record Got(long timestampNanos, byte[] bytes, int captureLength, int originalLength, int linkType,
               int interfaceId) {
    }

    static final class Collector implements PacketHandler {
        final List<Got> got = new ArrayList<>();

        @Override
        public void onPacket(ByteBuffer data, int offset, int captureLength, int originalLength, long timestampNanos,
                             int linkType, int interfaceId) {
            assertEquals(ByteOrder.BIG_ENDIAN, data.order(), "packet data must be in network order");
            byte[] b = new byte[captureLength];
            data.get(offset, b, 0, captureLength);
            got.add(new Got(timestampNanos, b, captureLength, originalLength, linkType, interfaceId));
        }
    }

    static List<Got> readAll(CaptureFileReader r) {
        Collector c = new Collector();
        int calls = 0;
        while (r.next(c)) {
            calls++;
        }
        assertEquals(calls, c.got.size());
        assertFalse(r.next(c), "next after the end must stay false");
        return c.got;
    }

    static void assertPackets(List<TestCaptures.Pkt> expected, List<Got> got, String what) {
        assertEquals(expected.size(), got.size(), what + ": packet count");
        for (int i = 0; i < expected.size(); i++) {
            TestCaptures.Pkt e = expected.get(i);
            Got g = got.get(i);
            String at = what + " packet " + i;
            assertEquals(e.timestampNanos(), g.timestampNanos(), at + " timestamp");
            assertEquals(e.captureLength(), g.captureLength(), at + " captured length");
            assertEquals(e.originalLength(), g.originalLength(), at + " original length");
            assertEquals(e.linkType(), g.linkType(), at + " link type");
            assertEquals(e.interfaceId(), g.interfaceId(), at + " interface id");
            assertArrayEquals(e.captured(), g.bytes(), at + " bytes");
        }
    }

    static Path generated() throws IOException {
        Path root = tmp.resolve("generated");
        if (!Files.isDirectory(root)) {
            TestCaptures.writeGood(root);
            TestCaptures.writeCorrupt(root);
        }
        return root;
    }

    // ------------------------------------------------------------------ well-formed captures

    @TestFactory
    Stream<DynamicTest> everyGoodCaptureYieldsExactlyWhatWasWritten() throws IOException {
        Path root = tmp.resolve("good");
        List<TestCaptures.Good> goods = TestCaptures.writeGood(root);
        List<DynamicTest> tests = new ArrayList<>();
        for (TestCaptures.Good g : goods) {
            for (int window : new int[] {CaptureFileReader.DEFAULT_WINDOW, 4096, 64, -CaptureFileReader.DEFAULT_READ_BUFFER, -4096, -64}) {
                tests.add(DynamicTest.dynamicTest(g.path() + " window " + window, () -> {
                    Path f = root.resolve(g.path());
                    try (CaptureFileReader r = openWith(f, window)) {
                        assertEquals(g.format(), r.format());
                        List<Got> got = readAll(r);
                        assertNull(r.problem(), () -> r.problem().describe(r.packetsRead()));
                        assertPackets(g.packets(), got, g.path());
                        assertEquals(g.packets().size(), r.packetsRead());
                        assertEquals(g.packets().stream().mapToLong(TestCaptures.Pkt::captureLength).sum(),
                                r.bytesRead());
                        assertEquals(Files.size(f), r.fileSize());
                        assertEquals(r.fileSize(), r.position(), "a clean end is at the end of the file");
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void multiSectionResetsInterfacesAndSwitchesByteOrder() throws Exception {
        Path f = generated().resolve("format/pcapng-multi-section.pcapng");
        try (CaptureFileReader r = CaptureFileReader.open(f)) {
            List<Got> got = readAll(r);
            assertNull(r.problem());
            assertEquals(18, got.size());
            // section 1: Ethernet on 0; section 2: raw on 0, Ethernet on 1; section 3: SLL on 0 again
            assertEquals(LinkType.ETHERNET, got.get(0).linkType());
            assertEquals(0, got.get(5).interfaceId());
            assertEquals(LinkType.RAW, got.get(5).linkType());
            assertEquals(1, got.get(6).interfaceId());
            assertEquals(LinkType.ETHERNET, got.get(6).linkType());
            assertEquals(0, got.get(12).interfaceId());
            assertEquals(LinkType.LINUX_SLL, got.get(12).linkType());
            // if_tsresol 2^-20 plus if_tsoffset 1.6e9 s gives back the absolute time
            assertEquals(TestCaptures.ts(6, 1_953_125L), got.get(6).timestampNanos());
        }
    }

    @Test
    void pcapFcsBitsAreNotPartOfTheLinkType() throws Exception {
        try (CaptureFileReader r = CaptureFileReader.open(generated().resolve("edge/pcap-linktype-fcs-bits.pcap"))) {
            assertTrue(r.next((d, o, c, l, t, lt, i) -> assertEquals(LinkType.ETHERNET, lt)));
        }
    }

    /** Kuznetsov's patched libpcap (magic 0xa1b2cd34) adds 8 bytes to every record header; still seen in old traces. */
    @Test
    void kuznetsovModifiedPcapIsRead() throws Exception {
        TestCaptures.Good g = TestCaptures.writeGood(tmp.resolve("kuz")).get(0); // pcap-le-usec-ethernet
        byte[] in = Files.readAllBytes(tmp.resolve("kuz").resolve(g.path()));
        ByteBuffer src = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(in.length + 8 * g.packets().size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(in, 0, 24).putInt(0, 0xA1B2CD34);
        for (int p = 24; p < in.length; ) {
            int caplen = src.getInt(p + 8);
            out.put(in, p, 16).putInt(2).putShort((short) 0x0800).put((byte) 0).put((byte) 0).put(in, p + 16, caplen);
            p += 16 + caplen;
        }
        Path f = tmp.resolve("kuznetsov.pcap");
        Files.write(f, out.array());
        try (CaptureFileReader r = CaptureFileReader.open(f)) {
            List<Got> got = readAll(r);
            assertNull(r.problem());
            assertPackets(g.packets(), got, "kuznetsov");
        }
        if (Tools.onPath("capinfos")) {
            List<String> lines = Tools.run("capinfos", "-T", "-r", "-c", "-M", f.toString());
            assertEquals(f + "\t" + g.packets().size(), lines.get(0).trim());
        }
    }

    @Test
    void describeIsOneLineWithFileOffsetAndCount() {
        CaptureProblem p = new CaptureProblem(Paths.get("x.pcap"), 1234, "truncated record header: 3 of 16 bytes");
        assertEquals("x.pcap: truncated record header: 3 of 16 bytes at byte offset 1234; 7 packets read before it",
                p.describe(7));
        assertEquals("x.pcap: m at byte offset 0; 1 packet read before it",
                new CaptureProblem(Paths.get("x.pcap"), 0, "m").describe(1));
    }

    @Test
    void headerOnlyFilesAreACleanEndWithNoPackets() throws Exception {
        for (String name : List.of("edge/pcap-header-only.pcap", "edge/pcapng-shb-only.pcapng")) {
            try (CaptureFileReader r = CaptureFileReader.open(generated().resolve(name))) {
                assertFalse(r.next((d, o, c, l, t, lt, i) -> { }));
                assertNull(r.problem());
                assertEquals(0, r.packetsRead());
            }
        }
    }

    // ------------------------------------------------------------------ corrupt captures

    @TestFactory
    Stream<DynamicTest> everyCorruptCaptureReportsWhereAndKeepsEarlierPackets() throws IOException {
        Path root = tmp.resolve("corrupt");
        List<TestCaptures.Corrupt> bad = TestCaptures.writeCorrupt(root);
        List<DynamicTest> tests = new ArrayList<>();
        for (TestCaptures.Corrupt c : bad) {
            for (int window : new int[] {CaptureFileReader.DEFAULT_WINDOW, 64, -CaptureFileReader.DEFAULT_READ_BUFFER, -64}) {
                tests.add(DynamicTest.dynamicTest(c.path() + " window " + window, () -> {
                    Path f = root.resolve(c.path());
                    if (c.openFails()) {
                        CaptureFileException e = assertThrows(CaptureFileException.class,
                                () -> openWith(f, window));
                        assertTrue(e.getMessage().contains(c.messagePart()), e.getMessage());
                        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
                        assertTrue(e.getMessage().endsWith("at offset " + c.offset()), e.getMessage());
                        assertEquals(c.offset(), e.offset());
                        assertFalse(e.getMessage().contains("\n"));
                        return;
                    }
                    try (CaptureFileReader r = openWith(f, window)) {
                        List<Got> got = readAll(r);
                        CaptureProblem p = r.problem();
                        assertNotNull(p, "expected a problem");
                        assertEquals(c.packetsBefore(), got.size(), p.describe(r.packetsRead()));
                        assertEquals(c.offset(), p.offset(), p.describe(r.packetsRead()));
                        assertEquals(c.offset(), r.position());
                        assertEquals(f, p.file());
                        assertTrue(p.message().contains(c.messagePart()), p.message());
                        String line = p.describe(r.packetsRead());
                        assertTrue(line.contains("at byte offset " + c.offset()), line);
                        assertTrue(line.contains(c.packetsBefore() + " packet"), line);
                        assertFalse(line.contains("\n"));
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void corruptCapturesKeepTheExactPacketsBeforeTheDamage() throws Exception {
        // record-data-cut-short is the 6-packet seed-21 capture minus 7 bytes: the first 5 must be intact.
        Path f = generated().resolve("corrupt/record-data-cut-short.pcap");
        List<byte[]> ips = TestFrames.ipPackets(5, 21);
        try (CaptureFileReader r = CaptureFileReader.open(f)) {
            List<Got> got = readAll(r);
            assertEquals(5, got.size());
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(TestFrames.ethernet(ips.get(i)), got.get(i).bytes());
                assertEquals(TestCaptures.ts(i, 1000), got.get(i).timestampNanos());
            }
            assertTrue(r.problem().message().matches("record at offset \\d+ claims \\d+ bytes but only \\d+ remain"),
                    r.problem().message());
        }
    }

    @Test
    void missingFileAndDirectoryFailToOpen() {
        Path missing = tmp.resolve("does-not-exist.pcap");
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> CaptureFileReader.open(missing));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        e = assertThrows(CaptureFileException.class, () -> CaptureFileReader.open(tmp));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void badMagicMessageIsTheDocumentedOne() throws IOException {
        Path f = generated().resolve("corrupt/bad-magic.pcap");
        CaptureFileException e = assertThrows(CaptureFileException.class, () -> CaptureFileReader.open(f));
        assertEquals(f + ": not a pcap or pcapng file: bad magic 0xdeadbeef at offset 0", e.getMessage());
    }

    @Test
    void closeIsIdempotentAndStopsReading() throws Exception {
        CaptureFileReader r = CaptureFileReader.open(generated().resolve("format/pcap-le-usec-ethernet.pcap"));
        assertTrue(r.next((d, o, c, l, t, lt, i) -> { }));
        assertEquals(1, r.packetsRead());
        r.close();
        r.close();
        assertFalse(r.next((d, o, c, l, t, lt, i) -> { }));
    }

    // ------------------------------------------------------------------ committed pcaps/ and external tools

    /** The committed captures must be what the generator writes, so tests and README describe the real files. */
    @Test
    void committedCapturesMatchTheGenerator() throws IOException {
        Path committed = repoPcaps();
        assumeTrue(committed != null, "repository pcaps/ folder not found");
        Path root = generated();
        List<String> names = new ArrayList<>();
        TestCaptures.writeGood(root).forEach(g -> names.add(g.path()));
        TestCaptures.writeCorrupt(root).forEach(c -> names.add(c.path()));
        for (String name : names) {
            Path c = committed.resolve(name);
            assertTrue(Files.exists(c), "missing in pcaps/: " + name + " (run TestCaptures.main)");
            assertArrayEquals(Files.readAllBytes(root.resolve(name)), Files.readAllBytes(c),
                    name + " differs from the generator output (run TestCaptures.main)");
        }
    }

    /** Wireshark must agree on count, timestamps and lengths, so the files are valid outside Vigil too. */
    @Test
    void tsharkAgreesWithTheGenerator() throws Exception {
        assumeTrue(Tools.onPath("tshark"), "tshark not on PATH");
        Path root = tmp.resolve("tshark");
        for (TestCaptures.Good g : TestCaptures.writeGood(root)) {
            List<String> lines = Tools.run("tshark", "-r", root.resolve(g.path()).toString(), "-T", "fields",
                    "-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len");
            assertEquals(g.packets().size(), lines.size(), g.path() + ": tshark packet count");
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split("\t");
                TestCaptures.Pkt p = g.packets().get(i);
                String want = String.format("%d.%09d", Math.floorDiv(p.timestampNanos(), 1_000_000_000L),
                        Math.floorMod(p.timestampNanos(), 1_000_000_000L));
                // tshark shows no time for a Simple Packet Block, which has none; the reader gives 0.
                assertEquals(want, f[0].isEmpty() ? "0.000000000" : f[0], g.path() + " packet " + i + " time");
                assertEquals(p.captureLength(), Integer.parseInt(f[1]), g.path() + " packet " + i + " cap_len");
                assertEquals(p.originalLength(), Integer.parseInt(f[2]), g.path() + " packet " + i + " len");
            }
        }
    }

    /** Every third-party capture in shared/pcaps reads cleanly and has the packet count capinfos reports. */
    @Test
    void sharedCorpusPacketCountsMatchCapinfos() throws Exception {
        Path shared = Tools.firstExisting("../../shared/pcaps", "../shared/pcaps");
        assumeTrue(shared != null, "shared/pcaps not present");
        assumeTrue(Tools.onPath("capinfos"), "capinfos not on PATH");
        List<Path> files = Tools.captureFiles(shared);
        assumeTrue(!files.isEmpty(), "no captures in " + shared);
        java.util.Map<Path, Long> expected = Tools.capinfosCounts(files);
        List<String> failures = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            try (CaptureFileReader r = CaptureFileReader.open(f)) {
                while (r.next((d, o, c, l, t, lt, i) -> { })) {
                    // count only
                }
                Long want = expected.get(f);
                if (r.problem() != null) {
                    failures.add(r.problem().describe(r.packetsRead()));
                } else if (want == null || want != r.packetsRead()) {
                    failures.add(f + ": read " + r.packetsRead() + " packets, capinfos says " + want);
                }
                total += r.packetsRead();
            } catch (CaptureFileException e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + files.size() + " captures disagree:\n"
                + String.join("\n", failures));
        assertTrue(total > 0);
    }

    static Path repoPcaps() {
        return Tools.firstExisting("../pcaps", "pcaps");
    }

    /** Window size > 0: memory-mapped windows; < 0: read() into a buffer of -window bytes (the default mode). */
    static CaptureFileReader openWith(Path f, int window) throws CaptureFileException {
        return window < 0 ? CaptureFileReader.open(f, -window, false) : CaptureFileReader.open(f, window, true);
    }
}
