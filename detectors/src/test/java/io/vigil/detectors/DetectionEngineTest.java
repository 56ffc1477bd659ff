package io.vigil.detectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.baseline.DeviceInventory;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.flow.FlowView;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine and its first detectors on hand-made observations: an HMI polling a PLC with Modbus
 * FC3 for an hour of learning, then the departures an OT engineer cares about.
 */
class DetectionEngineTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * SECOND;
    private static final int HMI = ip(10, 1, 3, 10);
    private static final int PLC = ip(10, 1, 2, 7);
    private static final int ATTACKER = ip(10, 1, 3, 50);
    private static final int FILE_SERVER = ip(10, 1, 4, 20);
    /** Three hours: 180 minutes of steady polling make a novelty rarer than the 8-bit default threshold. */
    private static final int LEARN_SECONDS = 3 * 3600;

    private final List<Alert> alerts = new ArrayList<>();
    private DeviceInventory inventory;
    private DetectionEngine engine;
    private final Observation o = new Observation();
    private int clientPort = 40000;

    @BeforeEach
    void setUp() {
        inventory = new DeviceInventory(1000);
        AlertAggregator aggregator = new AlertAggregator(0, alerts::add);
        engine = new DetectionEngine(inventory.table(), LearningPlan.forDuration(LEARN_SECONDS * SECOND), aggregator,
            List.of(new NewDeviceDetector(inventory.table()), new NewPeerDetector(),
                new IndustrialOperationDetector(), new ValueRangeDetector(), new ArpSpoofingDetector(), new ScanDetector(),
                new NewServiceDetector(), new ShadowAiDetector(), new InsecureSessionDetector(),
                new DnsAbuseDetector(), new BeaconDetector()),
            DetectionEngine.DEFAULT_MIN_SURPRISE_BITS);
    }

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private void deliver() {
        inventory.onObservation(o, true, true);
        engine.onObservation(o, true, true);
    }

    private void flow(long t, int src, int dst, int port) {
        o.clear();
        o.type = ObservationType.FLOW_START;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(src);
        o.dstIpLo = IpAddresses.v4MappedLo(dst);
        o.srcPort = clientPort++;
        o.dstPort = port;
        o.ipProto = 6;
        o.srcMac = 0x0000_0222_3300_0000L | (src & 0xFF);
        o.dstMac = 0x0000_0222_3300_0000L | (dst & 0xFF);
        deliver();
    }

    private void flowEnd(long t, int client, int server, int port, long packetsToClient) {
        flowEnd(t, client, server, port, packetsToClient, packetsToClient > 0
            ? FlowView.SYN_SEEN | FlowView.SYN_ACK_SEEN | FlowView.ESTABLISHED : FlowView.SYN_SEEN);
    }

    private void flowEnd(long t, int client, int server, int port, long packetsToClient, int tcpState) {
        o.clear();
        o.type = ObservationType.FLOW_END;
        o.timestampNanos = t;
        o.lastSeenNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(client);
        o.dstIpLo = IpAddresses.v4MappedLo(server);
        o.srcPort = clientPort++;
        o.dstPort = port;
        o.ipProto = 6;
        o.packetsToServer = 3;
        o.packetsToClient = packetsToClient;
        o.tcpState = tcpState;
        deliver();
    }

    private void dnsQuery(long t, int client, String name) {
        o.clear();
        o.type = ObservationType.DNS_QUERY;
        o.appProtocol = AppProtocol.DNS;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(client);
        o.dstIpLo = IpAddresses.v4MappedLo(ip(10, 1, 4, 53));
        o.srcPort = clientPort;
        o.dstPort = 53;
        o.ipProto = 17;
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, o.dns.qname, 0, b.length);
        o.dns.qnameLength = b.length;
        int longest = 0;
        for (String label : name.split("\\.")) {
            longest = Math.max(longest, label.length());
        }
        o.dns.qnameLongestLabel = longest;
        deliver();
    }

    private void dnsAnswer(long t, int client, String name, int rcode) {
        dnsQuery(t, client, name);
        o.type = ObservationType.DNS_QUERY;
        o.timestampNanos = t + SECOND / 100;
        long c = o.srcIpLo;
        o.srcIpLo = o.dstIpLo;
        o.dstIpLo = c;
        o.srcPort = 53;
        o.dstPort = clientPort;
        o.dns.isResponse = true;
        o.dns.rcode = rcode;
        deliver();
        o.dns.isResponse = false;
        o.dns.rcode = 0;
    }

    private void opcuaOpenNone(long t, int client, int server) {
        o.clear();
        o.type = ObservationType.OPCUA_OP;
        o.appProtocol = AppProtocol.OPCUA;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(client);
        o.dstIpLo = IpAddresses.v4MappedLo(server);
        o.srcPort = clientPort;
        o.dstPort = 4840;
        o.ipProto = 6;
        o.opcua.serviceNamespace = 0;
        o.opcua.serviceId = 446;
        o.opcua.securityPolicy = 0;
        o.opcua.encrypted = false;
        o.opcua.malformed = false;
        deliver();
    }

    private void arp(long t, int senderIp, long senderMac, int targetIp) {
        o.clear();
        o.type = ObservationType.ARP_CLAIM;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(senderIp);
        o.dstIpLo = IpAddresses.v4MappedLo(targetIp);
        o.srcMac = senderMac;
        o.arpOperation = 2;
        deliver();
    }

    private void modbus(long t, int src, int dst, int fc, int address, int value) {
        o.clear();
        o.type = ObservationType.MODBUS_OP;
        o.appProtocol = AppProtocol.MODBUS;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(src);
        o.dstIpLo = IpAddresses.v4MappedLo(dst);
        o.srcPort = clientPort;
        o.dstPort = 502;
        o.ipProto = 6;
        o.modbus.functionCode = fc;
        o.modbus.isResponse = false;
        o.modbus.unitId = 1;
        o.modbus.startAddress = address;
        o.modbus.quantity = 1;
        o.modbus.valueCount = fc == 6 ? 1 : 0;
        o.modbus.values[0] = value;
        deliver();
    }

    /**
     * Three hours of learning: the HMI keeps one connection to the PLC and reads two register blocks once a second;
     * twenty workstations appear in the first minutes and talk to a server.
     */
    private long learnPolling() {
        long t = T0;
        flow(t, HMI, PLC, 502);
        for (int s = 0; s < LEARN_SECONDS; s++) {
            t = T0 + s * SECOND;
            if (s < 20) {
                flow(t, ip(10, 2, 0, s + 1), FILE_SERVER, 445);
            }
            modbus(t, HMI, PLC, 3, 100, 0);
            modbus(t + SECOND / 2, HMI, PLC, 3, 200, 0);
        }
        return t + SECOND;
    }

    private List<AlertType> types() {
        return alerts.stream().map(Alert::type).collect(Collectors.toList());
    }

    @Test
    void routinePollingAfterLearningRaisesNothing() {
        long t = learnPolling();
        for (int s = 0; s < 600; s++) {
            if (s % 60 == 0) {
                flow(t + s * SECOND, HMI, PLC, 502);
            }
            modbus(t + s * SECOND, HMI, PLC, 3, 100, 0);
        }
        assertEquals(List.of(), types());
    }

    @Test
    void firstWriteByAMasterThatOnlyReadIsExplained() {
        long t = learnPolling();
        modbus(t, HMI, PLC, 6, 40012, 1234);
        assertEquals(List.of(AlertType.FIRST_WRITE), types());
        Alert a = alerts.get(0);
        assertEquals("PLC 10.1.2.7 got Modbus FC6 write to register 40012 (value 1234) from 10.1.3.10, which in 3 h "
            + "only read with FC3.", a.explanation());
        assertEquals("T0855", a.type().techniqueId());
        assertEquals("10.1.2.7", a.device().ip());
        assertEquals("PLC", a.device().type());
        assertTrue(a.score() >= 70, "score " + a.score());
        assertTrue(a.confidence() > 80, "confidence " + a.confidence());
        // Repeats aggregate into the same alert and are not learned as normal yet.
        modbus(t + SECOND, HMI, PLC, 6, 40012, 1234);
        modbus(t + 2 * SECOND, HMI, PLC, 6, 40013, 1);
        assertEquals(1, alerts.size());
        assertEquals(3, a.count());
        assertEquals(t + 2 * SECOND, a.lastSeenNanos());
        assertEquals(3, a.evidence().size());
        // Past the evidence an alert keeps, repeats still count and move its last-seen time.
        for (int i = 3; i < 8; i++) {
            modbus(t + i * SECOND, HMI, PLC, 6, 40012, 1234);
        }
        assertEquals(8, a.count());
        assertEquals(t + 7 * SECOND, a.lastSeenNanos());
        assertEquals(Alert.MAX_EVIDENCE, a.evidence().size());
        assertEquals(t + 4 * SECOND, a.evidence().get(Alert.MAX_EVIDENCE - 1).timeNanos(), "the first five are kept");
    }

    /** The QuickDraw "change date" attack: CIP set_attribute_list on the Time Sync object from a station that only read. */
    @Test
    void aStationThatOnlyReadSettingThePlcClockIsAnEscalation() {
        long t = T0;
        flow(t, HMI, PLC, 44818);
        for (int s = 0; s < LEARN_SECONDS; s += 10) {
            t = T0 + s * SECOND;
            cip(t, HMI, PLC, 0x03, IcsOp.KIND_READ, 0x8B); // get_attribute_list on the Time Sync object
        }
        cip(T0 + LEARN_SECONDS * SECOND + SECOND, HMI, PLC, 0x04, IcsOp.KIND_TIME, 0x8B);
        assertEquals(List.of(AlertType.FIRST_WRITE), types());
        assertEquals("PLC 10.1.2.7 got CIP set_attribute_list time to class 0x8b instance 1 from 10.1.3.10, which in "
            + "3 h only read with get_attribute_list.", alerts.get(0).explanation());
    }

    private void cip(long t, int src, int dst, int service, int kind, int objectClass) {
        o.clear();
        o.type = ObservationType.ENIP_OP;
        o.appProtocol = AppProtocol.ENIP;
        o.timestampNanos = t;
        o.srcIpLo = IpAddresses.v4MappedLo(src);
        o.dstIpLo = IpAddresses.v4MappedLo(dst);
        o.srcPort = clientPort;
        o.dstPort = 44818;
        o.ipProto = 6;
        o.ics.function = service;
        o.ics.kind = kind;
        o.ics.objectClass = objectClass;
        o.ics.instance = 1;
        deliver();
    }

    @Test
    void aNewMasterIsARogueMasterAndANewPeerAndANewDevice() {
        long t = learnPolling();
        flow(t, ATTACKER, PLC, 502);
        modbus(t + SECOND / 10, ATTACKER, PLC, 6, 40012, 1);
        assertEquals(List.of(AlertType.NEW_DEVICE, AlertType.NEW_PEER, AlertType.ROGUE_MASTER), types());
        assertEquals(
            "PLC 10.1.2.7 got a first tcp/502 connection from 10.1.3.50; in 3 h it had 1 known peer/port pair over 181 "
                + "active minutes, a new one expected about once in 364 minutes.",
            alerts.get(1).explanation());
        assertEquals("PLC 10.1.2.7 got Modbus FC6 write to register 40012 (value 1) from 10.1.3.50, which in 3 h had "
            + "never sent it Modbus requests.", alerts.get(2).explanation());
    }

    @Test
    void aReadOfANewRangeByTheKnownMasterIsReportedAsRareNotAsAnEscalation() {
        long t = learnPolling();
        modbus(t, HMI, PLC, 3, 5000, 0);
        assertEquals(List.of(AlertType.NEW_INDUSTRIAL_OPERATION), types());
        assertEquals(2, alerts.get(0).severity());
    }

    @Test
    void writtenValueOutsideItsLearnedRange() {
        long t = T0;
        flow(t, HMI, PLC, 502);
        for (int s = 0; s < LEARN_SECONDS; s++) {
            t = T0 + s * SECOND;
            modbus(t, HMI, PLC, 3, 100, 0);
            if (s % 300 == 0) {
                modbus(t, HMI, PLC, 6, 300, 18 + (s / 300) % 5); // set-point between 18 and 22
            }
        }
        t += SECOND;
        modbus(t, HMI, PLC, 6, 300, 23); // inside the margin
        assertEquals(List.of(), types());
        modbus(t + SECOND, HMI, PLC, 6, 300, 95);
        assertEquals(List.of(AlertType.VALUE_OUT_OF_RANGE), types());
        // 23 was inside the margin and not alerted on, so it was learned.
        assertEquals("PLC 10.1.2.7 got register 300 set to 95 by 10.1.3.10 (Modbus FC6); in 3 h the 37 values written "
            + "there stayed within 18 to 23.", alerts.get(0).explanation());
    }

    @Test
    void aServerThatMeetsNewClientsAllTheTimeDoesNotAlertOnOneMore() {
        long t = T0;
        for (int s = 0; s < LEARN_SECONDS; s++) {
            t = T0 + s * SECOND;
            // a new workstation every 20 s, and regulars
            int client = s % 20 == 0 ? ip(10, 2, s / 256 % 256, s % 256) : ip(10, 2, 100, s % 5);
            flow(t, client, FILE_SERVER, 445);
        }
        flow(t + SECOND, ip(10, 2, 200, 1), FILE_SERVER, 445);
        assertTrue(types().stream().noneMatch(x -> x == AlertType.NEW_PEER), types().toString());
    }

    @Test
    void anotherMacClaimingAnAddressIsArpSpoofingButTheDevicesOwnArpIsNot() {
        long plcMac = 0x0000_0222_3300_0007L;
        long attackerMac = 0x0000_0242_AC11_0002L;
        for (int m = 0; m < 180; m++) {
            arp(T0 + m * 60 * SECOND, PLC, plcMac, HMI);
        }
        long t = learnPolling();
        arp(t, PLC, plcMac, PLC); // gratuitous ARP with its own MAC
        assertEquals(List.of(), types());
        arp(t + SECOND, PLC, attackerMac, HMI);
        assertEquals(List.of(AlertType.ARP_SPOOFING), types());
        assertEquals("10.1.2.7 was claimed by MAC 02:42:ac:11:00:02 in an ARP reply to 10.1.3.10; in 3 h of learning "
            + "only 02:22:33:00:00:07 claimed it.", alerts.get(0).explanation());
        assertEquals("T0830", alerts.get(0).type().techniqueId());
        arp(t + 2 * SECOND, PLC, attackerMac, HMI);
        assertEquals(1, alerts.size(), "repeats fold into the finding");
        assertEquals(2, alerts.get(0).count());
    }

    @Test
    void burstsOfFirstContactsAreScansButALearnedPollerIsNot() {
        long t = learnPolling();
        // The HMI, which learned one peer, sweeps port 502 over twenty hosts in two seconds.
        for (int h = 1; h <= 20; h++) {
            flow(t + h * SECOND / 10, HMI, ip(10, 1, 2, 100 + h), 502);
        }
        List<Alert> scans = alerts.stream().filter(a -> a.type() == AlertType.SCAN).collect(Collectors.toList());
        assertEquals(1, scans.size(), types().toString());
        assertTrue(scans.get(0).explanation().startsWith("HMI/SCADA 10.1.3.10 made first contact with 16 hosts on tcp/502 "
            + "within 1 s (a horizontal scan); before this burst it had contacted 1 peer/port pairs in all (learning: 3 h)."),
            scans.get(0).explanation());
        assertEquals(4, scans.get(0).severity(), "an industrial port");
        assertEquals(5, scans.get(0).count(), "probes 16 to 20 fold into it");
        // A vertical scan of the PLC by a workstation: a second finding.
        for (int port = 1; port <= 20; port++) {
            flow(t + 5 * SECOND + port * SECOND / 10, FILE_SERVER, PLC, port);
        }
        assertTrue(alerts.stream().anyMatch(a -> a.type() == AlertType.SCAN
            && a.explanation().contains("16 ports of 10.1.2.7") && a.explanation().contains("vertical scan")),
            types().toString());
    }

    @Test
    void aDeviceAnsweringOnANewPortIsANewServiceButAProbeOfAClosedPortIsNot() {
        long t = learnPolling();
        flowEnd(t, HMI, PLC, 80, 0); // a SYN without answer: no service
        flowEnd(t, HMI, PLC, 8080, 1, FlowView.SYN_SEEN | FlowView.RST_SEEN); // a closed port's RST: no service
        assertEquals(List.of(), types());
        flowEnd(t + SECOND, HMI, PLC, 23, 12);
        assertEquals(List.of(AlertType.NEW_SERVICE), types());
        assertEquals("PLC 10.1.2.7 answered on tcp/23 for the first time (client 10.1.3.10); in 3 h it answered only on "
            + "tcp/502.", alerts.get(0).explanation());
    }

    @Test
    void shadowAiIsAHostsFirstGenerativeAiServiceButNotADevelopersDailyOne() {
        int developer = ip(10, 2, 0, 1); // talks to the file server in learnPolling
        flow(T0, developer, FILE_SERVER, 445); // the plan starts at the first observation
        dnsQuery(T0 + SECOND, developer, "api.openai.com");
        long t = learnPolling();
        dnsQuery(t, developer, "api.openai.com");
        dnsQuery(t + SECOND, developer, "api.anthropic.com"); // another provider: not new behaviour
        assertEquals(List.of(), types());
        dnsQuery(t + 2 * SECOND, HMI, "API.OpenAI.com");
        assertEquals(List.of(AlertType.SHADOW_AI), types());
        assertEquals("HMI/SCADA 10.1.3.10 reached OpenAI (a DNS query for api.openai.com); in 3 h of learning it used no "
            + "generative-AI service.", alerts.get(0).explanation());
        assertEquals(4, alerts.get(0).severity(), "an OT host");
    }

    @Test
    void aNewClientOpeningAnUnsecuredOpcUaChannelIsReported() {
        int opcServer = ip(10, 1, 5, 1);
        flow(T0, HMI, opcServer, 4840);
        opcuaOpenNone(T0 + SECOND, HMI, opcServer);
        long t = learnPolling();
        opcuaOpenNone(t, HMI, opcServer); // the HMI did so while learning
        assertTrue(types().stream().noneMatch(x -> x == AlertType.INSECURE_SESSION), types().toString());
        flow(t + SECOND, FILE_SERVER, opcServer, 4840);
        opcuaOpenNone(t + 2 * SECOND, FILE_SERVER, opcServer);
        List<Alert> insecure = alerts.stream().filter(a -> a.type() == AlertType.INSECURE_SESSION)
            .collect(Collectors.toList());
        assertEquals(1, insecure.size(), types().toString());
        assertEquals("OPC UA server 10.1.5.1 got an OPC UA secure channel with SecurityPolicy None from 10.1.4.20; in 3 h "
            + "other clients used None, this one never did.", insecure.get(0).explanation());
        assertEquals(3, insecure.get(0).severity());
    }

    @Test
    void dnsTunnellingAndGeneratedNamesButNotOrdinaryFailures() {
        long t = learnPolling();
        int workstation = ip(10, 2, 0, 3);
        for (int i = 0; i < 12; i++) {
            dnsAnswer(t + i * SECOND, workstation, "printer-" + (i % 3) + ".corp.example", 3); // ordinary NXDOMAINs
        }
        assertEquals(List.of(), types());
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 12; i++) {
            StringBuilder label = new StringBuilder();
            for (int k = 0; k < 20; k++) {
                label.append("bcdfghjklmnpqrstvwxz0123456789".charAt(r.nextInt(30)));
            }
            dnsAnswer(t + 20 * SECOND + i * SECOND, workstation, label + ".com", 3);
        }
        assertEquals(List.of(AlertType.DGA_LOOKUPS), types());
        String data = "mfzwizltoq2gk4tfmvzgc3tfmvzgc3ltmfzwizltoq2gk4tfmvzg";
        for (int i = 0; i < 40; i++) {
            dnsQuery(t + 40 * SECOND + i * SECOND / 4, HMI, data.substring(i % 5) + i + ".t.evil.example");
        }
        assertEquals(List.of(AlertType.DGA_LOOKUPS, AlertType.DNS_TUNNELLING), types());
        assertTrue(alerts.get(1).explanation().startsWith("HMI/SCADA 10.1.3.10: 30 of its 30 DNS queries carried labels"),
            alerts.get(1).explanation());
    }

    @Test
    void steadyConnectionsToARareExternalAddressAreABeaconButPopularOrIrregularOnesAreNot() {
        long t = learnPolling();
        int c2 = ip(203, 0, 113, 9);
        int updates = ip(198, 51, 100, 1);
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 12; i++) {
            long at = t + i * 60 * SECOND;
            flow(at + r.nextInt(1000) * 1_000_000L, HMI, c2, 443); // every 60 s, under 1 s of jitter
            for (int w = 1; w <= 3; w++) {
                flow(at + w * SECOND, ip(10, 2, 0, w), updates, 443); // three hosts, the same periodic check
            }
            flow(at + (5 + r.nextInt(50)) * SECOND, ip(10, 2, 0, 9), ip(192, 0, 2, 77), 443); // irregular
        }
        List<Alert> beacons = alerts.stream().filter(a -> a.type() == AlertType.BEACONING).collect(Collectors.toList());
        assertEquals(1, beacons.size(), types().toString());
        assertTrue(beacons.get(0).explanation().startsWith("HMI/SCADA 10.1.3.10 connected to external 203.0.113.9 "
            + "(tcp/443) 8 times every 60 s with "), beacons.get(0).explanation());
    }

    @Test
    void alertedBehaviourIsLearnedOnlyWhenItPersists() {
        long t = learnPolling();
        modbus(t, HMI, PLC, 6, 40012, 1);
        assertEquals(1, alerts.size());
        // Five repeats within a minute: still not normal, so a fresh engine view would alert again.
        for (int i = 1; i <= 5; i++) {
            modbus(t + i * SECOND, HMI, PLC, 6, 40012, 1);
        }
        assertEquals(1, alerts.size());
        assertEquals(6, alerts.get(0).count());
        // The same write every 10 minutes for over an hour: it has persisted, and is now learned.
        for (int i = 1; i <= 8; i++) {
            modbus(t + i * 600 * SECOND, HMI, PLC, 6, 40012, 1);
        }
        long before = alerts.get(0).count();
        modbus(t + 9 * 600 * SECOND, HMI, PLC, 6, 40012, 1);
        assertEquals(before, alerts.get(0).count(), "learned: no longer counted as the alert's repeat");
    }
}
