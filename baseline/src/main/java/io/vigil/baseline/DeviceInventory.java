package io.vigil.baseline;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;

/**
 * Keeps the device table of one shard up to date from observations: devices appear with their
 * first flow or ARP claim, learn MAC bindings, and accumulate flow counts and volumes.
 * The pattern-of-life models build on this table.
 */
public final class DeviceInventory implements ObservationHandler {
    private final DeviceTable table;

    public DeviceInventory(int maxDevices) {
        this.table = new DeviceTable(maxDevices);
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        ObservationType type = o.type;
        if (type == ObservationType.FLOW_START) {
            if (ownsSource) {
                touch(o.vlan, o.srcIpHi, o.srcIpLo, o.srcMac, o.timestampNanos);
            }
            if (ownsDestination) {
                touch(o.vlan, o.dstIpHi, o.dstIpLo, o.dstMac, o.timestampNanos);
            }
        } else if (type == ObservationType.FLOW_END) {
            if (ownsSource) {
                Device client = touch(o.vlan, o.srcIpHi, o.srcIpLo, o.srcMac, o.lastSeenNanos);
                if (client != null) {
                    client.countFlowAsClient(o.packetsToServer, o.bytesToServer, o.packetsToClient, o.bytesToClient);
                }
            }
            if (ownsDestination) {
                Device server = touch(o.vlan, o.dstIpHi, o.dstIpLo, o.dstMac, o.lastSeenNanos);
                if (server != null) {
                    server.countFlowAsServer(o.packetsToClient, o.bytesToClient, o.packetsToServer, o.bytesToServer);
                }
            }
        } else if (type == ObservationType.ARP_CLAIM && ownsSource) {
            Device sender = touch(o.vlan, o.srcIpHi, o.srcIpLo, o.srcMac, o.timestampNanos);
            if (sender != null) {
                sender.countArpClaim();
            }
        }
    }

    private Device touch(int vlan, long ipHi, long ipLo, long mac, long nowNanos) {
        if (!IpAddresses.isUnicast(ipHi, ipLo)) {
            return null;
        }
        Device d = table.findOrCreate(vlan, ipHi, ipLo, nowNanos);
        if (d != null) {
            d.seen(nowNanos);
            d.bindMac(mac);
        }
        return d;
    }

    public DeviceTable table() {
        return table;
    }
}
