package io.vigil.protocols.opcua;

import io.vigil.protocols.testsupport.TcpPayloadFollower;
import io.vigil.protocols.testsupport.TcpSegment;
import io.vigil.protocols.testsupport.Tshark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Feeds the OPC UA connections of a capture to an {@link OpcUaParser}, as the differential tests need it: tshark
 * supplies each frame's TCP payload; an in-order follower per connection and direction (raw sequence numbers; a gap
 * drops the pending bytes and the direction's partial state) hands the stream to the parser, one flow state per
 * connection; each message is attributed to the frame that completes it, as Wireshark's desegmentation does.
 *
 * <p>A connection is OPC UA when a direction starts with a HEL (its receiver is the server) or, failing that, when
 * one side is port 4840 (the server).
 */
final class OpcUaCapture {
    /** Receives each message while it is current (the flyweight is reused for the next one). */
    interface Sink {
        /** @param client the client's address:port, the same for both directions of the connection */
        void onMessage(long frame, String client, boolean fromClient, OpcUaMessage m);
    }

    private OpcUaCapture() {
    }

    static void feed(Path pcap, OpcUaParser parser, Sink sink) throws IOException, InterruptedException {
        Map<String, TcpPayloadFollower> followers = new HashMap<>();
        Map<String, OpcUaFlowState> states = new HashMap<>();
        Map<String, Integer> serverPort = new HashMap<>();
        OpcUaMessage msg = new OpcUaMessage();
        for (TcpSegment s : Tshark.tcpSegments(pcap)) {
            byte[] payload = s.payload;
            String conn = s.connection();
            Integer server = serverPort.get(conn);
            if (server == null) {
                if (payload.length >= 4 && payload[0] == 'H' && payload[1] == 'E' && payload[2] == 'L'
                    && OpcUaParser.looksLikeOpcUa(payload, 0, payload.length)) {
                    server = s.dstPort;
                } else if (s.dstPort == 4840 || s.srcPort == 4840) {
                    server = 4840;
                } else {
                    continue;
                }
                serverPort.put(conn, server);
            }
            boolean fromClient = s.dstPort == server;
            String client = fromClient ? s.src() : s.dst();
            TcpPayloadFollower f = followers.computeIfAbsent(s.src() + ">" + s.dst(), k -> new TcpPayloadFollower());
            OpcUaFlowState st = states.computeIfAbsent(conn, k -> new OpcUaFlowState());
            if (f.add(s.seqRaw, payload)) {
                st.onGap(fromClient);
            }
            long frame = s.frame;
            st.setTime(frame, frame * 1000);
            int used = parser.parse(f.buf, 0, f.len, fromClient, msg, st,
                m -> sink.onMessage(frame, client, fromClient, m));
            f.consume(used);
        }
    }
}
