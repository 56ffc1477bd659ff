package io.vigil.protocols.snmp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Compares with Zeek's SNMP event dumps ({@code *.expected/zeek/base.protocols.snmp.v*}/out*): one event per
 * message, in capture order, with the PDU type, community, request id, error status/index and every varbind's OID and
 * value tag (our first {@link SnmpMessage#MAX_OIDS}). The dump whose event count equals the capture's SNMP frame count
 * is the one for that capture. tshark only supplies the payloads.
 */
class SnmpVersusZeekTest {
    private static final String[] FILES = {"it/zeek_snmpv1_get", "it/zeek_snmpv2_get_next", "it/zeek_snmpv3_get_next"};

    @Test
    void agreesWithZeek() throws Exception {
        Path dir = SharedCorpus.root();
        assumeTrue(dir != null, "../shared/pcaps not present");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        DiffReport d = new DiffReport("SnmpVersusZeekTest", KnownDifferences.load("/snmp/known-differences.txt"));
        SnmpParser p = new SnmpParser();
        SnmpMessage m = new SnmpMessage();
        for (String f : FILES) {
            Path pcap = dir.resolve(f + ".pcap");
            Path expected = dir.resolve(f + ".expected/zeek");
            if (!Files.exists(pcap) || !Files.isDirectory(expected)) {
                continue;
            }
            List<String[]> rows = Tshark.udpRows(pcap, "snmp.data");
            rows.removeIf(r -> r[2].isEmpty());
            List<List<String>> events = null;
            try (Stream<Path> s = Files.walk(expected)) {
                for (Path out : (Iterable<Path>) s.filter(x -> x.getFileName().toString().startsWith("out"))::iterator) {
                    List<List<String>> e = events(out);
                    if (e.size() == rows.size()) {
                        events = e;
                    }
                }
            }
            if (events == null) {
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                byte[] b = Tshark.hex(rows.get(i)[1]);
                p.parse(b, 0, b.length, m);
                List<String> ours = ours(m);
                List<String> theirs = events.get(i);
                for (int k = 0; k < theirs.size(); k++) {
                    String t = theirs.get(k);
                    String key = t.substring(0, t.indexOf('='));
                    String o = k < ours.size() ? ours.get(k) : "";
                    d.fieldIfTheirs(f, rows.get(i)[0], key, o.startsWith(key + "=") ? o.substring(key.length() + 1) : o,
                            t.substring(key.length() + 1));
                }
            }
        }
        d.verify(d.headline(), 1, false);
    }

    /** Our message in the shape {@link #events} produces. */
    private static List<String> ours(SnmpMessage m) {
        List<String> l = new ArrayList<>();
        l.add("event=" + event(m.pduType));
        if (m.communityOffset >= 0) {
            l.add("community=" + m.string(m.communityOffset, m.communityLength));
        }
        l.add("request_id=" + m.requestId);
        l.add("error_stat=" + m.errorStatus);
        l.add("error_idx=" + m.errorIndex);
        for (int i = 0; i < Math.min(m.varbindCount, SnmpMessage.MAX_OIDS); i++) {
            l.add("oid=" + m.oid(i));
            l.add("value_tag=" + String.format("0x%02x", m.valueTag[i]));
        }
        return l;
    }

    private static String event(int pdu) {
        switch (pdu) {
            case SnmpMessage.GET: return "snmp_get_request";
            case SnmpMessage.GET_NEXT: return "snmp_get_next_request";
            case SnmpMessage.RESPONSE: return "snmp_response";
            case SnmpMessage.SET: return "snmp_set_request";
            case SnmpMessage.TRAP_V1: return "snmp_trap";
            case SnmpMessage.GET_BULK: return "snmp_get_bulk_request";
            case SnmpMessage.INFORM: return "snmp_inform";
            case SnmpMessage.TRAP_V2: return "snmp_trapV2";
            case SnmpMessage.REPORT: return "snmp_report";
            default: return "";
        }
    }

    /** Parses a Zeek event dump into key=value lists, one per event; varbinds beyond our capacity are dropped. */
    private static List<List<String>> events(Path out) throws java.io.IOException {
        List<List<String>> all = new ArrayList<>();
        List<String> cur = null;
        int oids = 0;
        for (String line : Files.readAllLines(out)) {
            String t = line.trim();
            if (line.startsWith("snmp_")) {
                cur = new ArrayList<>();
                cur.add("event=" + t);
                all.add(cur);
                oids = 0;
            } else if (cur == null || t.isEmpty()) {
                continue;
            } else if (t.startsWith("[community=")) {
                cur.add("community=" + t.substring(11, t.length() - 1));
            } else if (t.startsWith("request_id:") || t.startsWith("error_stat:") || t.startsWith("error_idx:")) {
                cur.add(t.substring(0, t.indexOf(':')) + "=" + t.substring(t.indexOf(':') + 1).trim());
            } else if (t.startsWith("oid: ")) {
                if (++oids <= SnmpMessage.MAX_OIDS) {
                    cur.add("oid=" + t.substring(5));
                }
            } else if (t.startsWith("value (tag=")) {
                if (oids <= SnmpMessage.MAX_OIDS) {
                    cur.add("value_tag=" + t.substring(11, 15));
                }
            }
        }
        return all;
    }
}
