package io.vigil.export.flows;

import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.flow.FlowView;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one JSON line per ended flow, in the spirit of Zeek's conn.log: both endpoints
 * oriented client to server, packets and bytes each way, first/last seen, TCP state and why the
 * flow ended. Shared by all device shards; each flow is written by the shard that owns its client.
 */
public final class FlowLogWriter implements ObservationHandler, AutoCloseable {
    private final BufferedWriter out;
    private final JsonWriter json = new JsonWriter();
    private long written;

    public FlowLogWriter(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        if (o.type != ObservationType.FLOW_END || !ownsSource) {
            return;
        }
        synchronized (this) {
            write(json.reset(), o);
            try {
                out.append(json.buffer()).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written++;
        }
    }

    /** One ended flow as a JSON object (conn.log style): the line --flows writes and vigil.flows carries. */
    public static JsonWriter write(JsonWriter json, Observation o) {
        return json.beginObject()
            .field("flow_id", o.flowId)
            .epochSeconds("first_seen", o.firstSeenNanos)
            .epochSeconds("last_seen", o.lastSeenNanos)
            .field("vlan", o.vlan)
            .field("ip_proto", o.ipProto)
            .field("src_ip", IpAddresses.toString(o.srcIpHi, o.srcIpLo))
            .field("src_port", o.srcPort)
            .field("dst_ip", IpAddresses.toString(o.dstIpHi, o.dstIpLo))
            .field("dst_port", o.dstPort)
            .field("src_mac", o.srcMac == 0 ? null : IpAddresses.macToString(o.srcMac))
            .field("dst_mac", o.dstMac == 0 ? null : IpAddresses.macToString(o.dstMac))
            .field("packets_to_server", o.packetsToServer)
            .field("bytes_to_server", o.bytesToServer)
            .field("packets_to_client", o.packetsToClient)
            .field("bytes_to_client", o.bytesToClient)
            .field("tcp_state", o.ipProto == 6 ? FlowView.tcpStateText(o.tcpState) : null)
            .field("end_reason", o.endReason == null ? null : o.endReason.name().toLowerCase())
            .endObject();
    }

    public synchronized long written() {
        return written;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
