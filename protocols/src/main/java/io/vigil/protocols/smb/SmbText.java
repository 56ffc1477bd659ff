package io.vigil.protocols.smb;

import java.nio.charset.StandardCharsets;

/**
 * A name from an SMB message (share path, file name, NTLMSSP user/domain/workstation), copied into a fixed array so
 * that it survives the buffer it came from. SMB2 names are UTF-16LE and SMB1 names UTF-16LE or OEM: both are stored
 * ASCII-safe, one byte per character, anything outside printable ASCII replaced by '?', since the sensor compares
 * and logs names but never opens files with them. Truncated at {@link #MAX} characters.
 */
public final class SmbText {
    public static final int MAX = 255;

    public final byte[] bytes = new byte[MAX];
    /** -1 when absent; 0 for a present but empty name. */
    public int length = -1;

    public boolean present() {
        return length >= 0;
    }

    void clear() {
        length = -1;
    }

    void copyFrom(SmbText o) {
        length = o.length;
        if (length > 0) {
            System.arraycopy(o.bytes, 0, bytes, 0, length);
        }
    }

    /** UTF-16LE code units in b[p, p + len), up to the first NUL. */
    void utf16(byte[] b, int p, int len) {
        int n = 0;
        for (int q = p; q + 1 < p + len && n < MAX; q += 2) {
            int c = (b[q] & 0xFF) | (b[q + 1] & 0xFF) << 8;
            if (c == 0) {
                break;
            }
            bytes[n++] = safe(c);
        }
        length = n;
    }

    /** Single-byte (OEM) characters in b[p, p + len), up to the first NUL. */
    void oem(byte[] b, int p, int len) {
        int n = 0;
        for (int q = p; q < p + len && n < MAX; q++) {
            int c = b[q] & 0xFF;
            if (c == 0) {
                break;
            }
            bytes[n++] = safe(c);
        }
        length = n;
    }

    private static byte safe(int c) {
        return c >= 0x20 && c < 0x7F ? (byte) c : (byte) '?';
    }

    /** Compares with an ASCII string without allocating. */
    public boolean equalsAscii(String s) {
        if (length != s.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((bytes[i] & 0xFF) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The name as text, null when absent (allocates: output and tests only). */
    @Override
    public String toString() {
        return length < 0 ? null : new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
