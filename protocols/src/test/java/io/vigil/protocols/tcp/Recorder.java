package io.vigil.protocols.tcp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what a reassembler hands over, per slot and direction: the consumed bytes in order, and
 * events ("data n", "gap m") for checking order. Consumes everything, whole PDUs of a fixed size, or
 * nothing.
 */
final class Recorder implements StreamConsumer {
    static final int ALL = 0;
    static final int NOTHING = -1;

    private final int pduSize;
    private final ByteArrayOutputStream[] streams = new ByteArrayOutputStream[64];
    final List<String> events = new ArrayList<>();
    final List<Long> gaps = new ArrayList<>();
    byte[] lastBuf;
    int lastOff;
    long lastFrameNumber;
    int calls;
    int maxOffered;

    Recorder(int pduSize) {
        this.pduSize = pduSize;
    }

    static Recorder all() {
        return new Recorder(ALL);
    }

    private ByteArrayOutputStream stream(int slot, boolean fromClient) {
        int i = slot * 2 + (fromClient ? 0 : 1);
        if (streams[i] == null) {
            streams[i] = new ByteArrayOutputStream();
        }
        return streams[i];
    }

    byte[] bytes(int slot, boolean fromClient) {
        return stream(slot, fromClient).toByteArray();
    }

    @Override
    public int onData(int slot, boolean fromClient, byte[] buf, int off, int len, long frameNumber, long ts) {
        if (len <= 0) {
            throw new AssertionError("empty onData");
        }
        calls++;
        lastBuf = buf;
        lastOff = off;
        lastFrameNumber = frameNumber;
        maxOffered = Math.max(maxOffered, len);
        int used = pduSize == ALL ? len : pduSize == NOTHING ? 0 : len / pduSize * pduSize;
        stream(slot, fromClient).write(buf, off, used);
        events.add((fromClient ? "c" : "s") + slot + " data " + len + "/" + used);
        return used;
    }

    @Override
    public void onGap(int slot, boolean fromClient, long missing) {
        gaps.add(missing);
        events.add((fromClient ? "c" : "s") + slot + " gap " + missing);
    }
}
