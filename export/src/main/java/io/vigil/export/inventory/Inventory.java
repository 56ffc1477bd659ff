package io.vigil.export.inventory;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceRisk;
import io.vigil.baseline.DeviceRole;
import io.vigil.baseline.OuiTable;
import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The asset inventory of a run: every device of every shard with its identity, role, protocols,
 * risks and traffic, as JSON lines ({@code --inventory}) or as the table {@code vigil devices}
 * prints. Built after the run (or on demand), never on the packet path.
 */
public final class Inventory {
    private final List<Device> devices = new ArrayList<>();
    private final Map<Long, Integer> addressesPerMac = new HashMap<>();
    private final int silentAddresses;

    /** The devices that sent anything; addresses only ever sent to (a sweep's empty targets) are counted apart. */
    public Inventory(List<Device> all) {
        for (Device d : all) {
            if (d.sentAnything()) {
                devices.add(d);
            }
        }
        this.silentAddresses = all.size() - devices.size();
        this.devices.sort(Comparator.comparingInt(Device::vlan).thenComparingLong(Device::ipHi)
            .thenComparingLong(Device::ipLo));
        for (Device d : this.devices) {
            for (int i = 0; i < d.macCount(); i++) {
                addressesPerMac.merge(d.mac(i), 1, Integer::sum);
            }
        }
    }

    public List<Device> devices() {
        return devices;
    }

    /** Addresses that were sent to but never sent anything, left out of the inventory. */
    public int silentAddresses() {
        return silentAddresses;
    }

    public DeviceRole role(Device d) {
        return DeviceRole.infer(d, d.macCount() == 0 ? 1 : addressesPerMac.getOrDefault(d.mac(0), 1));
    }

    /** One JSON object per device. */
    public void writeJson(Device d, JsonWriter j) {
        writeJson(d, role(d), j);
    }

    /**
     * One device as {@code --inventory} writes it, with its role inferred by the caller (the asset
     * publisher, which sees one shard and a periodically refreshed cross-shard MAC count).
     */
    public static void writeJson(Device d, DeviceRole role, JsonWriter j) {
        OuiTable oui = OuiTable.get();
        j.beginObject()
            .field("id", d.id())
            .field("ip", d.ip())
            .field("vlan", d.vlan())
            .field("internal", IpAddresses.isInternal(d.ipHi(), d.ipLo()))
            .field("name", d.name())
            .field("name_source", d.nameSource())
            .field("role", role.text());
        j.beginArray("macs");
        for (int i = 0; i < d.macCount(); i++) {
            j.beginObject().field("mac", IpAddresses.macToString(d.mac(i))).field("vendor", oui.vendor(d.mac(i)))
                .endObject();
        }
        j.endArray();
        protocols(j, "protocols_served", d, true);
        protocols(j, "protocols_used", d, false);
        if (d.modbusVendor() != null || d.modbusProductCode() != null || d.modbusRevision() != null) {
            j.beginObject("modbus").field("vendor", d.modbusVendor()).field("product_code", d.modbusProductCode())
                .field("revision", d.modbusRevision()).endObject();
        }
        if (d.opcuaEndpointUrl() != null) {
            j.beginObject("opcua").field("endpoint_url", d.opcuaEndpointUrl()).endObject();
        }
        if (d.bacnetDeviceInstance() >= 0) {
            j.beginObject("bacnet").field("device_instance", d.bacnetDeviceInstance());
            if (d.bacnetVendorId() >= 0) {
                j.field("vendor_id", d.bacnetVendorId());
            }
            j.endObject();
        }
        j.beginArray("risks");
        for (DeviceRisk r : DeviceRisk.values()) {
            if (d.hasRisk(r)) {
                j.beginObject().field("id", r.label()).field("text", r.text()).endObject();
            }
        }
        j.endArray();
        j.epochSeconds("first_seen", d.firstSeenNanos())
            .epochSeconds("last_seen", d.lastSeenNanos())
            .field("flows_as_client", d.flowsAsClient())
            .field("flows_as_server", d.flowsAsServer())
            .field("packets_sent", d.packetsSent())
            .field("bytes_sent", d.bytesSent())
            .field("packets_received", d.packetsReceived())
            .field("bytes_received", d.bytesReceived())
            .endObject();
    }

    private static void protocols(JsonWriter j, String name, Device d, boolean served) {
        j.beginArray(name);
        for (AppProtocol p : AppProtocol.values()) {
            if (served ? d.serves(p) : d.uses(p)) {
                j.value(p.label());
            }
        }
        j.endArray();
    }

    /** All devices as JSON lines. */
    public String json() {
        StringBuilder b = new StringBuilder();
        JsonWriter j = new JsonWriter();
        for (Device d : devices) {
            writeJson(d, j.reset());
            b.append(j.buffer()).append('\n');
        }
        return b.toString();
    }

    /** A fixed-width table, one device per line, for a terminal. */
    /** "Schneider Electric BMX P34 2020 v2.7", "BACnet device 1234 (vendor 5)", an OPC UA endpoint, or "-". */
    static String industrialIdentity(Device d) {
        List<String> parts = new ArrayList<>();
        for (String s : new String[] {d.modbusVendor(), d.modbusProductCode(), d.modbusRevision()}) {
            if (s != null) {
                parts.add(s);
            }
        }
        if (d.bacnetDeviceInstance() >= 0) {
            parts.add("BACnet device " + d.bacnetDeviceInstance()
                + (d.bacnetVendorId() >= 0 ? " (vendor " + d.bacnetVendorId() + ")" : ""));
        }
        if (d.opcuaEndpointUrl() != null) {
            parts.add(d.opcuaEndpointUrl());
        }
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    public String table() {
        OuiTable oui = OuiTable.get();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IP", "VLAN", "MAC", "VENDOR", "NAME", "ROLE", "SERVES", "USES", "RISKS", "FIRST SEEN",
            "LAST SEEN", "IDENTITY"});
        for (Device d : devices) {
            long mac = d.macCount() > 0 ? d.mac(0) : 0;
            String vendor = oui.vendor(mac);
            rows.add(new String[] {d.ip(), d.vlan() == 0 ? "-" : Integer.toString(d.vlan()),
                mac == 0 ? "-" : IpAddresses.macToString(mac) + (d.macCount() > 1 ? " +" + (d.macCount() - 1) : ""),
                vendor == null ? "-" : cut(vendor, 24), d.name() == null ? "-" : cut(d.name(), 28), role(d).text(),
                list(d, true), list(d, false), risks(d), time(d.firstSeenNanos()), time(d.lastSeenNanos()),
                industrialIdentity(d)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                b.append(c == r.length - 1 ? r[c] : pad(r[c], width[c] + 2));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String list(Device d, boolean served) {
        StringBuilder b = new StringBuilder();
        for (AppProtocol p : AppProtocol.values()) {
            if (served ? d.serves(p) : d.uses(p)) {
                b.append(b.length() == 0 ? "" : ",").append(p.label());
            }
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static String risks(Device d) {
        StringBuilder b = new StringBuilder();
        for (DeviceRisk r : DeviceRisk.values()) {
            if (d.hasRisk(r)) {
                b.append(b.length() == 0 ? "" : ",").append(r.label());
            }
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static String time(long nanos) {
        return java.time.Instant.ofEpochSecond(nanos / 1_000_000_000L).toString().replace("T", " ").replace("Z", "");
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String pad(String s, int n) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < n) {
            b.append(' ');
        }
        return b.toString();
    }

    /** "3 devices: 1 PLC, 1 HMI/SCADA, 1 workstation" (roles in the order of {@link DeviceRole}). */
    public String summary() {
        Map<String, Integer> byRole = new java.util.LinkedHashMap<>();
        for (DeviceRole r : DeviceRole.values()) {
            for (Device d : devices) {
                if (role(d) == r) {
                    byRole.merge(r.text(), 1, Integer::sum);
                }
            }
        }
        StringBuilder b = new StringBuilder().append(devices.size()).append(devices.size() == 1 ? " device" : " devices");
        String sep = ": ";
        for (Map.Entry<String, Integer> e : byRole.entrySet()) {
            b.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        if (silentAddresses > 0) {
            b.append(" (").append(silentAddresses).append(silentAddresses == 1 ? " address" : " addresses")
                .append(" sent to but never heard from, such as a sweep's empty targets, not listed)");
        }
        return b.toString();
    }
}
