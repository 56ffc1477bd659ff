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
        String time = java.time.Instant.ofEpochMilli((update ? a.lastSeenNanos() : a.firstSeenNanos()) / 1_000_000)
            .toString();
        String device = a.device() != null ? a.device().ip() : a.destination() != null ? a.destination().ip() : "-";
        String repeats = update ? " (x" + a.count() + ", until " + time + ")" : "";
        return time + " " + SEVERITY[a.severity()].toUpperCase(java.util.Locale.ROOT) + " " + a.type().label() + " "
            + device + " score " + a.score() + ": " + a.explanation() + repeats;
    }
}
