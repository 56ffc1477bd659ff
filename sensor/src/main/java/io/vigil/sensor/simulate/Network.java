package io.vigil.sensor.simulate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated data centre's addressing: hosts by IP, the router that joins the segments (one MAC, one interface
 * address per segment) and which frames cross it. IT workstations and servers share 10.10.0.0/16; OT, building
 * management, cameras and power each have their own /24.
 */
final class Network {
    static final long OUI_CISCO = 0x00_1B_54L;
    static final long OUI_DELL = 0x00_14_22L;
    static final long OUI_HP = 0x3C_D9_2BL;
    static final long OUI_SIEMENS = 0x00_1B_1BL;
    static final long OUI_SCHNEIDER = 0x00_80_F4L;
    static final long OUI_AXIS = 0x00_40_8CL;
    static final long OUI_APC = 0x00_C0_B7L;
    static final long OUI_JOHNSON_CONTROLS = 0x00_10_E8L;
    static final long OUI_LENOVO = 0x54_EE_75L;
    static final long OUI_INTEL = 0x3C_A9_F4L;

    private final Map<Integer, Host> hosts = new HashMap<>();
    private final List<Host> all = new ArrayList<>();
    private final SplittableRandom random;
    final long routerMac;
    final int[] routerIps = {ip(10, 10, 0, 1), ip(10, 30, 0, 1), ip(10, 40, 0, 1), ip(10, 50, 0, 1), ip(10, 60, 0, 1)};

    Network(SplittableRandom random) {
        this.random = random;
        this.routerMac = mac(OUI_CISCO);
        for (int r : routerIps) {
            Host h = new Host("router", r, routerMac, "router");
            hosts.put(r, h);
            all.add(h);
        }
    }

    Host add(String name, int ip, long oui, String role) {
        Host h = new Host(name, ip, mac(oui), role);
        if (hosts.putIfAbsent(ip, h) != null) {
            throw new IllegalStateException("address used twice: " + toString(ip));
        }
        all.add(h);
        return h;
    }

    /** A host that is not part of the site (a rogue laptop): known for MAC lookups but not listed in {@link #hosts()}. */
    Host addUnlisted(String name, int ip, long oui, String role) {
        Host h = new Host(name, ip, mac(oui), role);
        hosts.put(ip, h);
        return h;
    }

    List<Host> hosts() {
        return all;
    }

    Host host(int ip) {
        return hosts.get(ip);
    }

    /** The router's interface on the segment of {@code ip}. */
    int gatewayOf(int ip) {
        int seg = segment(ip);
        for (int r : routerIps) {
            if (segment(r) == seg) {
                return r;
            }
        }
        throw new IllegalArgumentException("no gateway for " + toString(ip));
    }

    long mac(long oui) {
        return (oui << 24) | (random.nextInt(1 << 24) & 0xFFFFFFL);
    }

    long macOf(int ip) {
        Host h = hosts.get(ip);
        return h != null ? h.mac() : 0x0200_0000_0000L | (ip & 0xFFFF_FFFFL);
    }

    long srcMac(int src, int dst) {
        return isInternal(src) ? macOf(src) : routerMac;
    }

    long dstMac(int src, int dst) {
        if (!isInternal(src)) {
            return macOf(dst);
        }
        return isInternal(dst) && segment(src) == segment(dst) ? macOf(dst) : routerMac;
    }

    static int segment(int ip) {
        if ((ip >>> 16) == ((10 << 8) | 10)) {
            return ip & 0xFFFF_0000;
        }
        return ip & 0xFFFF_FF00;
    }

    static boolean isInternal(int ip) {
        return (ip >>> 24) == 10;
    }

    static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    static String toString(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }
}
