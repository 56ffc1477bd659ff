package io.vigil.export.inventory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * How many devices share each MAC address across all device shards, which role inference needs
 * (a MAC behind many addresses is a router's) but no single shard knows. Each shard counts its own
 * devices on its own thread and hands over an immutable map; readers sum the latest maps. So the
 * count is eventually consistent: a shard sees another shard's devices as of that shard's last
 * refresh (about one publishing interval old). The end-of-run flush uses exact counts instead.
 */
public final class MacSharing {
    private final AtomicReferenceArray<Map<Long, Integer>> perShard;

    public MacSharing(int shards) {
        this.perShard = new AtomicReferenceArray<>(shards);
        for (int i = 0; i < shards; i++) {
            perShard.set(i, Map.of());
        }
    }

    /** Replaces what {@code shard} counts; the map must not be changed afterwards. */
    void publish(int shard, Map<Long, Integer> addressesPerMac) {
        perShard.set(shard, addressesPerMac);
    }

    /** Devices on {@code mac} in all shards; at least 1, the asking device itself. */
    public int addressesOn(long mac) {
        Long key = mac;
        int n = 0;
        for (int i = 0; i < perShard.length(); i++) {
            n += perShard.get(i).getOrDefault(key, 0);
        }
        return Math.max(1, n);
    }
}
