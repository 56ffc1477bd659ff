package io.vigil.protocols.flow;

import java.util.ArrayList;
import java.util.List;

/** Copies every start and end it is told about, since the view is reused. */
final class Recorder implements FlowListener {
    record Snap(long flowId, int vlan, int proto, long clientIpHi, long clientIpLo, int clientPort, long serverIpHi,
            long serverIpLo, int serverPort, long clientMac, long serverMac, long pktsC, long bytesC, long pktsS,
            long bytesS, long first, long last, int tcpState, boolean ipv4, FlowEndReason reason) {
        String client() {
            return io.vigil.protocols.IpAddresses.toString(clientIpHi, clientIpLo) + ":" + clientPort;
        }

        String server() {
            return io.vigil.protocols.IpAddresses.toString(serverIpHi, serverIpLo) + ":" + serverPort;
        }
    }

    final List<Snap> starts = new ArrayList<>();
    final List<Snap> ends = new ArrayList<>();

    static Snap snap(FlowView f, FlowEndReason reason) {
        return new Snap(f.flowId(), f.vlan(), f.ipProto(), f.clientIpHi(), f.clientIpLo(), f.clientPort(),
                f.serverIpHi(), f.serverIpLo(), f.serverPort(), f.clientMac(), f.serverMac(), f.packetsFromClient(),
                f.bytesFromClient(), f.packetsFromServer(), f.bytesFromServer(), f.firstSeenNanos(),
                f.lastSeenNanos(), f.tcpState(), f.isIpv4(), reason);
    }

    @Override
    public void onFlowStart(FlowView flow) {
        starts.add(snap(flow, null));
    }

    @Override
    public void onFlowEnd(FlowView flow, FlowEndReason reason) {
        ends.add(snap(flow, reason));
    }
}
