package io.vigil.sensor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.observe.NamedOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.sensor.TestSupport;
import io.vigil.sensor.capture.FileReplay;
import io.vigil.sensor.capture.ReplaySpeed;
import io.vigil.sensor.synth.FrameBuilder;
import io.vigil.sensor.testsupport.ObservationCollector;
import io.vigil.sensor.testsupport.TcpFeed;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SMB_MESSAGE observations through the whole pipeline (capture replay, flow workers, observation ring, device stage):
 * the NamedOp fields as {@link NamedOp} documents them for SMB, from a real SMB2 and SMB1 session and from handmade
 * SMB3 transform and compression-transform messages on TCP 445.
 */
class SmbObservationTest {
    private final ObservationCollector observations = new ObservationCollector();
    private final List<Observation> seen = observations.all();

    private List<Observation> smb() {
        return seen.stream().filter(o -> o.type == ObservationType.SMB_MESSAGE).toList();
    }

    private static Observation first(List<Observation> l, int code, boolean response) {
        return l.stream().filter(o -> o.named.code == code && o.named.flag == response).findFirst().orElseThrow();
    }

    @Test
    void realSmb2AndSmb1SessionsArriveAsNamedOps() throws Exception {
        Pipeline p = observations.start();
        Path dir = TestSupport.repoRoot().resolve("pcaps/realstack");
        new FileReplay(p, ReplaySpeed.MAX, () -> false).replay(List.of(dir.resolve("impacket-smb2.pcap"),
            dir.resolve("impacket-smb1.pcap")));
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> smb = smb();
        assertEquals(42 + 50, smb.size(), "one per SMB message, as tshark counts them");
        assertTrue(smb.stream().allMatch(o -> o.appProtocol == AppProtocol.SMB));
        // impacket's server answers the second LOGOFF with a cut-short error body (tshark: "Malformed Packet" too)
        List<Observation> malformed = smb.stream().filter(o -> o.named.malformed).toList();
        assertEquals(1, malformed.size());
        assertEquals(2, malformed.get(0).named.code);
        assertEquals(0xC0000022L, malformed.get(0).named.number, "STATUS_ACCESS_DENIED");

        Observation neg = first(smb, 0, false);
        assertEquals("0x0210", neg.named.detailString(), "offered dialects (impacket asked for 2.1 only)");
        assertEquals(0x0210, neg.named.version, "highest offered");
        assertEquals(445, neg.dstPort);
        Observation negResp = first(smb, 0, true);
        assertEquals(0x0202, negResp.named.version, "impacket's server speaks 2.0.2 only");
        assertEquals(0, negResp.named.number, "STATUS_SUCCESS");

        Observation auth = smb.stream().filter(o -> o.named.code == 1 && o.named.detailLength > 0 && !o.named.flag)
            .findFirst().orElseThrow();
        assertEquals("PLANT\\operator", auth.named.detailString());
        Observation challenge = first(smb, 1, true);
        assertEquals(0xC0000016L, challenge.named.number, "STATUS_MORE_PROCESSING_REQUIRED");

        assertEquals("\\\\127.0.0.1\\DATA", first(smb, 3, false).named.nameString());
        assertEquals(-1, first(smb, 3, false).named.number, "requests carry no status");
        Observation write = first(smb, 9, false);
        assertEquals("batch-42.csv", write.named.nameString(), "named by its file id");
        assertEquals(0x0202, write.named.version, "the flow's dialect");

        Observation smb1Neg = first(smb, NamedOp.SMB1_COMMAND | 0x72, false);
        assertEquals(0x0100, smb1Neg.named.version);
        assertTrue(smb1Neg.named.detailString().contains("NT LM 0.12"), smb1Neg.named.detailString());
        Observation smb1Auth = smb.stream().filter(o -> o.named.code == (NamedOp.SMB1_COMMAND | 0x73)
            && o.named.detailLength > 0).findFirst().orElseThrow();
        assertEquals("PLANT\\operator", smb1Auth.named.detailString());
        assertEquals("batch-42.csv", first(smb, NamedOp.SMB1_COMMAND | 0xA2, false).named.nameString());
    }

    @Test
    void encryptedAndCompressedTransforms() throws Exception {
        int client = 0x0A000001;
        int server = 0x0A000085;
        TcpFeed feed = new TcpFeed();
        FrameBuilder f = feed.frames();
        Pipeline p = observations.start();
        Runnable send = () -> feed.send(p);
        f.tcp(1, 2, 0, client, server, 54_780, 445, 999, 0, 0x02, null, 0);
        send.run();
        f.tcp(2, 1, 0, server, client, 445, 54_780, 4999, 1000, 0x12, null, 0);
        send.run();
        // SMB3 transform: 52-byte header (session 0x48009400003d, original size 146) and 146 bytes of ciphertext
        byte[] enc = new byte[4 + 52 + 146];
        enc[3] = (byte) (52 + 146);
        enc[4] = (byte) 0xFD;
        enc[5] = 'S';
        enc[6] = 'M';
        enc[7] = 'B';
        enc[4 + 36] = (byte) 146;
        enc[4 + 42] = 1;
        long session = 0x48009400003DL;
        for (int i = 0; i < 8; i++) {
            enc[4 + 44 + i] = (byte) (session >>> (8 * i));
        }
        f.tcp(1, 2, 0, client, server, 54_780, 445, 1000, 5000, 0x18, enc, enc.length);
        send.run();
        // SMBGhost: compression transform with OriginalCompressedSegmentSize 0xFFFFFFFF and Offset 0x10
        byte[] ghost = new byte[4 + 16 + 16 + 32];
        ghost[3] = (byte) (ghost.length - 4);
        ghost[4] = (byte) 0xFC;
        ghost[5] = 'S';
        ghost[6] = 'M';
        ghost[7] = 'B';
        ghost[8] = ghost[9] = ghost[10] = ghost[11] = (byte) 0xFF;
        ghost[12] = 1; // LZNT1
        ghost[16] = 0x10;
        f.tcp(1, 2, 0, client, server, 54_780, 445, 1000 + enc.length, 5000, 0x18, ghost, ghost.length);
        send.run();
        assertTrue(p.finish(30, TimeUnit.SECONDS));
        List<Observation> smb = smb();
        assertEquals(2, smb.size(), seen.toString());
        NamedOp e = smb.get(0).named;
        assertEquals(NamedOp.SMB_ENCRYPTED, e.code);
        assertFalse(e.flag);
        NamedOp c = smb.get(1).named;
        assertEquals(NamedOp.SMB_COMPRESSED, c.code);
        assertEquals(0xFFFFFFFFL, c.number, "OriginalCompressedSegmentSize");
        assertEquals(0x10, c.address, "Offset");
        assertEquals(0, seen.stream().filter(o -> o.type == ObservationType.PROTOCOL_MISMATCH).count());
    }
}
