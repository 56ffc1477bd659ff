package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The new targets one device reached in the current short window of capture time: distinct hosts,
 * distinct ports and probes, so a burst of first contacts can be told apart as a horizontal scan
 * (many hosts, one port), a vertical scan (one host, many ports), a ping sweep or an ARP sweep.
 * Bounded: at most {@link #MAX_DISTINCT} hosts and ports are remembered per window (counting
 * stops growing there, which is already far past any threshold).
 */
public final class ScanWindow {
    public static final int MAX_DISTINCT = 64;

    private long startNanos = Long.MIN_VALUE;
    private final long[] hosts = new long[MAX_DISTINCT];
    private int hostCount;
    private final int[] ports = new int[MAX_DISTINCT];
    private int portCount;
    private int probes;
    private int arpProbes;
    private int icmpProbes;

    /** Counts one first contact; the window restarts when {@code windowNanos} have passed since it began. */
    public void add(long nowNanos, long windowNanos, long host, int port, boolean arp, boolean icmp) {
        if (startNanos == Long.MIN_VALUE || nowNanos - startNanos > windowNanos) {
            startNanos = nowNanos;
            hostCount = 0;
            portCount = 0;
            probes = 0;
            arpProbes = 0;
            icmpProbes = 0;
        }
        probes++;
        if (arp) {
            arpProbes++;
        }
        if (icmp) {
            icmpProbes++;
        }
        addHost(host);
        if (!arp && !icmp) {
            addPort(port);
        }
    }

    private void addHost(long host) {
        for (int i = 0; i < hostCount; i++) {
            if (hosts[i] == host) {
                return;
            }
        }
        if (hostCount < MAX_DISTINCT) {
            hosts[hostCount++] = host;
        }
    }

    private void addPort(int port) {
        for (int i = 0; i < portCount; i++) {
            if (ports[i] == port) {
                return;
            }
        }
        if (portCount < MAX_DISTINCT) {
            ports[portCount++] = port;
        }
    }

    /** The window in progress: a restart within it still sees the burst it began. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(startNanos);
        out.writeInt(probes);
        out.writeInt(arpProbes);
        out.writeInt(icmpProbes);
        out.writeByte(hostCount);
        for (int i = 0; i < hostCount; i++) {
            out.writeLong(hosts[i]);
        }
        out.writeByte(portCount);
        for (int i = 0; i < portCount; i++) {
            out.writeInt(ports[i]);
        }
    }

    public static ScanWindow readFrom(DataInput in) throws IOException {
        ScanWindow w = new ScanWindow();
        w.startNanos = in.readLong();
        w.probes = in.readInt();
        w.arpProbes = in.readInt();
        w.icmpProbes = in.readInt();
        w.hostCount = boundedCount(in);
        for (int i = 0; i < w.hostCount; i++) {
            w.hosts[i] = in.readLong();
        }
        w.portCount = boundedCount(in);
        for (int i = 0; i < w.portCount; i++) {
            w.ports[i] = in.readInt();
        }
        return w;
    }

    private static int boundedCount(DataInput in) throws IOException {
        int n = in.readUnsignedByte();
        if (n > MAX_DISTINCT) {
            throw new IOException("scan window with " + n + " entries");
        }
        return n;
    }

    public int hosts() {
        return hostCount;
    }

    public int ports() {
        return portCount;
    }

    /** The first port probed in this window (the one a horizontal scan sweeps). */
    public int firstPort() {
        return portCount > 0 ? ports[0] : -1;
    }

    public int probes() {
        return probes;
    }

    public int arpProbes() {
        return arpProbes;
    }

    public int icmpProbes() {
        return icmpProbes;
    }

    public long startNanos() {
        return startNanos;
    }
}
