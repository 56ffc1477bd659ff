package io.vigil.protocols.modbus;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.FrameFields;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.TcpPayloadFollower;
import io.vigil.protocols.testsupport.TcpSegment;
import io.vigil.protocols.testsupport.Tshark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Wireshark on the shared Modbus corpus ({@code ../shared/pcaps/modbus}):
 * tshark supplies each frame's TCP payload; a simple in-order follower (per 4-tuple and direction,
 * retransmitted bytes trimmed by sequence number, a gap drops the pending bytes) feeds
 * ModbusParser + ModbusTransactions; each ADU is attributed to the frame that completes it, as
 * Wireshark's TCP desegmentation does. The reference values are the committed
 * {@code *.tshark.csv} files (tshark 4.0).
 *
 * <p>Per frame and field, the values of all ADUs of the frame, in order, are compared as one list
 * (tshark aggregates them with {@code |} and drops absent ones). A field counts as compared when
 * either side has a value. Fields: MBAP (trans_id, prot_id, len, unit_id), func_code,
 * exception_code, reference_num, word_cnt, bit_cnt and request_frame. tshark shows
 * reference/count only where the PDU carries them, so ours are printed only when not filled in
 * from the matched request.
 *
 * <p>Every disagreement must be listed, with its reason, in
 * {@code src/test/resources/modbus/known-differences.txt}; a listed difference that no longer
 * occurs fails the test too, so the list cannot go stale.
 */
class ModbusVersusTsharkTest {
    private static final String[] FIELDS = {"trans_id", "prot_id", "len", "unit_id", "func_code", "reference_num",
        "word_cnt", "bit_cnt", "exception_code", "request_frame"};
    /** Column of each FIELDS entry in the csv. */
    private static final int[] CSV_COLUMN = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};

    @Test
    void corpusAgreesWithTshark() throws Exception {
        Path dir = SharedCorpus.dir("modbus");
        assumeTrue(dir != null, "shared corpus not present: ../../shared/pcaps/modbus");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> pcaps = SharedCorpus.files(dir, n -> n.endsWith(".pcap"));
        assumeTrue(!pcaps.isEmpty(), "no pcaps in " + dir);
        KnownDifferences known = KnownDifferences.load("/modbus/known-differences.txt");
        DiffReport report = new DiffReport("modbus", known);
        long frames = 0;
        long adus = 0;
        for (Path pcap : pcaps) {
            String name = pcap.getFileName().toString();
            Path csv = dir.resolve(name + ".tshark.csv");
            if (!Files.exists(csv)) {
                continue;
            }
            FrameFields theirs = FrameFields.fromCsv(csv, FIELDS, CSV_COLUMN);
            FrameFields ours = new FrameFields();
            adus += runOurs(pcap, ours);
            long compared = report.compared();
            long agreed = report.agreed();
            int fileFrames = FrameFields.compare(report, name, ours, theirs, FIELDS);
            frames += fileFrames;
            report.line(String.format("  %-45s frames %6d fields %7d agree %7d", name, fileFrames,
                report.compared() - compared, report.agreed() - agreed));
        }
        report.verify(String.format("ModbusVersusTsharkTest: %d frames, %d ADUs, %d fields compared, %d agree"
            + " (%.3f%%), %d listed differences", frames, adus, report.compared(), report.agreed(),
            report.agreement(), known.size()), 100_001, true);
    }

    /** Fills our view of each frame, the values of every ADU completed in it; returns the number of ADUs. */
    private static long runOurs(Path pcap, FrameFields out) throws IOException, InterruptedException {
        Map<String, TcpPayloadFollower> followers = new HashMap<>();
        Map<String, ModbusTransactions> transactions = new HashMap<>();
        ModbusParser parser = new ModbusParser();
        ModbusPdu pdu = new ModbusPdu();
        long[] adus = {0};
        for (TcpSegment s : Tshark.tcpSegments(pcap)) {
            if (s.srcPort != 502 && s.dstPort != 502) {
                continue; // the corpus also holds S7 (102), DNS, ...: the sensor picks Modbus by port as tshark does
            }
            boolean fromClient = s.dstPort == 502;
            String conn = fromClient ? s.src() + ">" + s.dst() : s.dst() + ">" + s.src();
            TcpPayloadFollower f = followers.computeIfAbsent(conn + (fromClient ? "/c" : "/s"),
                k -> new TcpPayloadFollower());
            ModbusTransactions tx = transactions.computeIfAbsent(conn, k -> new ModbusTransactions());
            f.add(s.seq, s.payload);
            long frame = s.frame;
            int used = parser.parse(f.buf, 0, f.len, fromClient, pdu, p -> {
                tx.track(p, frame, frame * 1000);
                adus[0]++;
                String[] v = tsharkView(p);
                for (int i = 0; i < FIELDS.length; i++) {
                    out.put(frame, FIELDS[i], v[i]);
                }
                out.touch(frame);
            });
            f.consume(used);
        }
        return adus[0];
    }

    /** What tshark would print for this ADU, field by field ("" where tshark has no value). */
    private static String[] tsharkView(ModbusPdu p) {
        String[] v = new String[FIELDS.length];
        Arrays.fill(v, "");
        v[0] = Integer.toString(p.transactionId);
        v[1] = Integer.toString(p.protocolId);
        v[2] = Integer.toString(p.length);
        v[3] = Integer.toString(p.unitId);
        v[4] = Integer.toString(p.functionCode);
        if (!p.addressFromRequest && !p.isException && p.startAddress >= 0 && p.functionCode != 23) {
            v[5] = Integer.toString(p.startAddress);
            int fc = p.functionCode;
            if (fc == 3 || fc == 4 || fc == 16) {
                v[6] = Integer.toString(p.quantity);
            } else if (fc == 1 || fc == 2 || fc == 15) {
                v[7] = Integer.toString(p.quantity);
            }
        }
        if (p.functionCode == 24 && p.isResponse && p.fifoCount >= 0) {
            v[5] = "";
            v[6] = Integer.toString(p.fifoCount); // tshark shows the FIFO count as word_cnt
        }
        if (p.isException) {
            v[8] = Integer.toString(p.exceptionCode);
        }
        if (p.matched && !p.isException) { // tshark 4.0 links no exception response to its request
            v[9] = Long.toString(p.requestFrame);
        }
        return v;
    }
}
