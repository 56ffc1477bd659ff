package io.vigil.baseline;

/**
 * The 64-bit keys under which models store features: a strong mix of the fields, so distinct
 * behaviours collide with negligible probability (2^-64 per pair) without storing the fields.
 */
public final class FeatureKeys {
    private FeatureKeys() {
    }

    /** A peer: VLAN and address. */
    public static long peer(int vlan, long ipHi, long ipLo) {
        return mix(mix(ipLo ^ 0x9E3779B97F4A7C15L) ^ ipHi * 0xC2B2AE3D27D4EB4FL ^ vlan);
    }

    /** A peer on a service: the peer, IP protocol and port. */
    public static long peerService(long peer, int ipProto, int port) {
        return mix(peer ^ service(ipProto, port));
    }

    /** A service: IP protocol and port. */
    public static long service(int ipProto, int port) {
        return (long) ipProto << 16 | (port & 0xFFFF) | 0x5E5E_0000_0000_0000L;
    }

    /** The port of a {@link #service} key. */
    public static int servicePort(long serviceKey) {
        return (int) (serviceKey & 0xFFFF);
    }

    /** The IP protocol of a {@link #service} key. */
    public static int serviceProtocol(long serviceKey) {
        return (int) (serviceKey >>> 16) & 0xFF;
    }

    /** An industrial operation regardless of who issued it: protocol, function and target. */
    public static long operation(IndustrialOperation op) {
        return mix(mix((long) op.protocol.ordinal() << 32 | (op.function & 0xFFFFFFFFL)) ^ op.target);
    }

    /** An operation issued by, or to, a peer. */
    public static long peerOperation(long peer, IndustrialOperation op) {
        return mix(peer * 31 ^ operation(op));
    }

    /** The written target of an operation, for value ranges: protocol, function family and target. */
    public static long writeTarget(IndustrialOperation op) {
        return mix((long) op.protocol.ordinal() << 56 ^ op.target * 0x9E3779B97F4A7C15L);
    }

    /** SplitMix64's finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
