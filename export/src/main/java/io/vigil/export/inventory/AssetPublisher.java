package io.vigil.export.inventory;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceRole;
import io.vigil.baseline.DeviceTable;
import io.vigil.export.RecordSink;
import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Publishes one device shard's assets to the compacted asset topic ({@code vigil.assets}, key =
 * device id, value = the device's {@code --inventory} line) when a device appears or changes who
 * it is, not on every packet that moves its last-seen time or volumes.
 *
 * <p>How a change is found: for every device it published, the shard keeps a fingerprint, the
 * device's {@link Device#identityHash()} (MACs, name, protocols served and used, risks, BACnet
 * identity) combined with its inferred role. Once per interval of capture time (one second by
 * default), at the first observation or shard clock tick past it, the shard walks its table and
 * publishes the devices whose fingerprint differs; a device whose send failed keeps its old
 * fingerprint and is retried at the next walk. The walk allocates only for what it publishes. A
 * device thus costs the topic one record when it first sends anything and one per identity change,
 * at most one per interval. A fast replay passes many capture seconds per wall second: there the
 * walks are also spaced in wall time so that they take at most about {@value #MAX_WALK_SHARE_PERCENT}%
 * of the shard thread (changes are then published per several capture seconds, still each once).
 *
 * <p>A run that starts from a saved model publishes each of its devices once at the first walk (nothing
 * remembers what an earlier run published); the compacted topic keeps the latest per device anyway.
 *
 * <p>Runs on the shard thread, the only one that touches the shard's devices; the role's MAC count
 * comes from {@link MacSharing} (eventually consistent across shards). After the run has drained,
 * {@link #flush(Inventory)} publishes the last changes with roles from exact cross-shard counts, so
 * the topic ends as {@code --inventory} would write it (times and volumes as of each device's last
 * identity change).
 */
public final class AssetPublisher implements ObservationHandler {
    public static final String DEFAULT_TOPIC = "vigil.assets";
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    /** The largest share of the shard thread's wall time that walks may take. */
    public static final int MAX_WALK_SHARE_PERCENT = 1;

    private final int shard;
    private final DeviceTable table;
    private final MacSharing sharing;
    private final RecordSink sink;
    private final String topic;
    private final long intervalNanos;
    private final LongSupplier wallClock;
    private final JsonWriter json = new JsonWriter();
    /** Role as this shard can infer it: the MAC count (needed only for ARP speakers) from the shared snapshot. */
    private final Function<Device, DeviceRole> shardRoles;
    /** Fingerprint last published, by device index in the table; 0 = never published. */
    private long[] published = new long[256];
    /** Order-independent hash of the MACs this shard counted last into {@link #sharing}. */
    private long countedMacs;
    private long nextWalkNanos = Long.MIN_VALUE;
    /** Wall time (of {@link #wallClock}) before which no walk starts, so walks keep to their share. */
    private long nextWalkWallNanos = Long.MIN_VALUE;
    private long sent;
    private long sendErrors;

    public AssetPublisher(int shard, DeviceTable table, MacSharing sharing, RecordSink sink, String topic,
                          long intervalNanos) {
        this(shard, table, sharing, sink, topic, intervalNanos, System::nanoTime);
    }

    /** With the wall clock that bounds the walks' share of the thread (a fixed one in tests: no bound). */
    public AssetPublisher(int shard, DeviceTable table, MacSharing sharing, RecordSink sink, String topic,
                          long intervalNanos, LongSupplier wallClock) {
        this.wallClock = wallClock;
        this.shard = shard;
        this.table = table;
        this.sharing = sharing;
        this.sink = sink;
        this.topic = topic;
        this.intervalNanos = intervalNanos;
        this.shardRoles = d -> DeviceRole.infer(d,
            d.arpClaims() > 0 && d.macCount() > 0 ? sharing.addressesOn(d.mac(0)) : 1);
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        if (o.timestampNanos >= nextWalkNanos) {
            walk(o.timestampNanos);
        }
    }

    @Override
    public void onClock(long timestampNanos) {
        if (timestampNanos >= nextWalkNanos) {
            walk(timestampNanos);
        }
    }

    private void walk(long nowNanos) {
        nextWalkNanos = nowNanos + intervalNanos; // also when skipped: the wall clock is read once per interval
        long wallStart = wallClock.getAsLong();
        if (wallStart < nextWalkWallNanos) {
            return; // a fast replay: the last walk's share of the thread is not used up yet
        }
        countMacs();
        publishChanges(shardRoles);
        long wallEnd = wallClock.getAsLong();
        nextWalkWallNanos = wallEnd + (wallEnd - wallStart) * (100 / MAX_WALK_SHARE_PERCENT - 1);
    }

    /** Hands this shard's MAC counts to the other shards when its MAC bindings changed since the last count. */
    private void countMacs() {
        long macs = 0;
        for (int i = 0; i < table.size(); i++) {
            Device d = table.device(i);
            if (d.sentAnything()) {
                for (int m = 0; m < d.macCount(); m++) {
                    macs += (d.mac(m) + 1) * 0x9E3779B97F4A7C15L;
                }
            }
        }
        if (macs == countedMacs) {
            return;
        }
        countedMacs = macs;
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < table.size(); i++) {
            Device d = table.device(i);
            if (d.sentAnything()) {
                for (int m = 0; m < d.macCount(); m++) {
                    counts.merge(d.mac(m), 1, Integer::sum);
                }
            }
        }
        sharing.publish(shard, counts);
    }

    /**
     * Publishes the devices whose identity or role changed since last published; only once the
     * shard thread has finished (the pipeline drained), with exact cross-shard roles.
     */
    public int flush(Inventory inventory) {
        return publishChanges(inventory::role);
    }

    private int publishChanges(Function<Device, DeviceRole> roles) {
        int count = 0;
        int size = table.size();
        if (size > published.length) {
            published = Arrays.copyOf(published, Math.max(size, published.length * 2));
        }
        for (int i = 0; i < size; i++) {
            Device d = table.device(i);
            if (!d.sentAnything()) {
                continue; // an address only ever sent to is not an asset (as in the inventory)
            }
            DeviceRole role = roles.apply(d);
            long fingerprint = (d.identityHash() ^ (role.ordinal() + 1) * 0xC2B2AE3D27D4EB4FL) | 1;
            if (published[i] == fingerprint) {
                continue;
            }
            Inventory.writeJson(d, role, json.reset());
            try {
                sink.send(topic, d.id(), json.buffer().toString().getBytes(StandardCharsets.UTF_8));
                published[i] = fingerprint;
                sent++;
                count++;
            } catch (RuntimeException e) {
                sendErrors++; // the old fingerprint stays, so the next walk tries again
            }
        }
        return count;
    }

    /** Records handed to the sink. */
    public long sent() {
        return sent;
    }

    /** Sends the sink refused; the devices concerned are retried at the next walk. */
    public long sendErrors() {
        return sendErrors;
    }
}
