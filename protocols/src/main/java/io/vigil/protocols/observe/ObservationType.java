package io.vigil.protocols.observe;

/** What an {@link Observation} reports. Application-layer kinds join this list with their decoders. */
public enum ObservationType {
    /** First packet of a new flow; src = client, dst = server. */
    FLOW_START,
    /** A flow ended (timeout, close, eviction, end of capture); carries the flow's totals. */
    FLOW_END,
    /** An ARP packet binding the sender IP to the sender MAC (src); dst = the target of the request/reply. */
    ARP_CLAIM,
    /** Control marker: the flow worker that published it has flushed its last flow. Never reaches models. */
    END_OF_STREAM
}
