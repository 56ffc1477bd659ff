package io.vigil.sensor.stats;

import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.app.AppCounters;
import io.vigil.protocols.decode.DecodeCounters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-of-run statistics: what was read, what was decoded, what was dropped and why. Printed as
 * a human summary and written as one JSON object by {@code --stats-json}.
 */
public final class RunSummary {
    public String mode;
    public long packets;
    public long bytes;
    public long packetsProcessed;
    public long flows;
    public long flowsActiveAtEnd;
    /** Most flows live at once (summed over workers: an upper bound with several). */
    public long flowsPeak;
    public long flowEvictions;
    public long flowOverflows;
    public long flowTableBytes;
    public long devices;
    /** Addresses sent to that never sent anything (a sweep's empty targets): tracked, not assets. */
    public long silentAddresses;
    public long deviceOverflows;
    public long observations;
    public DecodeCounters decode = new DecodeCounters();
    public AppCounters app = new AppCounters();
    public Map<String, Long> tcpReassembly = new LinkedHashMap<>();
    public long ringDrops;
    public long kernelDrops;
    public long interfaceDrops;
    public long oversizedFrames;
    public long handlerErrors;
    public long alerts;
    public double wallSeconds;
    public double captureSeconds;
    public int files;
    public final List<String> problems = new ArrayList<>();
    /** Kafka export counts (acknowledged, spool_depth, spool_dropped, ...), empty without --kafka. */
    public final Map<String, Long> kafka = new LinkedHashMap<>();
    /** The Kafka export's one-line summary, null without --kafka. */
    public String kafkaLine;
    public final List<Map<String, Object>> interfaces = new ArrayList<>();

    public double packetsPerSecond() {
        return wallSeconds > 0 ? packets / wallSeconds : 0;
    }

    public String toJson() {
        JsonWriter j = new JsonWriter();
        j.beginObject()
            .field("mode", mode)
            .field("packets", packets)
            .field("bytes", bytes)
            .field("packets_processed", packetsProcessed)
            .field("flows", flows)
            .field("flows_active_at_end", flowsActiveAtEnd)
            .field("flows_peak", flowsPeak)
            .field("flow_evictions", flowEvictions)
            .field("flow_overflows", flowOverflows)
            .field("devices", devices)
            .field("silent_addresses", silentAddresses)
            .field("device_overflows", deviceOverflows)
            .field("observations", observations)
            .field("alerts", alerts);
        j.beginObject("protocols");
        for (Map.Entry<String, Long> e : decode.protocolCounts().entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
        j.beginObject("app");
        for (Map.Entry<String, long[]> e : app.byProtocol().entrySet()) {
            long[] v = e.getValue();
            j.beginObject(e.getKey())
                .field("pdus", v[0])
                .field("malformed", v[1])
                .field("protocol_mismatches", v[2])
                .field("flows", v[3])
                .field("reassembled", v[4])
                .field("reassembly_lost", v[5])
                .endObject();
        }
        j.endObject();
        counts(j, "tcp_reassembly", tcpReassembly);
        j.field("malformed", decode.malformedTotal());
        counts(j, "malformed_by_layer", decode.malformedByLayer());
        j.field("truncated", decode.truncatedTotal());
        counts(j, "truncated_by_layer", decode.truncatedByLayer());
        j.field("ring_drops", ringDrops)
            .field("kernel_drops", kernelDrops)
            .field("interface_drops", interfaceDrops)
            .field("oversized_frames", oversizedFrames)
            .field("handler_errors", handlerErrors)
            .field("files", files);
        j.beginArray("capture_problems");
        for (String p : problems) {
            j.value(p);
        }
        j.endArray();
        if (!interfaces.isEmpty()) {
            j.beginArray("interfaces");
            for (Map<String, Object> itf : interfaces) {
                j.beginObject();
                for (Map.Entry<String, Object> e : itf.entrySet()) {
                    Object v = e.getValue();
                    if (v instanceof Number) {
                        j.field(e.getKey(), ((Number) v).longValue());
                    } else {
                        j.field(e.getKey(), v == null ? null : v.toString());
                    }
                }
                j.endObject();
            }
            j.endArray();
        }
        if (!kafka.isEmpty()) {
            counts(j, "kafka", kafka);
        }
        j.field("capture_seconds", round3(captureSeconds))
            .field("wall_seconds", round3(wallSeconds))
            .field("packets_per_second", Math.round(packetsPerSecond()))
            .field("flow_table_bytes", flowTableBytes)
            .endObject();
        return j.toString();
    }

    private static void counts(JsonWriter j, String name, Map<String, Long> m) {
        j.beginObject(name);
        for (Map.Entry<String, Long> e : m.entrySet()) {
            j.field(e.getKey(), e.getValue());
        }
        j.endObject();
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** A few lines for a terminal: the numbers an engineer checks first. */
    public String toHumanText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %,d packets, %,d bytes in %.2f s wall (%,.0f packets/s), %.1f s of capture%n",
            mode, packets, bytes, wallSeconds, packetsPerSecond(), captureSeconds));
        sb.append(String.format(Locale.ROOT, "  flows %,d (evicted %,d, table full %,d) | devices %,d%s | observations %,d | alerts %,d%n",
            flows, flowEvictions, flowOverflows, devices,
            silentAddresses == 0 ? "" : String.format(Locale.ROOT, " (+%,d addresses never heard from)", silentAddresses),
            observations, alerts));
        StringBuilder protos = new StringBuilder();
        for (Map.Entry<String, Long> e : decode.protocolCounts().entrySet()) {
            if (e.getValue() > 0) {
                protos.append(protos.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", e.getValue()));
            }
        }
        sb.append("  protocols: ").append(protos.length() == 0 ? "none" : protos).append('\n');
        StringBuilder apps = new StringBuilder();
        for (Map.Entry<String, long[]> e : app.byProtocol().entrySet()) {
            long[] v = e.getValue();
            if (v[0] + v[2] > 0) {
                apps.append(apps.length() == 0 ? "" : ", ").append(e.getKey())
                    .append(String.format(Locale.ROOT, " %,d PDUs", v[0]));
                if (v[1] > 0) {
                    apps.append(String.format(Locale.ROOT, " (%,d malformed)", v[1]));
                }
                if (v[2] > 0) {
                    apps.append(String.format(Locale.ROOT, " (%,d flows not speaking it on its port)", v[2]));
                }
            }
        }
        if (apps.length() > 0) {
            sb.append("  application: ").append(apps).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "  malformed %,d%s | truncated %,d%s | ring drops %,d | kernel drops %,d%n",
            decode.malformedTotal(), detail(decode.malformedByLayer()), decode.truncatedTotal(),
            detail(decode.truncatedByLayer()), ringDrops, kernelDrops));
        if (handlerErrors > 0) {
            sb.append(String.format(Locale.ROOT, "  internal errors %,d (events skipped)%n", handlerErrors));
        }
        if (kafkaLine != null) {
            sb.append("  ").append(kafkaLine).append('\n');
        }
        for (String p : problems) {
            sb.append("  problem: ").append(p).append('\n');
        }
        return sb.toString();
    }

    private static String detail(Map<String, Long> byLayer) {
        if (byLayer.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        for (Map.Entry<String, Long> e : byLayer.entrySet()) {
            if (sb.length() > 2) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.append(')').toString();
    }
}
