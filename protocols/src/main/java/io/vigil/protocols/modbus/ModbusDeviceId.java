package io.vigil.protocols.modbus;

/**
 * The basic objects of a Read Device Identification (FC 43/14) response: VendorName (object 0),
 * ProductCode (1) and MajorMinorRevision (2), as the device put them on the wire. Fixed buffers,
 * so a worker copies them into an observation without allocating; text is made only where an
 * identity is recorded (rarely: once per device and change).
 */
public final class ModbusDeviceId {
    public static final int OBJECTS = 3;
    /** Longer object values are cut here (vendor names and revisions are short ASCII strings). */
    public static final int MAX_LENGTH = 64;

    private final byte[] bytes = new byte[OBJECTS * MAX_LENGTH];
    private final int[] lengths = new int[OBJECTS];
    private boolean present;

    public void clear() {
        if (present) {
            java.util.Arrays.fill(lengths, 0);
            present = false;
        }
    }

    /** Records object {@code id} (0..2; others ignored) from {@code b[off, off+len)}. */
    void set(int id, byte[] b, int off, int len) {
        if (id < 0 || id >= OBJECTS) {
            return;
        }
        int n = Math.min(len, MAX_LENGTH);
        System.arraycopy(b, off, bytes, id * MAX_LENGTH, n);
        lengths[id] = n;
        present = true;
    }

    public void copyFrom(ModbusDeviceId o) {
        clear();
        if (o.present) {
            System.arraycopy(o.bytes, 0, bytes, 0, bytes.length);
            System.arraycopy(o.lengths, 0, lengths, 0, OBJECTS);
            present = true;
        }
    }

    /** Whether any basic object was seen. */
    public boolean present() {
        return present;
    }

    /** Object {@code id} as text (ISO-8859-1, control characters dropped), null when absent. */
    public String text(int id) {
        if (lengths[id] == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder(lengths[id]);
        for (int i = 0; i < lengths[id]; i++) {
            char c = (char) (bytes[id * MAX_LENGTH + i] & 0xFF);
            if (c >= 0x20 && c != 0x7F) {
                s.append(c);
            }
        }
        String t = s.toString().strip();
        return t.isEmpty() ? null : t;
    }
}
