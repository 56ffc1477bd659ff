package io.vigil.sensor.evaluate;

import io.vigil.detectors.Alert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The figures of {@code vigil evaluate} over several scenarios: per attack type, how many runs
 * detected it and how fast; overall recall, precision and distinct false positives per hour of
 * test traffic per 100 devices; the product's detectors and the naive baseline side by side.
 */
public final class EvaluationReport {
    private final List<Scoring.Outcome> calibrated = new ArrayList<>();
    private final List<Scoring.Outcome> naive = new ArrayList<>();

    public void add(Scoring.Outcome product, Scoring.Outcome baseline) {
        calibrated.add(product);
        naive.add(baseline);
    }

    /** Aggregate figures of one detector set. */
    public record Figures(int attacks, int detected, double medianSecondsToDetect, int alerts, int truePositiveAlerts,
                          int falsePositives, double falsePositivesPerHourPer100Devices, int benign, int benignAlerted) {
        public double recall() {
            return attacks == 0 ? 0 : (double) detected / attacks;
        }

        public double precision() {
            return alerts == 0 ? 0 : (double) truePositiveAlerts / alerts;
        }
    }

    public Figures product() {
        return figures(calibrated);
    }

    public Figures baseline() {
        return figures(naive);
    }

    static Figures figures(List<Scoring.Outcome> runs) {
        int attacks = 0;
        int detected = 0;
        int alerts = 0;
        int tp = 0;
        int fp = 0;
        int benign = 0;
        int benignAlerted = 0;
        double hundredDeviceHours = 0;
        List<Long> ttd = new ArrayList<>();
        for (Scoring.Outcome o : runs) {
            for (Scoring.EventOutcome e : o.attacks()) {
                attacks++;
                if (e.detected()) {
                    detected++;
                    ttd.add(e.millisToDetect());
                }
            }
            for (Scoring.EventOutcome e : o.benign()) {
                benign++;
                benignAlerted += e.detected() ? 1 : 0;
            }
            alerts += o.alertsInTest();
            tp += o.truePositiveAlerts();
            fp += o.falsePositives().size();
            hundredDeviceHours += o.testHours() * o.truth().devices() / 100.0;
        }
        return new Figures(attacks, detected, median(ttd) / 1000.0, alerts, tp, fp,
            hundredDeviceHours == 0 ? 0 : fp / hundredDeviceHours, benign, benignAlerted);
    }

    static double median(List<Long> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
    }

    public String text(boolean perSeed, int falsePositivesShown) {
        StringBuilder b = new StringBuilder();
        if (perSeed) {
            for (int i = 0; i < calibrated.size(); i++) {
                seed(b, calibrated.get(i), naive.get(i));
            }
        }
        b.append(String.format(Locale.ROOT, "%-26s %-24s %-16s%n", "attack type", "vigil", "naive baseline"));
        b.append(String.format(Locale.ROOT, "%-26s %-9s %-14s %-9s %-14s %s%n", "", "detected", "median TTD",
            "detected", "median TTD", "alerts raised by vigil"));
        Map<String, List<Scoring.EventOutcome>> byType = byType(calibrated);
        Map<String, List<Scoring.EventOutcome>> naiveByType = byType(naive);
        for (Map.Entry<String, List<Scoring.EventOutcome>> e : byType.entrySet()) {
            List<Scoring.EventOutcome> n = naiveByType.getOrDefault(e.getKey(), List.of());
            Set<String> types = new LinkedHashSet<>();
            for (Scoring.EventOutcome o : e.getValue()) {
                types.addAll(o.types());
            }
            b.append(String.format(Locale.ROOT, "%-26s %-9s %-14s %-9s %-14s %s%n", e.getKey(), hits(e.getValue()),
                ttd(e.getValue()), hits(n), ttd(n), String.join(",", types)));
        }
        Figures p = product();
        Figures q = baseline();
        b.append(System.lineSeparator());
        row(b, "recall", fmt(p.recall()), fmt(q.recall()));
        row(b, "median time to detect", secs(p.medianSecondsToDetect()), secs(q.medianSecondsToDetect()));
        row(b, "precision (distinct alerts)", fmt(p.precision()), fmt(q.precision()));
        row(b, "alerts in test period", Integer.toString(p.alerts()), Integer.toString(q.alerts()));
        row(b, "distinct false positives", Integer.toString(p.falsePositives()), Integer.toString(q.falsePositives()));
        row(b, "FP per hour per 100 devices", fmt(p.falsePositivesPerHourPer100Devices()),
            fmt(q.falsePositivesPerHourPer100Devices()));
        row(b, "benign novelties alerted", p.benignAlerted() + "/" + p.benign(), q.benignAlerted() + "/" + q.benign());
        if (falsePositivesShown > 0) {
            int shown = 0;
            for (Scoring.Outcome o : calibrated) {
                for (Alert a : o.falsePositives()) {
                    if (shown == 0) {
                        b.append(System.lineSeparator()).append("vigil false positives:").append(System.lineSeparator());
                    }
                    if (shown++ == falsePositivesShown) {
                        break;
                    }
                    b.append("  seed ").append(o.truth().seed()).append(' ').append(a.type().label()).append(": ")
                        .append(a.explanation()).append(System.lineSeparator());
                }
            }
        }
        return b.toString();
    }

    private static void seed(StringBuilder b, Scoring.Outcome product, Scoring.Outcome baseline) {
        b.append("seed ").append(product.truth().seed()).append(": ").append(product.truth().devices())
            .append(" devices, ").append(String.format(Locale.ROOT, "%.2f", product.testHours()))
            .append(" h of test traffic").append(System.lineSeparator());
        for (Scoring.EventOutcome e : product.attacks()) {
            b.append(String.format(Locale.ROOT, "  %-24s %-8s %-10s %s%n", e.event().type(),
                e.detected() ? "detected" : "MISSED", e.detected() ? secs(e.millisToDetect() / 1000.0) : "",
                String.join(",", e.types())));
        }
        for (Scoring.EventOutcome e : product.benign()) {
            b.append(String.format(Locale.ROOT, "  %-24s %-8s %s%n", "benign " + e.event().type(),
                e.detected() ? "ALERTED" : "quiet", String.join(",", e.types())));
        }
        b.append(String.format(Locale.ROOT, "  false positives: %d (naive baseline: %d)%n",
            product.falsePositives().size(), baseline.falsePositives().size()));
    }

    private static Map<String, List<Scoring.EventOutcome>> byType(List<Scoring.Outcome> runs) {
        Map<String, List<Scoring.EventOutcome>> m = new LinkedHashMap<>();
        for (Scoring.Outcome o : runs) {
            for (Scoring.EventOutcome e : o.attacks()) {
                m.computeIfAbsent(e.event().type(), k -> new ArrayList<>()).add(e);
            }
        }
        return m;
    }

    private static String hits(List<Scoring.EventOutcome> outcomes) {
        int n = 0;
        for (Scoring.EventOutcome o : outcomes) {
            n += o.detected() ? 1 : 0;
        }
        return n + "/" + outcomes.size();
    }

    private static String ttd(List<Scoring.EventOutcome> outcomes) {
        List<Long> t = new ArrayList<>();
        for (Scoring.EventOutcome o : outcomes) {
            if (o.detected()) {
                t.add(o.millisToDetect());
            }
        }
        return secs(median(t) / 1000.0);
    }

    private static void row(StringBuilder b, String name, String product, String baseline) {
        b.append(String.format(Locale.ROOT, "%-30s %-20s %s%n", name, product, baseline));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String secs(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.3f s", s);
    }
}
