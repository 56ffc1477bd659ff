package io.vigil.protocols.dnp3;

import io.vigil.protocols.observe.IcsOp;

/**
 * Decodes one reassembled DNP3 application fragment (IEEE 1815 §4.2.2): control octet, function
 * code, IIN of responses, then the object headers, walking each header's objects far enough to
 * find the next header. Stateless and allocation-free.
 *
 * <p><b>Object headers.</b> Group, variation, qualifier (prefix code in bits 4-6, range code in
 * bits 0-3) and the range field: start/stop indices (codes 0-2), an absolute address (3-5),
 * nothing (6: all points), a quantity (7-9) or the one-octet count of free-format objects (11).
 *
 * <p><b>Objects.</b> Requests that name points without values (READ, the freezes 7-10, enable and
 * disable unsolicited, assign class) carry only the index prefixes after a header. Elsewhere each
 * object is walked by its prefix (an index of 1, 2 or 4 octets, or a size of 1, 2 or 4 octets
 * that gives the object's length) and the object size this decoder knows for its group and
 * variation: the fixed-size binary, counter, analog, command, time and statistics objects, packed
 * single- and double-bit objects, device attributes (g0: type, length, value) and the octet-string
 * families (g110-g113: size = variation). Where the size is unknown (variation 0 outside a request
 * for data, file and authentication objects without a size prefix, vendor objects), the walk stops
 * there: the headers seen so far are kept and {@link Dnp3Message#objectsPartial} is set — the
 * fragment is not malformed for that. A range or object that runs past the fragment, a stop index
 * below its start, or a reserved qualifier code does make it malformed, with the headers up to
 * that point kept.
 *
 * <p><b>Values.</b> CROB (g12v1: control code, count, on/off time, status), analog output commands
 * (g41v1-v4: value, status) and absolute time (g50v1/v3 in a write, g50v2 in a freeze-at-time)
 * become {@link Dnp3Message} commands; file names (g70v3 command, g70v7 descriptor, g70v8
 * specification) and application identifiers (g90v1) the message's name.
 */
final class Dnp3Application {
    static final String R_HEADER = "application header truncated";
    static final String R_IIN = "response without IIN";
    static final String R_OBJECT_HEADER = "object header truncated";
    static final String R_RANGE = "range field truncated";
    static final String R_STOP_BELOW_START = "stop index below start index";
    static final String R_QUALIFIER = "reserved qualifier code";
    static final String R_OBJECTS = "objects do not fit the fragment";

    /** Object sizes below 0: how to find the size instead. */
    private static final int UNKNOWN = -1;
    private static final int PACKED_1 = -2;
    private static final int PACKED_2 = -3;
    /** g0 device attribute: data type octet, length octet, value. */
    private static final int ATTRIBUTE = -4;

    private Dnp3Application() {
    }

    /** Decodes {@code f[off, off+len)} into the application fields of {@code m}. */
    static void decode(byte[] f, int off, int len, Dnp3Message m) {
        m.resetApplication();
        m.hasApplication = true;
        m.fragmentLength = len;
        if (len < 1) {
            m.malformed(R_HEADER);
            return;
        }
        int ac = f[off] & 0xFF;
        m.appControl = ac;
        m.fir = (ac & 0x80) != 0;
        m.fin = (ac & 0x40) != 0;
        m.con = (ac & 0x20) != 0;
        m.uns = (ac & 0x10) != 0;
        m.sequence = ac & 0x0F;
        if (len < 2) {
            m.malformed(R_HEADER);
            return;
        }
        int fc = f[off + 1] & 0xFF;
        m.functionCode = fc;
        m.isResponse = fc >= 129 && fc <= 131;
        int end = off + len;
        int p = off + 2;
        if (m.isResponse) {
            if (len < 4) {
                m.malformed(R_IIN);
                m.kind = kind(fc, -1);
                return;
            }
            m.iin = (f[p] & 0xFF) << 8 | (f[p + 1] & 0xFF);
            p += 2;
            if ((m.iin & 0x0017) != 0) {
                m.isError = true;
            }
        }
        objects(f, p, end, headerOnly(fc), m);
        m.kind = kind(fc, m.headerCount > 0 ? m.group[0] : -1);
    }

    /** Requests whose objects name points without carrying values. */
    static boolean headerOnly(int fc) {
        return fc == 1 || (fc >= 7 && fc <= 10) || (fc >= 20 && fc <= 22);
    }

    /**
     * The IcsOp kind of a function: READ for reads (class polls included), WRITE for writes and
     * assign class, TIME for writes whose first object is time (g50), record current time and
     * delay measurement, CONTROL for select/operate, freezes, restarts, application start/stop and
     * enabling or disabling unsolicited reporting, PROGRAM for file operations, save and activate
     * configuration, SESSION for authentication, REPORT for unsolicited responses, OTHER for
     * confirms, responses and unknown codes.
     */
    static int kind(int fc, int firstGroup) {
        switch (fc) {
            case 1:
                return IcsOp.KIND_READ;
            case 2:
                return firstGroup == 50 ? IcsOp.KIND_TIME : IcsOp.KIND_WRITE;
            case 22:
                return IcsOp.KIND_WRITE;
            case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10: case 11: case 12: case 13: case 14:
            case 15: case 16: case 17: case 18: case 20: case 21:
                return IcsOp.KIND_CONTROL;
            case 23: case 24:
                return IcsOp.KIND_TIME;
            case 19: case 25: case 26: case 27: case 28: case 29: case 30: case 31:
                return IcsOp.KIND_PROGRAM;
            case 32: case 33: case 131:
                return IcsOp.KIND_SESSION;
            case 130:
                return IcsOp.KIND_REPORT;
            default:
                return IcsOp.KIND_OTHER;
        }
    }

    private static void objects(byte[] f, int p, int end, boolean headerOnly, Dnp3Message m) {
        while (p < end) {
            if (end - p < 3) {
                if (end - p == 2) {
                    // Group and variation are there: keep what was addressed (Wireshark shows it too).
                    int h = m.headerCount++;
                    if (h < Dnp3Message.MAX_HEADERS) {
                        m.group[h] = f[p] & 0xFF;
                        m.variation[h] = f[p + 1] & 0xFF;
                        m.qualifier[h] = -1;
                        m.start[h] = -1;
                        m.stop[h] = -1;
                        m.count[h] = 0;
                        m.firstIndex[h] = -1;
                    }
                }
                m.malformed(R_OBJECT_HEADER);
                return;
            }
            int g = f[p] & 0xFF;
            int v = f[p + 1] & 0xFF;
            int q = f[p + 2] & 0xFF;
            p += 3;
            int h = m.headerCount++;
            boolean keep = h < Dnp3Message.MAX_HEADERS;
            if (keep) {
                m.group[h] = g;
                m.variation[h] = v;
                m.qualifier[h] = q;
                m.start[h] = -1;
                m.stop[h] = -1;
                m.count[h] = 0;
                m.firstIndex[h] = -1;
            }
            int prefixCode = (q >> 4) & 0x07;
            int range = q & 0x0F;
            long start = -1;
            long count;
            int width;
            switch (range) {
                case 0: case 1: case 2: {
                    width = range == 2 ? 4 : range + 1;
                    if (end - p < 2 * width) {
                        m.malformed(R_RANGE);
                        return;
                    }
                    start = read(f, p, width);
                    long stop = read(f, p + width, width);
                    p += 2 * width;
                    if (keep) {
                        m.start[h] = start;
                        m.stop[h] = stop;
                    }
                    if (stop < start) {
                        m.malformed(R_STOP_BELOW_START);
                        return;
                    }
                    count = stop - start + 1;
                    break;
                }
                case 3: case 4: case 5: {
                    width = range == 5 ? 4 : range - 2;
                    if (end - p < width) {
                        m.malformed(R_RANGE);
                        return;
                    }
                    start = read(f, p, width);
                    p += width;
                    if (keep) {
                        m.start[h] = start;
                        m.stop[h] = start;
                    }
                    count = 1;
                    break;
                }
                case 6:
                    count = 0;
                    break;
                case 7: case 8: case 9: case 11: {
                    width = range == 9 ? 4 : range == 8 ? 2 : 1;
                    if (end - p < width) {
                        m.malformed(R_RANGE);
                        return;
                    }
                    count = read(f, p, width);
                    p += width;
                    break;
                }
                default:
                    m.malformed(R_QUALIFIER);
                    return;
            }
            if (keep) {
                m.count[h] = count;
            }
            if (count == 0) {
                continue;
            }
            if (prefixCode == 7) {
                m.malformed(R_QUALIFIER);
                return;
            }
            p = walk(f, p, end, g, v, prefixCode, range, start, count, headerOnly, keep ? h : -1, m);
            if (p < 0) {
                return;
            }
        }
    }

    /**
     * Walks the {@code count} objects of one header from {@code p}; returns the position after them,
     * or -1 when the walk ends the fragment (malformed, or an object of unknown size).
     */
    private static int walk(byte[] f, int p, int end, int g, int v, int prefixCode, int range, long start,
                            long count, boolean headerOnly, int h, Dnp3Message m) {
        int prefix = prefixWidth(prefixCode);
        boolean sizePrefix = prefixCode >= 4 || (range == 11 && prefixCode != 0);
        boolean indexPrefix = !sizePrefix && prefix > 0;
        long left = end - p;
        if (headerOnly && !sizePrefix) {
            // Index prefixes only (or nothing): the request names points, it carries no values
            // (a size prefix says otherwise: a READ of g70v5 carries the file handle and block).
            if (left < count * prefix) {
                m.malformed(R_OBJECTS);
                return -1;
            }
            if (indexPrefix && h >= 0) {
                m.firstIndex[h] = read(f, p, prefix);
            }
            return p + (int) (count * prefix);
        }
        if (sizePrefix) {
            for (long i = 0; i < count; i++) {
                if (end - p < prefix) {
                    m.malformed(R_OBJECTS);
                    return -1;
                }
                long size = read(f, p, prefix);
                p += prefix;
                if (end - p < size) {
                    m.malformed(R_OBJECTS);
                    return -1;
                }
                named(f, p, (int) size, g, v, m);
                p += (int) size;
            }
            return p;
        }
        int size = objectSize(g, v);
        if (size == PACKED_1 || size == PACKED_2) {
            if (indexPrefix) {
                return stopWalk(g, v, m);
            }
            long bits = count * (size == PACKED_1 ? 1 : 2);
            long octets = (bits + 7) / 8;
            if (left < octets) {
                m.malformed(R_OBJECTS);
                return -1;
            }
            return p + (int) octets;
        }
        if (size == ATTRIBUTE) {
            for (long i = 0; i < count; i++) {
                if (end - p < prefix + 2) {
                    m.malformed(R_OBJECTS);
                    return -1;
                }
                int valueLength = f[p + prefix + 1] & 0xFF;
                p += prefix + 2;
                if (end - p < valueLength) {
                    m.malformed(R_OBJECTS);
                    return -1;
                }
                p += valueLength;
            }
            return p;
        }
        if (size == UNKNOWN) {
            return stopWalk(g, v, m);
        }
        int each = prefix + size;
        if (each == 0) {
            return p;
        }
        if (left < count * each) {
            m.malformed(R_OBJECTS);
            return -1;
        }
        if (indexPrefix && h >= 0) {
            m.firstIndex[h] = read(f, p, prefix);
        }
        if (isCommand(g, v, m.functionCode)) {
            for (long i = 0; i < count; i++) {
                long index = indexPrefix ? read(f, p, prefix) : start >= 0 ? start + i : i;
                command(f, p + prefix, g, v, index, m);
                p += each;
            }
            return p;
        }
        return p + (int) (count * each);
    }

    private static int stopWalk(int g, int v, Dnp3Message m) {
        m.objectsPartial = true;
        m.partialObject = g << 8 | v;
        return -1;
    }

    private static boolean isCommand(int g, int v, int fc) {
        if (g == 12 && v == 1) {
            return true;
        }
        if (g == 41 && v >= 1 && v <= 4) {
            return true;
        }
        // Absolute time written (clock set) or given to freeze-at-time.
        return g == 50 && (((v == 1 || v == 3) && fc == 2) || (v == 2 && (fc == 11 || fc == 12)));
    }

    private static void command(byte[] f, int p, int g, int v, long index, Dnp3Message m) {
        int c = m.commandCount++;
        if (c >= Dnp3Message.MAX_COMMANDS) {
            return;
        }
        m.commandObject[c] = g << 8 | v;
        m.commandIndex[c] = index;
        m.commandCode[c] = -1;
        m.commandRepeat[c] = -1;
        m.commandOnTime[c] = -1;
        m.commandOffTime[c] = -1;
        m.commandStatus[c] = -1;
        m.commandValue[c] = Double.NaN;
        if (g == 12) {
            m.commandCode[c] = f[p] & 0xFF;
            m.commandRepeat[c] = f[p + 1] & 0xFF;
            m.commandOnTime[c] = read(f, p + 2, 4);
            m.commandOffTime[c] = read(f, p + 6, 4);
            m.commandStatus[c] = f[p + 10] & 0x7F;
        } else if (g == 41) {
            int statusAt;
            switch (v) {
                case 1:
                    m.commandValue[c] = (int) read(f, p, 4);
                    statusAt = p + 4;
                    break;
                case 2:
                    m.commandValue[c] = (short) read(f, p, 2);
                    statusAt = p + 2;
                    break;
                case 3:
                    m.commandValue[c] = Float.intBitsToFloat((int) read(f, p, 4));
                    statusAt = p + 4;
                    break;
                default:
                    m.commandValue[c] = Double.longBitsToDouble(read(f, p, 4) | read(f, p + 4, 4) << 32);
                    statusAt = p + 8;
                    break;
            }
            m.commandStatus[c] = f[statusAt] & 0x7F;
        } else {
            m.commandIndex[c] = -1;
            m.commandValue[c] = read(f, p, 4) | read(f, p + 4, 2) << 32;
        }
        if (m.isResponse && m.commandStatus[c] > 0) {
            m.isError = true;
        }
    }

    /** Takes the name of a free-format file or application object. */
    private static void named(byte[] f, int p, int size, int g, int v, Dnp3Message m) {
        if (m.nameLength > 0) {
            return;
        }
        if ((g == 70 && v == 8) || (g == 90 && v == 1)) {
            name(f, p, size, m);
        } else if (g == 70 && (v == 3 || v == 7) && size >= 4) {
            int nameOffset = (int) read(f, p, 2);
            int nameSize = (int) read(f, p + 2, 2);
            if (nameOffset <= size && nameSize <= size - nameOffset) {
                name(f, p + nameOffset, nameSize, m);
            }
        }
    }

    private static void name(byte[] f, int p, int size, Dnp3Message m) {
        int n = Math.min(size, Dnp3Message.MAX_NAME);
        System.arraycopy(f, p, m.name, 0, n);
        m.nameLength = n;
    }

    private static int prefixWidth(int prefixCode) {
        switch (prefixCode) {
            case 1: case 4: return 1;
            case 2: case 5: return 2;
            case 3: case 6: return 4;
            default: return 0;
        }
    }

    /** Little-endian unsigned value of {@code width} (1, 2 or 4) octets. */
    private static long read(byte[] f, int p, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (f[p + i] & 0xFF);
        }
        return v;
    }

    /**
     * Octets of one object of this group and variation, or UNKNOWN / PACKED_1 / PACKED_2 /
     * ATTRIBUTE. Sizes from IEEE 1815-2012 Annex A.
     */
    static int objectSize(int g, int v) {
        if (v == 0) {
            return UNKNOWN;
        }
        switch (g) {
            case 0:
                return v >= 254 ? UNKNOWN : ATTRIBUTE;
            case 1: case 10:
                return v == 1 ? PACKED_1 : v == 2 ? 1 : UNKNOWN;
            case 2: case 4:
                return v == 1 ? 1 : v == 2 ? 7 : v == 3 ? 3 : UNKNOWN;
            case 3:
                return v == 1 ? PACKED_2 : v == 2 ? 1 : UNKNOWN;
            case 11: case 13:
                return v == 1 ? 1 : v == 2 ? 7 : UNKNOWN;
            case 12:
                return v == 1 || v == 2 ? 11 : v == 3 ? PACKED_1 : UNKNOWN;
            case 20:
                return v >= 1 && v <= 8 ? SIZES_20[v] : UNKNOWN;
            case 21:
                return v >= 1 && v <= 12 ? SIZES_21[v] : UNKNOWN;
            case 22: case 23:
                return v >= 1 && v <= 8 ? SIZES_22[v] : UNKNOWN;
            case 30:
                return v >= 1 && v <= 6 ? SIZES_30[v] : UNKNOWN;
            case 31:
                return v >= 1 && v <= 8 ? SIZES_31[v] : UNKNOWN;
            case 32: case 33: case 42: case 43:
                return v >= 1 && v <= 8 ? SIZES_32[v] : UNKNOWN;
            case 34:
                return v == 1 ? 2 : v == 2 || v == 3 ? 4 : UNKNOWN;
            case 40: case 41:
                return v >= 1 && v <= 4 ? SIZES_40[v] : UNKNOWN;
            case 50:
                return v == 1 || v == 3 ? 6 : v == 2 ? 10 : v == 4 ? 11 : UNKNOWN;
            case 51:
                return v <= 2 ? 6 : UNKNOWN;
            case 52:
                return v <= 2 ? 2 : UNKNOWN;
            case 60:
                return v <= 4 ? 0 : UNKNOWN;
            case 80:
                return v == 1 ? PACKED_1 : UNKNOWN;
            case 101:
                return v == 1 ? 2 : v == 2 ? 4 : v == 3 ? 8 : UNKNOWN;
            case 102:
                return v == 1 ? 1 : UNKNOWN;
            case 110: case 111: case 112: case 113:
                return v;
            case 121: case 122:
                return v == 1 ? 7 : g == 122 && v == 2 ? 13 : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    private static final int[] SIZES_20 = {0, 5, 3, 5, 3, 4, 2, 4, 2};
    private static final int[] SIZES_21 = {0, 5, 3, 5, 3, 11, 9, 11, 9, 4, 2, 4, 2};
    private static final int[] SIZES_22 = {0, 5, 3, 5, 3, 11, 9, 11, 9};
    private static final int[] SIZES_30 = {0, 5, 3, 4, 2, 5, 9};
    private static final int[] SIZES_31 = {0, 5, 3, 11, 9, 4, 2, 5, 9};
    private static final int[] SIZES_32 = {0, 5, 3, 11, 9, 5, 9, 11, 15};
    private static final int[] SIZES_40 = {0, 5, 3, 5, 9};
}
