package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceTable;
import io.vigil.protocols.IpAddresses;

/**
 * A device that sends its first packet after learning ended. Only internal addresses count
 * (an external address is a peer, not an asset), and only as a sender: a scanner probing unused
 * addresses must not invent devices.
 *
 * <p>Calibrated by how often devices still appeared late in learning: on a site where laptops
 * and DHCP leases come and go, half of the devices may have appeared in the second half of the
 * learning window and a new one is ordinary; in a control network nobody appeared after the
 * first minutes and a new device is rare.
 */
public final class NewDeviceDetector implements Detector {
    private final DeviceTable devices;
    private boolean calibrated;
    private double surpriseBits;
    private int lateDevices;
    private int learnedDevices;

    public NewDeviceDetector(DeviceTable devices) {
        this.devices = devices;
    }

    @Override
    public void inspect(Detection d) {
        Device s = d.source();
        if (s == null || s.model().reportedAsNew() || s.firstSeenNanos() < d.plan.endNanos()
            || !IpAddresses.isInternal(s.ipHi(), s.ipLo())) {
            return;
        }
        s.model().markReportedAsNew();
        calibrate(d.plan);
        if (surpriseBits < d.minSurpriseBits / 2) {
            return;
        }
        report(d, s);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private void report(Detection d, Device s) {
        String cause = "new_device|" + s.id();
        if (d.known(cause)) {
            return;
        }
        String mac = s.macCount() > 0 ? " (MAC " + IpAddresses.macToString(s.mac(0)) + ")" : "";
        String vlan = s.vlan() != 0 ? " on VLAN " + s.vlan() : "";
        String explanation = "New device " + s.ip() + mac + vlan + " sent its first packets ("
            + Summaries.of(d.observation()) + "); in " + d.learnedFor() + " of learning " + learnedDevices
            + " devices were seen and " + lateDevices + " of them appeared in the second half.";
        d.raise(AlertType.NEW_DEVICE, cause, AlertType.NEW_DEVICE.baseSeverity(), Detection.score(surpriseBits),
            Detection.confidence(learnedDevices), explanation, s, null, null);
    }

    /** Once, at the first new device: how many devices of this shard appeared in the second half of learning. */
    private void calibrate(LearningPlan plan) {
        if (calibrated) {
            return;
        }
        calibrated = true;
        long start = plan.startNanos();
        long end = plan.endNanos();
        long half = start + (end - start) / 2;
        for (Device dev : devices.devices()) {
            if (dev.firstSeenNanos() < end && IpAddresses.isInternal(dev.ipHi(), dev.ipLo())) {
                learnedDevices++;
                if (dev.firstSeenNanos() >= half) {
                    lateDevices++;
                }
            }
        }
        surpriseBits = -Math.log((lateDevices + 0.5) / (learnedDevices + 1.0)) / Math.log(2);
    }
}
