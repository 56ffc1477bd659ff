package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One device's DNS in the current window of capture time, reduced to the counts that betray
 * tunnelling (many queries with long, encoded labels) and generated domains (many failed lookups
 * of random-looking names). Reset when the window passes; no names are kept.
 */
public final class DnsActivity {
    private long startNanos = Long.MIN_VALUE;
    private int queries;
    private int longLabelQueries;
    private int failedRandomLookups;
    private int failedLookups;

    private void roll(long nowNanos, long windowNanos) {
        if (startNanos == Long.MIN_VALUE || nowNanos - startNanos > windowNanos) {
            startNanos = nowNanos;
            queries = 0;
            longLabelQueries = 0;
            failedRandomLookups = 0;
            failedLookups = 0;
        }
    }

    /** A query the device sent; {@code longLabel} when its longest label looks like encoded data. */
    public void query(long nowNanos, long windowNanos, boolean longLabel) {
        roll(nowNanos, windowNanos);
        queries++;
        if (longLabel) {
            longLabelQueries++;
        }
    }

    /** An NXDOMAIN answer the device received; {@code random} when the name looked generated. */
    public void failed(long nowNanos, long windowNanos, boolean random) {
        roll(nowNanos, windowNanos);
        failedLookups++;
        if (random) {
            failedRandomLookups++;
        }
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(startNanos);
        out.writeInt(queries);
        out.writeInt(longLabelQueries);
        out.writeInt(failedRandomLookups);
        out.writeInt(failedLookups);
    }

    public static DnsActivity readFrom(DataInput in) throws IOException {
        DnsActivity a = new DnsActivity();
        a.startNanos = in.readLong();
        a.queries = in.readInt();
        a.longLabelQueries = in.readInt();
        a.failedRandomLookups = in.readInt();
        a.failedLookups = in.readInt();
        return a;
    }

    public int queries() {
        return queries;
    }

    public int longLabelQueries() {
        return longLabelQueries;
    }

    public int failedLookups() {
        return failedLookups;
    }

    public int failedRandomLookups() {
        return failedRandomLookups;
    }

    public long startNanos() {
        return startNanos;
    }
}
