package io.vigil.protocols.flow;

/**
 * Flow timeouts in nanoseconds of capture time. Use {@link Long#MAX_VALUE} to disable one.
 *
 * @param idleNanos            idle timeout for UDP, ICMP, other protocols and TCP flows whose handshake
 *                             never completed (scans and refused attempts should not hold a slot for
 *                             the long TCP timeout)
 * @param activeNanos          a flow older than this is reported and a fresh record started, so
 *                             long-lived flows still show up in periodic output (NetFlow style)
 * @param tcpClosedLingerNanos how long a TCP flow closed by FIN both ways or RST stays, idle, to absorb
 *                             the last ACKs and retransmitted FINs before it is ended as TCP_CLOSED
 * @param tcpIdleNanos         idle timeout for established (or picked-up mid-stream) TCP flows, which
 *                             legitimately go quiet for minutes (SSH, database pools)
 */
public record FlowTimeouts(long idleNanos, long activeNanos, long tcpClosedLingerNanos, long tcpIdleNanos) {
    private static final long SECOND = 1_000_000_000L;

    public FlowTimeouts {
        if (idleNanos <= 0 || activeNanos <= 0 || tcpClosedLingerNanos <= 0 || tcpIdleNanos <= 0) {
            throw new IllegalArgumentException("timeouts must be positive: " + idleNanos + ", " + activeNanos
                    + ", " + tcpClosedLingerNanos + ", " + tcpIdleNanos);
        }
    }

    /**
     * Zeek's inactivity timeouts (udp/icmp 1 min, tcp 5 min, tcp_close_delay 5 s) and the NetFlow
     * active timeout of 30 min: idle 60 s, active 30 min, closed linger 5 s, TCP idle 300 s.
     */
    public static FlowTimeouts defaults() {
        return new FlowTimeouts(60 * SECOND, 30 * 60 * SECOND, 5 * SECOND, 300 * SECOND);
    }
}
