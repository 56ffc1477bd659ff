package io.vigil.sensor.simulate;

import static io.vigil.sensor.simulate.Network.ip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated site and its normal life: every device, and the background processes that make its traffic
 * stationary with a daily rhythm (HMIs polling PLCs on fixed periods, a BMS workstation polling controllers, OPC UA
 * sessions, workstations browsing by the hour, cameras streaming to the NVR, SNMP and ICMP monitoring, NTP, ARP and
 * DHCP upkeep). {@link Incidents} injects the labelled events through the same processes.
 */
final class DataCentre {
    static final long SECOND = 1_000_000L;
    static final int MODBUS = 502;
    static final int OPC_UA = 4840;
    static final int BACNET = 47_808;

    /** An ordinary external site: its name and the address it resolves to. */
    record Site(String domain, int ip) {
    }

    static final List<Site> SITES = List.of(
        new Site("www.microsoft.com", ip(23, 45, 229, 117)),
        new Site("login.microsoftonline.com", ip(20, 190, 159, 71)),
        new Site("outlook.office365.com", ip(52, 97, 186, 114)),
        new Site("teams.microsoft.com", ip(52, 113, 194, 132)),
        new Site("www.google.com", ip(142, 250, 185, 68)),
        new Site("docs.google.com", ip(142, 250, 186, 46)),
        new Site("github.com", ip(140, 82, 121, 4)),
        new Site("www.wikipedia.org", ip(185, 15, 59, 224)),
        new Site("www.linkedin.com", ip(13, 107, 42, 14)),
        new Site("slack.com", ip(34, 224, 173, 45)),
        new Site("zoom.us", ip(170, 114, 52, 2)),
        new Site("www.siemens.com", ip(23, 57, 80, 210)),
        new Site("support.industry.siemens.com", ip(23, 57, 80, 211)),
        new Site("www.se.com", ip(104, 18, 20, 191)),
        new Site("update.googleapis.com", ip(142, 250, 185, 99)),
        new Site("ctldl.windowsupdate.com", ip(93, 184, 221, 240)),
        new Site("www.reuters.com", ip(151, 101, 2, 132)),
        new Site("www.weather.com", ip(151, 101, 66, 59)));
    /** The first sites of {@link #SITES} are the company's SaaS, which everyone uses; the rest are personal habits. */
    static final int CORPORATE_SITES = 4;
    static final Site OPENAI = new Site("api.openai.com", ip(104, 18, 7, 192));
    static final Site CHATGPT = new Site("chatgpt.com", ip(104, 18, 32, 47));

    final SplittableRandom random;
    final Network net;
    final Wire wire;
    final Scheduler clock = new Scheduler();
    final long start;
    final long learnEnd;
    final long end;

    // the site
    final Host dns;
    final Host web;
    final Host files;
    final Host mail;
    final Host backup;
    final Host ntp;
    final Host monitor;
    final Host historian;
    final List<Host> workstations = new ArrayList<>();
    final List<Host> admins = new ArrayList<>();
    final Host aiUser;
    final List<Host> plcs = new ArrayList<>();
    final Host hmiA;
    final Host hmiB;
    final Host ews;
    final Host opcServer;
    final Host bmsWorkstation;
    final List<Host> controllers = new ArrayList<>();
    final Host nvr;
    final List<Host> cameras = new ArrayList<>();
    final List<Host> powerDevices = new ArrayList<>();
    final List<Host> servers = new ArrayList<>();

    final Map<Long, ModbusPoller> pollers = new HashMap<>();
    final Map<Host, Workstation> users = new HashMap<>();
    final List<Integer> setpointPlcs = new ArrayList<>();
    OpcUaClient legacyOpcClient;
    private final Map<Integer, Integer> nextPort = new HashMap<>();
    private final Map<Integer, long[]> plcDown = new HashMap<>();
    private int dnsId;

    DataCentre(SplittableRandom random, Network net, Wire wire, long start, long learnEnd, long end) {
        this.random = random;
        this.net = net;
        this.wire = wire;
        this.start = start;
        this.learnEnd = learnEnd;
        this.end = end;
        dns = server("dns-dhcp", 10, Network.OUI_DELL);
        web = server("intranet", 11, Network.OUI_DELL);
        files = server("fileserver", 12, Network.OUI_DELL);
        mail = server("mail", 13, Network.OUI_DELL);
        backup = server("backup", 14, Network.OUI_DELL);
        ntp = server("ntp", 15, Network.OUI_DELL);
        monitor = server("monitoring", 16, Network.OUI_DELL);
        historian = server("historian", 17, Network.OUI_DELL);
        int nWs = 36 + random.nextInt(9);
        for (int i = 0; i < nWs; i++) {
            long oui = random.nextInt(3) == 0 ? Network.OUI_LENOVO : Network.OUI_DELL;
            workstations.add(net.add("ws-" + (101 + i), ip(10, 10, 1, 20 + i), oui, "workstation"));
        }
        admins.add(workstations.get(0));
        admins.add(workstations.get(1));
        aiUser = workstations.get(2);
        int nPlc = 7 + random.nextInt(3);
        for (int i = 0; i < nPlc; i++) {
            long oui = i % 3 == 2 ? Network.OUI_SCHNEIDER : Network.OUI_SIEMENS;
            plcs.add(net.add("plc-" + (i + 1), ip(10, 30, 0, 10 + i), oui, "plc"));
        }
        opcServer = net.add("opcua-server", ip(10, 30, 0, 20), Network.OUI_SIEMENS, "opcua-server");
        hmiA = net.add("hmi-a", ip(10, 30, 0, 50), Network.OUI_HP, "hmi");
        hmiB = net.add("hmi-b", ip(10, 30, 0, 51), Network.OUI_HP, "hmi");
        ews = net.add("engineering", ip(10, 30, 0, 60), Network.OUI_DELL, "engineering-workstation");
        bmsWorkstation = net.add("bms", ip(10, 40, 0, 5), Network.OUI_DELL, "bms-workstation");
        int nCtl = 9 + random.nextInt(3);
        for (int i = 0; i < nCtl; i++) {
            controllers.add(net.add("ddc-" + (i + 1), ip(10, 40, 0, 10 + i), Network.OUI_JOHNSON_CONTROLS,
                "bacnet-controller"));
        }
        int nCam = 7 + random.nextInt(3);
        for (int i = 0; i < nCam; i++) {
            cameras.add(net.add("cam-" + (i + 1), ip(10, 50, 0, 10 + i), Network.OUI_AXIS, "camera"));
        }
        nvr = net.add("nvr", ip(10, 50, 0, 100), Network.OUI_DELL, "nvr");
        int nPower = 5 + random.nextInt(3);
        for (int i = 0; i < nPower; i++) {
            powerDevices.add(net.add((i < 2 ? "ups-" : "pdu-") + (i + 1), ip(10, 60, 0, 10 + i), Network.OUI_APC,
                i < 2 ? "ups" : "pdu"));
        }
    }

    private Host server(String name, int last, long oui) {
        Host h = net.add(name, ip(10, 10, 2, last), oui, "server");
        servers.add(h);
        return h;
    }

    // ---------------------------------------------------------------- helpers

    int ephemeral(int host) {
        int p = nextPort.computeIfAbsent(host, h -> 49_152 + random.nextInt(12_000));
        nextPort.put(host, p >= 65_000 ? 49_152 : p + 1);
        return p;
    }

    long isn() {
        return random.nextInt() & 0xFFFF_FFFFL;
    }

    TcpFlow flow(int client, int server, int port) {
        return new TcpFlow(wire, client, ephemeral(client), server, port, isn(), isn());
    }

    /** Exponential wait with the given mean, in microseconds. */
    long exp(double meanMicros) {
        return 1 + (long) (-Math.log(1 - random.nextDouble()) * meanMicros);
    }

    long jitter(long maxMicros) {
        return random.nextLong(maxMicros + 1);
    }

    /** Office activity by UTC hour of capture time: quiet nights, a morning ramp, a lunch dip, an evening tail. */
    static double activity(long micros) {
        int hour = (int) ((micros / SECOND / 3600) % 24);
        double[] byHour = {0.04, 0.03, 0.03, 0.03, 0.04, 0.06, 0.15, 0.45, 0.85, 1.0, 1.0, 0.95,
            0.6, 0.9, 1.0, 1.0, 0.9, 0.6, 0.3, 0.15, 0.1, 0.08, 0.06, 0.05};
        return byHour[hour];
    }

    boolean plcDown(int plc, long t) {
        long[] w = plcDown.get(plc);
        return w != null && t >= w[0] && t < w[1];
    }

    void rebootPlc(int plc, long from, long until) {
        plcDown.put(plc, new long[] {from, until});
    }

    /** A DNS lookup through the site resolver; returns the time of the answer. */
    long resolve(long t, int client, String name, List<Integer> addresses) {
        int id = (++dnsId * 7919 + 13) & 0xFFFF;
        int port = ephemeral(client);
        wire.udp(t, client, dns.ip(), port, 53, Payloads.dnsQuery(id, name, Payloads.TYPE_A));
        long answer = t + (name.endsWith("corp.example") ? 400 : 2_000 + jitter(30_000));
        wire.udp(answer, dns.ip(), client, 53, port, Payloads.dnsAnswer(id, name, addresses, 300));
        return answer;
    }

    long resolveTxt(long t, int client, String name, String text) {
        int id = (++dnsId * 7919 + 13) & 0xFFFF;
        int port = ephemeral(client);
        wire.udp(t, client, dns.ip(), port, 53, Payloads.dnsQuery(id, name, Payloads.TYPE_TXT));
        long answer = t + 15_000 + jitter(40_000);
        wire.udp(answer, dns.ip(), client, 53, port, Payloads.dnsTxtAnswer(id, name, text, 0));
        return answer;
    }

    /**
     * A TLS 1.3 session: handshake, {@code requests} request/response pairs of the given response size, then an
     * orderly close by the client. Returns the time of its last packet.
     */
    long tlsSession(long t, int client, int server, int port, String sni, int requests, int responseBytes,
                    boolean library) {
        TcpFlow f = flow(client, server, port);
        long at = f.open(t);
        at = f.send(at + 200, true, Payloads.clientHello(random, sni, library));
        at = f.send(at + f.delay + 1_500, false, Payloads.serverFlight(random, 2_400 + random.nextInt(1_800)));
        at = f.send(at + f.delay + 800, true, Payloads.clientFinished(random));
        for (int i = 0; i < requests; i++) {
            at = f.send(at + 2_000 + jitter(150_000), true, Payloads.applicationData(random, 300 + random.nextInt(600)));
            int size = Math.max(100, responseBytes / 2 + random.nextInt(Math.max(1, responseBytes)));
            at = f.stream(at + f.delay + 3_000 + jitter(40_000), false, Payloads.applicationData(random, size), 90);
        }
        at += f.delay + 200;
        f.send(at, true, Payloads.applicationData(random, 24));
        return f.close(at + 1_000, true);
    }

    // ---------------------------------------------------------------- background

    void startBackground() {
        startModbus();
        startBacnet();
        startOpcUa();
        for (Host ws : workstations) {
            Workstation w = new Workstation(ws);
            users.put(ws, w);
            clock.at(start + jitter(90 * SECOND), w::logon);
        }
        for (Host cam : cameras) {
            startCamera(cam);
        }
        clock.at(start + jitter(20 * SECOND), this::snmpRound);
        List<Host> pinged = new ArrayList<>(net.hosts());
        for (Host h : pinged) {
            if (h != monitor) {
                clock.at(start + jitter(100 * SECOND), new PingCheck(h));
            }
        }
        for (Host h : net.hosts()) {
            if (!"router".equals(h.role())) {
                clock.at(start + jitter(600 * SECOND), new ArpRefresh(h));
                clock.at(start + jitter(1_024 * SECOND), new NtpSync(h));
            }
        }
        for (Host ws : workstations) {
            // leases last two hours, so every client renews at T1 = 1 h
            clock.at(start + jitter(3_600 * SECOND), new Scheduler.Step() {
                @Override
                public void run(long now) {
                    dhcpRenew(now, ws);
                    clock.at(now + 3_600 * SECOND + jitter(2 * SECOND), this);
                }
            });
        }
        AdminSsh admin = new AdminSsh();
        admin.morningRound();
        clock.at(start + jitter(60 * SECOND), admin);
        clock.at(start + jitter(60 * SECOND), this::ewsRead);
        clock.at(start + jitter(300 * SECOND), this::mailRelay);
    }

    // ---- Modbus: two HMIs poll every PLC on fixed blocks; HMI A writes setpoints to three of them

    private void startModbus() {
        for (int p = 0; p < plcs.size(); p++) {
            Host plc = plcs.get(p);
            long periodA = (p % 3 == 1 ? 2 : 1) * SECOND;
            ModbusPoller a = new ModbusPoller(hmiA, plc, periodA,
                new int[][] {{0, 10}, {100 + 20 * p, 20}});
            ModbusPoller b = new ModbusPoller(hmiB, plc, 2 * SECOND, new int[][] {{0, 10}});
            pollers.put(key(hmiA, plc), a);
            pollers.put(key(hmiB, plc), b);
            clock.at(start + jitter(3 * SECOND), a);
            clock.at(start + jitter(5 * SECOND), b);
            if (p < 3) {
                setpointPlcs.add(p);
                a.setpointRegister = 200;
                a.setpointBase = 700 + 25 * p;
                // the first setpoint goes out as the HMI starts its shift, then every few minutes
                a.nextSetpoint = start + 10 * SECOND + jitter(40 * SECOND);
            }
        }
    }

    static long key(Host master, Host plc) {
        return ((long) master.ip() << 32) | (plc.ip() & 0xFFFF_FFFFL);
    }

    /** One extra Modbus exchange a poller runs right after its next poll; returns when it ended. */
    interface ModbusExtra {
        long run(long at, ModbusPoller poller);
    }

    final class ModbusPoller implements Scheduler.Step {
        final Host master;
        final Host plc;
        final long normalPeriod;
        final int[][] blocks;
        final int[] values = new int[64];
        long period;
        TcpFlow flow;
        boolean connected;
        boolean silent;
        long nextDue;
        int setpointRegister = -1;
        int setpointBase;
        long nextSetpoint = Long.MAX_VALUE;
        final Deque<ModbusExtra> extras = new ArrayDeque<>();
        EventRecord changeEvent;
        long changeUntil;
        EventRecord rebootEvent;
        long rebootUntil;
        /** The master's transaction counter: one per connection, as Modbus/TCP clients keep it. */
        private int transaction;

        ModbusPoller(Host master, Host plc, long period, int[][] blocks) {
            this.master = master;
            this.plc = plc;
            this.normalPeriod = period;
            this.period = period;
            this.blocks = blocks;
            for (int i = 0; i < values.length; i++) {
                values[i] = 200 + random.nextInt(400);
            }
        }

        @Override
        public void run(long now) {
            if (silent) {
                return;
            }
            if (rebootEvent != null && now < rebootUntil) {
                wire.record(rebootEvent);
            }
            if (!connected) {
                connect(now);
                return;
            }
            if (plcDown(plc.ip(), now)) {
                lostPlc(now);
                return;
            }
            if (changeEvent != null) {
                if (now < changeUntil) {
                    wire.record(changeEvent);
                } else {
                    period = normalPeriod;
                    changeEvent = null;
                }
            }
            long at = poll(now);
            while (!extras.isEmpty()) {
                at = extras.poll().run(at + 2_000 + jitter(3_000), this);
                wire.stopRecording();
            }
            if (now >= nextSetpoint) {
                int value = setpointBase - 5 + random.nextInt(11);
                at = exchange(at + 3_000, Payloads.writeSingle(setpointRegister, value),
                    Payloads.writeSingle(setpointRegister, value));
                nextSetpoint = now + 150 * SECOND + jitter(240 * SECOND);
            }
            flow.ack(at + 40_000, true);
            nextDue = now + period - 1_500 + jitter(3_000);
            clock.at(nextDue, this);
        }

        /** Request and response on this poller's connection; returns the response time. */
        long exchange(long at, byte[] requestPdu, byte[] responsePdu) {
            transaction = (transaction + 1) & 0xFFFF;
            int tid = transaction;
            flow.send(at, true, Payloads.modbus(tid, 1, requestPdu));
            return flow.send(at + flow.delay + 2_000 + jitter(4_000), false, Payloads.modbus(tid, 1, responsePdu));
        }

        private long poll(long now) {
            long at = now;
            for (int[] b : blocks) {
                int[] regs = new int[b[1]];
                for (int i = 0; i < regs.length; i++) {
                    int k = (b[0] + i) % values.length;
                    values[k] = Math.max(0, Math.min(1_000, values[k] + random.nextInt(5) - 2));
                    regs[i] = values[k];
                }
                at = exchange(at, Payloads.readHoldingRequest(b[0], b[1]), Payloads.readHoldingResponse(regs)) + 300;
            }
            return at;
        }

        private void connect(long now) {
            int port = ephemeral(master.ip());
            long seq = isn();
            for (long retry : new long[] {0, SECOND, 3 * SECOND}) {
                long at = now + retry;
                if (!plcDown(plc.ip(), at)) {
                    flow = new TcpFlow(wire, master.ip(), port, plc.ip(), MODBUS, seq, isn());
                    long open = flow.open(at);
                    connected = true;
                    clock.at(open + 5_000, this);
                    return;
                }
                // the PLC is rebooting: the SYN and its retransmissions go unanswered
                wire.tcp(at, master.ip(), plc.ip(), port, MODBUS, seq, 0, TcpFlow.SYN, null, 0, 0);
            }
            clock.at(now + 6 * SECOND, this);
        }

        /** The PLC stopped answering: TCP retransmits the request, the HMI gives up, closes and reconnects later. */
        private void lostPlc(long now) {
            transaction = (transaction + 1) & 0xFFFF;
            int tid = transaction;
            byte[] req = Payloads.modbus(tid, 1, Payloads.readHoldingRequest(blocks[0][0], blocks[0][1]));
            long seq = flow.clientSeq();
            flow.segment(now, true, TcpFlow.PSH | TcpFlow.ACK, req, req.length);
            for (long retry : new long[] {300_000, 900_000, 2_100_000}) {
                flow.retransmit(now + retry, true, seq, req, req.length);
            }
            wire.tcp(now + 3 * SECOND, master.ip(), plc.ip(), flow.clientPort, MODBUS, flow.clientSeq(),
                flow.serverSeq(), TcpFlow.FIN | TcpFlow.ACK, null, 0, 0);
            connected = false;
            clock.at(now + 5 * SECOND, this);
        }
    }

    private int ewsNextPlc;

    /** The engineering workstation checks the PLCs in turn, reading a few blocks of each on a short connection. */
    private void ewsRead(long now) {
        Host plc = plcs.get(ewsNextPlc++ % plcs.size());
        TcpFlow f = flow(ews.ip(), plc.ip(), MODBUS);
        long at = f.open(now);
        for (int i = 0; i < 3; i++) {
            int tid = i + 1;
            f.send(at + 20_000, true, Payloads.modbus(tid, 1, Payloads.readHoldingRequest(100 * i, 16)));
            int[] regs = new int[16];
            for (int k = 0; k < 16; k++) {
                regs[k] = random.nextInt(1000);
            }
            at = f.send(at + 20_000 + f.delay + 3_000, false, Payloads.modbus(tid, 1, Payloads.readHoldingResponse(regs)));
        }
        f.close(at + 50_000, true);
        clock.at(now + 240 * SECOND + jitter(360 * SECOND), this::ewsRead);
    }

    // ---- BACnet: ReadProperty polls every 30 s per controller, Who-Is/I-Am every 10 minutes

    private int invokeId;

    private void startBacnet() {
        for (int c = 0; c < controllers.size(); c++) {
            int index = c;
            clock.at(start + jitter(30 * SECOND), new Scheduler.Step() {
                @Override
                public void run(long now) {
                    bacnetPoll(now, index);
                    clock.at(now + 30 * SECOND - 5_000 + jitter(10_000), this);
                }
            });
        }
        clock.at(start + jitter(60 * SECOND), new Scheduler.Step() {
            @Override
            public void run(long now) {
                whoIs(now);
                clock.at(now + 600 * SECOND, this);
            }
        });
    }

    int nextInvokeId() {
        invokeId = (invokeId + 1) & 0xFF;
        return invokeId;
    }

    static int deviceInstance(int controllerIndex) {
        return 1_000 + controllerIndex;
    }

    private void bacnetPoll(long now, int c) {
        Host ctl = controllers.get(c);
        long at = now;
        int[][] points = {{Payloads.OBJECT_ANALOG_INPUT, 1}, {Payloads.OBJECT_ANALOG_INPUT, 2},
            {Payloads.OBJECT_ANALOG_VALUE, 1}};
        for (int[] pt : points) {
            int id = nextInvokeId();
            wire.udp(at, bmsWorkstation.ip(), ctl.ip(), BACNET, BACNET,
                Payloads.readProperty(id, pt[0], pt[1], Payloads.PROPERTY_PRESENT_VALUE));
            float value = pt[0] == Payloads.OBJECT_ANALOG_VALUE ? 21.5f
                : 18f + pt[1] * 2 + (float) (random.nextInt(100)) / 50f;
            at += 8_000 + jitter(12_000);
            wire.udp(at, ctl.ip(), bmsWorkstation.ip(), BACNET, BACNET,
                Payloads.readPropertyAckReal(id, pt[0], pt[1], Payloads.PROPERTY_PRESENT_VALUE, value));
            at += 2_000;
        }
    }

    private void whoIs(long now) {
        int broadcast = ip(10, 40, 0, 255);
        wire.udp(now, bmsWorkstation.ip(), broadcast, BACNET, BACNET, Payloads.whoIs());
        for (int c = 0; c < controllers.size(); c++) {
            wire.udp(now + 5_000 + jitter(200_000), controllers.get(c).ip(), broadcast, BACNET, BACNET,
                Payloads.iAm(deviceInstance(c), 5));
        }
    }

    // ---- OPC UA: HMI A subscribes over Basic256Sha256; the historian reads over a legacy None session

    final class OpcUaClient implements Scheduler.Step {
        final Host client;
        final OpcUaSession session;
        final long period;
        /** An injected Write and Call, run right after the next regular read so the session stays in order. */
        EventRecord pendingWrite;

        OpcUaClient(Host client, boolean secure, long period) {
            this.client = client;
            this.period = period;
            this.session = new OpcUaSession(flow(client.ip(), opcServer.ip(), OPC_UA), secure, random,
                "opc.tcp://" + opcServer.address() + ":4840/plant");
        }

        void open(long at) {
            long t = session.open(at);
            t = session.secure ? session.subscribe(t + 2_000) : session.browse(t + 2_000);
            clock.at(t + period, this);
        }

        @Override
        public void run(long now) {
            long t = session.secure ? session.publish(now) : session.read(now);
            if (pendingWrite != null) {
                wire.record(pendingWrite);
                t = session.write(t + 300_000);
                t = session.methodCall(t + 800_000);
                pendingWrite = null;
                wire.stopRecording();
            }
            session.flow.ack(t + 40_000, true);
            clock.at(now + period - 2_000 + jitter(4_000), this);
        }
    }

    private void startOpcUa() {
        OpcUaClient secure = new OpcUaClient(hmiA, true, SECOND);
        legacyOpcClient = new OpcUaClient(historian, false, 5 * SECOND);
        clock.at(start + jitter(10 * SECOND), secure::open);
        clock.at(start + jitter(10 * SECOND), legacyOpcClient::open);
    }

    // ---- workstations: web, intranet, mail, file shares, by the hour

    final class Workstation implements Scheduler.Step {
        final Host host;
        final List<Site> favourites = new ArrayList<>();
        final Map<String, Long> cache = new HashMap<>();

        Workstation(Host host) {
            this.host = host;
            List<Site> all = new ArrayList<>(SITES.subList(CORPORATE_SITES, SITES.size()));
            int n = 2 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                favourites.add(all.remove(random.nextInt(all.size())));
            }
            if (host == aiUser) {
                favourites.add(OPENAI);
                favourites.add(CHATGPT);
            }
        }

        /**
         * Logon: the mapped network drive, the intranet home page, the mail client and the company's SaaS sign-ins,
         * then the day's browsing.
         */
        void logon(long now) {
            long at = lookupInternal(now, "files.corp.example", files);
            at = smbVisit(at + 300, host.ip());
            at = intranet(at + 800_000);
            at = lookupInternal(at + 500_000, "mail.corp.example", mail);
            at = tlsSession(at + 300, host.ip(), mail.ip(), 993, "mail.corp.example", 2, 3_000, false);
            for (int i = 0; i < CORPORATE_SITES; i++) {
                at = visit(at + 400_000 + jitter(2 * SECOND), host.ip(), SITES.get(i), cache);
            }
            clock.at(at + exp(60 * SECOND), this);
        }

        private long intranet(long now) {
            long at = lookupInternal(now, "intranet.corp.example", web);
            TcpFlow f = flow(host.ip(), web.ip(), 80);
            at = f.open(at + 300);
            at = f.exchange(at + 200, Payloads.httpGet("intranet.corp.example", "/wiki/page" + random.nextInt(40),
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/120.0"), 4_000,
                Payloads.httpOk(random, 1_000 + random.nextInt(5_000)));
            return f.close(at + 2_000, true);
        }

        /** One of the sites this user habitually visits. */
        Site favourite() {
            return favourites.get(random.nextInt(favourites.size()));
        }

        @Override
        public void run(long now) {
            int dice = random.nextInt(100);
            if (dice < 34) {
                visit(now, host.ip(), SITES.get(random.nextInt(CORPORATE_SITES)), cache);
            } else if (dice < 68) {
                visit(now, host.ip(), favourite(), cache);
            } else if (dice < 80) {
                intranet(now);
            } else if (dice < 93) {
                long at = lookupInternal(now, "mail.corp.example", mail);
                tlsSession(at + 300, host.ip(), mail.ip(), 993, "mail.corp.example", 1 + random.nextInt(2),
                    3_000, false);
            } else {
                long at = lookupInternal(now, "files.corp.example", files);
                smbVisit(at + 300, host.ip());
            }
            double rate = Math.max(0.02, activity(now));
            clock.at(now + exp(110 * SECOND / rate), this);
        }

        private long lookupInternal(long now, String name, Host target) {
            Long until = cache.get(name);
            if (until != null && until > now) {
                return now;
            }
            cache.put(name, now + 300 * SECOND);
            return resolve(now, host.ip(), name, List.of(target.ip()));
        }
    }

    /** Resolve (unless cached) and open an HTTPS session to an external site. */
    long visit(long now, int client, Site s, Map<String, Long> cache) {
        long at = now;
        Long until = cache.get(s.domain());
        if (until == null || until <= now) {
            at = resolve(now, client, s.domain(), List.of(s.ip())) + 500;
            cache.put(s.domain(), now + 300 * SECOND);
        }
        return tlsSession(at, client, s.ip(), 443, s.domain(), 1 + random.nextInt(3), 800 + random.nextInt(7_000),
            false);
    }

    /** A recorded SMB2 session to the file server (negotiate, NTLM, tree connect, list, write, read, logoff). */
    long smbVisit(long t, int client) {
        TcpFlow f = flow(client, files.ip(), 445);
        long at = f.open(t);
        for (String seg : SmbRecorded.SESSION) {
            boolean fromClient = seg.charAt(0) == 'C';
            at = f.send(at + (fromClient ? 400 + jitter(2_000) : f.delay + 300 + jitter(1_500)), fromClient,
                Bytes.hex(seg.substring(2)));
        }
        return f.close(at + 5_000, true);
    }

    // ---- cameras: a TLS media stream and an RTSP keep-alive from the NVR

    private void startCamera(Host cam) {
        TcpFlow media = flow(nvr.ip(), cam.ip(), 443);
        TcpFlow rtsp = flow(nvr.ip(), cam.ip(), 554);
        clock.at(start + jitter(5 * SECOND), now -> {
            long at = media.open(now);
            at = media.send(at + 200, true, Payloads.clientHello(random, cam.name() + ".cams.corp.example", true));
            at = media.send(at + media.delay + 2_000, false, Payloads.serverFlight(random, 1_800));
            media.send(at + media.delay + 500, true, Payloads.clientFinished(random));
            long r = rtsp.open(now + 50_000);
            clock.at(r + SECOND, new Scheduler.Step() {
                int segments;

                @Override
                public void run(long t) {
                    // the recorder keeps a low-rate metadata and thumbnail stream; video is recorded on motion
                    media.send(t, false, Payloads.applicationData(random, 500 + random.nextInt(400)));
                    if (++segments % 2 == 0) {
                        media.ack(t + media.delay + 200, true);
                    }
                    clock.at(t + 5 * SECOND - 20_000 + jitter(40_000), this);
                }
            });
            clock.at(r + 60 * SECOND, new Scheduler.Step() {
                int cseq = 2;

                @Override
                public void run(long t) {
                    cseq++;
                    long a = rtsp.exchange(t, Payloads.rtspOptions(cseq, "rtsp://" + cam.address() + "/axis-media"),
                        3_000, Payloads.rtspOptionsReply(cseq));
                    rtsp.ack(a + 40_000, true);
                    clock.at(t + 60 * SECOND, this);
                }
            });
        });
    }

    // ---- monitoring: SNMP polls of UPS/PDUs every minute, ICMP host checks every five minutes

    private int snmpRequest = 0x3A00;

    private static final List<int[]> UPS_OIDS = List.of(
        new int[] {1, 3, 6, 1, 2, 1, 1, 3, 0},
        new int[] {1, 3, 6, 1, 2, 1, 33, 1, 2, 1, 0},
        new int[] {1, 3, 6, 1, 2, 1, 33, 1, 2, 4, 0},
        new int[] {1, 3, 6, 1, 2, 1, 33, 1, 4, 4, 1, 5, 1});

    private void snmpRound(long now) {
        long at = now;
        for (Host d : powerDevices) {
            int id = ++snmpRequest;
            int port = ephemeral(monitor.ip());
            wire.udp(at, monitor.ip(), d.ip(), port, 161, Payloads.snmpGet(id, "public", UPS_OIDS));
            long up = (at - start) / 10_000 + 8_640_000L * (3 + d.ip() % 50);
            long[] values = {up, 2, 100, 30 + random.nextInt(8)};
            wire.udp(at + 4_000 + jitter(6_000), d.ip(), monitor.ip(), 161, port,
                Payloads.snmpResponse(id, "public", UPS_OIDS, values));
            at += 50_000;
        }
        clock.at(now + 60 * SECOND, this::snmpRound);
    }

    final class PingCheck implements Scheduler.Step {
        final Host target;
        int sequence;

        PingCheck(Host target) {
            this.target = target;
        }

        @Override
        public void run(long now) {
            int id = 0x4000 | (target.ip() & 0xFFF);
            sequence++;
            wire.icmpEcho(now, monitor.ip(), target.ip(), 8, id, sequence);
            wire.icmpEcho(now + 400 + jitter(1_500), target.ip(), monitor.ip(), 0, id, sequence);
            clock.at(now + 300 * SECOND, this);
        }
    }

    // ---- upkeep: ARP, NTP, DHCP renewals, admin SSH, mail relay

    final class ArpRefresh implements Scheduler.Step {
        final Host host;

        ArpRefresh(Host host) {
            this.host = host;
        }

        @Override
        public void run(long now) {
            Host target = net.host(net.gatewayOf(host.ip()));
            if ((host == hmiA || host == hmiB) && random.nextBoolean()) {
                target = plcs.get(random.nextInt(plcs.size()));
            }
            arpExchange(now, host, target);
            clock.at(now + 300 * SECOND + jitter(600 * SECOND), this);
        }
    }

    void arpExchange(long now, Host asker, Host target) {
        wire.arp(now, asker.mac(), Wire.BROADCAST, 1, asker.mac(), asker.ip(), 0, target.ip());
        wire.arp(now + 300 + jitter(500), target.mac(), asker.mac(), 2, target.mac(), target.ip(), asker.mac(),
            asker.ip());
    }

    final class NtpSync implements Scheduler.Step {
        final Host host;

        NtpSync(Host host) {
            this.host = host;
        }

        @Override
        public void run(long now) {
            if (host != ntp) {
                // SNTP clients (chrony, w32time in client mode, embedded stacks) send from an ephemeral port
                byte[] req = Payloads.ntpRequest(now);
                long rx = now + 300;
                int port = ephemeral(host.ip());
                wire.udp(now, host.ip(), ntp.ip(), port, 123, req);
                wire.udp(rx + 80, ntp.ip(), host.ip(), 123, port, Payloads.ntpResponse(req, rx, rx + 60,
                    ip(192, 53, 103, 108)));
            } else {
                byte[] req = Payloads.ntpRequest(now);
                int upstream = ip(192, 53, 103, 108);
                wire.udp(now, ntp.ip(), upstream, 123, 123, req);
                wire.udp(now + 18_000, upstream, ntp.ip(), 123, 123, Payloads.ntpResponse(req, now + 9_000, now + 9_050,
                    ip(0x50, 0x54, 0x42, 0)));
            }
            clock.at(now + 1_024 * SECOND, this);
        }
    }

    void dhcpRenew(long now, Host ws) {
        int xid = random.nextInt();
        String name = ws.name().toUpperCase(java.util.Locale.ROOT);
        wire.udp(now, ws.ip(), dns.ip(), 68, 67, Payloads.dhcpClient(Payloads.DHCP_REQUEST, xid, ws.mac(), ws.ip(), 0,
            0, name));
        wire.udp(now + 2_000 + jitter(3_000), dns.ip(), ws.ip(), 67, 68, Payloads.dhcpServer(Payloads.DHCP_ACK, xid,
            ws.mac(), ws.ip(), ws.ip(), dns.ip(), 0, net.gatewayOf(ws.ip()), dns.ip()));
    }

    /** Each administrator looks after a few servers and logs into them through the day. */
    final class AdminSsh implements Scheduler.Step {
        private final List<Host[]> duties = new ArrayList<>();

        AdminSsh() {
            Host[][] managed = {{web, files, backup}, {dns, mail, monitor}};
            for (int a = 0; a < admins.size(); a++) {
                for (Host server : managed[a % managed.length]) {
                    duties.add(new Host[] {admins.get(a), server});
                }
            }
        }

        /** Each administrator checks every server they look after once early in the day. */
        void morningRound() {
            for (Host[] duty : duties) {
                clock.at(start + jitter(20 * 60 * SECOND), now -> sshSession(now, duty[0].ip(), duty[1].ip(),
                    "OpenSSH_9.6", 20 + random.nextInt(40), true));
            }
        }

        @Override
        public void run(long now) {
            Host[] duty = duties.get(random.nextInt(duties.size()));
            Host admin = duty[0];
            Host target = duty[1];
            sshSession(now, admin.ip(), target.ip(), "OpenSSH_9.6", 20 + random.nextInt(60), true);
            clock.at(now + exp(240 * SECOND / Math.max(0.1, activity(now))), this);
        }
    }

    /** An SSH connection: banners, key exchange, then {@code encrypted} ciphertext packets; returns the last time. */
    long sshSession(long t, int client, int server, String clientSoftware, int encrypted, boolean interactive) {
        TcpFlow f = flow(client, server, 22);
        long at = f.open(t);
        at = f.send(at + 1_000, false, Payloads.sshBanner("OpenSSH_9.2p1 Debian-2+deb12u3"));
        at = f.send(at + f.delay + 300, true, Payloads.sshBanner(clientSoftware));
        at = f.send(at + f.delay + 200, false, Payloads.sshKexInit(random, true));
        at = f.send(at + f.delay + 200, true, Payloads.sshKexInit(random, false));
        at = f.send(at + f.delay + 300, true, Payloads.sshEcdhInit(random));
        byte[] hostKey = new byte[32];
        new SplittableRandom(server).nextBytes(hostKey);
        byte[] reply = new Bytes().bytes(Payloads.sshEcdhReply(random, hostKey)).bytes(Payloads.sshNewKeys(random))
            .toArray();
        at = f.send(at + f.delay + 2_000, false, reply);
        at = f.send(at + f.delay + 500, true, Payloads.sshNewKeys(random));
        for (int i = 0; i < encrypted; i++) {
            boolean fromClient = i % 2 == 0;
            long gap = interactive ? 50_000 + jitter(1_500_000) : f.delay + 1_000 + jitter(5_000);
            at = f.send(at + gap, fromClient, new Bytes().random(random, 36 + 16 * random.nextInt(interactive ? 4 : 2))
                .toArray());
        }
        return interactive ? f.close(at + 300_000, true) : f.close(at + 2_000, false);
    }

    private void mailRelay(long now) {
        Site relay = new Site("smtp.relay.mailprovider.net", ip(198, 2, 134, 20));
        tlsSession(now, mail.ip(), relay.ip(), 465, relay.domain(), 2, 600, false);
        // outbound mail leaves when users send it: irregular, busier in office hours
        clock.at(now + exp(240 * SECOND / Math.max(0.1, activity(now))), this::mailRelay);
    }
}
