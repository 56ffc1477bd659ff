package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every component of a device's learned state survives writeTo/readFrom: read back, it answers as
 * the original did and goes on learning as the original does.
 */
class ModelPersistenceTest {
    private interface Writer {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T readFrom(DataInputStream in) throws IOException;
    }

    private static byte[] bytes(Writer w) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w.writeTo(new DataOutputStream(b));
        return b.toByteArray();
    }

    /** Reads back what was written and checks every byte was consumed. */
    private static <T> T roundTrip(Writer w, Reader<T> r) throws IOException {
        byte[] data = bytes(w);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        T copy = r.readFrom(in);
        assertEquals(0, in.available(), "the reader consumes exactly what the writer wrote");
        return copy;
    }

    private static Map<Long, String> contents(FeatureSet s) {
        Map<Long, String> m = new TreeMap<>();
        s.forEach((key, count, first) -> m.put(key, count + "@" + first));
        return m;
    }

    @Test
    void featureSetKeepsKeysCountsStatisticsAndBuckets() throws IOException {
        FeatureSet s = new FeatureSet(64, 60);
        for (int minute = 0; minute < 30; minute++) {
            s.observe(minute % 3, minute * 60L);
            s.observe(1000 + minute, minute * 60L + 5); // one new value a minute: singletons
        }
        s.observe(0L, 29 * 60L); // key 0 is the empty marker's stand-in inside the table
        for (int k = 0; k < 60; k++) {
            s.observe(5000 + k, 1800); // past the bound: counted as overflow
        }
        FeatureSet copy = roundTrip(s::writeTo, FeatureSet::readFrom);
        assertEquals(contents(s), contents(copy));
        assertEquals(s.size(), copy.size());
        assertEquals(s.observations(), copy.observations());
        assertEquals(s.singletons(), copy.singletons());
        assertEquals(s.overflow(), copy.overflow());
        assertEquals(s.surpriseBits(), copy.surpriseBits());
        assertTrue(copy.contains(0L));
        // Same bucket: not counted again, in either; next bucket: counted, in both.
        assertEquals(s.observe(2, 29 * 60L + 30), copy.observe(2, 29 * 60L + 30));
        assertEquals(s.observe(2, 31 * 60L), copy.observe(2, 31 * 60L));
        assertEquals(s.observe(424242, 31 * 60L), copy.observe(424242, 31 * 60L));
        assertEquals(contents(s), contents(copy));
        assertEquals(s.observations(), copy.observations());
    }

    @Test
    void featureSetAbsorbAddsCountsAsIfObservedHere() {
        FeatureSet a = new FeatureSet(16);
        FeatureSet b = new FeatureSet(16);
        a.observe(1, 0);
        b.observe(1, 0);
        b.observe(2, 0);
        b.observe(2, 0);
        a.absorb(b);
        assertEquals(2, a.count(1));
        assertEquals(2, a.count(2));
        assertEquals(4, a.observations());
        assertEquals(0, a.singletons());
    }

    @Test
    void peerOperationsKeepEntriesInOrderWithFunctionCodes() throws IOException {
        PeerOperations p = new PeerOperations();
        for (int i = 0; i < 40; i++) { // beyond MAX_PEERS: overflow
            p.record(1000 + i % 35, AppProtocol.MODBUS, i % 3, i % 11, i * 1_000L);
        }
        p.record(7, AppProtocol.DNP3, 2, 129, 5);
        PeerOperations copy = roundTrip(p::writeTo, PeerOperations::readFrom);
        assertArrayEquals(bytes(p::writeTo), bytes(copy::writeTo));
        assertEquals(p.size(), copy.size());
        assertEquals(p.overflow(), copy.overflow());
        int i = copy.indexOf(1003, AppProtocol.MODBUS);
        assertEquals(p.indexOf(1003, AppProtocol.MODBUS), i);
        assertEquals(p.kinds(i), copy.kinds(i));
        assertEquals(p.functionCount(i), copy.functionCount(i));
        assertEquals(p.function(i, 1), copy.function(i, 1));
        assertEquals(p.firstSeenNanos(i), copy.firstSeenNanos(i));
        assertEquals(p.record(1003, AppProtocol.MODBUS, 1, 99, 1), copy.record(1003, AppProtocol.MODBUS, 1, 99, 1));
        assertArrayEquals(bytes(p::writeTo), bytes(copy::writeTo));
    }

    @Test
    void valueRangesKeepMinMaxAndCountPerTarget() throws IOException {
        ValueRanges r = new ValueRanges();
        for (int i = 0; i < 200; i++) { // beyond MAX_TARGETS: overflow
            r.add(i * 7919L, i * 0.5);
            r.add(i * 7919L, -i);
        }
        ValueRanges copy = roundTrip(r::writeTo, ValueRanges::readFrom);
        assertEquals(r.size(), copy.size());
        assertEquals(r.overflow(), copy.overflow());
        for (int i = 0; i < 200; i++) {
            int a = r.find(i * 7919L);
            int b = copy.find(i * 7919L);
            assertEquals(a < 0, b < 0);
            if (a >= 0) {
                assertEquals(r.min(a), copy.min(b));
                assertEquals(r.max(a), copy.max(b));
                assertEquals(r.count(a), copy.count(b));
            }
        }
    }

    @Test
    void windowsAndBeaconsKeepTheirCurrentState() throws IOException {
        ScanWindow w = new ScanWindow();
        for (int i = 0; i < 70; i++) {
            w.add(i * 1_000L, 10_000_000_000L, 100 + i, 22 + i % 5, i % 7 == 0, i % 9 == 0);
        }
        ScanWindow wCopy = roundTrip(w::writeTo, ScanWindow::readFrom);
        assertArrayEquals(bytes(w::writeTo), bytes(wCopy::writeTo));
        assertEquals(w.hosts(), wCopy.hosts());
        assertEquals(w.firstPort(), wCopy.firstPort());
        assertEquals(w.startNanos(), wCopy.startNanos());

        DnsActivity d = new DnsActivity();
        d.query(5, 60_000_000_000L, true);
        d.failed(6, 60_000_000_000L, true);
        DnsActivity dCopy = roundTrip(d::writeTo, DnsActivity::readFrom);
        assertArrayEquals(bytes(d::writeTo), bytes(dCopy::writeTo));
        assertEquals(1, dCopy.failedRandomLookups());

        Beacons b = new Beacons();
        for (int i = 0; i < 40; i++) {
            b.connect(i % 20, i * 30_000_000_000L); // 20 destinations for 16 entries: some evicted
        }
        Beacons bCopy = roundTrip(b::writeTo, Beacons::readFrom);
        assertArrayEquals(bytes(b::writeTo), bytes(bCopy::writeTo));
        int i = b.connect(19, 41 * 30_000_000_000L);
        int j = bCopy.connect(19, 41 * 30_000_000_000L);
        assertEquals(i, j);
        assertEquals(b.meanIntervalSeconds(i), bCopy.meanIntervalSeconds(j));
        assertEquals(b.connect(77, 42 * 30_000_000_000L), bCopy.connect(77, 42 * 30_000_000_000L), "same LRU victim");
    }

    @Test
    void deviceModelWritesEachComponentOnlyWhenPresent() throws IOException {
        DeviceModel empty = new DeviceModel();
        DeviceModel emptyCopy = roundTrip(empty::writeTo, DeviceModel::readFrom);
        assertNull(emptyCopy.featuresIfAny(FeatureKind.PEER_AS_CLIENT));
        assertNull(emptyCopy.operationsReceivedIfAny());
        assertEquals(1 + 1 + FeatureKind.values().length + 13, bytes(empty::writeTo).length, "a flag per component");

        DeviceModel m = new DeviceModel();
        m.features(FeatureKind.PEER_AS_SERVER).observe(42, 60);
        m.features(FeatureKind.ARP_MAC).observe(0x0200_0000_0001L, 60);
        m.operationsReceived().record(9, AppProtocol.MODBUS, 0, 3, 1);
        m.operationsIssued().record(8, AppProtocol.S7COMM, 1, 5, 2);
        m.writesReceived().add(77, 12.5);
        m.pending().observe(1234, 60);
        m.scanWindow().add(1, 10, 5, 22, false, false);
        m.dnsActivity().query(1, 10, false);
        m.beacons().connect(3, 1);
        m.markReportedAsNew();
        // The detectors' own parts: present (their contents' round trips are in ModelPartsRoundTripTest).
        m.polls();
        m.requestRates();
        m.volume();
        m.externalTransfers();
        m.authAttempts();
        m.learnedClients();
        DeviceModel copy = roundTrip(m::writeTo, DeviceModel::readFrom);
        assertArrayEquals(bytes(m::writeTo), bytes(copy::writeTo));
        assertTrue(copy.reportedAsNew());
        assertTrue(copy.pollsIfAny() != null && copy.requestRatesIfAny() != null && copy.volumeIfAny() != null
            && copy.externalTransfersIfAny() != null && copy.authAttemptsIfAny() != null
            && copy.learnedClientsIfAny() != null, "every part present in the original is present in the copy");
        assertTrue(copy.featuresIfAny(FeatureKind.PEER_AS_SERVER).contains(42));
        assertNull(copy.featuresIfAny(FeatureKind.PEER_AS_CLIENT));
        assertEquals(1, copy.operationsIssuedIfAny().size());
        assertTrue(copy.writesReceivedIfAny().find(77) >= 0);
        assertTrue(copy.pending().contains(1234));
        assertEquals(1, copy.scanWindow().hosts());
        assertEquals(1, copy.dnsActivity().queries());
        assertEquals(2, copy.beacons().connections(copy.beacons().connect(3, 2)));
    }

    @Test
    void deviceKeepsIdentityVolumesAndModel() throws IOException {
        Device d = new Device(30, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(0x0A1E010A), 1_000);
        d.seen(9_000);
        for (long mac = 1; mac <= 6; mac++) {
            d.bindMac(0x0200_0000_0000L | mac);
        }
        d.countFlowAsServer(10, 700, 12, 900);
        d.countFlowAsClient(1, 60, 1, 60);
        d.countArpClaim();
        d.served(AppProtocol.MODBUS);
        d.used(AppProtocol.DNS);
        d.risk(DeviceRisk.CLEARTEXT_CONTROL);
        byte[] name = "plc-7.plant".getBytes(StandardCharsets.ISO_8859_1);
        d.name(name, name.length, "dhcp");
        d.bacnetIdentity(4711, 260);
        d.modbusIdentity("Schneider Electric", "BMX P34 2020", "v2.7");
        d.opcuaEndpoint("opc.tcp://plc-7.plant:4840/UA");
        d.model().features(FeatureKind.SERVICE_SERVED).observe(FeatureKeys.service(6, 502), 60);

        Device copy = roundTrip(d::writeTo, Device::readFrom);
        assertArrayEquals(bytes(d::writeTo), bytes(copy::writeTo));
        assertEquals(d.id(), copy.id());
        assertEquals(4, copy.macCount());
        assertEquals(2, copy.macsOverflow());
        assertEquals(d.mac(3), copy.mac(3));
        assertEquals(1_000, copy.firstSeenNanos());
        assertEquals(9_000, copy.lastSeenNanos());
        assertEquals(d.bytesSent(), copy.bytesSent());
        assertEquals(d.packetsReceived(), copy.packetsReceived());
        assertEquals(1, copy.flowsAsServer());
        assertEquals(1, copy.arpClaims());
        assertTrue(copy.serves(AppProtocol.MODBUS) && copy.uses(AppProtocol.DNS) && !copy.serves(AppProtocol.DNS));
        assertTrue(copy.hasRisk(DeviceRisk.CLEARTEXT_CONTROL) && !copy.hasRisk(DeviceRisk.TELNET));
        assertEquals("plc-7.plant", copy.name());
        assertEquals("dhcp", copy.nameSource());
        assertEquals(4711, copy.bacnetDeviceInstance());
        assertEquals(260, copy.bacnetVendorId());
        assertEquals("Schneider Electric", copy.modbusVendor());
        assertEquals("BMX P34 2020", copy.modbusProductCode());
        assertEquals("v2.7", copy.modbusRevision());
        assertEquals("opc.tcp://plc-7.plant:4840/UA", copy.opcuaEndpointUrl());
        assertTrue(copy.model().features(FeatureKind.SERVICE_SERVED).contains(FeatureKeys.service(6, 502)));
        // The name rank survives: a DNS answer does not replace the device's own DHCP name.
        byte[] worse = "other".getBytes(StandardCharsets.ISO_8859_1);
        copy.name(worse, worse.length, "dns");
        assertEquals("plc-7.plant", copy.name());

        Device bare = new Device(0, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(0x0A000001), 5);
        Device bareCopy = roundTrip(bare::writeTo, Device::readFrom);
        assertNull(bareCopy.name());
        assertEquals(-1, bareCopy.bacnetDeviceInstance());
        assertNull(bareCopy.modbusVendor());
        assertNull(bareCopy.opcuaEndpointUrl());
        assertArrayEquals(bytes(bare::writeTo), bytes(bareCopy::writeTo));
    }

    @Test
    void aLoadedDeviceIsFoundInItsTableAndNotAddedTwice() throws IOException {
        Device d = new Device(0, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(0x0A000001), 5);
        Device copy = roundTrip(d::writeTo, Device::readFrom);
        DeviceTable table = new DeviceTable(16);
        assertTrue(table.add(copy));
        assertFalse(table.add(copy));
        assertNotNull(table.find(0, d.ipHi(), d.ipLo()));
        assertEquals(copy, table.findOrCreate(0, d.ipHi(), d.ipLo(), 99));
        assertEquals(1, table.size());
    }

    @Test
    void cutShortOrOutOfBoundsDataIsAnErrorNotAHalfRead() throws IOException {
        Device d = new Device(0, IpAddresses.V4_MAPPED_HI, IpAddresses.v4MappedLo(0x0A000001), 5);
        d.model().features(FeatureKind.NAME_REQUESTED).observe(1, 1);
        byte[] data = bytes(d::writeTo);
        byte[] cut = Arrays.copyOf(data, data.length - 3);
        assertThrows(EOFException.class, () -> Device.readFrom(new DataInputStream(new ByteArrayInputStream(cut))));

        byte[] huge = bytes(out -> {
            out.writeInt(16);
            out.writeInt(60);
            out.writeInt(1_000_000); // more keys than the set's own bound
        });
        IOException e = assertThrows(IOException.class,
            () -> FeatureSet.readFrom(new DataInputStream(new ByteArrayInputStream(huge))));
        assertTrue(e.getMessage().contains("1000000 of 16 keys"), e.getMessage());
    }
}
