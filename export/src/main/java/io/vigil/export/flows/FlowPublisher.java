package io.vigil.export.flows;

import io.vigil.export.RecordSink;
import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import java.nio.charset.StandardCharsets;

/**
 * Sends every ended flow, as the {@code --flows} line, to a record sink ({@code vigil.flows} behind
 * {@code --kafka-flows}), keyed by the client's device id so a device's flows stay in order on one
 * partition. One per device shard, on the shard's thread; each flow is sent by the shard that
 * owns its client. Allocates per flow (the record's bytes), never per packet.
 */
public final class FlowPublisher implements ObservationHandler {
    private final RecordSink sink;
    private final String topic;
    private final JsonWriter json = new JsonWriter();
    private long sent;

    public FlowPublisher(RecordSink sink, String topic) {
        this.sink = sink;
        this.topic = topic;
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        if (o.type != ObservationType.FLOW_END || !ownsSource) {
            return;
        }
        String ip = IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        String key = o.vlan == 0 ? ip : ip + "%" + o.vlan;
        sink.send(topic, key, FlowLogWriter.write(json.reset(), o).buffer().toString().getBytes(StandardCharsets.UTF_8));
        sent++;
    }

    /** Flows handed to the sink (read after the run). */
    public long sent() {
        return sent;
    }
}
