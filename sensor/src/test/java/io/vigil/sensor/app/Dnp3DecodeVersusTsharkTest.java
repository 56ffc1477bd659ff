package io.vigil.sensor.app;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import io.vigil.sensor.testsupport.FieldAgreement;
import io.vigil.sensor.testsupport.KnownDifferences;
import io.vigil.sensor.testsupport.Tshark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNP3 against Wireshark on the shared corpus ({@code ../shared/pcaps/dnp3} and the mislabelled
 * {@code attacks/quickdraw_enip/EIP-ViewDeviceStatus.pcap}): every capture with a committed
 * {@code *.tshark.csv} (tshark 4.0, {@code -E occurrence=a -E aggregator='|'}) is decoded by
 * {@code vigil decode --proto dnp3} in-process — the sensor's own path: flow table, TCP reassembly,
 * UDP, link frames, transport reassembly, application layer — and compared frame by frame.
 *
 * <p>Fields: the link layer of every frame (dnp3.src, dnp3.dst, dnp3.ctl.prifunc for primary and
 * dnp3.ctl.secfunc for secondary frames) and the application layer of the frame that completes a
 * fragment (dnp3.al.func, dnp3.al.iin as 0xIIII, dnp3.al.obj as 0xGGVV per object header). Several
 * link frames in one packet are joined with {@code |} in order, as tshark aggregates them. A field
 * counts as compared when either side has a value.
 *
 * <p>Every disagreement must be listed, with its reason, in
 * {@code src/test/resources/dnp3/known-differences.txt} (file, frame, field, ours, tshark's,
 * reason; tab-separated); a listed one that no longer occurs fails the test too. The report goes
 * to {@code target/dnp3-diff-report.txt}, unlisted differences to
 * {@code target/dnp3-diff-unlisted.txt}.
 */
class Dnp3DecodeVersusTsharkTest {
    private static final String[] FIELDS = {"dnp3.src", "dnp3.dst", "dnp3.ctl.prifunc", "dnp3.ctl.secfunc",
        "dnp3.al.func", "dnp3.al.iin", "dnp3.al.obj"};

    @TempDir
    Path tmp;

    private KnownDifferences known;
    private FieldAgreement agreement;

    @Test
    void decodeAgreesWithTshark() throws Exception {
        Path corpus = TestSupport.sharedPcaps();
        assumeTrue(corpus != null, "../shared/pcaps not present");
        List<Path> files = new ArrayList<>();
        for (Path p : Dnp3Captures.all(corpus)) {
            if (Files.exists(Tshark.csvOf(p))) {
                files.add(p);
            }
        }
        assumeTrue(!files.isEmpty(), "no DNP3 captures with a tshark reference");
        known = KnownDifferences.load("/dnp3/known-differences.txt");
        agreement = new FieldAgreement(known);
        StringBuilder report = new StringBuilder(String.format("%-50s %7s %7s %7s %8s %8s%n", "file", "frames",
            "ours", "tshark", "fields", "agree"));
        for (Path f : files) {
            report.append(compareFile(f));
        }
        long compared = agreement.compared();
        double pct = agreement.percent();
        report.append(String.format("%nTOTAL %d files, %d fields compared, %d agree (%.3f%%), %s%n", files.size(),
            compared, agreement.agreed(), pct, known.counts()));
        agreement.appendPerField(report, "  %-20s %7d compared %7d agree%n");
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("dnp3-diff-report.txt"), report.toString(), StandardCharsets.UTF_8);
        known.writeUnlisted(target.resolve("dnp3-diff-unlisted.txt"));
        System.out.print("Dnp3DecodeVersusTsharkTest\n" + report);

        String failures = known.failures();
        assertTrue(failures.isEmpty(), failures);
        assertTrue(compared > 7_000, "fields compared: " + compared);
        assertTrue(pct >= 98.5, "agreement " + pct + "%");
    }

    private String compareFile(Path pcap) throws IOException {
        String name = pcap.getFileName().toString();
        Map<Long, List<String>[]> ours = new TreeMap<>();
        int lines = 0;
        for (Map<String, Object> j : Dnp3Captures.decode(pcap, tmp, false)) {
            if (DecodeRun.mismatch(j)) {
                continue;
            }
            lines++;
            String[] v = view(j);
            List<String>[] perFrame = ours.computeIfAbsent(Dnp3Captures.num(j, "frame"), k -> newLists());
            for (int i = 0; i < FIELDS.length; i++) {
                if (!v[i].isEmpty()) {
                    perFrame[i].add(v[i]);
                }
            }
        }
        Map<Long, Map<String, String>> theirs = Tshark.csvByFrame(Tshark.csvOf(pcap));
        Set<Long> frames = new TreeSet<>(ours.keySet());
        frames.addAll(theirs.keySet());
        long fileCompared = 0;
        long fileAgreed = 0;
        for (long frame : frames) {
            List<String>[] o = ours.get(frame);
            Map<String, String> t = theirs.get(frame);
            for (int i = 0; i < FIELDS.length; i++) {
                String ov = o == null ? "" : String.join("|", o[i]);
                String tv = t == null ? "" : t.getOrDefault(FIELDS[i], "");
                if (ov.isEmpty() && tv.isEmpty()) {
                    continue;
                }
                fileCompared++;
                if (agreement.compare(name, frame, FIELDS[i], ov, tv)) {
                    fileAgreed++;
                }
            }
        }
        return String.format("%-50s %7d %7d %7d %8d %8d%n", name, frames.size(), lines, theirs.size(), fileCompared,
            fileAgreed);
    }

    /** What tshark would show for this line, per FIELDS entry (several values joined with |). */
    @SuppressWarnings("unchecked")
    private static String[] view(Map<String, Object> j) {
        String[] v = new String[FIELDS.length];
        boolean prm = Boolean.TRUE.equals(j.get("prm"));
        v[0] = Dnp3Captures.str(j.get("src"));
        v[1] = Dnp3Captures.str(j.get("dst"));
        v[2] = prm ? Dnp3Captures.str(j.get("link_func")) : "";
        v[3] = prm ? "" : Dnp3Captures.str(j.get("link_func"));
        v[4] = Dnp3Captures.str(j.get("func_code"));
        long iin = Dnp3Captures.num(j, "iin");
        v[5] = iin < 0 ? "" : String.format("0x%04x", iin);
        List<Object> objects = (List<Object>) j.get("objects");
        List<String> codes = new ArrayList<>();
        if (objects != null) {
            for (Object o : objects) {
                codes.add(String.format("0x%04x", Dnp3Captures.objectCode((String) o)));
            }
        }
        v[6] = String.join("|", codes);
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] newLists() {
        List<String>[] l = new List[FIELDS.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = new ArrayList<>();
        }
        return l;
    }
}
