package io.vigil.detectors;

import io.vigil.baseline.AiServices;
import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceModel;
import io.vigil.baseline.DeviceTable;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.baseline.FeatureSet;
import io.vigil.baseline.IndustrialOperation;
import io.vigil.protocols.observe.IcsOp;
import io.vigil.protocols.observe.Observation;
import io.vigil.protocols.observe.ObservationHandler;
import io.vigil.protocols.observe.ObservationType;
import io.vigil.protocols.opcua.OpcUaMessage;
import io.vigil.protocols.opcua.OpcUaNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Learns and judges one device shard's devices: turns each observation into feature values
 * (peers, services, industrial operations, written values) of the devices this shard owns,
 * counts them into the device models, and in the detection phase lets every {@link Detector}
 * look at the values that were new before they are counted.
 *
 * <p><b>What is learned after the learning phase.</b> A new value no detector alerted on is
 * counted at once, so behaviour keeps being absorbed (and a device that keeps producing new
 * values raises its own rate of novelty, which lowers their surprise). A value that was alerted
 * on is held apart ({@link #PENDING_REPEATS} repeats over at least {@link #PENDING_SECONDS} s of
 * capture time) before it counts as normal: an attacker's write does not become routine by being
 * repeated for a minute, a real change of operations does within an hour.
 *
 * <p>Detectors that learn a model of their own (rates, volumes, poll periods) see the learning
 * phase's observations through {@link Detector#learn}; those that judge an absence get
 * {@link Detector#tick} once per second of capture time (from any observation the shard sees,
 * its own or, via {@link #onClock}, another shard's) and at the end of the stream.
 *
 * <p>Must run after the shard's {@link io.vigil.baseline.DeviceInventory}, which creates the
 * devices. Owned by one device shard thread; allocates only when a device first shows a kind of
 * behaviour, when a set grows, and when it raises an alert.
 */
public final class DetectionEngine implements ObservationHandler {
    /** Repeats an alerted value needs, spread over {@link #PENDING_SECONDS}, before it is learned. */
    public static final int PENDING_REPEATS = 5;
    public static final long PENDING_SECONDS = 3_600;
    /** Default threshold: a novelty the device produced at a rate below 1/256 while learning. */
    public static final double DEFAULT_MIN_SURPRISE_BITS = 8;
    /** Bound of one detector's saved state, so a corrupt length cannot exhaust the heap. */
    private static final int MAX_DETECTOR_STATE_BYTES = 1 << 28;

    private final DeviceTable devices;
    private final Detector[] detectors;
    /** The detectors that inspect each observation type, by ordinal. */
    private final Detector[][] inspectors;
    private final Detection d = new Detection();
    private final AlertAggregator alerts;
    private final LearningPlan plan;
    /** Capture time of the latest observation learned (Long.MIN_VALUE before any), for the model file. */
    private long lastLearnedNanos = Long.MIN_VALUE;
    private boolean detected;
    /** Latest capture time seen, and its second, for {@link Detector#tick}. */
    private long clockNanos = Long.MIN_VALUE;
    private long clockSecond = Long.MIN_VALUE;

    public DetectionEngine(DeviceTable devices, LearningPlan plan, AlertAggregator alerts, List<Detector> detectors,
                           double minSurpriseBits) {
        this.devices = devices;
        this.plan = plan;
        this.alerts = alerts;
        this.detectors = detectors.toArray(new Detector[0]);
        ObservationType[] types = ObservationType.values();
        this.inspectors = new Detector[types.length][];
        for (ObservationType t : types) {
            inspectors[t.ordinal()] = detectors.stream().filter(x -> x.inspects(t)).toArray(Detector[]::new);
        }
        d.plan = plan;
        d.alerts = alerts;
        d.minSurpriseBits = minSurpriseBits;
    }

    @Override
    public void onObservation(Observation o, boolean ownsSource, boolean ownsDestination) {
        ObservationType type = o.type;
        if (type == ObservationType.PROTOCOL_MISMATCH) {
            return;
        }
        plan.observe(o.timestampNanos);
        boolean detecting = plan.detecting(o.timestampNanos);
        if (detecting) {
            detected = true;
        } else if (o.timestampNanos > lastLearnedNanos) {
            lastLearnedNanos = o.timestampNanos;
        }
        clock(o.timestampNanos, detecting);
        Device src = ownsSource ? devices.find(o.vlan, o.srcIpHi, o.srcIpLo) : null;
        Device dst = ownsDestination ? devices.find(o.vlan, o.dstIpHi, o.dstIpLo) : null;
        d.observation = o;
        d.source = src;
        d.destination = dst;
        d.novelties = 0;
        d.alertedHere = false;
        d.hasOperation = d.operation.extract(o);
        long now = o.timestampNanos / 1_000_000_000L;

        features(o, type, src, dst, detecting, now);

        if (src != null || dst != null) {
            if (detecting) {
                for (Detector detector : inspectors[type.ordinal()]) {
                    detector.inspect(d);
                }
            } else {
                for (Detector detector : detectors) {
                    detector.learn(d);
                }
            }
        }
        commit(now);
        // Operation summaries and value ranges learn after the detectors judged against them.
        if (d.hasOperation && !d.alertedHere) {
            learnOperation(o, src, dst);
        }
    }

    /**
     * The feature updates of one observation. A method of its own, too large for C2 to inline:
     * onObservation is recompiled each time a new path turns hot (learning ends, a first alert) and
     * with this inlined each recompilation took ~0.4 s of a core on a 2-core box.
     */
    private void features(Observation o, ObservationType type, Device src, Device dst, boolean detecting, long now) {
        if (type == ObservationType.FLOW_START) {
            long srcPeer = FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo);
            long dstPeer = FeatureKeys.peer(o.vlan, o.dstIpHi, o.dstIpLo);
            if (src != null) {
                feature(src, FeatureKind.PEER_AS_CLIENT, FeatureKeys.peerService(dstPeer, o.ipProto, o.dstPort),
                    detecting, now);
                feature(src, FeatureKind.SERVICE_USED, FeatureKeys.service(o.ipProto, o.dstPort), detecting, now);
            }
            if (dst != null) {
                feature(dst, FeatureKind.PEER_AS_SERVER, FeatureKeys.peerService(srcPeer, o.ipProto, o.dstPort),
                    detecting, now);
            }
        } else if (type == ObservationType.FLOW_END || type == ObservationType.FLOW_PROGRESS) {
            // A service is what a device answered on: a probe of a closed port (a SYN without reply) is not one.
            if (type == ObservationType.FLOW_END && dst != null && o.dstPort != 0 && o.serverAnswered()) {
                feature(dst, FeatureKind.SERVICE_SERVED, FeatureKeys.service(o.ipProto, o.dstPort), detecting, now);
            }
        } else if (type == ObservationType.DNS_QUERY || type == ObservationType.TLS_HELLO) {
            int ai = aiService(o);
            if (src != null && ai >= 0) {
                feature(src, FeatureKind.AI_SERVICE, ai, detecting, now);
            }
        } else if (type == ObservationType.ARP_CLAIM) {
            if (src != null && o.srcMac != 0) {
                feature(src, FeatureKind.ARP_MAC, o.srcMac, detecting, now);
            }
        } else if (d.hasOperation) {
            // A request also refreshes the peer features: a master keeps one connection open for hours, and its
            // minutes of activity, not its one connection, are what make a new peer rare (see FeatureSet).
            IndustrialOperation op = d.operation;
            long srcPeer = FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo);
            long dstPeer = FeatureKeys.peer(o.vlan, o.dstIpHi, o.dstIpLo);
            if (src != null) {
                feature(src, FeatureKind.PEER_AS_CLIENT, FeatureKeys.peerService(dstPeer, o.ipProto, o.dstPort),
                    detecting, now);
                feature(src, FeatureKind.OPERATION_ISSUED, FeatureKeys.peerOperation(dstPeer, op), detecting, now);
            }
            if (dst != null) {
                feature(dst, FeatureKind.PEER_AS_SERVER, FeatureKeys.peerService(srcPeer, o.ipProto, o.dstPort),
                    detecting, now);
                // A decoded request on an open connection: the device serves this port now, not only when it ends.
                feature(dst, FeatureKind.SERVICE_SERVED, FeatureKeys.service(o.ipProto, o.dstPort), detecting, now);
                feature(dst, FeatureKind.OPERATION_RECEIVED, FeatureKeys.peerOperation(srcPeer, op), detecting, now);
                feature(dst, FeatureKind.OPERATION_TYPE_RECEIVED, FeatureKeys.operation(op), detecting, now);
                if (insecureChannel(o)) {
                    feature(dst, FeatureKind.OPCUA_NONE_CLIENT, srcPeer, detecting, now);
                }
            }
        }
    }

    /**
     * Counts a known value at once; a new one in the detection phase waits for the detectors
     * (recorded as a novelty with the surprise it has now).
     */
    private void feature(Device device, FeatureKind kind, long key, boolean detecting, long nowSeconds) {
        FeatureSet set = device.model().features(kind);
        if (!detecting || set.contains(key)) {
            set.observe(key, nowSeconds);
            return;
        }
        if (d.novelties == Detection.MAX_NOVELTIES) {
            set.observe(key, nowSeconds);
            return;
        }
        int i = d.novelties++;
        d.noveltyKind[i] = kind;
        d.noveltyDevice[i] = device;
        d.noveltyKey[i] = key;
        d.noveltySurprise[i] = set.surpriseBits();
        d.noveltyEvidence[i] = set.observations();
        d.noveltyAlerted[i] = false;
    }

    private void commit(long nowSeconds) {
        for (int i = 0; i < d.novelties; i++) {
            DeviceModel model = d.noveltyDevice[i].model();
            FeatureSet set = model.features(d.noveltyKind[i]);
            long key = d.noveltyKey[i];
            if (!d.noveltyAlerted[i] && !model.pending().contains(pendingKey(d.noveltyKind[i], key))) {
                set.observe(key, nowSeconds);
                continue;
            }
            long pk = pendingKey(d.noveltyKind[i], key);
            FeatureSet pending = model.pending();
            int before = pending.observe(pk, nowSeconds);
            long first = pending.firstSeenSeconds(pk);
            if (before + 1 >= PENDING_REPEATS && first >= 0 && nowSeconds - first >= PENDING_SECONDS) {
                set.observe(key, nowSeconds); // it persisted: from now on it is normal
            }
        }
        d.novelties = 0;
    }

    /** An OPC UA OpenSecureChannel request with SecurityPolicy None. */
    static boolean insecureChannel(Observation o) {
        return o.type == ObservationType.OPCUA_OP && o.opcua.serviceId == OpcUaNames.OPEN_SECURE_CHANNEL_REQUEST
            && o.opcua.securityPolicy == OpcUaMessage.POLICY_NONE;
    }

    /** The generative-AI service a DNS query or TLS ClientHello names, or -1. */
    static int aiService(Observation o) {
        if (o.type == ObservationType.DNS_QUERY) {
            return o.dns.isResponse ? -1 : AiServices.match(o.dns.qname, o.dns.qnameLength);
        }
        return o.named.code == 1 ? AiServices.match(o.named.name, o.named.nameLength) : -1;
    }

    private static long pendingKey(FeatureKind kind, long key) {
        return FeatureKeys.mix(key ^ (long) kind.ordinal() << 58);
    }

    private void learnOperation(Observation o, Device src, Device dst) {
        IndustrialOperation op = d.operation;
        if (dst != null) {
            dst.model().operationsReceived().record(FeatureKeys.peer(o.vlan, o.srcIpHi, o.srcIpLo), op.protocol,
                op.kind, op.function, o.timestampNanos);
            if (op.hasValue && (op.kind == IcsOp.KIND_WRITE || op.kind == IcsOp.KIND_CONTROL)) {
                dst.model().writesReceived().add(FeatureKeys.writeTarget(op), op.value);
            }
        }
        if (src != null) {
            src.model().operationsIssued().record(FeatureKeys.peer(o.vlan, o.dstIpHi, o.dstIpLo), op.protocol,
                op.kind, op.function, o.timestampNanos);
        }
    }

    /**
     * Lets detectors judge absences once per second of capture time. The clock only moves forward:
     * a flow's end carries its last packet's time, which may lie behind other observations.
     */
    private void clock(long nowNanos, boolean detecting) {
        if (nowNanos > clockNanos) {
            clockNanos = nowNanos;
        }
        long second = Math.floorDiv(clockNanos, 1_000_000_000L);
        if (second <= clockSecond) {
            return;
        }
        clockSecond = second;
        if (detecting) {
            tick(clockNanos);
        }
    }

    private void tick(long nowNanos) {
        d.observation = null;
        d.source = null;
        d.destination = null;
        d.novelties = 0;
        d.hasOperation = false;
        for (Detector detector : detectors) {
            detector.tick(d, nowNanos);
        }
    }

    @Override
    public void onClock(long timestampNanos) {
        plan.observe(timestampNanos);
        clock(timestampNanos, plan.detecting(timestampNanos));
    }

    @Override
    public void onEndOfStream() {
        if (clockSecond != Long.MIN_VALUE && plan.detecting(clockNanos)) {
            tick(clockNanos);
        }
        alerts.flush();
    }

    /** Capture time of the latest observation learned, Long.MIN_VALUE when none was. */
    public long lastLearnedNanos() {
        return lastLearnedNanos;
    }

    /** Whether any observation was judged (learning had ended for this shard). */
    public boolean detected() {
        return detected;
    }

    /**
     * Writes the shard-wide state of this engine for a model file: the alert id sequence, then each
     * detector's state under its name, so detectors can be added or reordered between versions.
     */
    public void writeStateTo(DataOutput out) throws IOException {
        out.writeLong(alerts.sequence());
        out.writeShort(detectors.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Detector detector : detectors) {
            bytes.reset();
            detector.writeStateTo(new DataOutputStream(bytes));
            out.writeUTF(detector.getClass().getSimpleName());
            out.writeInt(bytes.size());
            out.write(bytes.toByteArray());
        }
    }

    /**
     * Adds state written by {@link #writeStateTo}; called once per saved shard (several times when
     * the shard count changed). State of a detector this version lacks is skipped.
     */
    public void readStateFrom(DataInput in) throws IOException {
        alerts.continueSequence(in.readLong());
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length > MAX_DETECTOR_STATE_BYTES) {
                throw new IOException("detector state of " + length + " bytes");
            }
            byte[] state = new byte[length];
            in.readFully(state);
            for (Detector detector : detectors) {
                if (detector.getClass().getSimpleName().equals(name)) {
                    DataInputStream stateIn = new DataInputStream(new ByteArrayInputStream(state));
                    detector.readStateFrom(stateIn);
                    if (stateIn.available() != 0) {
                        throw new IOException(name + " state has " + stateIn.available() + " bytes left over");
                    }
                }
            }
        }
    }

    public AlertAggregator alerts() {
        return alerts;
    }
}
