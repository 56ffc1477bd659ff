package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceRole;

/** A device's role as alerts name it ("PLC 10.1.2.7"). */
final class Roles {
    private Roles() {
    }

    static String of(Device d) {
        // Inside a shard the MAC sharing across the table is not counted per alert: routers are named by the inventory.
        return DeviceRole.infer(d, 1).text();
    }
}
