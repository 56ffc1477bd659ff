package io.vigil.protocols.flow;

import static io.vigil.protocols.flow.FlowTable.F_A_HI;
import static io.vigil.protocols.flow.FlowTable.F_A_LO;
import static io.vigil.protocols.flow.FlowTable.F_BYTES_C;
import static io.vigil.protocols.flow.FlowTable.F_BYTES_S;
import static io.vigil.protocols.flow.FlowTable.F_B_HI;
import static io.vigil.protocols.flow.FlowTable.F_B_LO;
import static io.vigil.protocols.flow.FlowTable.F_FIRST;
import static io.vigil.protocols.flow.FlowTable.F_FLOW_ID;
import static io.vigil.protocols.flow.FlowTable.F_KEY;
import static io.vigil.protocols.flow.FlowTable.F_LAST;
import static io.vigil.protocols.flow.FlowTable.F_MAC_C;
import static io.vigil.protocols.flow.FlowTable.F_MAC_S;
import static io.vigil.protocols.flow.FlowTable.F_PKTS_C;
import static io.vigil.protocols.flow.FlowTable.F_PKTS_S;
import static io.vigil.protocols.flow.FlowTable.F_STATE;
import static io.vigil.protocols.flow.FlowTable.ST_CLIENT_IS_B;
import static io.vigil.protocols.flow.FlowTable.ST_IPV4;
import static io.vigil.protocols.flow.FlowTable.ST_TCP_MASK;

import io.vigil.protocols.IpAddresses;

/**
 * A flyweight over one slot of a {@link FlowTable}, oriented client to server. The table owns a
 * single instance and re-points it before every listener call, so nothing is allocated per flow:
 * copy out whatever must outlive the call.
 *
 * <p>For ICMP and ICMPv6 the "ports" are the ICMP type and, following Zeek, the counterpart type
 * (echo request 8 pairs with reply 0, so both land in one flow) or else the code. Packets of other
 * protocols, and fragments without a transport header, have ports 0.
 */
public final class FlowView {
    /** The client sent a SYN (without ACK). */
    public static final int SYN_SEEN = 0x01;
    /** The server answered SYN+ACK. */
    public static final int SYN_ACK_SEEN = 0x02;
    /** The client acknowledged the SYN+ACK: the handshake completed in front of the sensor. */
    public static final int ESTABLISHED = 0x04;
    public static final int FIN_FROM_CLIENT = 0x08;
    public static final int FIN_FROM_SERVER = 0x10;
    public static final int RST_SEEN = 0x20;
    /** The first packet carried no SYN: the sensor joined an existing connection. */
    public static final int MIDSTREAM = 0x40;

    private final long[] d;
    private int slot = -1;
    private int base;

    FlowView(long[] data) {
        this.d = data;
    }

    void point(int slot) {
        this.slot = slot;
        this.base = slot * FlowTable.STRIDE;
    }

    /** The slot this view currently shows, as returned by {@link FlowTable#update}. */
    public int slot() {
        return slot;
    }

    public long flowId() {
        return d[base + F_FLOW_ID];
    }

    public int vlan() {
        return (int) (d[base + F_KEY] >>> 8) & 0xFF_FFFF;
    }

    public int ipProto() {
        return (int) d[base + F_KEY] & 0xFF;
    }

    public boolean isIpv4() {
        return (d[base + F_STATE] & ST_IPV4) != 0;
    }

    private boolean clientIsB() {
        return (d[base + F_STATE] & ST_CLIENT_IS_B) != 0;
    }

    public long clientIpHi() {
        return d[base + (clientIsB() ? F_B_HI : F_A_HI)];
    }

    public long clientIpLo() {
        return d[base + (clientIsB() ? F_B_LO : F_A_LO)];
    }

    public long serverIpHi() {
        return d[base + (clientIsB() ? F_A_HI : F_B_HI)];
    }

    public long serverIpLo() {
        return d[base + (clientIsB() ? F_A_LO : F_B_LO)];
    }

    public int clientPort() {
        return (int) (d[base + F_KEY] >>> (clientIsB() ? 32 : 48)) & 0xFFFF;
    }

    public int serverPort() {
        return (int) (d[base + F_KEY] >>> (clientIsB() ? 48 : 32)) & 0xFFFF;
    }

    /** Source MAC of the client's frames; until the client has sent one, 0. */
    public long clientMac() {
        return d[base + F_MAC_C];
    }

    /**
     * Source MAC of the server's frames; until the server has sent one, the destination MAC of the
     * client's frames (so a scanned, silent host still shows the next hop), 0 without Ethernet.
     */
    public long serverMac() {
        return d[base + F_MAC_S];
    }

    public long packetsFromClient() {
        return d[base + F_PKTS_C];
    }

    public long bytesFromClient() {
        return d[base + F_BYTES_C];
    }

    public long packetsFromServer() {
        return d[base + F_PKTS_S];
    }

    public long bytesFromServer() {
        return d[base + F_BYTES_S];
    }

    public long firstSeenNanos() {
        return d[base + F_FIRST];
    }

    public long lastSeenNanos() {
        return d[base + F_LAST];
    }

    /** Bit set of {@link #SYN_SEEN} .. {@link #MIDSTREAM}; 0 for everything but TCP. */
    public int tcpState() {
        return (int) (d[base + F_STATE] & ST_TCP_MASK);
    }

    /** FIN both ways or RST. */
    public boolean isTcpClosed() {
        return FlowTable.isClosed(tcpState());
    }

    /** For logs and tests; allocates. */
    @Override
    public String toString() {
        return "flow#" + flowId() + " vlan " + vlan() + " proto " + ipProto() + " "
                + IpAddresses.toString(clientIpHi(), clientIpLo()) + ":" + clientPort() + " -> "
                + IpAddresses.toString(serverIpHi(), serverIpLo()) + ":" + serverPort()
                + " pkts " + packetsFromClient() + "/" + packetsFromServer()
                + " bytes " + bytesFromClient() + "/" + bytesFromServer()
                + " tcp 0x" + Integer.toHexString(tcpState());
    }

    /** TCP state bits as text for logs, e.g. "syn|syn_ack|established|fin_client"; "" when none. Allocates. */
    public static String tcpStateText(int state) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"syn", "syn_ack", "established", "fin_client", "fin_server", "rst", "midstream"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((state & (1 << bit)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(names[bit]);
            }
        }
        return sb.toString();
    }
}
