package io.vigil.sensor.simulate;

import static io.vigil.sensor.simulate.DataCentre.MODBUS;
import static io.vigil.sensor.simulate.DataCentre.SECOND;
import static io.vigil.sensor.simulate.Network.ip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The labelled events of the test period: one realistic instance of each attack kind and a few benign novelties,
 * spread out with quiet normal traffic between them. Each event records its first and last packet as the wire emits
 * them; attacks that ride on a background process (an HMI's own connection) hand it an extra exchange.
 */
final class Incidents {
    /** One kind of event: its label, how long it roughly lasts, and how to inject it at a time. */
    private record Kind(String type, long micros, Injector injector) {
    }

    private interface Injector {
        EventRecord inject(long t);
    }

    private final DataCentre dc;
    private final Wire wire;
    private final SplittableRandom random;
    private final boolean compact;
    private final long testMicros;
    private final List<Host> spareWorkstations = new ArrayList<>();
    private final List<EventRecord> records = new ArrayList<>();
    /** The PLC the benign reboot hits; polling attacks pick another, so the two never blur into one silence. */
    private final Host rebootedPlc;

    Incidents(DataCentre dc, SplittableRandom random, long testMicros) {
        this.dc = dc;
        this.wire = dc.wire;
        this.random = random;
        this.testMicros = testMicros;
        this.compact = testMicros < 1_800 * SECOND;
        for (Host ws : dc.workstations) {
            if (!dc.admins.contains(ws) && ws != dc.aiUser) {
                spareWorkstations.add(ws);
            }
        }
        shuffle(spareWorkstations);
        rebootedPlc = plc();
    }

    List<EventRecord> records() {
        return records;
    }

    /** Places every event in the test period and schedules it. */
    void schedule() {
        List<Kind> kinds = new ArrayList<>(List.of(
            new Kind("new_device", 10 * SECOND, this::newDevice),
            new Kind("cross_zone_path", 5 * SECOND, this::crossZonePath),
            new Kind("new_service", 15 * SECOND, this::newService),
            new Kind("first_write", 3 * SECOND, this::firstWrite),
            new Kind("rogue_master", 10 * SECOND, this::rogueMaster),
            new Kind("new_function_code", 3 * SECOND, this::newFunctionCode),
            new Kind("new_register_range", 3 * SECOND, this::newRegisterRange),
            new Kind("bacnet_control", 2 * SECOND, this::bacnetControl),
            new Kind("bacnet_write", 2 * SECOND, this::bacnetWrite),
            new Kind("opcua_write", 6 * SECOND, this::opcuaWrite),
            new Kind("opcua_insecure_session", 10 * SECOND, this::opcuaInsecureSession),
            new Kind("value_out_of_range", 3 * SECOND, this::valueOutOfRange),
            new Kind("request_flood", (compact ? 12 : 22) * SECOND, this::requestFlood),
            new Kind("exfiltration", (compact ? 5 : 30) * SECOND, this::exfiltration),
            new Kind("polling_period_change", periodChangeDuration(), this::pollingPeriodChange),
            new Kind("scan_horizontal", probeGap() * 300, this::scanHorizontal),
            new Kind("scan_vertical", 6 * SECOND, this::scanVertical),
            new Kind("arp_sweep", 6 * SECOND, this::arpSweep),
            new Kind("ping_sweep", probeGap() * 300, this::pingSweep),
            new Kind("arp_spoofing", (compact ? 10 : 30) * SECOND, this::arpSpoofing),
            new Kind("beaconing", beaconCount() * beaconPeriod(), this::beaconing),
            new Kind("dns_tunnelling", (compact ? 10 : 60) * SECOND, this::dnsTunnelling),
            new Kind("dga", dgaNames() * 250_000L, this::dga),
            new Kind("shadow_ai", 5 * SECOND, this::shadowAi),
            new Kind("brute_force", (compact ? 10 : 60) * SECOND, this::bruteForce),
            new Kind("new_web_domain", 3 * SECOND, this::newWebDomain),
            new Kind("reboot", rebootDowntime() + 15 * SECOND, this::reboot),
            new Kind("retransmissions", 3 * SECOND, this::retransmissions),
            new Kind("dhcp_renewal", SECOND, this::dhcpRenewal)));
        shuffle(kinds);
        Kind last = new Kind("polling_stopped", 0, this::pollingStopped);
        long quiet = Math.min(300 * SECOND, testMicros / 10);
        long tail = compact ? Math.max(30 * SECOND, testMicros / 10) : 330 * SECOND;
        long busy = 0;
        for (Kind k : kinds) {
            busy += k.micros;
        }
        long gap = (testMicros - quiet - tail - busy) / kinds.size();
        if (gap < 2 * SECOND) {
            throw new IllegalArgumentException("the test period is too short to hold every event with gaps between "
                + "them: give it at least " + (((quiet + tail + busy) / SECOND + 2L * kinds.size()) / 60 + 1) + " minutes");
        }
        long t = dc.learnEnd + quiet;
        for (Kind k : kinds) {
            long at = t + jitter(Math.min(gap / 3, 10 * SECOND));
            dc.clock.at(at, now -> records.add(k.injector.inject(now)));
            t += k.micros + gap;
        }
        dc.clock.at(t, now -> records.add(last.injector.inject(now)));
    }

    /** Spacing of a sweep's probes: nmap-like in a long test, faster in a compact one. */
    private long probeGap() {
        return (compact ? 25 : 50) * 1_000L;
    }

    private int dgaNames() {
        return compact ? 25 : 40;
    }

    private long rebootDowntime() {
        return (compact ? 10 : 30) * SECOND;
    }

    private long periodChangeDuration() {
        return (compact ? 15 : 120) * SECOND;
    }

    private long floodDuration() {
        return (compact ? 10 : 20) * SECOND;
    }

    private long beaconPeriod() {
        return (compact ? 10 : 60) * SECOND;
    }

    private int beaconCount() {
        return compact ? 4 : 10;
    }

    private long jitter(long max) {
        return max <= 0 ? 0 : random.nextLong(max + 1);
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T x = list.get(i);
            list.set(i, list.get(j));
            list.set(j, x);
        }
    }

    private Host spare() {
        return spareWorkstations.remove(spareWorkstations.size() - 1);
    }

    private Host plc() {
        return dc.plcs.get(random.nextInt(dc.plcs.size()));
    }

    private Host plcOtherThanTheRebooted() {
        Host p = plc();
        while (p == rebootedPlc) {
            p = plc();
        }
        return p;
    }

    private EventRecord attack(String type, List<String> alerts, String technique, List<Host> actors,
                               List<Host> victims, String description) {
        EventRecord e = new EventRecord(type, true, alerts, technique, addresses(actors), addresses(victims),
            description);
        wire.record(e);
        return e;
    }

    private EventRecord benign(String type, List<Host> actors, List<Host> victims, String description) {
        EventRecord e = new EventRecord(type, false, List.of(), "", addresses(actors), addresses(victims), description);
        wire.record(e);
        return e;
    }

    private static List<String> addresses(List<Host> hosts) {
        List<String> out = new ArrayList<>();
        for (Host h : hosts) {
            out.add(h.address());
        }
        return out;
    }

    /** Queues an extra exchange on a poller's connection, recorded for {@code e}. */
    private void onPoller(Host master, Host plc, EventRecord e, DataCentre.ModbusExtra extra) {
        wire.stopRecording();
        dc.pollers.get(DataCentre.key(master, plc)).extras.add((at, p) -> {
            wire.record(e);
            return extra.run(at, p);
        });
    }

    // ------------------------------------------------------------------ attacks

    private EventRecord newDevice(long t) {
        int address = ip(10, 30, 0, 200 + random.nextInt(40));
        Host laptop = dc.net.addUnlisted("rogue-laptop", address, Network.OUI_INTEL, "laptop");
        EventRecord e = attack("new_device", List.of("new_device"), "T0864", List.of(laptop), List.of(),
            "An unknown laptop joins the OT segment: DHCP, ARP, then DNS and HTTPS out");
        int relay = dc.net.gatewayOf(address);
        int xid = random.nextInt();
        String name = "DESKTOP-" + Long.toString(random.nextLong(1L << 30, 1L << 35), 36).toUpperCase(Locale.ROOT);
        wire.udpFromMac(t, laptop.mac(), 0, -1, 68, 67,
            Payloads.dhcpClient(Payloads.DHCP_DISCOVER, xid, laptop.mac(), 0, 0, 0, name));
        wire.udp(t + 3_000, relay, -1, 67, 68, Payloads.dhcpServer(Payloads.DHCP_OFFER, xid, laptop.mac(), 0, address,
            dc.dns.ip(), relay, relay, dc.dns.ip()));
        wire.udpFromMac(t + 9_000, laptop.mac(), 0, -1, 68, 67,
            Payloads.dhcpClient(Payloads.DHCP_REQUEST, xid, laptop.mac(), 0, address, dc.dns.ip(), name));
        wire.udp(t + 12_000, relay, -1, 67, 68, Payloads.dhcpServer(Payloads.DHCP_ACK, xid, laptop.mac(), 0, address,
            dc.dns.ip(), relay, relay, dc.dns.ip()));
        long at = t + 40_000;
        // ARP probes (sender 0.0.0.0), then an announcement, as RFC 5227 clients do
        for (int i = 0; i < 3; i++) {
            wire.arp(at + i * 400_000L, laptop.mac(), Wire.BROADCAST, 1, laptop.mac(), 0, 0, address);
        }
        at += 2_000_000;
        wire.arp(at, laptop.mac(), Wire.BROADCAST, 1, laptop.mac(), address, 0, address);
        dc.arpExchange(at + 100_000, laptop, dc.net.host(relay));
        at = dc.resolve(at + 300_000, address, "www.msftconnecttest.com", List.of(ip(13, 107, 4, 52)));
        at = dc.tlsSession(at + 2_000, address, ip(13, 107, 4, 52), 443, "www.msftconnecttest.com", 1, 800, false);
        DataCentre.Site s = DataCentre.SITES.get(random.nextInt(DataCentre.SITES.size()));
        dc.visit(at + 3 * SECOND, address, s, new HashMap<>());
        return e;
    }

    private EventRecord crossZonePath(long t) {
        Host ws = spare();
        Host plc = plc();
        EventRecord e = attack("cross_zone_path", List.of("cross_zone_path", "new_peer", "rogue_master"), "T0886",
            List.of(ws), List.of(plc), "An IT workstation opens Modbus/TCP to a PLC and reads holding registers");
        TcpFlow f = dc.flow(ws.ip(), plc.ip(), MODBUS);
        long at = f.open(t);
        for (int i = 0; i < 4; i++) {
            int tid = i + 1;
            f.send(at + 150_000, true, Payloads.modbus(tid, 1, Payloads.readHoldingRequest(10 * i, 10)));
            at = f.send(at + 150_000 + f.delay + 3_000, false,
                Payloads.modbus(tid, 1, Payloads.readHoldingResponse(registers(10))));
        }
        f.close(at + 200_000, true);
        return e;
    }

    private EventRecord newService(long t) {
        Host client = dc.ews;
        Host plc = plc();
        EventRecord e = attack("new_service", List.of("new_service"), "T0822", List.of(client), List.of(plc),
            "A PLC starts answering Telnet (tcp/23, a maintenance backdoor enabled); the engineering workstation logs in");
        TcpFlow f = dc.flow(client.ip(), plc.ip(), 23);
        long at = f.open(t);
        at = f.send(at + 20_000, false, Payloads.telnetServerOptions());
        at = f.send(at + f.delay + 2_000, true, Payloads.telnetClientOptions());
        at = f.send(at + f.delay + 30_000, false, Bytes.text("\r\nPLC maintenance shell\r\nlogin: "));
        String[][] dialogue = {{"maint\r\n", "Password: "}, {"maint\r\n", "\r\nPLC> "},
            {"show config\r\n", "ip 10.30.0.0/24 gw 10.30.0.1\r\nmodbus on port 502\r\nPLC> "},
            {"exit\r\n", "bye\r\n"}};
        for (String[] d : dialogue) {
            at = f.exchange(at + 1_500_000 + jitter(2_000_000), Bytes.text(d[0]), 30_000, Bytes.text(d[1]));
            f.ack(at + 40_000, true);
        }
        f.close(at + 200_000, false);
        return e;
    }

    private EventRecord firstWrite(long t) {
        Host plc = plc();
        EventRecord e = attack("first_write", List.of("first_write"), "T0855", List.of(dc.hmiB), List.of(plc),
            "HMI B, which only ever read this PLC, writes a holding register (FC6) on its polling connection");
        onPoller(dc.hmiB, plc, e, (at, p) -> p.exchange(at, Payloads.writeSingle(40, 1), Payloads.writeSingle(40, 1)));
        return e;
    }

    private EventRecord rogueMaster(long t) {
        Host rogue = dc.opcServer;
        Host plc = plc();
        EventRecord e = attack("rogue_master", List.of("rogue_master", "new_peer"), "T0848", List.of(rogue),
            List.of(plc), "An OT host that never spoke Modbus connects to a PLC, reads, then writes registers (FC16)");
        TcpFlow f = dc.flow(rogue.ip(), plc.ip(), MODBUS);
        long at = f.open(t);
        for (int i = 0; i < 3; i++) {
            f.send(at + 500_000, true, Payloads.modbus(i + 1, 1, Payloads.readHoldingRequest(0, 20)));
            at = f.send(at + 500_000 + f.delay + 3_000, false,
                Payloads.modbus(i + 1, 1, Payloads.readHoldingResponse(registers(20))));
        }
        int[] values = {0, 0, 1, 0};
        f.send(at + 2 * SECOND, true, Payloads.modbus(4, 1, Payloads.writeMultipleRequest(300, values)));
        at = f.send(at + 2 * SECOND + f.delay + 4_000, false,
            Payloads.modbus(4, 1, Payloads.writeMultipleResponse(300, values.length)));
        f.close(at + 300_000, true);
        return e;
    }

    private EventRecord newFunctionCode(long t) {
        Host plc = plc();
        EventRecord e = attack("new_function_code", List.of("new_industrial_operation"), "T0855", List.of(dc.hmiA),
            List.of(plc), "HMI A sends Read Device Identification (FC43/14) and Diagnostics (FC8) to a PLC it only read");
        boolean siemens = plc.mac() >>> 24 == Network.OUI_SIEMENS;
        onPoller(dc.hmiA, plc, e, (at, p) -> {
            long a = p.exchange(at, Payloads.readDeviceIdRequest(), Payloads.readDeviceIdResponse(
                siemens ? "Siemens" : "Schneider Electric", siemens ? "CPU 1214C" : "M340 BMX P34 2020", "V4.5"));
            return p.exchange(a + 5_000, Payloads.diagnosticsEcho(0xA537), Payloads.diagnosticsEcho(0xA537));
        });
        return e;
    }

    private EventRecord newRegisterRange(long t) {
        Host plc = plc();
        EventRecord e = attack("new_register_range", List.of("new_industrial_operation"), "T0855", List.of(dc.hmiA),
            List.of(plc), "HMI A reads holding registers 30000-30099, far outside the blocks it polls");
        onPoller(dc.hmiA, plc, e, (at, p) -> {
            long a = p.exchange(at, Payloads.readHoldingRequest(30_000, 50), Payloads.readHoldingResponse(registers(50)));
            return p.exchange(a + 5_000, Payloads.readHoldingRequest(30_050, 50),
                Payloads.readHoldingResponse(registers(50)));
        });
        return e;
    }

    private EventRecord bacnetControl(long t) {
        Host ws = dc.bmsWorkstation;
        Host ctl = dc.controllers.get(random.nextInt(dc.controllers.size()));
        EventRecord e = attack("bacnet_control", List.of("control_command"), "T0816", List.of(ws), List.of(ctl),
            "The BMS workstation, which only ever read this controller, sends it DeviceCommunicationControl "
                + "(disable, 60 min): a compromised operator station silencing a controller");
        int id = dc.nextInvokeId();
        wire.udp(t, ws.ip(), ctl.ip(), 47_808, DataCentre.BACNET, Payloads.deviceCommunicationControl(id, 60,
            "admin"));
        wire.udp(t + 12_000, ctl.ip(), ws.ip(), DataCentre.BACNET, 47_808, Payloads.simpleAck(id, 17));
        return e;
    }

    private EventRecord bacnetWrite(long t) {
        Host ws = spare();
        Host ctl = dc.controllers.get(random.nextInt(dc.controllers.size()));
        EventRecord e = attack("bacnet_write", List.of("first_write", "rogue_master", "new_industrial_operation"),
            "T0855", List.of(ws), List.of(ctl),
            "An IT workstation writes present-value of analog-value 1 (the temperature setpoint) to 30.0 at priority 8");
        int id = dc.nextInvokeId();
        wire.udp(t, ws.ip(), ctl.ip(), 47_808, DataCentre.BACNET,
            Payloads.writePropertyReal(id, Payloads.OBJECT_ANALOG_VALUE, 1, 30.0f, 8));
        wire.udp(t + 15_000, ctl.ip(), ws.ip(), DataCentre.BACNET, 47_808, Payloads.simpleAck(id, 15));
        return e;
    }

    private EventRecord opcuaWrite(long t) {
        DataCentre.OpcUaClient c = dc.legacyOpcClient;
        EventRecord e = attack("opcua_write", List.of("first_write", "new_industrial_operation"), "T0855",
            List.of(c.client), List.of(dc.opcServer),
            "The historian, which only read over its legacy None session, writes a node and calls a method");
        wire.stopRecording();
        c.pendingWrite = e;
        return e;
    }

    private EventRecord opcuaInsecureSession(long t) {
        Host client = dc.ews;
        EventRecord e = attack("opcua_insecure_session", List.of("insecure_session", "new_peer"), "T0859",
            List.of(client), List.of(dc.opcServer),
            "The engineering workstation, never an OPC UA client, opens a session with SecurityPolicy None and reads");
        OpcUaSession s = new OpcUaSession(dc.flow(client.ip(), dc.opcServer.ip(), DataCentre.OPC_UA), false, random,
            "opc.tcp://" + dc.opcServer.address() + ":4840/plant");
        long at = s.open(t);
        at = s.browse(at + 500_000);
        at = s.read(at + 700_000);
        s.close(at + 1_500_000);
        return e;
    }

    private EventRecord valueOutOfRange(long t) {
        Host plc = dc.plcs.get(dc.setpointPlcs.get(random.nextInt(dc.setpointPlcs.size())));
        DataCentre.ModbusPoller p = dc.pollers.get(DataCentre.key(dc.hmiA, plc));
        int value = p.setpointBase * 4;
        EventRecord e = attack("value_out_of_range", List.of("value_out_of_range"), "T0836", List.of(dc.hmiA),
            List.of(plc), "HMI A writes its usual setpoint register " + p.setpointRegister + " with " + value
                + " (learned band " + (p.setpointBase - 5) + "-" + (p.setpointBase + 5) + ")");
        onPoller(dc.hmiA, plc, e, (at, q) -> q.exchange(at, Payloads.writeSingle(q.setpointRegister, value),
            Payloads.writeSingle(q.setpointRegister, value)));
        return e;
    }

    private EventRecord requestFlood(long t) {
        Host src = dc.ews;
        Host plc = plc();
        EventRecord e = attack("request_flood", List.of("request_flood"), "T0814", List.of(src), List.of(plc),
            "The engineering workstation floods a PLC with Modbus reads at about 80 per second for "
                + floodDuration() / SECOND + " s");
        TcpFlow f = dc.flow(src.ip(), plc.ip(), MODBUS);
        long at = f.open(t);
        long stop = at + floodDuration();
        int tid = 0;
        while (at < stop) {
            tid++;
            f.send(at, true, Payloads.modbus(tid, 1, Payloads.readHoldingRequest(0, 125)));
            long r = f.send(at + f.delay + 2_500, false, Payloads.modbus(tid, 1,
                Payloads.readHoldingResponse(registers(125))));
            at = r + 6_000 + jitter(4_000);
        }
        f.close(at + 10_000, true);
        return e;
    }

    private EventRecord exfiltration(long t) {
        Host src = dc.files;
        int dst = ip(45, 146, 164, 10 + random.nextInt(200));
        long bytes = Math.max(256L << 10, Math.min(40L << 20, (long) (30.0 * (1 << 20) * Math.pow(testMicros
            / (3_600.0 * SECOND), 2))));
        EventRecord e = new EventRecord("exfiltration", true, List.of("exfiltration", "volume_spike"), "T1048",
            List.of(src.address()), List.of(Network.toString(dst)),
            "The file server uploads " + (bytes >> 10) + " KiB over TLS to an external address it never used");
        wire.record(e);
        String sni = "transfer-" + Long.toString(random.nextLong(1L << 40), 36) + ".storage-sync.io";
        TcpFlow f = new TcpFlow(wire, src.ip(), dc.ephemeral(src.ip()), dst, 443, dc.isn(), dc.isn());
        long at = f.open(t);
        at = f.send(at + 200, true, Payloads.clientHello(random, sni, true));
        at = f.send(at + f.delay + 2_000, false, Payloads.serverFlight(random, 2_600));
        at = f.send(at + f.delay + 500, true, Payloads.clientFinished(random));
        long left = bytes;
        while (left > 0) {
            int n = (int) Math.min(16_384, left);
            at = f.stream(at + 130, true, Payloads.applicationData(random, n), 130);
            left -= n;
        }
        at = f.send(at + f.delay + 5_000, false, Payloads.applicationData(random, 300));
        f.close(at + 50_000, true);
        return e;
    }

    private EventRecord pollingStopped(long t) {
        Host plc = plcOtherThanTheRebooted();
        DataCentre.ModbusPoller p = dc.pollers.get(DataCentre.key(dc.hmiB, plc));
        p.silent = true;
        EventRecord e = new EventRecord("polling_stopped", true, List.of("polling_stopped"), "T0814",
            List.of(dc.hmiB.address()), List.of(plc.address()),
            "HMI B stops polling this PLC (its driver hangs, the connection goes silent) for the rest of the capture");
        e.saw(Math.max(p.nextDue, t));
        e.lastsUntilTheEnd = true;
        return e;
    }

    private EventRecord pollingPeriodChange(long t) {
        Host plc = plcOtherThanTheRebooted();
        DataCentre.ModbusPoller p = dc.pollers.get(DataCentre.key(dc.hmiA, plc));
        long newPeriod = p.normalPeriod / 10;
        long duration = periodChangeDuration();
        EventRecord e = new EventRecord("polling_period_change", true, List.of("polling_period_changed"), "T0814",
            List.of(dc.hmiA.address()), List.of(plc.address()),
            "HMI A polls this PLC every " + newPeriod / 1000 + " ms instead of every " + p.normalPeriod / 1000
                + " ms for " + duration / SECOND + " s");
        p.period = newPeriod;
        p.changeEvent = e;
        p.changeUntil = t + duration;
        return e;
    }

    private EventRecord scanHorizontal(long t) {
        Host ws = spare();
        EventRecord e = attack("scan_horizontal", List.of("scan"), "T0846", List.of(ws), List.of(),
            "An IT workstation sends SYNs to port 502 across the whole OT /24");
        int port = dc.ephemeral(ws.ip());
        long at = t;
        for (int last = 1; last < 255; last++) {
            int target = ip(10, 30, 0, last);
            TcpFlow f = new TcpFlow(wire, ws.ip(), port, target, MODBUS, dc.isn(), dc.isn());
            Host h = dc.net.host(target);
            if (h != null && dc.plcs.contains(h)) {
                f.synScanOpen(at);
            } else if (h != null && !"router".equals(h.role())) {
                f.refused(at);
            } else {
                wire.tcp(at, ws.ip(), target, port, MODBUS, f.clientSeq(), 0, TcpFlow.SYN, null, 0, 0);
            }
            at += probeGap() - 10_000 + jitter(20_000);
        }
        return e;
    }

    private EventRecord scanVertical(long t) {
        Host ws = spare();
        Host target = dc.web;
        EventRecord e = attack("scan_vertical", List.of("scan"), "T0846", List.of(ws), List.of(target),
            "An IT workstation probes 1000 TCP ports of the intranet server; closed ports answer RST");
        List<Integer> ports = new ArrayList<>();
        for (int p = 1; p <= 1_000; p++) {
            ports.add(p);
        }
        shuffle(ports);
        int src = dc.ephemeral(ws.ip());
        long at = t;
        for (int p : ports) {
            TcpFlow f = new TcpFlow(wire, ws.ip(), src, target.ip(), p, dc.isn(), dc.isn());
            if (p == 22 || p == 80 || p == 443) {
                f.synScanOpen(at);
            } else {
                f.refused(at);
            }
            at += 3_000 + jitter(4_000);
        }
        return e;
    }

    private EventRecord arpSweep(long t) {
        Host ws = spare();
        EventRecord e = attack("arp_sweep", List.of("scan"), "T0846", List.of(ws), List.of(),
            "A workstation sends ARP who-has for every address of 10.10.1.0/24");
        long at = t;
        for (int last = 1; last < 255; last++) {
            int target = ip(10, 10, 1, last);
            wire.arp(at, ws.mac(), Wire.BROADCAST, 1, ws.mac(), ws.ip(), 0, target);
            Host h = dc.net.host(target);
            if (h != null && h != ws) {
                wire.arp(at + 300 + jitter(400), h.mac(), ws.mac(), 2, h.mac(), h.ip(), ws.mac(), ws.ip());
            }
            at += 15_000 + jitter(10_000);
        }
        return e;
    }

    private EventRecord pingSweep(long t) {
        Host ws = spare();
        EventRecord e = attack("ping_sweep", List.of("scan"), "T0846", List.of(ws), List.of(),
            "A workstation sends ICMP echo to every address of the building-management /24");
        long at = t;
        int id = 1 + random.nextInt(0xFFFE);
        for (int last = 1; last < 255; last++) {
            int target = ip(10, 40, 0, last);
            wire.icmpEcho(at, ws.ip(), target, 8, id, last);
            Host h = dc.net.host(target);
            if (h != null) {
                wire.icmpEcho(at + 600 + jitter(800), target, ws.ip(), 0, id, last);
            }
            at += probeGap() - 10_000 + jitter(20_000);
        }
        return e;
    }

    private EventRecord arpSpoofing(long t) {
        Host attacker = spare();
        Host victim = spare();
        int gateway = dc.net.gatewayOf(attacker.ip());
        Host gw = dc.net.host(gateway);
        EventRecord e = attack("arp_spoofing", List.of("arp_spoofing"), "T0830", List.of(attacker),
            List.of(gw, victim), "A workstation answers ARP for the gateway with its own MAC, every 2 s for " + (compact ? 10 : 30) + " s "
                + "(arpspoof towards one victim)");
        int replies = compact ? 5 : 15;
        for (int i = 0; i < replies; i++) {
            wire.arp(t + i * 2 * SECOND + jitter(5_000), attacker.mac(), victim.mac(), 2, attacker.mac(), gateway,
                victim.mac(), victim.ip());
        }
        return e;
    }

    private EventRecord beaconing(long t) {
        Host ws = spare();
        int c2 = ip(91, 215, 85, 10 + random.nextInt(200));
        String domain = "cdn-" + Long.toString(random.nextLong(1L << 30), 36) + ".cloud-metrics.net";
        EventRecord e = new EventRecord("beaconing", true, List.of("beaconing"), "T1071", List.of(ws.address()),
            List.of(Network.toString(c2)), "A workstation calls a rare external address every "
                + beaconPeriod() / SECOND + " s (+/- 1 s) with small TLS exchanges");
        wire.record(e);
        dc.resolve(t, ws.ip(), domain, List.of(c2));
        int n = beaconCount();
        dc.clock.at(t + 50_000, new Scheduler.Step() {
            int done;

            @Override
            public void run(long now) {
                wire.record(e);
                dc.tlsSession(now, ws.ip(), c2, 443, domain, 1, 180, true);
                if (++done < n) {
                    dc.clock.at(now + beaconPeriod() - SECOND + jitter(2 * SECOND), this);
                }
            }
        });
        return e;
    }

    private EventRecord dnsTunnelling(long t) {
        Host ws = spare();
        String domain = "t." + Long.toString(random.nextLong(1L << 30), 36) + "-dns.net";
        int queries = compact ? 40 : 180;
        long span = (compact ? 10 : 60) * SECOND;
        EventRecord e = attack("dns_tunnelling", List.of("dns_tunnelling"), "T1071.004", List.of(ws), List.of(),
            "A workstation sends " + queries + " TXT queries with long high-entropy labels under " + domain);
        long at = t;
        for (int i = 0; i < queries; i++) {
            String name = base32(35) + "." + base32(20) + "." + domain;
            dc.resolveTxt(at, ws.ip(), name, base64(120 + random.nextInt(100)));
            at += span / queries - 20_000 + jitter(40_000);
        }
        return e;
    }

    private EventRecord dga(long t) {
        Host ws = spare();
        EventRecord e = attack("dga", List.of("dga_lookups"), "T1568.002", List.of(ws), List.of(),
            "A workstation looks up " + dgaNames() + " generated .com/.net names; nearly all are NXDOMAIN");
        long at = t;
        for (int i = 0; i < dgaNames(); i++) {
            StringBuilder name = new StringBuilder();
            int len = 12 + random.nextInt(8);
            for (int k = 0; k < len; k++) {
                name.append((char) ('a' + random.nextInt(26)));
            }
            name.append(random.nextBoolean() ? ".com" : ".net");
            List<Integer> answer = i == 17 || i == 31 ? List.of(ip(185, 161, 208, 40 + i)) : List.of();
            dc.resolve(at, ws.ip(), name.toString(), answer);
            // the malware walks its candidate list as fast as the resolver answers
            at += 100_000 + jitter(200_000);
        }
        return e;
    }

    private EventRecord shadowAi(long t) {
        Host ws = spare();
        DataCentre.Site s = DataCentre.OPENAI;
        EventRecord e = new EventRecord("shadow_ai", true, List.of("shadow_ai"), "T1567", List.of(ws.address()),
            List.of(Network.toString(s.ip())),
            "A workstation that never used a generative-AI service resolves api.openai.com and uploads prompts over TLS");
        wire.record(e);
        dc.visit(t, ws.ip(), s, new HashMap<>());
        return e;
    }

    private EventRecord bruteForce(long t) {
        Host ws = spare();
        Host target = dc.backup;
        int attempts = compact ? 12 : 45;
        long span = (compact ? 10 : 60) * SECOND;
        EventRecord e = attack("brute_force", List.of("brute_force"), "T1110", List.of(ws), List.of(target),
            attempts + " short SSH logins from one workstation to the backup server, each closed after a failed "
                + "password");
        long at = t;
        for (int i = 0; i < attempts; i++) {
            dc.sshSession(at, ws.ip(), target.ip(), "libssh_0.10.6", 4, false);
            at += span / attempts - 100_000 + jitter(200_000);
        }
        return e;
    }

    // ------------------------------------------------------------------ benign novelties

    private EventRecord newWebDomain(long t) {
        Host ws = spare();
        DataCentre.Site usual = dc.users.get(ws).favourite();
        DataCentre.Site site = new DataCentre.Site("www.bbc.co.uk", usual.ip());
        EventRecord e = benign("new_web_domain", List.of(ws), List.of(),
            "A workstation visits a news site it never visited, served from a CDN address it already uses ("
                + usual.domain() + ")");
        dc.visit(t, ws.ip(), site, new HashMap<>());
        return e;
    }

    private EventRecord reboot(long t) {
        Host plc = rebootedPlc;
        long back = t + rebootDowntime();
        EventRecord e = benign("reboot", List.of(plc), List.of(plc),
            "A PLC reboots: polls go unanswered for " + rebootDowntime() / SECOND
                + " s, it announces itself with gratuitous ARP, HMIs reconnect");
        dc.rebootPlc(plc.ip(), t, back);
        wire.stopRecording();
        for (Host master : List.of(dc.hmiA, dc.hmiB)) {
            DataCentre.ModbusPoller p = dc.pollers.get(DataCentre.key(master, plc));
            p.rebootEvent = e;
            p.rebootUntil = back + 15 * SECOND;
        }
        dc.clock.at(back, now -> {
            wire.record(e);
            wire.arp(now, plc.mac(), Wire.BROADCAST, 1, plc.mac(), plc.ip(), 0, plc.ip());
            wire.arp(now + SECOND, plc.mac(), Wire.BROADCAST, 2, plc.mac(), plc.ip(), Wire.BROADCAST, plc.ip());
        });
        return e;
    }

    private EventRecord retransmissions(long t) {
        Host ws = spare();
        DataCentre.Site s = dc.users.get(ws).favourite();
        EventRecord e = benign("retransmissions", List.of(ws), List.of(),
            "Packet loss on a busy uplink: duplicate ACKs and retransmitted segments in ordinary HTTPS downloads");
        long at = dc.resolve(t, ws.ip(), s.domain(), List.of(s.ip()));
        TcpFlow f = dc.flow(ws.ip(), s.ip(), 443);
        at = f.open(at + 500);
        at = f.send(at + 200, true, Payloads.clientHello(random, s.domain(), false));
        at = f.send(at + f.delay + 1_500, false, Payloads.serverFlight(random, 2_800));
        at = f.send(at + f.delay + 800, true, Payloads.clientFinished(random));
        at = f.send(at + 5_000, true, Payloads.applicationData(random, 420));
        byte[] response = Payloads.applicationData(random, 14 * 1_400);
        at += f.delay + 20_000;
        for (int round = 0; round < 2; round++) {
            // segment 2 of each burst is lost upstream of the tap: the client repeats its ACK, the server resends
            long lostSeq = 0;
            byte[] lost = null;
            long acked = 0;
            for (int i = 0; i < 7; i++) {
                int off = (round * 7 + i) * 1_400;
                byte[] seg = java.util.Arrays.copyOfRange(response, off, off + 1_400);
                if (i == 1) {
                    lostSeq = f.serverSeq();
                    lost = seg;
                    acked = lostSeq;
                }
                if (i == 1) {
                    f.lostBeforeTap(false, seg.length);
                } else {
                    f.segment(at, false, TcpFlow.ACK, seg, seg.length);
                }
                if (i >= 2) {
                    f.ackAt(at + f.delay, true, acked);
                }
                at += 120;
            }
            at += f.delay + 2_000;
            f.retransmit(at, false, lostSeq, lost, lost.length);
            f.ack(at + f.delay, true);
            at += f.delay + 30_000;
        }
        f.close(at + 100_000, true);
        return e;
    }

    private EventRecord dhcpRenewal(long t) {
        Host ws = spare();
        EventRecord e = benign("dhcp_renewal", List.of(ws), List.of(dc.dns),
            "A workstation renews its DHCP lease and keeps the same address");
        dc.dhcpRenew(t, ws);
        return e;
    }

    // ------------------------------------------------------------------ helpers

    private int[] registers(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = random.nextInt(1_000);
        }
        return r;
    }

    private String base32(int bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes * 8 / 5; i++) {
            s.append(alphabet.charAt(random.nextInt(32)));
        }
        return s.toString();
    }

    private String base64(int chars) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < chars; i++) {
            s.append(alphabet.charAt(random.nextInt(64)));
        }
        return s.toString();
    }
}
