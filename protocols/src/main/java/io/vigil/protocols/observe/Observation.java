package io.vigil.protocols.observe;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.flow.FlowView;

/**
 * One thing the protocol layer saw that a device model may care about: the seam between
 * {@code protocols} and {@code baseline}. It is a pre-allocated, reusable slot of the observation
 * ring rather than an immutable record, so a scan that opens a flow per packet still allocates
 * nothing; {@link #type} says which fields are meaningful, and consumers copy what they keep.
 *
 * <p>Orientation: for flows {@code src} is the client (the side that opened the flow), {@code dst}
 * the server. For ARP, {@code src} is the sender whose IP-to-MAC binding is claimed.
 */
public final class Observation {
    public ObservationType type;
    public long timestampNanos;
    /**
     * System.nanoTime() when the packet that produced this observation entered the sensor (for a flow
     * that timed out, the packet that moved the clock past its timeout): the start of capture-to-alert latency.
     */
    public long ingestNanos;
    public int vlan;
    public long srcIpHi;
    public long srcIpLo;
    public long dstIpHi;
    public long dstIpLo;
    /** 0 when unknown (routed or raw-IP capture). */
    public long srcMac;
    public long dstMac;
    public int srcPort;
    public int dstPort;
    public int ipProto;

    // ---- FLOW_START / FLOW_END ----
    public long flowId;
    public long packetsToServer;
    public long bytesToServer;
    public long packetsToClient;
    public long bytesToClient;
    public long firstSeenNanos;
    public long lastSeenNanos;
    public int tcpState;
    /** Why the flow ended; null for FLOW_START. */
    public FlowEndReason endReason;
    /**
     * FLOW_PROGRESS and FLOW_END: bytes of {@link #bytesToServer}/{@link #bytesToClient} that earlier FLOW_PROGRESS
     * observations of this flow already carried (0 when none), so a consumer adding up volumes counts the difference.
     */
    public long reportedBytesToServer;
    public long reportedBytesToClient;

    // ---- ARP_CLAIM ----
    public int arpOperation;

    // ---- application observations ----
    /** Protocol of an application observation (or the one expected by a mismatch); null otherwise. */
    public AppProtocol appProtocol;
    /** Frame in which the PDU completed. */
    public long frameNumber;
    public final ModbusOp modbus = new ModbusOp();
    public final BacnetOp bacnet = new BacnetOp();
    public final DnsOp dns = new DnsOp();
    public final OpcUaOp opcua = new OpcUaOp();
    public final NamedOp named = new NamedOp();
    public final IcsOp ics = new IcsOp();

    /** Index of the flow worker that published it; used to count END_OF_STREAM markers. */
    public int producer;

    /**
     * For a FLOW_END: whether the server took the flow. A TCP server must have answered the SYN
     * (or been seen talking mid-connection): the RST of a closed port is a reply, not a service.
     * Other protocols: any packet back.
     */
    public boolean serverAnswered() {
        if (packetsToClient == 0) {
            return false;
        }
        return ipProto != DecodedPacket.PROTO_TCP
            || (tcpState & (FlowView.SYN_ACK_SEEN | FlowView.MIDSTREAM)) != 0;
    }

    public void clear() {
        type = null;
        timestampNanos = 0;
        ingestNanos = 0;
        vlan = 0;
        srcIpHi = srcIpLo = dstIpHi = dstIpLo = 0;
        srcMac = dstMac = 0;
        srcPort = dstPort = 0;
        ipProto = 0;
        flowId = 0;
        packetsToServer = bytesToServer = packetsToClient = bytesToClient = 0;
        firstSeenNanos = lastSeenNanos = 0;
        tcpState = 0;
        endReason = null;
        reportedBytesToServer = reportedBytesToClient = 0;
        arpOperation = 0;
        appProtocol = null;
        frameNumber = 0;
        producer = 0;
    }

    public void copyFrom(Observation o) {
        type = o.type;
        timestampNanos = o.timestampNanos;
        vlan = o.vlan;
        srcIpHi = o.srcIpHi;
        srcIpLo = o.srcIpLo;
        dstIpHi = o.dstIpHi;
        dstIpLo = o.dstIpLo;
        srcMac = o.srcMac;
        dstMac = o.dstMac;
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        ipProto = o.ipProto;
        flowId = o.flowId;
        packetsToServer = o.packetsToServer;
        bytesToServer = o.bytesToServer;
        packetsToClient = o.packetsToClient;
        bytesToClient = o.bytesToClient;
        firstSeenNanos = o.firstSeenNanos;
        lastSeenNanos = o.lastSeenNanos;
        tcpState = o.tcpState;
        endReason = o.endReason;
        reportedBytesToServer = o.reportedBytesToServer;
        reportedBytesToClient = o.reportedBytesToClient;
        arpOperation = o.arpOperation;
        appProtocol = o.appProtocol;
        frameNumber = o.frameNumber;
        if (o.type == ObservationType.MODBUS_OP) {
            modbus.copyFrom(o.modbus);
        } else if (o.type == ObservationType.BACNET_OP) {
            bacnet.copyFrom(o.bacnet);
        } else if (o.type == ObservationType.DNS_QUERY) {
            dns.copyFrom(o.dns);
        } else if (o.type == ObservationType.OPCUA_OP) {
            opcua.copyFrom(o.opcua);
        } else if (o.type != null && o.type.ordinal() >= ObservationType.TLS_HELLO.ordinal()
            && o.type.ordinal() <= ObservationType.MQTT_MESSAGE.ordinal()) {
            named.copyFrom(o.named);
        } else if (o.type != null && o.type.ordinal() >= ObservationType.DNP3_OP.ordinal()
            && o.type.ordinal() <= ObservationType.IEC104_OP.ordinal()) {
            ics.copyFrom(o.ics);
        }
        producer = o.producer;
    }

    @Override
    public String toString() {
        return type + " " + IpAddresses.toString(srcIpHi, srcIpLo) + ":" + srcPort + " -> "
            + IpAddresses.toString(dstIpHi, dstIpLo) + ":" + dstPort + " proto " + ipProto + " vlan " + vlan;
    }
}
