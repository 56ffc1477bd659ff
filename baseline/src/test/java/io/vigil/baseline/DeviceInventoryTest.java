package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import org.junit.jupiter.api.Test;

class DeviceInventoryTest {
    private static final int PLC = 0x0A1E010A;      // 10.30.1.10
    private static final int HMI = 0x0A1E020A;      // 10.30.2.10

    private static Observation flow(ObservationType type, int client, int server, int vlan) {
        Observation o = new Observation();
        o.type = type;
        o.vlan = vlan;
        o.srcIpLo = IpAddresses.v4MappedLo(client);
        o.dstIpLo = IpAddresses.v4MappedLo(server);
        o.srcMac = 0x02_00_00_00_00_01L;
        o.dstMac = 0x02_00_00_00_00_02L;
        o.srcPort = 40_000;
        o.dstPort = 502;
        o.ipProto = 6;
        o.timestampNanos = 1_000;
        o.firstSeenNanos = 1_000;
        o.lastSeenNanos = 9_000;
        o.packetsToServer = 10;
        o.bytesToServer = 700;
        o.packetsToClient = 10;
        o.bytesToClient = 900;
        o.endReason = type == ObservationType.FLOW_END ? FlowEndReason.TCP_CLOSED : null;
        return o;
    }

    @Test
    void flowsCreateBothEndpointsWithVolumesFromTheirSide() {
        DeviceInventory inv = new DeviceInventory(100);
        inv.onObservation(flow(ObservationType.FLOW_START, HMI, PLC, 30), true, true);
        inv.onObservation(flow(ObservationType.FLOW_END, HMI, PLC, 30), true, true);
        DeviceTable t = inv.table();
        assertEquals(2, t.size());
        Device hmi = t.find(30, 0, IpAddresses.v4MappedLo(HMI));
        Device plc = t.find(30, 0, IpAddresses.v4MappedLo(PLC));
        assertEquals("10.30.2.10%30", hmi.id());
        assertEquals(1, hmi.flowsAsClient());
        assertEquals(0, hmi.flowsAsServer());
        assertEquals(700, hmi.bytesSent());
        assertEquals(900, hmi.bytesReceived());
        assertEquals(1, plc.flowsAsServer());
        assertEquals(900, plc.bytesSent());
        assertEquals(1, plc.macCount());
        assertEquals(0x02_00_00_00_00_02L, plc.mac(0));
        assertEquals(1_000, plc.firstSeenNanos());
        assertEquals(9_000, plc.lastSeenNanos());
    }

    @Test
    void shardOwnershipLimitsWhatIsTouched() {
        DeviceInventory inv = new DeviceInventory(100);
        inv.onObservation(flow(ObservationType.FLOW_START, HMI, PLC, 30), false, true);
        assertEquals(1, inv.table().size());
        assertNull(inv.table().find(30, 0, IpAddresses.v4MappedLo(HMI)));
    }

    @Test
    void sameAddressOnAnotherVlanIsAnotherDevice() {
        DeviceInventory inv = new DeviceInventory(100);
        inv.onObservation(flow(ObservationType.FLOW_START, HMI, PLC, 30), true, true);
        inv.onObservation(flow(ObservationType.FLOW_START, HMI, PLC, 31), true, true);
        assertEquals(4, inv.table().size());
    }

    @Test
    void broadcastMulticastAndUnspecifiedAreNotDevices() {
        DeviceInventory inv = new DeviceInventory(100);
        inv.onObservation(flow(ObservationType.FLOW_START, 0, 0xFFFFFFFF, 0), true, true);
        inv.onObservation(flow(ObservationType.FLOW_START, HMI, 0xE0000005, 0), true, true);
        assertEquals(1, inv.table().size());
        Observation v6 = flow(ObservationType.FLOW_START, HMI, PLC, 0);
        v6.dstIpHi = 0xFF02_0000_0000_0000L;
        v6.dstIpLo = 1;
        inv.onObservation(v6, true, true);
        assertEquals(1, inv.table().size());
    }

    /**
     * A sweep from another subnet reaches a PLC through the router before the PLC ever speaks: the
     * router's MAC is all the sensor knows of it, and only until the PLC's first own frame. A target
     * that never answers sent nothing and is no asset.
     */
    @Test
    void theMacFramesWereAddressedToGivesWayToTheDevicesOwn() {
        long router = 0x00_1B_54_3F_11_94L;
        long plcMac = 0x00_1B_1B_9F_4B_BFL;
        DeviceInventory inv = new DeviceInventory(100);
        Observation probe = flow(ObservationType.FLOW_END, HMI, PLC, 0);
        probe.dstMac = router;
        probe.packetsToClient = 0;
        probe.bytesToClient = 0;
        inv.onObservation(probe, true, true);
        Device plc = inv.table().find(0, 0, IpAddresses.v4MappedLo(PLC));
        assertEquals(router, plc.mac(0));
        assertFalse(plc.sentAnything(), "probed, never answered");
        assertTrue(inv.table().find(0, 0, IpAddresses.v4MappedLo(HMI)).sentAnything());

        Observation own = flow(ObservationType.FLOW_START, PLC, HMI, 0);
        own.srcMac = plcMac;
        inv.onObservation(own, true, true);
        assertEquals(1, plc.macCount(), "the router's MAC was provisional");
        assertEquals(plcMac, plc.mac(0));
        probe.timestampNanos = probe.lastSeenNanos = 20_000;
        inv.onObservation(probe, true, true);
        assertEquals(1, plc.macCount(), "routed frames to it no longer bind the router's MAC");
    }

    @Test
    void arpClaimBindsSenderMac() {
        DeviceInventory inv = new DeviceInventory(100);
        Observation o = new Observation();
        o.type = ObservationType.ARP_CLAIM;
        o.srcIpLo = IpAddresses.v4MappedLo(PLC);
        o.srcMac = 0x00_1D_9C_11_22_33L;
        o.dstIpLo = IpAddresses.v4MappedLo(HMI);
        o.arpOperation = 2;
        inv.onObservation(o, true, true);
        Device plc = inv.table().find(0, 0, IpAddresses.v4MappedLo(PLC));
        assertNotNull(plc);
        assertEquals(1, plc.arpClaims());
        assertEquals(0x00_1D_9C_11_22_33L, plc.mac(0));
        assertNull(inv.table().find(0, 0, IpAddresses.v4MappedLo(HMI)), "the ARP target claims nothing");
    }

    @Test
    void tableIsBoundedAndCountsOverflow() {
        DeviceTable t = new DeviceTable(16);
        for (int i = 1; i <= 20; i++) {
            t.findOrCreate(0, 0, IpAddresses.v4MappedLo(0x0A000000 + i), i);
        }
        assertEquals(16, t.size());
        assertEquals(4, t.overflows());
        Device d = t.find(0, 0, IpAddresses.v4MappedLo(0x0A000001));
        assertSame(d, t.findOrCreate(0, 0, IpAddresses.v4MappedLo(0x0A000001), 99));
        assertNull(t.find(0, 0, IpAddresses.v4MappedLo(0x0A000014)));
    }

    @Test
    void manyDevicesStayFindable() {
        DeviceTable t = new DeviceTable(50_000);
        for (int i = 0; i < 50_000; i++) {
            t.findOrCreate(i % 7, i * 31L, IpAddresses.v4MappedLo(i), i);
        }
        for (int i = 0; i < 50_000; i++) {
            Device d = t.find(i % 7, i * 31L, IpAddresses.v4MappedLo(i));
            assertNotNull(d, "device " + i);
            assertEquals(i % 7, d.vlan());
        }
        assertEquals(0, t.overflows());
    }
}
