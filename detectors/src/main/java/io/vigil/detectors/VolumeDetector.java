package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.ExternalTransfers;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.VolumeProfile;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a device sends, against what it sent while learning ({@link VolumeProfile}, {@link ExternalTransfers}).
 * <ul>
 * <li><b>Volume spike</b>: in a {@link VolumeProfile#WINDOW_SECONDS} window, bytes, packets, flows
 *     opened or distinct peers above max({@link #FACTOR} times the learned maximum window,
 *     learned maximum + a floor). The learned maximum is that of the same hour of the day once
 *     learning spanned {@link #TIME_OF_DAY_NANOS} and that hour has {@link #MIN_HOUR_WINDOWS}
 *     windows of traffic; the device's overall maximum otherwise. One alert per device (the first
 *     measure over its line names it), later windows fold in.</li>
 * <li><b>Exfiltration</b>: an internal device sent at least max({@link #EXFIL_MIN_BYTES}, its largest
 *     hour to all external addresses while learning) within an hour to one external address it
 *     never used while learning (as client or server). Long uploads are seen while they run
 *     through FLOW_PROGRESS observations (at 1, 8, 64 MiB, ...).</li>
 * </ul>
 * Bytes are counted once: FLOW_PROGRESS and FLOW_END add what earlier progress had not reported;
 * a flow longer than a window counts in it at its average rate ({@link #windowShare}).
 */
public final class VolumeDetector implements Detector {
    public static final int FACTOR = 4;
    public static final long TIME_OF_DAY_NANOS = 24 * 3_600_000_000_000L;
    public static final int MIN_HOUR_WINDOWS = 3;
    public static final long EXFIL_MIN_BYTES = 8L << 20;
    /** Added to the learned maximum before a window counts as a spike: bytes, packets, flows, peers. */
    static final long[] FLOORS = {32L << 20, 50_000, 500, 100};
    private static final String[] MEASURE_NAMES = {"bytes", "packets", "flows opened", "distinct peers contacted"};

    @Override
    public void learn(Detection d) {
        account(d, false);
    }

    @Override
    public void inspect(Detection d) {
        account(d, true);
    }

    private void account(Detection d, boolean detecting) {
        Observation o = d.observation();
        ObservationType t = o.type;
        long learnedUntil = d.plan.endNanos();
        if (t == ObservationType.FLOW_START) {
            Device client = d.source();
            if (client != null) {
                client.model().volume().add(o.timestampNanos, 0, 0, 1, FeatureKeys.peer(o.vlan, o.dstIpHi, o.dstIpLo),
                    learnedUntil);
                if (!detecting) {
                    learnContact(client, o.vlan, o.dstIpHi, o.dstIpLo);
                } else {
                    judgeVolume(d, client);
                }
            }
            if (!detecting && d.destination() != null) {
                learnContact(d.destination(), o.vlan, o.srcIpHi, o.srcIpLo);
            }
            return;
        }
        if (t != ObservationType.FLOW_END && t != ObservationType.FLOW_PROGRESS) {
            return;
        }
        boolean end = t == ObservationType.FLOW_END;
        Device client = d.source();
        if (client != null) {
            sent(d, client, o.bytesToServer - o.reportedBytesToServer, o.bytesToServer, end ? o.packetsToServer : 0,
                o.dstIpHi, o.dstIpLo, learnedUntil, detecting);
        }
        Device server = d.destination();
        if (server != null) {
            sent(d, server, o.bytesToClient - o.reportedBytesToClient, o.bytesToClient, end ? o.packetsToClient : 0,
                o.srcIpHi, o.srcIpLo, learnedUntil, detecting);
        }
    }

    /**
     * The part of a flow's newly reported bytes (or packets) that belongs in the current window. A
     * flow longer than a window reports in lumps (its 512 MiB progress carries 448 MiB sent over
     * hours), so it is credited at its average rate over the part of the window it covered; the
     * rest fell in windows already closed. Learning and detection credit alike.
     */
    static long windowShare(Observation o, long amount, long flowTotal) {
        long windowNanos = VolumeProfile.WINDOW_SECONDS * 1_000_000_000L;
        long elapsed = o.timestampNanos - o.firstSeenNanos;
        if (amount <= 0 || o.firstSeenNanos <= 0 || elapsed <= windowNanos) {
            return amount;
        }
        long windowStart = Math.floorDiv(o.timestampNanos, windowNanos) * windowNanos;
        long covered = o.timestampNanos - Math.max(o.firstSeenNanos, windowStart);
        return Math.min(amount, Math.round((double) flowTotal * covered / elapsed));
    }

    private static void learnContact(Device device, int vlan, long peerHi, long peerLo) {
        if (!IpAddresses.isInternal(peerHi, peerLo) && IpAddresses.isInternal(device.ipHi(), device.ipLo())) {
            device.model().externalTransfers().learnDestination(FeatureKeys.peer(vlan, peerHi, peerLo));
        }
    }

    private void sent(Detection d, Device sender, long bytes, long flowBytes, long packets, long peerHi, long peerLo,
                      long learnedUntil, boolean detecting) {
        if (bytes <= 0 && packets <= 0) {
            return;
        }
        Observation o = d.observation();
        sender.model().volume().add(o.timestampNanos, windowShare(o, bytes, flowBytes), windowShare(o, packets, packets),
            0, 0, learnedUntil);
        boolean external = !IpAddresses.isInternal(peerHi, peerLo) && IpAddresses.isInternal(sender.ipHi(), sender.ipLo());
        if (!detecting) {
            if (external) {
                ExternalTransfers x = sender.model().externalTransfers();
                x.learnDestination(FeatureKeys.peer(o.vlan, peerHi, peerLo));
                x.learnBytes(o.timestampNanos, bytes);
            }
            return;
        }
        judgeVolume(d, sender);
        if (external && bytes > 0) {
            judgeExternal(d, sender, bytes, peerHi, peerLo);
        }
    }

    private void judgeVolume(Detection d, Device device) {
        VolumeProfile v = device.model().volume();
        long windowStart = v.windowStartSeconds();
        int hour = VolumeProfile.hourOf(windowStart);
        boolean byHour = d.learnedNanos() >= TIME_OF_DAY_NANOS && v.hourWindows(hour) >= MIN_HOUR_WINDOWS;
        int over = -1;
        long now = 0;
        long learned = 0;
        for (int m = 0; m < VolumeProfile.MEASURES; m++) {
            long learnedM = byHour ? v.hourMax(hour, m) : v.learnedMax(m);
            long nowM = v.current(m);
            if (nowM > Math.max(FACTOR * learnedM, learnedM + FLOORS[m]) && !v.reported(m)) {
                v.markReported(m);
                if (over < 0) {
                    over = m;
                    now = nowM;
                    learned = learnedM;
                }
            }
        }
        if (over < 0) {
            return;
        }
        reportVolume(d, device, v, windowStart, hour, byHour, over, now, learned);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void reportVolume(Detection d, Device device, VolumeProfile v, long windowStart, int hour,
                                     boolean byHour, int over, long now, long learned) {
        // One alert per device: a burst that is also a burst of packets is one finding; later windows fold in.
        String cause = "volume_spike|" + device.id();
        if (d.known(cause)) {
            return;
        }
        String explanation = Roles.of(device) + " " + device.ip() + " sent " + amount(over, now) + " within "
            + VolumeProfile.WINDOW_SECONDS / 60 + " min; its largest " + VolumeProfile.WINDOW_SECONDS / 60 + " min"
            + (byHour ? String.format(Locale.ROOT, " between %02d:00 and %02d:00 UTC", hour, (hour + 1) % 24) : "")
            + " while learning (" + d.learnedFor() + ") was " + amount(over, learned) + ".";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("measure", MEASURE_NAMES[over]);
        details.put("value", now);
        details.put("learned_max", learned);
        details.put("time_of_day", byHour);
        details.put("window_start", windowStart);
        double ratio = now / (double) Math.max(1, learned);
        d.raise(AlertType.VOLUME_SPIKE, cause, AlertType.VOLUME_SPIKE.baseSeverity(),
            (int) Math.min(100, 50 + 8 * Math.log(ratio) / Math.log(2)), Detection.confidence(v.learnedWindows()),
            explanation, device, null, details);
    }

    private void judgeExternal(Detection d, Device sender, long bytes, long peerHi, long peerLo) {
        Observation o = d.observation();
        long dest = FeatureKeys.peer(o.vlan, peerHi, peerLo);
        ExternalTransfers x = sender.model().externalTransfers();
        if (x.used(dest)) {
            return;
        }
        int i = x.sentToNew(dest, peerHi, peerLo, bytes, o.timestampNanos);
        long total = x.recentBytes(i);
        long limit = Math.max(EXFIL_MIN_BYTES, x.learnedMaxHourBytes());
        if (total < limit) {
            return;
        }
        reportExternal(d, sender, x, i, total, peerHi, peerLo);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private static void reportExternal(Detection d, Device sender, ExternalTransfers x, int i, long total, long peerHi,
                                       long peerLo) {
        Observation o = d.observation();
        String destination = IpAddresses.toString(peerHi, peerLo);
        String cause = "exfiltration|" + sender.id() + "|" + destination;
        if (d.known(cause)) {
            return;
        }
        long seconds = Math.max(1, (o.timestampNanos - x.recentFirstNanos(i)) / 1_000_000_000L);
        String explanation = Roles.of(sender) + " " + sender.ip() + " sent " + megabytes(total) + " to " + destination
            + " within " + LearningPlan.duration(seconds * 1_000_000_000L) + ", an external address it never used; "
            + "its largest hour to all external addresses while learning (" + d.learnedFor() + ") was "
            + megabytes(x.learnedMaxHourBytes()) + ".";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bytes", total);
        details.put("learned_max_hour_bytes", x.learnedMaxHourBytes());
        details.put("learned_external_destinations", x.learnedDestinations());
        double ratio = total / (double) Math.max(EXFIL_MIN_BYTES / 8, x.learnedMaxHourBytes());
        d.raise(AlertType.EXFILTRATION, cause, AlertType.EXFILTRATION.baseSeverity() + (total >= 64L << 20 ? 1 : 0),
            (int) Math.min(100, 60 + 8 * Math.log(ratio) / Math.log(2)), 80, explanation, sender,
            Summaries.ipProtocol(o.ipProto), details);
    }

    private static String amount(int measure, long v) {
        return measure == VolumeProfile.BYTES ? megabytes(v) : v + " " + MEASURE_NAMES[measure];
    }

    /** "48 MB", "0.3 MB". */
    static String megabytes(long bytes) {
        double mb = bytes / 1e6;
        return mb >= 10 ? Math.round(mb) + " MB" : String.format(Locale.ROOT, "%.1f MB", mb);
    }
}
