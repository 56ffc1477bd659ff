package io.vigil.sensor.ring;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * Reads of native memory that libpcap owns (its packet headers and frames), without a Java object
 * per read. Unsafe, as Netty and the Disruptor use it: JNA's Pointer would need one instance per
 * address, and a direct ByteBuffer cannot be re-pointed at a new address.
 */
public final class NativeMemory {
    private static final Unsafe UNSAFE = unsafe();
    private static final long BYTE_ARRAY_BASE = UNSAFE.arrayBaseOffset(byte[].class);

    private NativeMemory() {
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static long getLong(long address) {
        return UNSAFE.getLong(address);
    }

    public static int getInt(long address) {
        return UNSAFE.getInt(address);
    }

    /** Copies {@code length} bytes at {@code address} into {@code dst[0, length)}. */
    public static void copy(long address, byte[] dst, int length) {
        if (length < 0 || length > dst.length) {
            throw new IndexOutOfBoundsException("copy of " + length + " bytes into " + dst.length);
        }
        UNSAFE.copyMemory(null, address, dst, BYTE_ARRAY_BASE, length);
    }
}
