package io.vigil.baseline;

import io.vigil.protocols.IpAddresses;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

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
    /** Whether a MAC this device sent from is bound (not only the MAC frames to it were addressed to). */
    private boolean ownMacSeen;
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
    /** Bit masks of AppProtocol ordinals this device answered as a server, and spoke as a client. */
    private int protocolsServed;
    private int protocolsUsed;
    private int risks;
    private String name;
    private String nameSource;
    private int bacnetDeviceInstance = -1;
    private int bacnetVendorId = -1;
    /** Modbus Read Device Identification (FC 43/14): VendorName, ProductCode, MajorMinorRevision. */
    private String modbusVendor;
    private String modbusProductCode;
    private String modbusRevision;
    /** The OPC UA endpoint URL its clients open (from their Hello). */
    private String opcuaEndpointUrl;

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

    /** Records a MAC this device sent from; returns true when it is new. */
    boolean bindMac(long mac) {
        return bindMac(mac, true);
    }

    /**
     * Records a MAC this device sent from ({@code sent}) or, until it sent anything, one that
     * frames to it were addressed to. The latter is a router's MAC when the device sits behind one
     * (a sweep from another subnet reaches it before it ever speaks), so it is provisional: the
     * device's first own frame replaces it, and afterwards only own MACs are bound. Returns true
     * when the MAC is new.
     */
    boolean bindMac(long mac, boolean sent) {
        if (mac == 0 || (!sent && ownMacSeen)) {
            return false;
        }
        if (sent && !ownMacSeen) {
            ownMacSeen = true;
            boolean isNew = true;
            for (int i = 0; i < macCount; i++) {
                isNew &= macs[i] != mac;
            }
            macs[0] = mac;
            macCount = 1;
            macsOverflow = 0;
            return isNew;
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

    /**
     * Whether the address itself sent anything (a packet in a flow, an ARP claim, a decoded PDU):
     * the targets of a sweep that never answered are addresses, not assets.
     */
    public boolean sentAnything() {
        return packetsSent > 0 || arpClaims > 0 || protocolsServed != 0 || protocolsUsed != 0;
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

    void served(io.vigil.protocols.app.AppProtocol p) {
        protocolsServed |= 1 << p.ordinal();
    }

    void used(io.vigil.protocols.app.AppProtocol p) {
        protocolsUsed |= 1 << p.ordinal();
    }

    public boolean serves(io.vigil.protocols.app.AppProtocol p) {
        return (protocolsServed & 1 << p.ordinal()) != 0;
    }

    public boolean uses(io.vigil.protocols.app.AppProtocol p) {
        return (protocolsUsed & 1 << p.ordinal()) != 0;
    }

    void risk(DeviceRisk r) {
        risks |= 1 << r.ordinal();
    }

    public boolean hasRisk(DeviceRisk r) {
        return (risks & 1 << r.ordinal()) != 0;
    }

    /**
     * Names the device; a better source is not replaced by a worse one (DHCP, then NetBIOS or
     * mDNS/LLMNR, then DNS answers). Allocates only when the name changes.
     */
    void name(byte[] buf, int len, String source) {
        if (len <= 0 || rank(source) < rank(nameSource)) {
            return;
        }
        if (name != null && name.length() == len && source.equals(nameSource)) {
            boolean same = true;
            for (int i = 0; i < len && same; i++) {
                same = name.charAt(i) == (char) (buf[i] & 0xFF);
            }
            if (same) {
                return;
            }
        }
        name = new String(buf, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        nameSource = source;
    }

    /**
     * DHCP is the device's own claim; a NetBIOS registration or mDNS its own announcement; a DNS answer
     * is someone else's record.
     */
    private static int rank(String source) {
        return source == null ? -1 : source.equals("dhcp") ? 2 : source.equals("mdns") || source.equals("netbios") ? 1
            : 0;
    }

    void bacnetIdentity(int deviceInstance, int vendorId) {
        bacnetDeviceInstance = deviceInstance;
        if (vendorId >= 0) {
            bacnetVendorId = vendorId;
        }
    }

    /** Records what a Read Device Identification response said; absent objects keep what was known. */
    void modbusIdentity(String vendor, String productCode, String revision) {
        if (vendor != null) {
            modbusVendor = vendor;
        }
        if (productCode != null) {
            modbusProductCode = productCode;
        }
        if (revision != null) {
            modbusRevision = revision;
        }
    }

    void opcuaEndpoint(String url) {
        opcuaEndpointUrl = url;
    }

    public String modbusVendor() {
        return modbusVendor;
    }

    public String modbusProductCode() {
        return modbusProductCode;
    }

    public String modbusRevision() {
        return modbusRevision;
    }

    public String opcuaEndpointUrl() {
        return opcuaEndpointUrl;
    }

    /** Host name from DHCP, mDNS/LLMNR or DNS answers; null when none seen. */
    public String name() {
        return name;
    }

    /** "dhcp", "netbios", "mdns" or "dns". */
    public String nameSource() {
        return nameSource;
    }

    public int bacnetDeviceInstance() {
        return bacnetDeviceInstance;
    }

    public int bacnetVendorId() {
        return bacnetVendorId;
    }

    /** The device's pattern-of-life model, created on first use. */
    public DeviceModel model() {
        if (model == null) {
            model = new DeviceModel();
        }
        return model;
    }

    /** Writes everything the inventory knows of the device, then its model when it has one. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(vlan);
        out.writeLong(ipHi);
        out.writeLong(ipLo);
        out.writeByte(macCount);
        for (int i = 0; i < macCount; i++) {
            out.writeLong(macs[i]);
        }
        out.writeLong(macsOverflow);
        out.writeLong(firstSeenNanos);
        out.writeLong(lastSeenNanos);
        out.writeLong(flowsAsClient);
        out.writeLong(flowsAsServer);
        out.writeLong(packetsSent);
        out.writeLong(bytesSent);
        out.writeLong(packetsReceived);
        out.writeLong(bytesReceived);
        out.writeLong(arpClaims);
        out.writeInt(protocolsServed);
        out.writeInt(protocolsUsed);
        out.writeInt(risks);
        writeNullable(out, name);
        writeNullable(out, nameSource);
        out.writeInt(bacnetDeviceInstance);
        out.writeInt(bacnetVendorId);
        writeNullable(out, modbusVendor);
        writeNullable(out, modbusProductCode);
        writeNullable(out, modbusRevision);
        writeNullable(out, opcuaEndpointUrl);
        out.writeBoolean(model != null);
        if (model != null) {
            model.writeTo(out);
        }
    }

    public static Device readFrom(DataInput in) throws IOException {
        Device d = new Device(in.readInt(), in.readLong(), in.readLong(), 0);
        int macs = in.readUnsignedByte();
        if (macs > MAX_MACS) {
            throw new IOException("device with " + macs + " MAC addresses");
        }
        for (int i = 0; i < macs; i++) {
            d.macs[i] = in.readLong();
        }
        d.macCount = macs;
        d.macsOverflow = in.readLong();
        d.firstSeenNanos = in.readLong();
        d.lastSeenNanos = in.readLong();
        d.flowsAsClient = in.readLong();
        d.flowsAsServer = in.readLong();
        d.packetsSent = in.readLong();
        d.bytesSent = in.readLong();
        d.packetsReceived = in.readLong();
        d.bytesReceived = in.readLong();
        d.arpClaims = in.readLong();
        d.protocolsServed = in.readInt();
        d.protocolsUsed = in.readInt();
        d.risks = in.readInt();
        d.name = readNullable(in);
        d.nameSource = readNullable(in);
        d.bacnetDeviceInstance = in.readInt();
        d.bacnetVendorId = in.readInt();
        d.modbusVendor = readNullable(in);
        d.modbusProductCode = readNullable(in);
        d.modbusRevision = readNullable(in);
        d.opcuaEndpointUrl = readNullable(in);
        if (in.readBoolean()) {
            d.model = DeviceModel.readFrom(in);
        }
        d.ownMacSeen = d.macCount > 0 && (d.packetsSent > 0 || d.arpClaims > 0);
        return d;
    }

    private static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    public long arpClaims() {
        return arpClaims;
    }

    /**
     * A hash of who the device is, as the asset inventory states it: MAC bindings, name and its
     * source, protocols served and used, risks, BACnet, Modbus and OPC UA identity, and whether it sent anything (an
     * address only ever sent to is not an asset). Not times, volumes or counts, which change with
     * every packet: the asset publisher republishes a device only when this (or its role) changes.
     * Allocates nothing.
     */
    public long identityHash() {
        long h = mix(0x9E3779B97F4A7C15L, macCount);
        for (int i = 0; i < macCount; i++) {
            h = mix(h, macs[i]);
        }
        h = mix(h, ((long) protocolsServed << 32) | (protocolsUsed & 0xFFFFFFFFL));
        h = mix(h, risks);
        h = mix(h, ((long) bacnetDeviceInstance << 32) | (bacnetVendorId & 0xFFFFFFFFL));
        h = mix(h, textHash(name));
        h = mix(h, textHash(nameSource));
        h = mix(h, textHash(modbusVendor));
        h = mix(h, textHash(modbusProductCode));
        h = mix(h, textHash(modbusRevision));
        h = mix(h, textHash(opcuaEndpointUrl));
        return mix(h, sentAnything() ? 1 : 0);
    }

    private static long textHash(String s) {
        return s == null ? 0 : s.hashCode() + 1L;
    }

    /** One step of a 64-bit multiply-xorshift hash (SplitMix64's finaliser over the running value). */
    private static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        x *= 0x94D049BB133111EBL;
        return x ^ (x >>> 29);
    }
}
