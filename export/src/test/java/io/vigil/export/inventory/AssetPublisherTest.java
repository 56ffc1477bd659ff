package io.vigil.export.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceInventory;
import io.vigil.export.RecordSink;
import io.vigil.export.json.JsonWriter;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One shard's inventory and publisher fed observations by hand: what reaches the asset topic, and when. */
class AssetPublisherTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int HMI = 0x0A1E020A;      // 10.30.2.10
    private static final int PLC = 0x0A1E010A;      // 10.30.1.10
    private static final int SILENT = 0x0A1E0909;   // 10.30.9.9, only ever sent to
    private static final long HMI_MAC = 0x02_00_00_00_00_01L;
    private static final long PLC_MAC = 0x02_00_00_00_00_02L;

    private record Sent(String topic, String key, String value) {
    }

    private static final class Collected implements RecordSink {
        final List<Sent> records = new ArrayList<>();

        @Override
        public synchronized void send(String topic, String key, byte[] value) {
            records.add(new Sent(topic, key, new String(value, StandardCharsets.UTF_8)));
        }

        List<Sent> take() {
            List<Sent> copy = List.copyOf(records);
            records.clear();
            return copy;
        }
    }

    private final DeviceInventory inventory = new DeviceInventory(100);
    private final Collected sink = new Collected();
    /** A wall clock that stands still: walks follow capture time only. */
    private final AssetPublisher publisher = new AssetPublisher(0, inventory.table(), new MacSharing(1), sink,
        "site.assets", SECOND, () -> 0);

    private void feed(Observation o) {
        inventory.onObservation(o, true, true);
        publisher.onObservation(o, true, true);
    }

    private static Observation flowEnd(int client, int server, int port, long atNanos) {
        Observation o = new Observation();
        o.type = ObservationType.FLOW_END;
        o.srcIpLo = IpAddresses.v4MappedLo(client);
        o.dstIpLo = IpAddresses.v4MappedLo(server);
        o.srcMac = client == HMI ? HMI_MAC : PLC_MAC;
        o.dstMac = server == HMI ? HMI_MAC : server == PLC ? PLC_MAC : 0x02_00_00_00_00_09L;
        o.srcPort = 40_000;
        o.dstPort = port;
        o.ipProto = 6;
        o.timestampNanos = atNanos;
        o.firstSeenNanos = atNanos;
        o.lastSeenNanos = atNanos;
        o.packetsToServer = 3;
        o.bytesToServer = 200;
        o.packetsToClient = server == SILENT ? 0 : 2;
        o.bytesToClient = server == SILENT ? 0 : 120;
        o.endReason = FlowEndReason.TCP_CLOSED;
        return o;
    }

    private static Observation dhcpName(int client, String name, long atNanos) {
        Observation o = new Observation();
        o.type = ObservationType.DHCP_MESSAGE;
        o.appProtocol = AppProtocol.DHCP;
        o.srcIpLo = IpAddresses.v4MappedLo(client);
        o.dstIpLo = IpAddresses.v4MappedLo(0x0A1E0001);
        o.srcMac = HMI_MAC;
        o.srcPort = 68;
        o.dstPort = 67;
        o.ipProto = 17;
        o.timestampNanos = atNanos;
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(n, 0, o.named.name, 0, n.length);
        o.named.nameLength = n.length;
        return o;
    }

    private static Observation modbusResponse(long atNanos) {
        Observation o = new Observation();
        o.type = ObservationType.MODBUS_OP;
        o.appProtocol = AppProtocol.MODBUS;
        o.srcIpLo = IpAddresses.v4MappedLo(PLC);
        o.dstIpLo = IpAddresses.v4MappedLo(HMI);
        o.srcMac = PLC_MAC;
        o.dstMac = HMI_MAC;
        o.srcPort = 502;
        o.dstPort = 40_001;
        o.ipProto = 6;
        o.timestampNanos = atNanos;
        o.modbus.functionCode = 3;
        o.modbus.isResponse = true;
        return o;
    }

    /** What {@code --inventory} would write for the device now, as a single shard sees it. */
    private String inventoryLine(int ip) {
        Device d = inventory.table().find(0, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(ip));
        JsonWriter j = new JsonWriter();
        new Inventory(inventory.table().devices()).writeJson(d, j);
        return j.buffer().toString();
    }

    private Sent record(int ip) {
        String id = IpAddresses.toString(IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(ip));
        return new Sent("site.assets", id, inventoryLine(ip));
    }

    @Test
    void devicesArePublishedWhenTheyAppearAndWhenWhoTheyAreChanges() {
        // Both ends of a flow that ended become assets; the sweep target that never answered does not.
        // The publisher runs after the inventory on the shard, so the first observation already publishes.
        feed(flowEnd(HMI, PLC, 502, 10 * SECOND));
        assertEquals(List.of(record(HMI), record(PLC)), sink.take());
        feed(flowEnd(HMI, SILENT, 502, 10 * SECOND + 1));
        feed(flowEnd(HMI, PLC, 502, 11 * SECOND));
        assertEquals(List.of(), sink.take());

        // More traffic moves times and volumes only: nothing, even across many walks.
        for (int s = 12; s < 20; s++) {
            feed(flowEnd(HMI, PLC, 502, s * SECOND));
        }
        assertEquals(List.of(), sink.take());

        // A name learned from DHCP later: the HMI again, with its name; the PLC unchanged.
        feed(dhcpName(HMI, "hmi-01", 20 * SECOND));
        List<Sent> named = sink.take();
        assertEquals(List.of(record(HMI)), named);
        assertTrue(named.get(0).value().contains("\"name\":\"hmi-01\",\"name_source\":\"dhcp\""), named.get(0).value());

        // A protocol newly served: the PLC now answers Modbus (a PLC, with a cleartext-control risk), and
        // the HMI it answers now uses Modbus (an HMI): both changed.
        feed(modbusResponse(21 * SECOND));
        List<Sent> serving = sink.take();
        assertEquals(List.of(record(HMI), record(PLC)), serving);
        assertTrue(serving.get(0).value().contains("\"role\":\"HMI/SCADA\""), serving.get(0).value());
        assertTrue(serving.get(1).value().contains("\"role\":\"PLC\""), serving.get(1).value());
        assertTrue(serving.get(1).value().contains("\"protocols_served\":[\"modbus\"]"), serving.get(1).value());

        // The same again, and the end-of-run flush: nothing new.
        feed(modbusResponse(22 * SECOND));
        feed(flowEnd(HMI, PLC, 502, 23 * SECOND));
        assertEquals(0, publisher.flush(new Inventory(inventory.table().devices())));
        assertEquals(List.of(), sink.take());
        assertEquals(5, publisher.sent());
    }

    @Test
    void aChangeWithinTheIntervalIsPublishedAtTheNextWalkOrTheFinalFlush() {
        feed(flowEnd(HMI, PLC, 502, 11 * SECOND));
        sink.take();
        feed(flowEnd(HMI, PLC, 502, 11 * SECOND + 500_000_000L));
        feed(dhcpName(HMI, "hmi-01", 11 * SECOND + 600_000_000L));
        assertEquals(List.of(), sink.take(), "not before the interval has passed");
        assertEquals(1, publisher.flush(new Inventory(inventory.table().devices())));
        assertEquals(List.of(record(HMI)), sink.take());
    }

    @Test
    void aRefusedSendIsRetriedAtTheNextWalk() {
        List<String> keys = new ArrayList<>();
        boolean[] refuse = {true};
        AssetPublisher flaky = new AssetPublisher(0, inventory.table(), new MacSharing(1), (topic, key, value) -> {
            if (refuse[0]) {
                throw new IllegalStateException("spool full");
            }
            keys.add(key);
        }, "vigil.assets", SECOND, () -> 0);
        Observation first = flowEnd(HMI, PLC, 502, 10 * SECOND);
        inventory.onObservation(first, true, true);
        flaky.onObservation(first, true, true);
        assertEquals(2, flaky.sendErrors());
        refuse[0] = false;
        Observation later = flowEnd(HMI, PLC, 502, 12 * SECOND);
        inventory.onObservation(later, true, true);
        flaky.onObservation(later, true, true);
        assertEquals(List.of("10.30.2.10", "10.30.1.10"), keys);
    }

    @Test
    void inAFastReplayWalksKeepToTheirShareOfTheThread() {
        long[] wall = {0};
        // Each reading of the wall clock advances it 0.5 ms; capture time runs 1 s per observation, wall time 4 ms.
        AssetPublisher paced = new AssetPublisher(0, inventory.table(), new MacSharing(1), sink, "vigil.assets", SECOND,
            () -> wall[0] += 500_000);
        int walks = 0;
        for (int s = 10; s < 110; s++) {
            Observation o = flowEnd(HMI, PLC, 502, s * SECOND);
            inventory.onObservation(o, true, true);
            long before = wall[0];
            paced.onObservation(o, true, true);
            walks += wall[0] - before > 500_000 ? 1 : 0;
            wall[0] += 4_000_000;
        }
        // Capture time alone would walk 100 times. A walk measures 0.5 ms (one clock step between its two
        // readings), so the next waits 49.5 ms of wall time: about 11 observations (4.5 ms each) apart.
        assertTrue(walks >= 8 && walks <= 10, walks + " walks");
        assertEquals(2, paced.sent(), "both devices, once");
    }
}
