package io.vigil.sensor.capture.file;

import java.nio.ByteBuffer;

/**
 * Receives one packet; {@code data} holds the captured bytes at [offset, offset+captureLength); valid only during the call.
 * Use absolute gets (data.get(int), data.get(int index, byte[] dst, int off, int len)); do not change its position.
 *
 * <p>{@code data} is a view of the memory-mapped file in {@link java.nio.ByteOrder#BIG_ENDIAN} (network) order whatever
 * the byte order of the capture file, so {@code getShort}/{@code getInt} on protocol fields give network-order values.
 */
@FunctionalInterface
public interface PacketHandler {
    void onPacket(ByteBuffer data, int offset, int captureLength, int originalLength,
                  long timestampNanos, int linkType, int interfaceId);
}
