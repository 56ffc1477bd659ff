package io.vigil.protocols.mqtt;

/**
 * What the MQTT parser remembers per connection: the protocol level announced by CONNECT (MQTT 5
 * adds properties to most packets, so later packets cannot be parsed without it), how many bytes
 * of an oversized packet are still to be passed over, and whether a direction lost the packet
 * framing (a TCP gap or a capture that joined mid-stream).
 */
public final class MqttFlowState {
    /** Protocol level: 3 (3.1), 4 (3.1.1), 5; 0 while no CONNECT was seen. */
    int version;
    /** The level was inferred (a CONNACK with properties), not read from a CONNECT. */
    boolean versionInferred;
    /** Bytes of an oversized packet still to pass over, per direction. */
    final long[] skip = new long[2];
    /**
     * The first bytes of the oversized packet being passed over (allocated on the first one), its
     * header length and total length: it is decoded from them and delivered when its last byte
     * arrives, so it is reported in the frame that completes it.
     */
    final byte[][] prefix = new byte[2][];
    final int[] prefixLength = new int[2];
    final int[] prefixHeader = new int[2];
    final long[] prefixTotal = new long[2];
    final boolean[] pending = new boolean[2];
    private final boolean[] resync = new boolean[2];

    public int version() {
        return version;
    }

    /** Bytes were lost in this direction: the next byte is probably not a fixed header. */
    public void onGap(boolean fromClient) {
        int d = fromClient ? 0 : 1;
        resync[d] = true;
        skip[d] = 0;
        pending[d] = false; // its end is lost: nothing to report it with
    }

    /** The capture started inside the connection: both directions may start inside a packet. */
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
