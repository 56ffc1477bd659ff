package io.vigil.protocols.opcua;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.FrameFields;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Wireshark on the shared OPC UA corpus ({@code ../shared/pcaps/opcua}): the capture is
 * fed to OpcUaParser as {@link OpcUaCapture} describes (each message attributed to the frame that completes it, as
 * Wireshark's desegmentation does). The reference values are the committed {@code *.tshark.csv} files (tshark 4.0).
 *
 * <p>Per frame and field, the values of all messages of the frame are compared as one {@code |}-joined list, absent
 * values dropped as tshark does; a field counts as compared when either side has a value. Every disagreement must be
 * listed, with its reason, in {@code src/test/resources/opcua/known-differences.txt}; a listed difference that no
 * longer occurs fails the test too.
 */
class OpcUaVersusTsharkTest {
    static final String[] FIELDS = {"type", "chunk", "scid", "tokenid", "seq", "rqid", "encodingmask", "numeric"};
    /** Column of each FIELDS entry in the csv. */
    private static final int[] CSV_COLUMN = {10, 11, 12, 13, 14, 15, 16, 17};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path dir = SharedCorpus.dir("opcua");
        assumeTrue(dir != null, "shared corpus not present: ../../shared/pcaps/opcua");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> pcaps = SharedCorpus.files(dir, n -> n.endsWith(".pcap"));
        assumeTrue(!pcaps.isEmpty(), "no pcaps in " + dir);
        KnownDifferences known = KnownDifferences.load("/opcua/known-differences.txt");
        DiffReport report = new DiffReport("opcua", known);
        long frames = 0;
        long messages = 0;
        for (Path pcap : pcaps) {
            String name = pcap.getFileName().toString();
            Path csv = dir.resolve(name + ".tshark.csv");
            if (!Files.exists(csv)) {
                continue;
            }
            FrameFields theirs = FrameFields.fromCsv(csv, FIELDS, CSV_COLUMN);
            OpcUaParser parser = new OpcUaParser();
            FrameFields ours = new FrameFields();
            long[] count = {0};
            OpcUaCapture.feed(pcap, parser, (frame, client, fromClient, m) -> {
                count[0]++;
                String[] v = tsharkView(m);
                for (int f = 0; f < FIELDS.length; f++) {
                    ours.put(frame, FIELDS[f], v[f]);
                }
                ours.touch(frame);
            });
            long compared = report.compared();
            long agreed = report.agreed();
            int fileFrames = FrameFields.compare(report, name, ours, theirs, FIELDS);
            frames += fileFrames;
            messages += count[0];
            report.line(String.format("  %-75s frames %5d fields %6d agree %6d malformed %d encrypted %d", name,
                fileFrames, report.compared() - compared, report.agreed() - agreed, parser.malformedMessages(),
                parser.encryptedMessages()));
        }
        report.verify(String.format("OpcUaVersusTsharkTest: %d frames, %d messages, %d fields compared, %d agree"
            + " (%.3f%%), %d listed differences", frames, messages, report.compared(), report.agreed(),
            report.agreement(), known.size()), 5_001, true);
    }

    /** What tshark would print for this message, field by field ("" where tshark has no value). */
    static String[] tsharkView(OpcUaMessage m) {
        String[] v = new String[FIELDS.length];
        Arrays.fill(v, "");
        v[0] = m.typeName();
        v[1] = String.valueOf(m.chunk);
        boolean secure = m.type == OpcUaMessage.OPN || m.type == OpcUaMessage.MSG || m.type == OpcUaMessage.CLO;
        if (secure && m.secureChannelId >= 0) {
            v[2] = Long.toString(m.secureChannelId);
        }
        if ((m.type == OpcUaMessage.MSG || m.type == OpcUaMessage.CLO) && m.tokenId >= 0) {
            v[3] = Long.toString(m.tokenId);
        }
        if (m.sequenceNumber >= 0) {
            v[4] = Long.toString(m.sequenceNumber);
        }
        if (m.requestId >= 0) {
            v[5] = Long.toString(m.requestId);
        }
        if (m.serviceEncoding >= 0) {
            v[6] = String.format("0x%02x", m.serviceEncoding);
        }
        if (m.serviceId >= 0) {
            v[7] = Long.toString(m.serviceId);
        }
        return v;
    }
}
