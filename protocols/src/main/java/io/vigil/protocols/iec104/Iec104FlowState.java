package io.vigil.protocols.iec104;

/**
 * What the IEC 104 parser remembers per connection: whether each direction is in step with the
 * APDU framing. A direction falls out of step on a TCP gap, when the capture joined mid-stream, or
 * when the parser met bytes that are not an APDU; until it is back in step, a start octet only
 * counts when the whole APDU passes the strict check (see {@link Iec104Parser}).
 */
public final class Iec104FlowState {
    private final boolean[] resync = new boolean[2];

    /** Bytes were lost in this direction: the next 0x68 may be inside an APDU. */
    public void onGap(boolean fromClient) {
        resync[fromClient ? 0 : 1] = true;
    }

    /** The capture started inside the connection: both directions may start inside an APDU. */
    public void joinedMidstream() {
        resync[0] = true;
        resync[1] = true;
    }

    public boolean resynchronising(boolean fromClient) {
        return resync[fromClient ? 0 : 1];
    }

    void resynchronising(boolean fromClient, boolean value) {
        resync[fromClient ? 0 : 1] = value;
    }
}
