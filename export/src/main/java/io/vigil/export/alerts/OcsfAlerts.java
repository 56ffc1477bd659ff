package io.vigil.export.alerts;

import io.vigil.detectors.Alert;
import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.IpAddresses;
import java.util.Map;

/**
 * Alerts as OCSF 1.1 Detection Findings (class_uid 2004), so a SIEM that speaks OCSF takes them
 * without mapping. A repeated cause is the same finding updated (activity 2, same uid, larger
 * count and last-seen time).
 */
public final class OcsfAlerts {
    public static final int CLASS_UID = 2004;
    private static final String[] SEVERITY = {"Unknown", "Informational", "Low", "Medium", "High", "Critical"};

    private OcsfAlerts() {
    }

    /** The device an alert is about, as keyed everywhere (its address): the Kafka record key. */
    public static String deviceId(Alert a) {
        return a.device() != null ? a.device().ip() : a.destination() != null ? a.destination().ip() : "-";
    }

    /** OCSF's severity caption for a severity_id ("Unknown" outside 0..5). */
    public static String severityName(int severityId) {
        return severityId >= 0 && severityId < SEVERITY.length ? SEVERITY[severityId] : SEVERITY[0];
    }

    /** Writes one finding as a JSON object; {@code update} for the final state of a repeated cause. */
    public static void write(JsonWriter j, Alert a, boolean update) {
        int activity = update ? 2 : 1;
        j.beginObject()
            .field("class_uid", CLASS_UID)
            .field("class_name", "Detection Finding")
            .field("category_uid", 2)
            .field("category_name", "Findings")
            .field("activity_id", activity)
            .field("activity_name", update ? "Update" : "Create")
            .field("type_uid", CLASS_UID * 100L + activity)
            .field("time", (update ? a.lastSeenNanos() : a.firstSeenNanos()) / 1_000_000)
            .field("severity_id", a.severity())
            .field("severity", SEVERITY[a.severity()])
            .field("status_id", 1)
            .field("status", "New")
            .field("risk_score", a.score())
            .field("confidence_score", a.confidence())
            .field("count", a.count())
            .field("message", a.explanation());
        j.beginObject("finding_info")
            .field("uid", a.uid())
            .field("title", a.type().title())
            .field("desc", a.explanation())
            .beginArray("types").value(a.type().label()).endArray()
            .beginArray("attacks").beginObject()
            .beginObject("technique").field("uid", a.type().techniqueId()).field("name", a.type().techniqueName())
            .endObject()
            .field("version", "ATT&CK " + (a.type().techniqueId().startsWith("T0") ? "for ICS v15" : "v15"))
            .endObject().endArray()
            .field("first_seen_time", a.firstSeenNanos() / 1_000_000)
            .field("last_seen_time", a.lastSeenNanos() / 1_000_000)
            .endObject();
        endpoint(j, "src_endpoint", a.source());
        endpoint(j, "dst_endpoint", a.destination());
        if (a.device() != null) {
            j.beginObject("device")
                .field("ip", a.device().ip())
                .field("mac", a.device().mac() == 0 ? null : IpAddresses.macToString(a.device().mac()))
                .field("type", a.device().type())
                .endObject();
        }
        j.beginArray("evidences");
        for (Alert.Evidence e : a.evidence()) {
            j.beginObject()
                .field("time", e.timeNanos() / 1_000_000)
                .beginObject("src_endpoint").field("ip", e.srcIp()).field("port", e.srcPort()).endObject()
                .beginObject("dst_endpoint").field("ip", e.dstIp()).field("port", e.dstPort()).endObject()
                .beginObject("data").field("frame", e.frame()).field("summary", e.summary()).endObject()
                .endObject();
        }
        j.endArray();
        j.beginObject("metadata")
            .field("uid", a.uid())
            .field("version", "1.1.0")
            .beginObject("product").field("name", "Vigil").field("vendor_name", "Vigil").endObject()
            .endObject();
        j.beginObject("unmapped").field("protocol", a.protocol());
        for (Map.Entry<String, Object> e : a.details().entrySet()) {
            Object v = e.getValue();
            if (v instanceof Double) {
                j.field(e.getKey(), (double) v);
            } else if (v instanceof Number) {
                j.field(e.getKey(), ((Number) v).longValue());
            } else if (v instanceof Boolean) {
                j.field(e.getKey(), (boolean) v);
            } else {
                j.field(e.getKey(), v == null ? null : v.toString());
            }
        }
        j.endObject();
        j.endObject();
    }

    private static void endpoint(JsonWriter j, String name, Alert.Endpoint e) {
        if (e == null) {
            return;
        }
        j.beginObject(name)
            .field("ip", e.ip())
            .field("mac", e.mac() == 0 ? null : IpAddresses.macToString(e.mac()));
        if (e.port() != 0) {
            j.field("port", e.port());
        }
        j.endObject();
    }

    /** "2026-11-25T10:00:01.234Z HIGH first_write 10.1.2.7 — PLC 10.1.2.7 got …": what an analyst reads first. */
    public static String oneLine(Alert a, boolean update) {
        String device = deviceId(a);
        return oneLine((update ? a.lastSeenNanos() : a.firstSeenNanos()) / 1_000_000, a.severity(), a.type().label(),
            device, a.score(), a.explanation(), update, a.count());
    }

    /**
     * The same line from a finding as {@link #write} wrote it (read back from Kafka by {@code vigil alerts}).
     *
     * @throws IllegalArgumentException when the object is not a Vigil finding
     */
    @SuppressWarnings("unchecked")
    public static String oneLine(Map<String, Object> f) {
        if (!(f.get("finding_info") instanceof Map) || !(f.get("time") instanceof Long)
            || !(f.get("severity_id") instanceof Long)) {
            throw new IllegalArgumentException("not a detection finding");
        }
        Map<String, Object> info = (Map<String, Object>) f.get("finding_info");
        Object types = info.get("types");
        String type = types instanceof java.util.List && !((java.util.List<Object>) types).isEmpty()
            ? String.valueOf(((java.util.List<Object>) types).get(0)) : String.valueOf(info.get("title"));
        String device = ip(f.get("device")) != null ? ip(f.get("device")) : ip(f.get("dst_endpoint")) != null
            ? ip(f.get("dst_endpoint")) : "-";
        int severity = (int) Math.max(0, Math.min(SEVERITY.length - 1, (Long) f.get("severity_id")));
        return oneLine((Long) f.get("time"), severity, type, device, number(f.get("risk_score")),
            String.valueOf(f.get("message")), Long.valueOf(2).equals(f.get("activity_id")), number(f.get("count")));
    }

    private static String oneLine(long timeMillis, int severity, String type, String device, long score,
                                  String explanation, boolean update, long count) {
        String time = java.time.Instant.ofEpochMilli(timeMillis).toString();
        String repeats = update ? " (x" + count + ", until " + time + ")" : "";
        return time + " " + SEVERITY[severity].toUpperCase(java.util.Locale.ROOT) + " " + type + " " + device
            + " score " + score + ": " + explanation + repeats;
    }

    @SuppressWarnings("unchecked")
    private static String ip(Object endpoint) {
        return endpoint instanceof Map && ((Map<String, Object>) endpoint).get("ip") instanceof String
            ? (String) ((Map<String, Object>) endpoint).get("ip") : null;
    }

    private static long number(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }
}
