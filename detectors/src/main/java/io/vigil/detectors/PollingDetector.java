package io.vigil.detectors;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceIdentity;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.IndustrialOperation;
import io.vigil.baseline.PollSchedule;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.observe.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Regular polls that stop or change period, judged on the polled device. While learning, every
 * industrial request a device receives is a candidate poll, keyed by master, protocol, function
 * and target ({@link PollSchedule}); one that came at least {@link #MIN_INTERVALS} times with a
 * jitter (standard deviation) under {@link #MAX_JITTER_RATIO} of its mean period, at most
 * {@link #MAX_PERIOD_SECONDS} apart, is a poll.
 * <ul>
 * <li><b>Stopped</b>: no poll for max(3 periods, period + 6 jitters, 1.5 times the longest gap
 *     seen while learning, {@link #MIN_SILENCE_SECONDS} s). Checked once per second of capture
 *     time from any observation the shard sees, and at the end of the stream.</li>
 * <li><b>Period changed</b>: the median of the last {@link PollSchedule#RECENT} intervals is
 *     farther from the learned mean than max(6 jitters, 30 % of the period, 50 ms). Requests sent
 *     while the device answers nothing (a master retrying a rebooting PLC) are not intervals.</li>
 * </ul>
 *
 * <p><b>Restarts.</b> When the device answered nothing since the silent poll was due (or, where
 * its responses are not seen, every learned poll is overdue at once), the device (or the path to
 * it) went quiet, not one master: a PLC reboot (connections reset, some 30 s of silence,
 * the same polls again) looks like that, so the stop is only reported once the silence passes
 * {@link #RESTART_GRACE_SECONDS}. A device with a single master is judged the same way, which
 * delays its stop alerts to that grace. When one master stops while the others go on, the stop is
 * reported at its own deadline, or as soon as the device answers another master. Either way a stop is one alert per master and device, the polls it
 * covers fold into it, and when polls resume the resuming poll is folded in as evidence (the SOC
 * sees "stopped, then resumed" in the alert's update). A device
 * whose learning already contained such gaps has them in its longest gap and is not alerted for
 * them again. A period change is one alert per master and device too (a master whose cycle
 * changed changes all its polls); each poll reports it once.
 */
public final class PollingDetector implements Detector {
    public static final int MIN_INTERVALS = 20;
    public static final double MAX_JITTER_RATIO = 0.5;
    public static final double MAX_PERIOD_SECONDS = 600;
    public static final double MIN_SILENCE_SECONDS = 5;
    /** How long a device every master lost at once may stay silent before it is more than a restart. */
    public static final double RESTART_GRACE_SECONDS = 120;
    static final double CHANGE_JITTERS = 6;
    static final double CHANGE_RELATIVE = 0.3;
    static final double CHANGE_FLOOR_SECONDS = 0.05;

    /** Devices of this shard that learned polls: what the clock walks. */
    private final List<Device> polled = new ArrayList<>();
    private final IndustrialOperation named = new IndustrialOperation();
    private long detectingSinceNanos = Long.MIN_VALUE;

    @Override
    public void learn(Detection d) {
        IndustrialOperation op = d.operation();
        Device target = d.destination();
        if (op == null || target == null) {
            recordAnswer(d);
            return;
        }
        Observation o = d.observation();
        PollSchedule s = target.model().polls();
        s.learn(pollKey(o, op), o.vlan, o.srcIpHi, o.srcIpLo, op.protocol.ordinal(), op.function, op.address,
            o.timestampNanos);
        if (s.size() > 0 && s.watch()) {
            polled.add(target);
        }
    }

    @Override
    public void inspect(Detection d) {
        IndustrialOperation op = d.operation();
        Device target = d.destination();
        if (op == null || target == null) {
            recordAnswer(d);
            return;
        }
        PollSchedule s = target.model().pollsIfAny();
        if (s == null) {
            return;
        }
        if (s.size() > 0 && s.watch()) {
            polled.add(target); // learned in an earlier run and loaded: its first request puts it on the clock
        }
        Observation o = d.observation();
        int i = s.indexOf(pollKey(o, op));
        if (i < 0) {
            return;
        }
        if (!regular(s, i)) {
            s.observe(i, o.timestampNanos);
            return;
        }
        if (s.stopReported(i)) {
            // Polling resumed: the gap ends the stop (its evidence shows when) and starts a fresh period.
            s.observe(i, o.timestampNanos);
            s.clearRecent(i);
            s.markStopReported(i, false);
            d.known(stopCause(target, s, i));
            return;
        }
        s.observe(i, o.timestampNanos);
        if (s.lastAnsweredNanos() != 0 && o.timestampNanos - s.lastAnsweredNanos() > PollSchedule.ANSWER_GAP_NANOS) {
            s.clearRecent(i); // the device is not answering: a master's retries are not its polling period
            return;
        }
        if (s.changeReported(i)) {
            return;
        }
        double mean = s.meanSeconds(i);
        double jitter = s.jitterSeconds(i);
        double allowed = Math.max(CHANGE_JITTERS * jitter, Math.max(CHANGE_RELATIVE * mean, CHANGE_FLOOR_SECONDS));
        if (s.recentMedianWithin(i, mean - allowed, mean + allowed)) {
            return;
        }
        double period = s.recentPeriodSeconds(i);
        if (Double.isNaN(period) || Math.abs(period - mean) <= allowed) {
            return;
        }
        s.markChangeReported(i);
        reportPeriodChange(d, target, s, i, mean, jitter, period);
    }

    /** Raises the alert, or folds a repeat into it; apart from inspect for C2 (see {@link Detector}). */
    private void reportPeriodChange(Detection d, Device target, PollSchedule s, int i, double mean, double jitter,
                                    double period) {
        String cause = "polling_period|" + target.id() + "|" + IpAddresses.toString(s.masterHi(i), s.masterLo(i));
        if (d.known(cause)) {
            return;
        }
        String explanation = learnedPoll(target, s, i) + "; the last " + PollSchedule.RECENT + " came every "
            + seconds(period) + ".";
        Map<String, Object> details = details(s, i);
        details.put("recent_period_s", round3(period));
        double departure = Math.abs(period - mean) / Math.max(jitter, 1e-3);
        d.raise(AlertType.POLLING_PERIOD_CHANGED, cause, AlertType.POLLING_PERIOD_CHANGED.baseSeverity(),
            (int) Math.min(100, 50 + departure), Detection.confidence(s.intervals(i)), explanation, target,
            AppProtocol.values()[s.protocolOrdinal(i)].label(), details);
    }

    @Override
    public void tick(Detection d, long nowNanos) {
        if (detectingSinceNanos == Long.MIN_VALUE) {
            detectingSinceNanos = nowNanos;
        }
        for (int k = 0; k < polled.size(); k++) {
            Device target = polled.get(k);
            PollSchedule s = target.model().polls();
            for (int i = 0; i < s.size(); i++) {
                if (s.stopReported(i) || !regular(s, i)) {
                    continue;
                }
                double deadline = silenceAllowedSeconds(s, i);
                long last = s.lastNanos(i);
                // A poll already silent when detection began (a model loaded from an old run) is not judged until it returns.
                if (last < detectingSinceNanos - (long) (deadline * 1e9) || (nowNanos - last) / 1e9 <= deadline) {
                    continue;
                }
                boolean deviceSilent = deviceSilent(s, i, nowNanos);
                if (deviceSilent && (nowNanos - last) / 1e9 <= RESTART_GRACE_SECONDS) {
                    continue; // the device went quiet for every master: a restart, unless it lasts
                }
                s.markStopReported(i, true);
                stopped(d, target, s, i, nowNanos, deviceSilent);
            }
        }
    }

    /** A polled device's response: evidence that it still serves its other masters. */
    private static void recordAnswer(Detection d) {
        Device server = d.source();
        Observation o = d.observation();
        if (server == null || o.appProtocol == null) {
            return;
        }
        PollSchedule s = server.model().pollsIfAny();
        if (s != null && s.polls(o.appProtocol.ordinal()) && DeviceIdentity.sourceIsServer(o)) {
            s.answered(o.timestampNanos);
        }
    }

    /**
     * Whether poll {@code i} is silent because the device went quiet, not its master. Where the
     * device's responses are seen, the master stopped only if the device kept answering (in a
     * polled protocol, without a gap of {@link PollSchedule#ANSWER_GAP_NANOS}) from before the
     * poll's next request was due until after it: requests a rebooting PLC leaves unanswered (the
     * masters' retries) do not count, a device that still serves another master proves alive as
     * soon as it answers, and one that just came back from a restart gives every master time to
     * reconnect. Where responses are not seen, it went quiet when every regular poll is overdue.
     */
    static boolean deviceSilent(PollSchedule s, int i, long nowNanos) {
        if (s.lastAnsweredNanos() != 0) {
            double nextDue = s.meanSeconds(i) + 3 * s.jitterSeconds(i);
            return !s.answeringThrough(s.lastNanos(i) + (long) (nextDue * 1e9));
        }
        int regular = 0;
        for (int j = 0; j < s.size(); j++) {
            if (regular(s, j)) {
                regular++;
                if ((nowNanos - s.lastNanos(j)) / 1e9 <= silenceAllowedSeconds(s, j)) {
                    return false;
                }
            }
        }
        return regular > 0;
    }

    private void stopped(Detection d, Device target, PollSchedule s, int i, long nowNanos, boolean deviceSilent) {
        Observation o = d.synthetic();
        o.timestampNanos = nowNanos;
        o.vlan = s.masterVlan(i);
        o.srcIpHi = s.masterHi(i);
        o.srcIpLo = s.masterLo(i);
        o.dstIpHi = target.ipHi();
        o.dstIpLo = target.ipLo();
        o.appProtocol = AppProtocol.values()[s.protocolOrdinal(i)];
        String cause = stopCause(target, s, i);
        if (d.known(cause)) {
            return;
        }
        double silent = (nowNanos - s.lastNanos(i)) / 1e9;
        String explanation = deviceSilent
            ? learnedPoll(target, s, i) + "; no poll for " + seconds(silent) + ", and the device answered none of its "
                + "other polls since either: the device or the path to it is down (a restart shorter than "
                + seconds(RESTART_GRACE_SECONDS) + " is not reported)."
            : learnedPoll(target, s, i) + "; no poll for " + seconds(silent) + " while the device still answers other polls "
                + "(if the master restarted, this alert's update will show polling resume).";
        Map<String, Object> details = details(s, i);
        details.put("silent_s", round3(silent));
        details.put("allowed_silence_s", round3(silenceAllowedSeconds(s, i)));
        d.raise(AlertType.POLLING_STOPPED, cause, AlertType.POLLING_STOPPED.baseSeverity(), 70,
            Detection.confidence(s.intervals(i)), explanation, target, o.appProtocol.label(), details);
    }

    /** Longest silence that is still normal for poll {@code i}. */
    static double silenceAllowedSeconds(PollSchedule s, int i) {
        double mean = s.meanSeconds(i);
        double jitter = s.jitterSeconds(i);
        return Math.max(Math.max(3 * mean, mean + 6 * jitter), Math.max(1.5 * s.longestGapSeconds(i),
            MIN_SILENCE_SECONDS));
    }

    static boolean regular(PollSchedule s, int i) {
        double mean = s.meanSeconds(i);
        return s.intervals(i) >= MIN_INTERVALS && mean > 0 && mean <= MAX_PERIOD_SECONDS
            && s.jitterSeconds(i) <= MAX_JITTER_RATIO * mean;
    }

    static long pollKey(Observation o, IndustrialOperation op) {
        return FeatureKeys.peerOperation(FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo), op);
    }

    /** One stop alert per master and device: a restart silences all of the pair's polls at once. */
    private static String stopCause(Device target, PollSchedule s, int i) {
        return "polling_stopped|" + target.id() + "|" + IpAddresses.toString(s.masterHi(i), s.masterLo(i));
    }

    /** "10.30.0.5 polled PLC 10.30.0.11 with Modbus FC3 (register 0) every 1.00 s (jitter 12 ms) for 2 h". */
    private String learnedPoll(Device target, PollSchedule s, int i) {
        named.protocol = AppProtocol.values()[s.protocolOrdinal(i)];
        named.function = s.function(i);
        named.kind = 0;
        named.address = s.address(i);
        named.objectType = -1;
        named.property = -1;
        String what = IndustrialOperationDetector.protocolName(named) + " " + named.functionName();
        String at = s.address(i) >= 0 && named.protocol == AppProtocol.MODBUS ? " (address " + s.address(i) + ")" : "";
        long learnedFor = s.lastNanos(i) - s.firstNanos(i);
        return IpAddresses.toString(s.masterHi(i), s.masterLo(i)) + " polled " + Roles.of(target) + " " + target.ip()
            + " with " + what + at + " every " + seconds(s.meanSeconds(i)) + " (jitter " + seconds(s.jitterSeconds(i))
            + ") over " + LearningPlan.duration(Math.max(0, learnedFor));
    }

    private static Map<String, Object> details(PollSchedule s, int i) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("master", IpAddresses.toString(s.masterHi(i), s.masterLo(i)));
        details.put("function", s.function(i));
        details.put("learned_period_s", round3(s.meanSeconds(i)));
        details.put("learned_jitter_s", round3(s.jitterSeconds(i)));
        details.put("learned_polls", s.intervals(i) + 1);
        return details;
    }

    /** "1.00 s", "12 ms", "2 min 5 s". */
    static String seconds(double s) {
        if (s < 0.9995) { // what rounds to 1000 ms reads as 1.00 s
            return Math.round(s * 1000) + " ms";
        }
        if (s < 60) {
            return String.format(Locale.ROOT, s < 10 ? "%.2f s" : "%.0f s", s);
        }
        return LearningPlan.duration((long) (s * 1e9));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
