package io.vigil.detectors;

import io.vigil.baseline.BoundedLongSet;
import io.vigil.baseline.Device;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first connection from the IT zone to a device in the OT zone, reported at its first packet
 * (the SYN). Zones are what the sensor learned, not configuration:
 * <ul>
 * <li>a device that sent or received an industrial request (Modbus, BACnet, OPC UA, DNP3,
 *     S7comm, CIP, IEC 104) while learning is an OT device, and its /24 (/64 for IPv6) is an OT
 *     subnet ({@link OtZones}, shared by the shards); except an OPC UA client, since OPC UA is
 *     the protocol IT systems (MES, historians, reporting) use to reach OT: a historian in the
 *     server subnet does not make that subnet OT;</li>
 * <li>every device in an OT subnet is in the OT zone (a Linux gateway or switch next to the PLCs
 *     is reached the same way);</li>
 * <li>an internal address outside every OT subnet is in the IT zone (it never spoke an
 *     industrial protocol while learning, or its subnet would be OT).</li>
 * </ul>
 * A connection from IT to OT fires when the OT device had no connection from that client while
 * learning (the device remembers up to {@link io.vigil.baseline.DeviceModel#MAX_LEARNED_CLIENTS}
 * internal clients; beyond that nothing new is judged on it). One alert per IT client and OT subnet
 * (its count and evidence name the further devices reached).
 */
public final class CrossZoneDetector implements Detector {
    private final OtZones zones;

    public CrossZoneDetector(OtZones zones) {
        this.zones = zones;
    }

    /** The OT subnets are learned, not configured: a model file must carry them or a loaded model has no zones. */
    @Override
    public void writeStateTo(java.io.DataOutput out) throws java.io.IOException {
        zones.writeTo(out);
    }

    @Override
    public void readStateFrom(java.io.DataInput in) throws java.io.IOException {
        zones.readFrom(in);
    }

    @Override
    public void learn(Detection d) {
        Observation o = d.observation();
        if (d.operation() != null) {
            // OPC UA is how IT systems (MES, historians) reach OT: its clients do not make their subnet OT.
            if (IpAddresses.isInternal(o.srcIpHi, o.srcIpLo) && d.operation().protocol != AppProtocol.OPCUA) {
                zones.add(OtZones.subnet(o.srcIpHi, o.srcIpLo));
            }
            if (IpAddresses.isInternal(o.dstIpHi, o.dstIpLo) && IpAddresses.isUnicast(o.dstIpHi, o.dstIpLo)) {
                zones.add(OtZones.subnet(o.dstIpHi, o.dstIpLo));
            }
        }
        Device server = d.destination();
        if (server != null && (o.type == ObservationType.FLOW_START || d.operation() != null)
            && IpAddresses.isInternal(o.srcIpHi, o.srcIpLo)) {
            server.model().learnedClients().add(FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo));
        }
    }

    @Override
    public boolean inspects(ObservationType type) {
        return type == ObservationType.FLOW_START;
    }

    @Override
    public void inspect(Detection d) {
        Observation o = d.observation();
        Device server = d.destination();
        if (o.type != ObservationType.FLOW_START || server == null || !IpAddresses.isInternal(o.srcIpHi, o.srcIpLo)
            || !IpAddresses.isInternal(server.ipHi(), server.ipLo())
            || zones.contains(OtZones.subnet(o.srcIpHi, o.srcIpLo))
            || !zones.contains(OtZones.subnet(server.ipHi(), server.ipLo()))) {
            return;
        }
        BoundedLongSet clients = server.model().learnedClientsIfAny();
        if (clients != null && (clients.contains(FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo))
            || clients.overflow() > 0)) {
            return;
        }
        int i = d.novelty(FeatureKind.PEER_AS_SERVER, server);
        if (i >= 0) {
            d.alerted(i);
        }
        report(d, server, o, clients);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void report(Detection d, Device server, Observation o, BoundedLongSet clients) {
        String client = IpAddresses.toString(o.srcIpHi, o.srcIpLo);
        // One finding per IT client and OT subnet: a client sweeping the plant is one path, counted, not 254 alerts.
        String cause = "cross_zone|" + client + "|" + OtZones.subnetText(server.ipHi(), server.ipLo());
        if (d.known(cause)) {
            return;
        }
        int known = clients == null ? 0 : clients.size();
        String proto = Summaries.ipProtocol(o.ipProto);
        String explanation = Roles.of(server) + " " + server.ip() + " in OT subnet "
            + OtZones.subnetText(server.ipHi(), server.ipLo()) + " got a first " + proto + "/" + o.dstPort
            + " connection from " + client + " in the IT zone (" + OtZones.subnetText(o.srcIpHi, o.srcIpLo)
            + ", no industrial traffic while learning); in " + d.learnedFor() + " it had " + known + " internal "
            + (known == 1 ? "client" : "clients") + ", not this one.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ot_subnet", OtZones.subnetText(server.ipHi(), server.ipLo()));
        details.put("it_subnet", OtZones.subnetText(o.srcIpHi, o.srcIpLo));
        details.put("learned_clients", known);
        d.raise(AlertType.CROSS_ZONE_PATH, cause, AlertType.CROSS_ZONE_PATH.baseSeverity(), 80,
            Detection.confidence(known * 10L), explanation, server, proto, details);
    }
}
