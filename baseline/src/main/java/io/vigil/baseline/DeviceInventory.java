package io.vigil.baseline;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;

/**
 * Keeps the device table of one shard up to date from observations: devices appear with their
 * first flow or ARP claim, learn MAC bindings, accumulate flow counts and volumes, and learn
 * who they are from what they say ({@link DeviceIdentity}: protocols served and used, names,
 * industrial identity, risks).
 * The pattern-of-life models build on this table.
 */
public final class DeviceInventory implements ObservationHandler {
    /** The I/G bit of a MAC address (least significant bit of its first octet). */
    private static final long GROUP_BIT = 1L << 40;

    private final DeviceTable table;
    private final DeviceIdentity identity = new DeviceIdentity();

    public DeviceInventory(int maxDevices) {
        this.table = new DeviceTable(maxDevices);
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        ObservationType type = o.type;
        if (type == ObservationType.FLOW_START) {
            if (ownsSource) {
                touch(o.vlan, o.srcIpHi, o.srcIpLo, o.srcMac, true, o.timestampNanos);
            }
            if (ownsDestination) {
                touch(o.vlan, o.dstIpHi, o.dstIpLo, o.dstMac, false, o.timestampNanos);
            }
        } else if (type == ObservationType.FLOW_END) {
            if (ownsSource) {
                Device client = touch(o.vlan, o.srcIpHi, o.srcIpLo, o.srcMac, true, o.lastSeenNanos);
                if (client != null) {
                    client.countFlowAsClient(o.packetsToServer, o.bytesToServer, o.packetsToClient, o.bytesToClient);
                }
            }
            if (ownsDestination) {
                Device server = touch(o.vlan, o.dstIpHi, o.dstIpLo, o.dstMac, false, o.lastSeenNanos);
                if (server != null) {
                    server.countFlowAsServer(o.packetsToClient, o.bytesToClient, o.packetsToServer, o.bytesToServer);
                }
            }
            if (ownsDestination && o.ipProto == DecodedPacket.PROTO_TCP && o.serverAnswered()) {
                Device server = table.find(o.vlan, o.dstIpHi, o.dstIpLo);
                if (server != null) {
                    cleartextService(server, o.dstPort);
                }
            }
        } else if (type == ObservationType.ARP_CLAIM && ownsSource) {
            Device sender = touch(o.vlan, o.srcIpHi, o.srcIpLo, o.srcMac, true, o.timestampNanos);
            if (sender != null) {
                sender.countArpClaim();
            }
        } else if (o.appProtocol != null && type != ObservationType.PROTOCOL_MISMATCH) {
            identity.onApp(o, ownsSource ? table.find(o.vlan, o.srcIpHi, o.srcIpLo) : null,
                ownsDestination ? table.find(o.vlan, o.dstIpHi, o.dstIpLo) : null, table);
        }
    }

    private static void cleartextService(Device server, int port) {
        if (port == 23) {
            server.risk(DeviceRisk.TELNET);
        } else if (port == 21) {
            server.risk(DeviceRisk.FTP);
        }
    }

    private Device touch(int vlan, long ipHi, long ipLo, long mac, boolean sent, long nowNanos) {
        // A frame sent to a broadcast or multicast MAC is addressed to a group (a subnet broadcast such as
        // 192.168.0.255 looks unicast without the netmask): not a device.
        if (!IpAddresses.isUnicast(ipHi, ipLo) || (mac & GROUP_BIT) != 0) {
            return null;
        }
        Device d = table.findOrCreate(vlan, ipHi, ipLo, nowNanos);
        if (d != null) {
            d.seen(nowNanos);
            d.bindMac(mac, sent);
        }
        return d;
    }

    public DeviceTable table() {
        return table;
    }
}
