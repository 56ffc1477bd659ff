package io.vigil.sensor.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.export.json.JsonReader;
import io.vigil.sensor.TestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code vigil decode --proto PROTO} run in-process over one capture, its JSON lines parsed. */
public final class DecodeRun {
    private DecodeRun() {
    }

    /**
     * Decodes {@code pcap} into {@code tmp/NAME.PROTO.jsonl} (failing the test on a non-zero exit) and returns every
     * line, parsed, in output order.
     */
    public static List<Map<String, Object>> decode(Path pcap, String proto, Path tmp) {
        Path out = tmp.resolve(pcap.getFileName() + "." + proto + ".jsonl");
        TestSupport.CliResult r = TestSupport.vigil("decode", "--proto", proto, "-o", out.toString(), pcap.toString());
        assertEquals(0, r.exitCode(), pcap + ": " + r.err());
        return read(out);
    }

    /** The lines of a {@code vigil decode} output file, parsed. */
    public static List<Map<String, Object>> read(Path jsonl) {
        List<Map<String, Object>> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                lines.add(JsonReader.parse(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Whether the line is a protocol_mismatch line (a flow on the port that is not the protocol: no PDU). */
    public static boolean mismatch(Map<String, Object> j) {
        return Boolean.TRUE.equals(j.get("protocol_mismatch"));
    }

    /** The frame number of a PDU line. */
    public static long frame(Map<String, Object> j) {
        return ((Number) j.get("frame")).longValue();
    }
}
