package io.vigil.protocols.opcua;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.protocols.testsupport.DiffReport;
import io.vigil.protocols.testsupport.KnownDifferences;
import io.vigil.protocols.testsupport.SharedCorpus;
import io.vigil.protocols.testsupport.Tshark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Zeek's ICSNPP OPC UA Binary analyzer: the btest baselines
 * ({@code *.expected/zeek-icsnpp/*.log}) of the shared OPC UA corpus, message by message in order.
 *
 * <p><b>Column layout.</b> The baselines have no {@code #fields} line; the columns are those of
 * cisagov/icsnpp-opcua-binary's {@code scripts/types.zeek} of the release whose tests cut the link ids with
 * {@code zeek-cut -n} ({@code tests/analyzer/basic.zeek}): {@code opcua_binary.log} is {@code OPCUA_Binary::Info_Log},
 * one row per request and its response (58 columns less the three link ids cut = 55), the other logs start with
 * ts, uid, id, is_orig, source_h/p, destination_h/p (the link id cut) and continue with the record's own fields. The
 * data confirms it: HEL/ACK sizes, the request and response sizes that add up to {@code msg_size}, service ids next
 * to their names.
 *
 * <p><b>Rows.</b> Zeek writes a request together with its response when the response arrives (matched by request
 * id), HEL and ACK on their own, and at the connection's end what stayed unmatched: requests first (a CLO, a request
 * whose response was lost), then responses to requests it never saw. Ours are built the same way from the parser's
 * messages, and rows are compared per connection in that order. The sub-logs (OpenSecureChannel, status codes, the
 * NodeIds of Read, Write, Browse and CreateMonitoredItems requests) are compared row by row per connection. A log the
 * upstream test did not keep is not compared; status-code rows of Browse and CreateMonitoredItems results are left out
 * (our parser does not decode those responses' results), and so are Read results without a status (Zeek logs a
 * DataValue's status only when it is encoded, our parser reports Good for an absent one).
 *
 * <p><b>Gaps.</b> Zeek's analyzer stops for good at a connection's first content gap ({@code had_gap} in
 * {@code src/OPCUA_Binary.cc}: every later segment of either direction is dropped), and Zeek's TCP reassembler
 * declares a gap as soon as one side acknowledges bytes of the other that it has not seen, even when they arrive
 * later (a reordered segment). Our in-order follower waits for them, so from that frame on the connection is ours
 * alone: those messages are left out, and counted as one listed difference per connection.
 *
 * <p>A field counts as compared when either side has a value ({@code -} is no value). Every disagreement must be
 * listed, with its reason, in {@code src/test/resources/opcua/zeek-known-differences.txt}; a listed difference that
 * no longer occurs fails the test too.
 */
class OpcUaVersusZeekTest {
    /** opcua_binary.log: our field name -> column (0-based; ts, uid and the four id columns first). */
    private static final Map<String, Integer> BINARY = columns("msg_type", 6, "is_final", 7, "msg_size", 8,
        "error", 9, "reason", 10, "version", 11, "rcv_buf_size", 12, "snd_buf_size", 13, "max_msg_size", 14,
        "max_chunk_cnt", 15, "endpoint_url", 16, "sec_channel_id", 17, "sec_policy_uri_len", 18, "sec_policy_uri", 19,
        "snd_cert_len", 20, "rcv_cert_len", 22, "request_id", 24, "req_msg_size", 25, "req_seq_number", 26,
        "req_encoding_mask", 27, "req_namespace_idx", 28, "req_identifier", 29, "req_identifier_str", 30,
        "req_hdr_request_handle", 38, "req_hdr_return_diag", 39, "req_hdr_timeout_hint", 41, "res_msg_size", 44,
        "res_seq_number", 45, "res_encoding_mask", 46, "res_namespace_idx", 47, "res_identifier", 48,
        "res_identifier_str", 49, "res_hdr_request_handle", 51);
    /** opcua_binary_opensecure_channel.log: request (is_orig T) and response (F) columns. */
    private static final Map<String, Integer> OPN_REQUEST = columns("request_type", 12, "security_mode", 13,
        "req_lifetime", 15);
    private static final Map<String, Integer> OPN_RESPONSE = columns("sec_channel_id", 17, "sec_token_id", 18,
        "revised_lifetime", 20);
    /** opcua_binary_status_code_detail.log. */
    private static final Map<String, Integer> STATUS = columns("source", 12, "status_code", 14);
    private static final Set<String> STATUS_SOURCES = Set.of("ResponseHeader", "Read", "Write");
    /** The NodeId columns every node log shares (read_nodes_to_read, write, browse_description, create_item). */
    private static final Map<String, Integer> NODE = columns("node_encoding", 11, "node_namespace", 12,
        "node_numeric", 13, "node_string", 14);
    private static final String[] ATTRIBUTES = {"", "NodeId", "NodeClass", "BrowseName", "DisplayName", "Description",
        "WriteMask", "UserWriteMask", "IsAbstract", "Symmetric", "InverseName", "ContainsNoLoops", "EventNotifier",
        "Value", "DataType", "ValueRank", "ArrayDimensions", "AccessLevel", "UserAccessLevel",
        "MinimumSamplingInterval", "Historizing", "Executable", "UserExecutable"};

    private static final String[] LOGS = {"opcua_binary", "opcua_binary_opensecure_channel",
        "opcua_binary_status_code_detail", "opcua_binary_read_nodes_to_read", "opcua_binary_write",
        "opcua_binary_browse_description", "opcua_binary_create_monitored_items_create_item"};

    @Test
    void corpusAgreesWithZeek() throws Exception {
        Path dir = SharedCorpus.dir("opcua");
        assumeTrue(dir != null, "shared corpus not present: ../../shared/pcaps/opcua");
        assumeTrue(Tshark.available(), "tshark not on PATH");
        List<Path> baselines = SharedCorpus.files(dir, n -> n.endsWith(".expected"));
        baselines.removeIf(b -> !Files.exists(b.resolve("zeek-icsnpp/opcua_binary.log")));
        assumeTrue(!baselines.isEmpty(), "no Zeek ICSNPP baselines in " + dir);
        DiffReport report = new DiffReport("opcua-zeek", KnownDifferences.load("/opcua/zeek-known-differences.txt"));
        long zeekRows = 0;
        for (Path baseline : baselines) {
            String base = baseline.getFileName().toString().replace(".expected", "");
            String pcap = base + ".pcap";
            Ours ours = new Ours(zeekGaps(dir.resolve(pcap)));
            OpcUaCapture.feed(dir.resolve(pcap), new OpcUaParser(), ours::onMessage);
            ours.finish();
            // what Zeek never analysed is one difference per connection, not one per field of every later message
            ours.afterGap.forEach((client, n) -> report.fieldIfAny(pcap, "opcua_binary:" + client,
                "binary.messages_after_zeek_gap", n + " from frame " + ours.gaps.get(client), ""));
            long before = report.compared();
            int rows = 0;
            for (String log : LOGS) {
                Path file = baseline.resolve("zeek-icsnpp/" + log + ".log");
                if (!Files.exists(file)) {
                    continue; // not kept by the upstream test: absent is not "none"
                }
                Map<String, List<Map<String, String>>> theirs = zeek(log, file);
                for (List<Map<String, String>> l : theirs.values()) {
                    rows += l.size();
                }
                compare(report, pcap, log, ours.logs.getOrDefault(log, Map.of()), theirs);
            }
            zeekRows += rows;
            report.line(String.format("  %-75s zeek rows %4d fields %5d", pcap, rows, report.compared() - before));
        }
        report.verify(String.format("OpcUaVersusZeekTest: %d captures, %d Zeek rows; %s", baselines.size(), zeekRows,
            report.headline()), 1_000, true);
    }

    /** Rows per connection in order; a row missing on one side is compared against no values. */
    private static void compare(DiffReport report, String pcap, String log, Map<String, List<Map<String, String>>> ours,
                                Map<String, List<Map<String, String>>> theirs) {
        Set<String> connections = new LinkedHashSet<>(theirs.keySet());
        connections.addAll(ours.keySet());
        String prefix = log.equals("opcua_binary") ? "binary" : log.substring("opcua_binary_".length());
        for (String conn : connections) {
            List<Map<String, String>> o = ours.getOrDefault(conn, List.of());
            List<Map<String, String>> t = theirs.getOrDefault(conn, List.of());
            for (int i = 0; i < Math.max(o.size(), t.size()); i++) {
                Map<String, String> or = i < o.size() ? o.get(i) : Map.of();
                Map<String, String> tr = i < t.size() ? t.get(i) : Map.of();
                Set<String> fields = new LinkedHashSet<>(tr.keySet());
                fields.addAll(or.keySet());
                for (String f : fields) {
                    report.fieldIfAny(pcap, log + ":" + conn + "#" + (i + 1), prefix + "." + f,
                        or.getOrDefault(f, ""), tr.getOrDefault(f, ""));
                }
            }
        }
    }

    /** Zeek's rows of one log per connection (orig_h:orig_p), with the fields we compare; "-" reads as no value. */
    private static Map<String, List<Map<String, String>>> zeek(String log, Path file) throws IOException {
        Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            boolean request = c.length > 6 && c[6].equals("T");
            switch (log) {
                case "opcua_binary":
                    take(row, c, BINARY);
                    break;
                case "opcua_binary_opensecure_channel":
                    row.put("is_orig", c[6]);
                    take(row, c, request ? OPN_REQUEST : OPN_RESPONSE);
                    break;
                case "opcua_binary_status_code_detail":
                    if (!STATUS_SOURCES.contains(c[12])) {
                        continue;
                    }
                    take(row, c, STATUS);
                    break;
                default: // the node logs: requests only (their response rows carry links, no NodeIds)
                    if (!request) {
                        continue;
                    }
                    take(row, c, NODE);
                    row.put(log.endsWith("create_item") ? "attribute" : "attribute_id",
                        log.endsWith("browse_description") ? "" : value(c[17]));
                    break;
            }
            out.computeIfAbsent(c[2] + ":" + c[3], k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    /**
     * The frame of each connection's first content gap as Zeek sees it, keyed by both endpoints (addr:port): the first
     * segment acknowledging bytes beyond the highest the other direction has sent so far.
     */
    private static Map<String, Long> zeekGaps(Path pcap) throws IOException, InterruptedException {
        Map<String, Long> gaps = new LinkedHashMap<>();
        Map<String, Long> sent = new LinkedHashMap<>();
        for (String line : Tshark.run("tshark", "-n", "-r", pcap.toString(), "-Y", "tcp", "-T", "fields",
            "-E", "separator=/t", "-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport",
            "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.nxtseq", "-e", "tcp.len",
            "-e", "tcp.ack", "-e", "tcp.flags.ack")) {
            String[] c = line.split("\t", -1);
            if (c.length < 12 || c[7].isEmpty()) {
                continue;
            }
            String src = Tshark.firstOf(c[1].isEmpty() ? c[2] : c[1]) + ":" + Tshark.firstOf(c[3]);
            String dst = Tshark.firstOf(c[4].isEmpty() ? c[5] : c[4]) + ":" + Tshark.firstOf(c[6]);
            long seq = Long.parseLong(Tshark.firstOf(c[7]));
            long end = c[8].isEmpty() ? seq + Long.parseLong(Tshark.firstOf(c[9]))
                : Long.parseLong(Tshark.firstOf(c[8]));
            sent.merge(src + ">" + dst, end, Math::max); // tshark counts a SYN or FIN in nxtseq
            Long theirs = sent.get(dst + ">" + src);
            if (theirs != null && Tshark.firstOf(c[11]).equals("1") && !c[10].isEmpty()
                && Long.parseLong(Tshark.firstOf(c[10])) > theirs && !gaps.containsKey(src)) {
                long frame = Long.parseLong(c[0]);
                gaps.put(src, frame);
                gaps.put(dst, frame);
            }
        }
        return gaps;
    }

    private static void take(Map<String, String> row, String[] c, Map<String, Integer> columns) {
        columns.forEach((name, col) -> row.put(name, col < c.length ? value(c[col]) : ""));
    }

    private static String value(String v) {
        return v.equals("-") ? "" : v;
    }

    private static Map<String, Integer> columns(Object... nameAndColumn) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndColumn.length; i += 2) {
            m.put((String) nameAndColumn[i], (Integer) nameAndColumn[i + 1]);
        }
        return m;
    }

    /** Our rows, built from the parser's messages as Zeek builds its own (see the class comment). */
    private static final class Ours {
        final Map<String, Map<String, List<Map<String, String>>>> logs = new LinkedHashMap<>();
        /** Per connection: messages completed at or after Zeek's gap (see the class comment). */
        final Map<String, Integer> afterGap = new LinkedHashMap<>();
        final Map<String, Long> gaps;
        /** Per connection: request id -> the request's half of a binary row, in arrival order. */
        private final Map<String, Map<Long, Map<String, String>>> pending = new LinkedHashMap<>();
        private final Map<String, List<Map<String, String>>> orphans = new LinkedHashMap<>();

        Ours(Map<String, Long> gaps) {
            this.gaps = gaps;
        }

        void onMessage(long frame, String client, boolean fromClient, OpcUaMessage m) {
            if (frame >= gaps.getOrDefault(client, Long.MAX_VALUE)) {
                afterGap.merge(client, 1, Integer::sum);
                return;
            }
            pending.computeIfAbsent(client, k -> new LinkedHashMap<>());
            orphans.computeIfAbsent(client, k -> new ArrayList<>());
            boolean secure = m.type == OpcUaMessage.OPN || m.type == OpcUaMessage.MSG || m.type == OpcUaMessage.CLO;
            if (!secure) {
                add("opcua_binary", client, binary(m, null));
            } else if (fromClient) {
                pending.get(client).put(m.requestId, binary(m, null));
            } else {
                Map<String, String> request = pending.get(client).remove(m.requestId);
                if (request != null) {
                    add("opcua_binary", client, binary(m, request));
                } else {
                    orphans.get(client).add(binary(m, null));
                }
            }
            if (m.type == OpcUaMessage.OPN && !m.encrypted) {
                Map<String, String> r = new LinkedHashMap<>();
                r.put("is_orig", fromClient ? "T" : "F");
                if (fromClient) {
                    r.put("request_type", num(m.requestType));
                    r.put("security_mode", num(m.securityMode));
                    r.put("req_lifetime", num(m.requestedLifetime));
                } else {
                    r.put("sec_channel_id", num(m.secureChannelId));
                    r.put("sec_token_id", num(m.tokenId));
                    r.put("revised_lifetime", num(m.revisedLifetime));
                }
                add("opcua_binary_opensecure_channel", client, r);
            }
            if (!fromClient && m.serviceResult >= 0) {
                add("opcua_binary_status_code_detail", client, status("ResponseHeader", m.serviceResult));
                boolean read = m.serviceNamespace == 0 && m.serviceId == OpcUaNames.READ_RESPONSE;
                boolean write = m.serviceNamespace == 0 && m.serviceId == OpcUaNames.WRITE_RESPONSE;
                for (int i = 0; i < m.statusCount && (read || write); i++) {
                    if (write || m.statusCodes[i] != OpcUaNames.GOOD) {
                        add("opcua_binary_status_code_detail", client, status(read ? "Read" : "Write",
                            m.statusCodes[i]));
                    }
                }
            }
            if (fromClient && m.serviceNamespace == 0) {
                switch ((int) m.serviceId) {
                    case OpcUaNames.READ_REQUEST: nodes("opcua_binary_read_nodes_to_read", client, m, true); break;
                    case OpcUaNames.WRITE_REQUEST: nodes("opcua_binary_write", client, m, true); break;
                    case OpcUaNames.BROWSE_REQUEST: nodes("opcua_binary_browse_description", client, m, false); break;
                    case OpcUaNames.CREATE_MONITORED_ITEMS_REQUEST:
                        nodes("opcua_binary_create_monitored_items_create_item", client, m, true);
                        break;
                    default: break;
                }
            }
        }

        /** Zeek writes what stayed unmatched when the connection ends: requests first, then responses. */
        void finish() {
            pending.forEach((client, requests) -> requests.values().forEach(r -> add("opcua_binary", client, r)));
            orphans.forEach((client, responses) -> responses.forEach(r -> add("opcua_binary", client, r)));
        }

        private void add(String log, String client, Map<String, String> row) {
            logs.computeIfAbsent(log, k -> new LinkedHashMap<>()).computeIfAbsent(client, k -> new ArrayList<>())
                .add(row);
        }

        /**
         * One opcua_binary.log row: a connection message, a request, an unanswered request, an orphan response,
         * or (with {@code request}, the request's row) a response merged into its request's row.
         */
        private static Map<String, String> binary(OpcUaMessage m, Map<String, String> request) {
            if (request != null) {
                Map<String, String> r = new LinkedHashMap<>(request);
                r.put("msg_size", Long.toString(Long.parseLong(request.get("msg_size")) + m.size));
                String scid = num(m.secureChannelId);
                if (!scid.equals(request.get("sec_channel_id"))) {
                    r.put("sec_channel_id", request.get("sec_channel_id") + "," + scid);
                }
                service(r, "res_", m);
                return r;
            }
            Map<String, String> r = new LinkedHashMap<>();
            r.put("msg_type", m.typeName());
            r.put("is_final", String.valueOf(m.chunk));
            r.put("msg_size", num(m.size));
            switch (m.type) {
                case OpcUaMessage.HEL:
                case OpcUaMessage.ACK:
                    r.put("version", num(m.protocolVersion));
                    r.put("rcv_buf_size", num(m.receiveBufferSize));
                    r.put("snd_buf_size", num(m.sendBufferSize));
                    r.put("max_msg_size", num(m.maxMessageSize));
                    r.put("max_chunk_cnt", num(m.maxChunkCount));
                    r.put("endpoint_url", m.endpointUrl() == null ? "" : m.endpointUrl());
                    return r;
                case OpcUaMessage.ERR:
                    r.put("error", num(m.errorCode));
                    r.put("reason", m.reason() == null ? "" : m.reason());
                    return r;
                default:
                    break;
            }
            r.put("sec_channel_id", num(m.secureChannelId));
            if (m.type == OpcUaMessage.OPN) {
                r.put("sec_policy_uri_len", Integer.toString(m.policyUriLength));
                r.put("sec_policy_uri", m.policyUri() == null ? "" : m.policyUri());
                r.put("snd_cert_len", Integer.toString(m.senderCertificateLength));
                r.put("rcv_cert_len", Integer.toString(m.receiverThumbprintLength));
            }
            r.put("request_id", num(m.requestId));
            service(r, m.fromClient ? "req_" : "res_", m);
            return r;
        }

        private static void service(Map<String, String> r, String side, OpcUaMessage m) {
            r.put(side + "msg_size", num(m.size));
            r.put(side + "seq_number", num(m.sequenceNumber));
            r.put(side + "encoding_mask", num(m.serviceEncoding));
            r.put(side + "namespace_idx", num(m.serviceNamespace));
            r.put(side + "identifier", num(m.serviceId));
            r.put(side + "identifier_str", m.serviceName() == null ? "" : m.serviceName());
            r.put(side + "hdr_request_handle", num(m.requestHandle));
            if (side.equals("req_")) {
                r.put("req_hdr_return_diag", num(m.returnDiagnostics));
                r.put("req_hdr_timeout_hint", num(m.timeoutHint));
            }
        }

        private static Map<String, String> status(String source, long code) {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("source", source);
            r.put("status_code", String.format("0x%08x", code));
            return r;
        }

        private void nodes(String log, String client, OpcUaMessage m, boolean attribute) {
            OpcUaNodeIds n = m.nodes;
            for (int i = 0; i < n.count; i++) {
                Map<String, String> r = new LinkedHashMap<>();
                r.put("node_encoding", String.format("0x%02x", n.encoding[i]));
                r.put("node_namespace", n.encoding[i] == OpcUaNodeIds.TWO_BYTE ? "" : Integer.toString(n.namespace[i]));
                r.put("node_numeric", n.encoding[i] <= OpcUaNodeIds.NUMERIC ? num(n.numeric[i]) : "");
                r.put("node_string", n.encoding[i] == OpcUaNodeIds.STRING ? m.string(n.offset[i], n.length[i]) : "");
                int a = n.attributeId[i];
                if (log.endsWith("create_item")) {
                    r.put("attribute", a > 0 && a < ATTRIBUTES.length ? ATTRIBUTES[a] : num(a));
                } else if (attribute) {
                    r.put("attribute_id", num(a));
                }
                add(log, client, r);
            }
        }

        private static String num(long v) {
            return v < 0 ? "" : Long.toString(v);
        }
    }
}
