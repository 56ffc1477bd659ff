package io.vigil.sensor.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.vigil.protocols.IpAddresses;
import io.vigil.protocols.app.AppLayer;
import io.vigil.protocols.app.AppListener;
import io.vigil.protocols.app.AppProtocol;
import io.vigil.protocols.bacnet.BacnetPdu;
import io.vigil.protocols.decode.DecodeCounters;
import io.vigil.protocols.decode.DecodedPacket;
import io.vigil.protocols.decode.FragmentTracker;
import io.vigil.protocols.decode.PacketDecoder;
import io.vigil.protocols.dhcp.DhcpMessage;
import io.vigil.protocols.nbns.NbnsMessage;
import io.vigil.protocols.dnp3.Dnp3Message;
import io.vigil.protocols.dns.DnsMessage;
import io.vigil.protocols.enip.EnipMessage;
import io.vigil.protocols.enip.EnipOps;
import io.vigil.protocols.flow.FlowEndReason;
import io.vigil.protocols.flow.FlowHash;
import io.vigil.protocols.flow.FlowListener;
import io.vigil.protocols.flow.FlowTable;
import io.vigil.protocols.flow.FlowView;
import io.vigil.protocols.http.HttpMessage;
import io.vigil.protocols.iec104.Iec104Apdu;
import io.vigil.protocols.modbus.ModbusPdu;
import io.vigil.protocols.mqtt.MqttMessage;
import io.vigil.protocols.ntp.NtpMessage;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.NamedOp;
import io.vigil.protocols.observe.FlowProgress;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.s7comm.S7IcsOps;
import io.vigil.protocols.s7comm.S7Message;
import io.vigil.protocols.smb.SmbMessage;
import io.vigil.protocols.smb.SmbText;
import io.vigil.protocols.snmp.SnmpMessage;
import io.vigil.protocols.ssh.SshBanner;
import io.vigil.protocols.tls.TlsHello;
import io.vigil.sensor.metrics.LatencyHistogram;
import io.vigil.sensor.ring.PacketSlot;
import java.util.function.BiConsumer;

/**
 * Decodes the packets of its shard, keeps their flows, and publishes what it observed (flow
 * start/end, ARP claims) to the observation ring. Every worker sees every slot; the symmetric
 * address-pair hash decides which one owns a packet, so both directions of a conversation and
 * all fragments of a datagram meet in one flow table without locks.
 */
final class FlowWorker implements EventHandler<PacketSlot>, FlowListener, AppListener {
    /** Idle-flow sweep interval in capture time; also run on ticks when the network is quiet. */
    private static final long EXPIRE_INTERVAL_NANOS = 1_000_000_000L;
    private static final long FRAGMENT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final int FRAGMENT_TRACKER_CAPACITY = 8192;

    private final int index;
    private final int workers;
    private final RingBuffer<Observation> observations;
    private final DecodeCounters counters = new DecodeCounters();
    private final PacketDecoder decoder = new PacketDecoder(counters);
    /** Decodes other shards' packets just to find their owner, so their counts go nowhere. */
    private final PacketDecoder shardPeek = new PacketDecoder(new DecodeCounters());
    private final DecodedPacket packet = new DecodedPacket();
    private final FragmentTracker fragments = new FragmentTracker(FRAGMENT_TRACKER_CAPACITY, FRAGMENT_TIMEOUT_NANOS,
        counters);
    private final FlowTable flows;
    private final AppLayer app;
    private final FlowEndReason endReason;
    /** Per flow slot, the {@link FlowProgress} level each direction's bytes have reported (reset at flow start). */
    private final byte[] progressToServer;
    /**
     * Per flow slot: the capture-time tick (2^30 ns, about a second) in which the flow's last plain
     * Modbus response was passed on. A response without an exception or identification only tells the
     * models that the device answers, which they need about once a second (the polling detector
     * allows a 5 s answer gap); yet responses are half of a polled site's PDUs, and each one cost an
     * observation slot, its copy and the device shard's work.
     */
    private final int[] modbusAnswerTick;
    private final byte[] progressToClient;

    /** Observations claimed but not yet visible to the device shards, at most (and at most half the ring). */
    private static final int MAX_UNPUBLISHED = 256;
    /** MAX_UNPUBLISHED or half the ring if smaller: a claim must never wait for slots this worker has not published. */
    private final int publishEvery;
    private long pendingFirst = -1;
    private long pendingLast;
    /** Set when this worker also runs the device shard (Pipeline): the ring drained after each publish, on this thread. */
    private EventPoller<Observation> shardInline;
    private EventPoller.Handler<Observation> shardHandler;

    private long clockNanos = Long.MIN_VALUE;
    private long nextExpireNanos = Long.MIN_VALUE;
    private long lastIngestNanos;

    /**
     * Capture-to-decode latency, sampled: one packet in {@link #LATENCY_SAMPLE_EVERY} by this worker's own count.
     * Recording every packet would add a clock read and an atomic increment (the recorder's phaser) per packet;
     * one in 64 keeps the hot path as it was and still gives thousands of samples a second under load.
     */
    static final int LATENCY_SAMPLE_EVERY = 64;
    private final LatencyHistogram.Writer decodeLatency;
    /** Live capture: the packet's capture timestamp against the wall clock; replay: time since the slot was filled. */
    private boolean latencyFromCaptureTimestamp;
    /** Epoch nanoseconds minus System.nanoTime(), taken once, so the wall clock is read without allocating. */
    private final long epochMinusNanoTime;

    // Written by this worker's thread only; read after the drain, and racily by the metrics endpoint meanwhile.
    private long packets;
    private long bytes;

    FlowWorker(int index, int workers, PipelineConfig config, RingBuffer<Observation> observations,
               FlowEndReason endReason, LatencyHistogram.Writer decodeLatency) {
        this.index = index;
        this.decodeLatency = decodeLatency;
        this.epochMinusNanoTime = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.workers = workers;
        this.observations = observations;
        this.publishEvery = Math.min(MAX_UNPUBLISHED, observations.getBufferSize() / 2);
        this.flows = new FlowTable(config.maxFlows(), config.timeouts(), this);
        this.app = new AppLayer(config.maxFlows(), this);
        this.endReason = endReason;
        this.progressToServer = new byte[config.maxFlows()];
        this.progressToClient = new byte[config.maxFlows()];
        this.modbusAnswerTick = new int[config.maxFlows()];
    }

    @Override
    public void onEvent(PacketSlot slot, long sequence, boolean endOfBatch) {
        handle(slot);
        if (endOfBatch) {
            flushObservations();
        }
    }

    /**
     * With a single flow worker, observations are published in batches rather than one by one: every publish makes the
     * device thread's cached copy of the ring cursor stale, and at a few million observations per
     * second that cross-core traffic cost more than the observations themselves.
     */
    private void published(long seq) {
        observations.get(seq).ingestNanos = lastIngestNanos;
        if (workers > 1) {
            // Several workers claim interleaved sequences of the shared ring: a range published by
            // one would expose slots another has not filled yet.
            observations.publish(seq);
            return;
        }
        if (pendingFirst < 0) {
            pendingFirst = seq;
        }
        pendingLast = seq;
        if (pendingLast - pendingFirst + 1 >= publishEvery) {
            flushObservations();
        }
    }

    private void flushObservations() {
        if (pendingFirst >= 0) {
            observations.publish(pendingFirst, pendingLast);
            pendingFirst = -1;
            if (shardInline != null) {
                runShard();
            }
        }
    }

    /** Runs the device shard on this worker's thread, after each publish (see Pipeline). Call before start. */
    void runShardInline(EventPoller<Observation> poller, EventPoller.Handler<Observation> shard) {
        this.shardInline = poller;
        this.shardHandler = shard;
    }

    private void runShard() {
        try {
            shardInline.poll(shardHandler);
        } catch (Exception e) {
            throw new IllegalStateException(e); // the handler counts its own failures; poll only declares them
        }
    }

    private void handle(PacketSlot slot) {
        switch (slot.kind) {
            case PacketSlot.KIND_PACKET:
                onPacket(slot);
                break;
            case PacketSlot.KIND_TICK:
                advanceClock(slot.timestampNanos);
                break;
            case PacketSlot.KIND_END:
                flows.flushAll(endReason);
                publishEndOfStream();
                flushObservations();
                break;
            default:
                break;
        }
    }

    private void onPacket(PacketSlot slot) {
        if (workers > 1 && !owns(slot)) {
            return;
        }
        DecodedPacket p = packet;
        p.frameNumber = slot.frameNumber;
        p.timestampNanos = slot.timestampNanos;
        p.originalLength = slot.originalLength;
        p.interfaceId = slot.interfaceId;
        lastIngestNanos = slot.ingestNanos;
        decoder.decode(slot.data, 0, slot.captureLength, slot.linkType, p);
        if ((packets & (LATENCY_SAMPLE_EVERY - 1)) == 0) {
            long now = System.nanoTime();
            decodeLatency.recordNanos(latencyFromCaptureTimestamp
                ? now + epochMinusNanoTime - slot.timestampNanos : now - slot.ingestNanos);
        }
        packets++;
        bytes += slot.originalLength;
        if (p.fragmented) {
            fragments.track(p, p.timestampNanos);
        }
        if (p.l3 == DecodedPacket.L3_ARP) {
            publishArpClaim(p);
        } else if (p.isIp()) {
            int flowSlot = flows.update(p);
            if (flowSlot >= 0) {
                progress(flows.view(flowSlot));
            }
            if (flowSlot >= 0 && p.hasPorts) {
                FlowView flow = flows.view(flowSlot);
                boolean fromClient = flow.clientPort() == p.srcPort && flow.clientIpLo() == p.srcIpLo
                    && flow.clientIpHi() == p.srcIpHi;
                app.onPacket(p, slot.data, flowSlot, fromClient, (flow.tcpState() & FlowView.MIDSTREAM) != 0);
            }
        }
        advanceClock(p.timestampNanos);
    }

    private boolean owns(PacketSlot slot) {
        DecodedPacket p = packet;
        shardPeek.decode(slot.data, 0, slot.captureLength, slot.linkType, p);
        int hash;
        if (p.isIp()) {
            hash = FlowHash.shardHash(p.srcIpHi, p.srcIpLo, p.dstIpHi, p.dstIpLo, p.vlan);
        } else if (p.l3 == DecodedPacket.L3_ARP) {
            hash = FlowHash.shardHash(0, IpAddresses.v4MappedLo(p.arpSenderIp), 0,
                IpAddresses.v4MappedLo(p.arpTargetIp), p.vlan);
        } else {
            hash = FlowHash.deviceHash(0, slot.frameNumber, 0);
        }
        return FlowHash.shardOf(hash, workers) == index;
    }

    /** Capture time only moves forward here, so a reordered merge cannot resurrect expired flows. */
    private void advanceClock(long nowNanos) {
        if (nowNanos > clockNanos) {
            clockNanos = nowNanos;
        }
        if (clockNanos >= nextExpireNanos) {
            flows.expire(clockNanos);
            nextExpireNanos = clockNanos + EXPIRE_INTERVAL_NANOS;
        }
    }

    private void publishArpClaim(DecodedPacket p) {
        // An ARP probe (sender 0.0.0.0) claims nothing; requests and replies both bind sender IP to MAC.
        if (!p.arpIpv4 || p.arpSenderIp == 0 || (p.arpOperation != 1 && p.arpOperation != 2)) {
            return;
        }
        long seq = observations.next();
        try {
            Observation o = observations.get(seq);
            o.clear();
            o.type = ObservationType.ARP_CLAIM;
            o.producer = index;
            o.timestampNanos = p.timestampNanos;
            o.frameNumber = p.frameNumber;
            o.vlan = p.vlan;
            o.srcIpLo = IpAddresses.v4MappedLo(p.arpSenderIp);
            o.dstIpLo = IpAddresses.v4MappedLo(p.arpTargetIp);
            o.srcMac = p.arpSenderMac;
            o.dstMac = p.arpTargetMac;
            o.arpOperation = p.arpOperation;
        } finally {
            published(seq);
        }
    }

    @Override
    public void onFlowStart(FlowView flow) {
        progressToServer[flow.slot()] = 0;
        progressToClient[flow.slot()] = 0;
        modbusAnswerTick[flow.slot()] = 0;
        publishFlow(ObservationType.FLOW_START, flow, null);
    }

    /** A FLOW_PROGRESS when either direction's bytes crossed its next level: a long upload is seen while it runs. */
    private void progress(FlowView flow) {
        int slot = flow.slot();
        if (flow.bytesFromClient() < FlowProgress.threshold(progressToServer[slot] + 1)
            && flow.bytesFromServer() < FlowProgress.threshold(progressToClient[slot] + 1)) {
            return;
        }
        long reportedToServer = FlowProgress.threshold(progressToServer[slot]);
        long reportedToClient = FlowProgress.threshold(progressToClient[slot]);
        progressToServer[slot] = (byte) FlowProgress.levelOf(flow.bytesFromClient());
        progressToClient[slot] = (byte) FlowProgress.levelOf(flow.bytesFromServer());
        long seq = observations.next();
        try {
            Observation o = fillFlow(observations.get(seq), ObservationType.FLOW_PROGRESS, flow, null);
            o.frameNumber = packet.frameNumber; // the packet that crossed the level: an alert's evidence
            o.timestampNanos = flow.lastSeenNanos();
            o.bytesToServer = FlowProgress.threshold(progressToServer[slot]);
            o.bytesToClient = FlowProgress.threshold(progressToClient[slot]);
            o.reportedBytesToServer = reportedToServer;
            o.reportedBytesToClient = reportedToClient;
        } finally {
            published(seq);
        }
    }

    @Override
    public void onFlowEnd(FlowView flow, FlowEndReason reason) {
        app.onFlowEnd(flow.slot(), reason);
        publishFlow(ObservationType.FLOW_END, flow, reason);
        // An active timeout continues the connection in the same slot with fresh counters.
        progressToServer[flow.slot()] = 0;
        progressToClient[flow.slot()] = 0;
    }

    @Override
    public void onModbus(DecodedPacket p, int flowSlot, ModbusPdu pdu) {
        if (pdu.isResponse && !pdu.isException && !pdu.malformed && !pdu.deviceId.present()) {
            int tick = (int) (p.timestampNanos >>> 30);
            if (modbusAnswerTick[flowSlot] == tick) {
                return;
            }
            modbusAnswerTick[flowSlot] = tick;
        }
        publishApp(ObservationType.MODBUS_OP, AppProtocol.MODBUS, p, flowSlot, pdu, FlowWorker::fillModbus);
    }

    @Override
    public void onBacnet(DecodedPacket p, int flowSlot, BacnetPdu pdu) {
        publishApp(ObservationType.BACNET_OP, AppProtocol.BACNET, p, flowSlot, pdu, FlowWorker::fillBacnet);
    }

    @Override
    public void onDns(DecodedPacket p, int flowSlot, DnsMessage message) {
        publishApp(ObservationType.DNS_QUERY, AppProtocol.DNS, p, flowSlot, message, FlowWorker::fillDns);
    }

    @Override
    public void onOpcUa(DecodedPacket p, int flowSlot, OpcUaMessage message) {
        publishApp(ObservationType.OPCUA_OP, AppProtocol.OPCUA, p, flowSlot, message, FlowWorker::fillOpcUa);
    }

    @Override
    public void onTls(DecodedPacket p, int flowSlot, TlsHello hello) {
        publishApp(ObservationType.TLS_HELLO, AppProtocol.TLS, p, flowSlot, hello, FlowWorker::fillTls);
    }

    @Override
    public void onTlsHeartbeat(DecodedPacket p, int flowSlot, boolean fromClient, int type, int payloadLength,
                               int recordLength, boolean overflows) {
        long seq = observations.next();
        try {
            NamedOp n = appObservation(seq, ObservationType.TLS_HEARTBEAT, AppProtocol.TLS, p, flowSlot).named;
            n.clear();
            n.code = type;
            n.number = payloadLength;
            n.address = recordLength;
            n.flag = overflows;
        } finally {
            published(seq);
        }
    }

    @Override
    public void onHttp(DecodedPacket p, int flowSlot, HttpMessage message) {
        publishApp(ObservationType.HTTP_MESSAGE, AppProtocol.HTTP, p, flowSlot, message, FlowWorker::fillHttp);
    }

    @Override
    public void onSsh(DecodedPacket p, int flowSlot, SshBanner banner) {
        publishApp(ObservationType.SSH_BANNER, AppProtocol.SSH, p, flowSlot, banner, FlowWorker::fillSsh);
    }

    @Override
    public void onNbns(DecodedPacket p, int flowSlot, NbnsMessage m) {
        publishApp(ObservationType.NETBIOS_NAME, AppProtocol.NBNS, p, flowSlot, m, FlowWorker::fillNbns);
    }

    @Override
    public void onDhcp(DecodedPacket p, int flowSlot, DhcpMessage m) {
        publishApp(ObservationType.DHCP_MESSAGE, AppProtocol.DHCP, p, flowSlot, m, FlowWorker::fillDhcp);
    }

    @Override
    public void onNtp(DecodedPacket p, int flowSlot, NtpMessage m) {
        publishApp(ObservationType.NTP_MESSAGE, AppProtocol.NTP, p, flowSlot, m, FlowWorker::fillNtp);
    }

    @Override
    public void onSnmp(DecodedPacket p, int flowSlot, SnmpMessage m) {
        publishApp(ObservationType.SNMP_MESSAGE, AppProtocol.SNMP, p, flowSlot, m, FlowWorker::fillSnmp);
    }

    /**
     * Explicit messages only: implicit I/O repeats the same cyclic data every few milliseconds and
     * says nothing the flow record does not; it is counted by the app layer, not observed.
     */
    @Override
    public void onEnip(DecodedPacket p, int flowSlot, EnipMessage m) {
        if (m.kind == EnipMessage.KIND_ENCAP) {
            publishApp(ObservationType.ENIP_OP, AppProtocol.ENIP, p, flowSlot, m, FlowWorker::fillEnip);
        }
    }

    @Override
    public void onS7comm(DecodedPacket p, int flowSlot, S7Message m) {
        publishApp(ObservationType.S7COMM_OP, AppProtocol.S7COMM, p, flowSlot, m, FlowWorker::fillS7comm);
    }

    @Override
    public void onIec104(DecodedPacket p, int flowSlot, Iec104Apdu apdu) {
        publishApp(ObservationType.IEC104_OP, AppProtocol.IEC104, p, flowSlot, apdu, FlowWorker::fillIec104);
    }

    @Override
    public void onMqtt(DecodedPacket p, int flowSlot, MqttMessage m) {
        publishApp(ObservationType.MQTT_MESSAGE, AppProtocol.MQTT, p, flowSlot, m, FlowWorker::fillMqtt);
    }

    @Override
    public void onSmb(DecodedPacket p, int flowSlot, SmbMessage m) {
        publishApp(ObservationType.SMB_MESSAGE, AppProtocol.SMB, p, flowSlot, m, FlowWorker::fillSmb);
    }

    /** One observation per application fragment; link frames that complete none carry no operation. */
    @Override
    public void onDnp3(DecodedPacket p, int flowSlot, Dnp3Message m) {
        if (m.hasApplication) {
            publishApp(ObservationType.DNP3_OP, AppProtocol.DNP3, p, flowSlot, m, FlowWorker::fillDnp3);
        }
    }

    @Override
    public void onProtocolMismatch(DecodedPacket p, int flowSlot, AppProtocol expected) {
        publishApp(ObservationType.PROTOCOL_MISMATCH, expected, p, flowSlot, null, (o, none) -> { });
    }

    /**
     * Claims an observation slot, fills it and publishes it even if filling fails, so a bug in
     * one copy method can never leave a claimed slot that stalls the device shards. The fill
     * functions are static method references: no allocation per call.
     */
    private <T> void publishApp(ObservationType type, AppProtocol protocol, DecodedPacket p, int flowSlot, T message,
                                BiConsumer<Observation, T> fill) {
        long seq = observations.next();
        try {
            fill.accept(appObservation(seq, type, protocol, p, flowSlot), message);
        } finally {
            published(seq);
        }
    }

    private static void fillModbus(Observation o, ModbusPdu pdu) {
        o.modbus.copyFrom(pdu);
    }

    private static void fillBacnet(Observation o, BacnetPdu pdu) {
        o.bacnet.copyFrom(pdu);
    }

    private static void fillDns(Observation o, DnsMessage m) {
        o.dns.copyFrom(m);
    }

    private static void fillOpcUa(Observation o, OpcUaMessage m) {
        o.opcua.copyFrom(m);
    }

    private static void fillTls(Observation o, TlsHello hello) {
        NamedOp n = o.named;
        n.clear();
        n.code = hello.handshakeType;
        n.version = hello.version();
        n.name(hello.data, hello.sniOffset, hello.sniLength);
        n.detail(hello.data, hello.alpnOffset, hello.alpnLength);
        if (hello.ja3Valid) {
            System.arraycopy(hello.ja3, 0, n.fingerprint, 0, 16);
            n.hasFingerprint = true;
        }
        if (hello.ja4Valid) {
            System.arraycopy(hello.ja4, 0, n.ja4, 0, hello.ja4Length);
            n.ja4Length = hello.ja4Length;
        }
        n.malformed = hello.malformed;
    }

    private static void fillHttp(Observation o, HttpMessage m) {
        NamedOp n = o.named;
        n.clear();
        n.code = m.isRequest ? 0 : m.statusCode;
        n.flag = m.isRequest;
        n.name(m.data, m.hostOffset, m.hostLength);
        n.detail(m.data, m.userAgentOffset, m.userAgentLength);
        n.malformed = m.malformed;
    }

    private static void fillSsh(Observation o, SshBanner b) {
        NamedOp n = o.named;
        n.clear();
        n.name(b.data, b.softwareVersionOffset, b.softwareVersionLength);
        n.detail(b.data, b.commentsOffset, b.commentsLength);
        n.malformed = b.malformed;
    }

    private static void fillNbns(Observation o, NbnsMessage m) {
        NamedOp n = o.named;
        n.clear();
        n.code = m.opcode;
        n.flag = m.response;
        n.name(m.name, 0, m.nameLength);
        n.number = m.suffix;
        n.address = m.address;
        n.mac = m.claimsName() ? 1 : 0;
        n.malformed = m.malformed;
    }

    private static void fillDhcp(Observation o, DhcpMessage m) {
        NamedOp n = o.named;
        n.clear();
        n.code = m.messageType;
        n.mac = m.chaddr < 0 ? 0 : m.chaddr;
        n.address = m.hasRequestedIp ? m.requestedIp : 0;
        n.name(m.buffer, m.hostnameOffset, m.hostnameLength);
        n.detail(m.buffer, m.vendorClassOffset, m.vendorClassLength);
        n.malformed = m.malformed;
    }

    private static void fillNtp(Observation o, NtpMessage m) {
        NamedOp n = o.named;
        n.clear();
        n.code = m.mode;
        n.version = m.version;
        n.number = m.stratum;
        n.flag = m.controlOrPrivate;
        n.malformed = m.malformed;
    }

    private static void fillSnmp(Observation o, SnmpMessage m) {
        NamedOp n = o.named;
        n.clear();
        n.code = m.pduType;
        n.version = m.version;
        if (m.version == SnmpMessage.V3) {
            n.name(m.buffer, m.userNameOffset, m.userNameLength);
            n.flag = m.priv;
        } else {
            n.name(m.buffer, m.communityOffset, m.communityLength);
            n.flag = m.communityIsDefault;
        }
        n.number = m.varbindCount;
        n.malformed = m.malformed;
    }

    private static void fillEnip(Observation o, EnipMessage m) {
        EnipOps.fill(o.ics, m);
    }

    private static void fillS7comm(Observation o, S7Message m) {
        S7IcsOps.fill(o.ics, m);
    }

    /** MQTT as {@link NamedOp} documents it. */
    private static void fillMqtt(Observation o, MqttMessage m) {
        NamedOp n = o.named;
        n.clear();
        n.code = m.type;
        n.version = m.protocolVersion;
        n.malformed = m.malformed;
        switch (m.type) {
            case MqttMessage.CONNECT:
                n.name(m.data, m.clientIdOffset, m.clientIdLength);
                n.detail(m.data, m.usernameOffset, m.usernameLength);
                n.flag = m.hasPassword;
                n.number = Math.max(0, m.keepAlive);
                break;
            case MqttMessage.PUBLISH:
                n.name(m.data, m.topicOffset, m.topicLength);
                n.number = Math.max(0, m.payloadLength);
                n.address = Math.max(0, m.qos);
                n.flag = m.retain;
                break;
            case MqttMessage.SUBSCRIBE:
            case MqttMessage.UNSUBSCRIBE:
                if (m.topicCount > 0) {
                    n.name(m.data, m.topicOffsets[0], m.topicLengths[0]);
                    n.address = Math.max(0, m.requestedQos[0]);
                }
                n.number = Math.max(0, m.packetId);
                break;
            case MqttMessage.CONNACK:
                n.number = Math.max(0, m.reasonCode);
                n.flag = m.sessionPresent;
                break;
            case MqttMessage.DISCONNECT:
            case MqttMessage.AUTH:
                n.number = Math.max(0, m.reasonCode);
                break;
            default:
                n.number = Math.max(0, m.packetId);
                break;
        }
    }

    /**
     * IEC 104 as {@link IcsOp} documents it; isResponse = sent by the controlled station (from port
     * 2404), isError = negative confirmation or a COT of 44-47 (unknown type, cause, address, IOA).
     */
    private static void fillIec104(Observation o, Iec104Apdu a) {
        IcsOp op = o.ics;
        op.clear();
        op.kind = a.kind();
        op.isResponse = !a.fromClient;
        op.malformed = a.malformed;
        if (a.apciType == Iec104Apdu.TYPE_U) {
            op.subFunction = a.uControl;
            return;
        }
        if (a.apciType == Iec104Apdu.TYPE_S) {
            op.subFunction = 1;
            op.sequence = a.rxSeq;
            return;
        }
        op.sequence = a.txSeq;
        if (!a.hasAsdu) {
            return;
        }
        // A short ASDU header leaves absent fields at -1; IcsOp keeps 0 for those.
        op.function = a.typeId;
        op.unit = Math.max(0, a.commonAddress);
        op.peerUnit = Math.max(0, a.originator);
        op.status = a.cot < 0 ? 0 : a.cot | (a.negative ? 0x40 : 0) | (a.test ? 0x80 : 0);
        op.isError = a.negative || a.cot >= 44 && a.cot <= 47;
        op.count = Math.max(0, a.numObjects);
        op.address = a.ioaCount > 0 ? a.ioa[0] : -1;
        for (int i = 0; i < a.ioaCount; i++) {
            op.addObject(a.ioa[i]);
        }
        for (int i = 0; i < a.valueCount && i < IcsOp.MAX_VALUES; i++) {
            op.addValue(a.values[i]);
        }
    }

    /** SMB_MESSAGE as NamedOp documents it; copies bytes only, so nothing is allocated. */
    static void fillSmb(Observation o, SmbMessage m) {
        NamedOp n = o.named;
        n.clear();
        if (m.encrypted) {
            n.code = NamedOp.SMB_ENCRYPTED;
        } else if (m.compressed) {
            n.code = NamedOp.SMB_COMPRESSED;
            n.number = m.originalCompressedSegmentSize;
            n.address = (int) m.compressionOffset;
        } else {
            n.code = m.version == SmbMessage.SMB1 ? NamedOp.SMB1_COMMAND | m.command : m.command;
            n.number = m.status;
        }
        if (m.version == SmbMessage.SMB1) {
            n.version = 0x0100;
        } else if (m.dialect > 0) {
            n.version = m.dialect;
        } else {
            for (int i = 0; i < Math.min(m.dialectCount, SmbMessage.MAX_DIALECTS); i++) {
                n.version = Math.max(n.version, m.dialects[i]);
            }
        }
        SmbText name = m.filename.present() ? m.filename : m.file.present() ? m.file
            : m.tree.present() ? m.tree : m.share;
        if (name.length > 0) {
            n.name(name.bytes, 0, name.length);
        }
        if (m.user.length > 0) {
            int len = 0;
            if (m.domain.length > 0) {
                len = Math.min(m.domain.length, NamedOp.MAX_NAME - 1);
                System.arraycopy(m.domain.bytes, 0, n.detail, 0, len);
                n.detail[len++] = '\\';
            }
            int u = Math.min(m.user.length, NamedOp.MAX_NAME - len);
            System.arraycopy(m.user.bytes, 0, n.detail, len, u);
            n.detailLength = len + u;
        } else {
            n.detailLength = m.dialectsText(n.detail);
        }
        n.flag = m.isResponse;
        n.malformed = m.malformed;
    }

    /**
     * DNP3 as IcsOp documents it, and: address/count = the first header's start index (or first
     * index prefix) and object count; values = per CROB its control code, on-time and off-time (ms),
     * per analog output command its value, per written time the ms since 1970; name = the file name
     * or application id; isError = IIN2 error bits or a rejected command in a response.
     */
    private static void fillDnp3(Observation o, Dnp3Message m) {
        IcsOp op = o.ics;
        op.clear();
        op.function = m.functionCode;
        op.kind = m.kind;
        op.isResponse = m.isResponse;
        op.status = Math.max(0, m.iin);
        op.isError = m.isError;
        op.unit = m.destination;
        op.peerUnit = m.source;
        op.sequence = Math.max(0, m.sequence);
        for (int i = 0; i < m.keptHeaders(); i++) {
            op.addObject(m.object(i));
        }
        op.objectCount = m.headerCount;
        if (m.headerCount > 0) {
            long first = m.start[0] >= 0 ? m.start[0] : m.firstIndex[0];
            op.address = Math.max(0, first);
            op.count = (int) Math.min(Integer.MAX_VALUE, m.count[0]);
        }
        for (int i = 0; i < m.keptCommands(); i++) {
            if (m.commandCode[i] >= 0) {
                op.addValue(m.commandCode[i]);
                op.addValue(m.commandOnTime[i]);
                op.addValue(m.commandOffTime[i]);
            } else {
                op.addValue(m.commandValue[i]);
            }
        }
        op.name(m.name, 0, m.nameLength);
        op.malformed = m.malformed;
    }

    /** Fills the common part of an application observation: the PDU's sender as src. */
    private Observation appObservation(long seq, ObservationType type, AppProtocol protocol, DecodedPacket p,
                                       int flowSlot) {
        Observation o = observations.get(seq);
        o.clear();
        o.type = type;
        o.appProtocol = protocol;
        o.producer = index;
        o.timestampNanos = p.timestampNanos;
        o.frameNumber = p.frameNumber;
        o.vlan = p.vlan;
        o.srcIpHi = p.srcIpHi;
        o.srcIpLo = p.srcIpLo;
        o.dstIpHi = p.dstIpHi;
        o.dstIpLo = p.dstIpLo;
        o.srcMac = p.srcMac;
        o.dstMac = p.dstMac;
        o.srcPort = p.srcPort;
        o.dstPort = p.dstPort;
        o.ipProto = p.ipProto;
        o.flowId = ((long) index << 48) | flows.view(flowSlot).flowId();
        return o;
    }

    private void publishFlow(ObservationType type, FlowView flow, FlowEndReason reason) {
        long seq = observations.next();
        try {
            Observation o = fillFlow(observations.get(seq), type, flow, reason);
            if (type == ObservationType.FLOW_START || reason == FlowEndReason.TCP_CLOSED) {
                o.frameNumber = packet.frameNumber; // a packet started or closed it: an alert's evidence names it
            }
            if (type == ObservationType.FLOW_END) {
                o.reportedBytesToServer = FlowProgress.threshold(progressToServer[flow.slot()]);
                o.reportedBytesToClient = FlowProgress.threshold(progressToClient[flow.slot()]);
            }
        } finally {
            published(seq);
        }
    }

    private Observation fillFlow(Observation o, ObservationType type, FlowView flow, FlowEndReason reason) {
        o.clear();
        o.type = type;
        o.producer = index;
        o.timestampNanos = type == ObservationType.FLOW_START ? flow.firstSeenNanos() : flow.lastSeenNanos();
        o.vlan = flow.vlan();
        o.srcIpHi = flow.clientIpHi();
        o.srcIpLo = flow.clientIpLo();
        o.dstIpHi = flow.serverIpHi();
        o.dstIpLo = flow.serverIpLo();
        o.srcMac = flow.clientMac();
        o.dstMac = flow.serverMac();
        o.srcPort = flow.clientPort();
        o.dstPort = flow.serverPort();
        o.ipProto = flow.ipProto();
        // Flow ids count per table; the worker index in the top bits makes them unique per sensor.
        o.flowId = ((long) index << 48) | flow.flowId();
        o.packetsToServer = flow.packetsFromClient();
        o.bytesToServer = flow.bytesFromClient();
        o.packetsToClient = flow.packetsFromServer();
        o.bytesToClient = flow.bytesFromServer();
        o.firstSeenNanos = flow.firstSeenNanos();
        o.lastSeenNanos = flow.lastSeenNanos();
        o.tcpState = flow.tcpState();
        o.endReason = reason;
        return o;
    }

    private void publishEndOfStream() {
        long seq = observations.next();
        try {
            Observation o = observations.get(seq);
            o.clear();
            o.type = ObservationType.END_OF_STREAM;
            o.producer = index;
        } finally {
            published(seq);
        }
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }

    /** Set before the pipeline starts (the thread start publishes it). */
    void latencyFromCaptureTimestamp(boolean live) {
        latencyFromCaptureTimestamp = live;
    }

    long lastIngestNanos() {
        return lastIngestNanos;
    }

    /**
     * Exact once the worker has stopped (the ring's end barrier orders it); the metrics endpoint also reads
     * them racily while it runs, which costs the worker nothing.
     */
    DecodeCounters counters() {
        return counters;
    }

    FlowTable flowTable() {
        return flows;
    }

    AppLayer appLayer() {
        return app;
    }
}
