package io.vigil.baseline;

import io.vigil.protocols.IpAddresses;

/**
 * What the sensor knows about one device: an IP address on a VLAN, the MAC addresses seen
 * with it, and its traffic so far. Keyed by IP and VLAN, not MAC, because on a SPAN port routed
 * traffic carries the router's MAC; the MACs are kept as bindings beside the key.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class Device {
    /** MAC bindings kept per device; more distinct MACs are counted, not stored. */
    public static final int MAX_MACS = 4;

    private final int vlan;
    private final long ipHi;
    private final long ipLo;
    private final long[] macs = new long[MAX_MACS];
    private int macCount;
    private long macsOverflow;
    private long firstSeenNanos;
    private long lastSeenNanos;
    private long flowsAsClient;
    private long flowsAsServer;
    private long packetsSent;
    private long bytesSent;
    private long packetsReceived;
    private long bytesReceived;
    private long arpClaims;
    private DeviceModel model;

    Device(int vlan, long ipHi, long ipLo, long nowNanos) {
        this.vlan = vlan;
        this.ipHi = ipHi;
        this.ipLo = ipLo;
        this.firstSeenNanos = nowNanos;
        this.lastSeenNanos = nowNanos;
    }

    void seen(long nowNanos) {
        if (nowNanos > lastSeenNanos) {
            lastSeenNanos = nowNanos;
        }
        if (nowNanos < firstSeenNanos) {
            firstSeenNanos = nowNanos;
        }
    }

    /** Records a MAC seen as this device's own source address; returns true when it is new. */
    boolean bindMac(long mac) {
        if (mac == 0) {
            return false;
        }
        for (int i = 0; i < macCount; i++) {
            if (macs[i] == mac) {
                return false;
            }
        }
        if (macCount < MAX_MACS) {
            macs[macCount++] = mac;
        } else {
            macsOverflow++;
        }
        return true;
    }

    void countFlowAsClient(long packetsSent, long bytesSent, long packetsReceived, long bytesReceived) {
        flowsAsClient++;
        addVolumes(packetsSent, bytesSent, packetsReceived, bytesReceived);
    }

    void countFlowAsServer(long packetsSent, long bytesSent, long packetsReceived, long bytesReceived) {
        flowsAsServer++;
        addVolumes(packetsSent, bytesSent, packetsReceived, bytesReceived);
    }

    private void addVolumes(long pSent, long bSent, long pReceived, long bReceived) {
        packetsSent += pSent;
        bytesSent += bSent;
        packetsReceived += pReceived;
        bytesReceived += bReceived;
    }

    void countArpClaim() {
        arpClaims++;
    }

    public int vlan() {
        return vlan;
    }

    public long ipHi() {
        return ipHi;
    }

    public long ipLo() {
        return ipLo;
    }

    public String ip() {
        return IpAddresses.toString(ipHi, ipLo);
    }

    /** Stable device id used as the Kafka key later: "ip" or "ip%vlan" when tagged. */
    public String id() {
        return vlan == 0 ? ip() : ip() + "%" + vlan;
    }

    public int macCount() {
        return macCount;
    }

    public long mac(int i) {
        return macs[i];
    }

    public long macsOverflow() {
        return macsOverflow;
    }

    public long firstSeenNanos() {
        return firstSeenNanos;
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    /** Flows this device opened. */
    public long flowsAsClient() {
        return flowsAsClient;
    }

    /** Flows opened towards this device. */
    public long flowsAsServer() {
        return flowsAsServer;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long packetsReceived() {
        return packetsReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** The device's pattern-of-life model, created on first use. */
    public DeviceModel model() {
        if (model == null) {
            model = new DeviceModel();
        }
        return model;
    }

    public long arpClaims() {
        return arpClaims;
    }
}
