package io.vigil.sensor.app;

import io.vigil.sensor.TestSupport;
import io.vigil.sensor.testsupport.DecodeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shared DNP3 corpus and {@code vigil decode --proto dnp3} over it, for the DNP3 differential tests. */
final class Dnp3Captures {
    private Dnp3Captures() {
    }

    /** Every DNP3 capture of the corpus: dnp3/*, and the mislabelled EtherNet/IP capture that carries DNP3. */
    static List<Path> all(Path corpus) throws IOException {
        List<Path> files = new ArrayList<>(TestSupport.captures(corpus.resolve("dnp3")));
        Path mislabelled = corpus.resolve("attacks/quickdraw_enip/EIP-ViewDeviceStatus.pcap");
        if (Files.exists(mislabelled)) {
            files.add(mislabelled);
        }
        return files;
    }

    /** The decode lines (packet lines too when {@code packets}) of one capture, parsed. */
    static List<Map<String, Object>> decode(Path pcap, Path tmp, boolean packets) throws IOException {
        return DecodeRun.decode(pcap, packets ? "packet,dnp3" : "dnp3", tmp);
    }

    static long num(Map<String, Object> j, String field) {
        Object o = j.get(field);
        return o == null ? -1 : ((Number) o).longValue();
    }

    /** "g12v1" as Wireshark's dnp3.al.obj: 0x0c01. */
    static int objectCode(String gv) {
        int v = gv.indexOf('v');
        return Integer.parseInt(gv.substring(1, v)) << 8 | Integer.parseInt(gv.substring(v + 1));
    }

    static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
