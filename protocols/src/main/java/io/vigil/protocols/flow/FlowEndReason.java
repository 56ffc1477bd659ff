package io.vigil.protocols.flow;

/** Why a flow record was closed; exporters map these onto NetFlow/IPFIX end reasons. */
public enum FlowEndReason {
    /** No packet for the idle timeout of the flow's class (TCP established or other). */
    IDLE_TIMEOUT,
    /** The flow lived longer than the active timeout; its next packet opened a fresh record. */
    ACTIVE_TIMEOUT,
    /** FIN both ways or RST, then the closed linger passed, or a new SYN reused the ports. */
    TCP_CLOSED,
    /** The table was full and this was the least recently seen flow. */
    EVICTED,
    /** End of an offline replay. */
    END_OF_CAPTURE,
    /** Live capture stopped. */
    SHUTDOWN
}
