package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The pattern of life of one device: a {@link FeatureSet} per {@link FeatureKind} (created when
 * the device first shows that kind of behaviour), what each peer has asked of it
 * ({@link PeerOperations}) and the ranges of values written to it ({@link ValueRanges}).
 *
 * <p>Memory is bounded per device by {@link #maxBytes()}; most devices use a small fraction of it,
 * since sets start at 8 slots and grow only with distinct values.
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class DeviceModel {
    private static final FeatureKind[] KINDS = FeatureKind.values();
    private static final int PENDING_MAX = 256;

    private final FeatureSet[] sets = new FeatureSet[KINDS.length];
    private PeerOperations operationsReceived;
    private PeerOperations operationsIssued;
    private ValueRanges writesReceived;
    private FeatureSet pending;
    private ScanWindow scanWindow;
    private DnsActivity dnsActivity;
    private Beacons beacons;
    private boolean reportedAsNew;

    /** The set of this kind, created on first use. */
    public FeatureSet features(FeatureKind kind) {
        FeatureSet s = sets[kind.ordinal()];
        if (s == null) {
            s = new FeatureSet(kind.maxKeys(), FeatureKind.BUCKET_SECONDS);
            sets[kind.ordinal()] = s;
        }
        return s;
    }

    /** The set of this kind, or null when the device never showed it. */
    public FeatureSet featuresIfAny(FeatureKind kind) {
        return sets[kind.ordinal()];
    }

    public PeerOperations operationsReceived() {
        if (operationsReceived == null) {
            operationsReceived = new PeerOperations();
        }
        return operationsReceived;
    }

    public PeerOperations operationsReceivedIfAny() {
        return operationsReceived;
    }

    public PeerOperations operationsIssued() {
        if (operationsIssued == null) {
            operationsIssued = new PeerOperations();
        }
        return operationsIssued;
    }

    public PeerOperations operationsIssuedIfAny() {
        return operationsIssued;
    }

    public ValueRanges writesReceived() {
        if (writesReceived == null) {
            writesReceived = new ValueRanges();
        }
        return writesReceived;
    }

    public ValueRanges writesReceivedIfAny() {
        return writesReceived;
    }

    /** Values alerted on and not yet learned (keys mixed with their kind), waiting to prove they persist. */
    public FeatureSet pending() {
        if (pending == null) {
            pending = new FeatureSet(PENDING_MAX);
        }
        return pending;
    }

    /** First contacts of the current short window, for scan detection; created on first use. */
    public ScanWindow scanWindow() {
        if (scanWindow == null) {
            scanWindow = new ScanWindow();
        }
        return scanWindow;
    }

    /** The device's DNS in the current short window, for tunnelling and generated-name detection. */
    public DnsActivity dnsActivity() {
        if (dnsActivity == null) {
            dnsActivity = new DnsActivity();
        }
        return dnsActivity;
    }

    /** Connection timing to the device's recent external destinations, for beacon detection. */
    public Beacons beacons() {
        if (beacons == null) {
            beacons = new Beacons();
        }
        return beacons;
    }

    /** Whether the device was already reported as new (so its later observations need no lookup). */
    public boolean reportedAsNew() {
        return reportedAsNew;
    }

    public void markReportedAsNew() {
        reportedAsNew = true;
    }

    /**
     * Writes the model for a model file: one presence flag per component, then the component.
     * Components are listed in file order; a new one is appended here and in {@link #readFrom}
     * (with a bump of the model file's format version), so a model lacking it costs one byte.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeBoolean(reportedAsNew);
        out.writeByte(sets.length);
        for (FeatureSet s : sets) {
            if (present(out, s)) {
                s.writeTo(out);
            }
        }
        if (present(out, operationsReceived)) {
            operationsReceived.writeTo(out);
        }
        if (present(out, operationsIssued)) {
            operationsIssued.writeTo(out);
        }
        if (present(out, writesReceived)) {
            writesReceived.writeTo(out);
        }
        if (present(out, pending)) {
            pending.writeTo(out);
        }
        if (present(out, scanWindow)) {
            scanWindow.writeTo(out);
        }
        if (present(out, dnsActivity)) {
            dnsActivity.writeTo(out);
        }
        if (present(out, beacons)) {
            beacons.writeTo(out);
        }
    }

    /** Reads a model written by {@link #writeTo}, component by component in the same order. */
    public static DeviceModel readFrom(DataInput in) throws IOException {
        DeviceModel m = new DeviceModel();
        m.reportedAsNew = in.readBoolean();
        int kinds = in.readUnsignedByte();
        if (kinds != KINDS.length) {
            throw new IOException("device model with " + kinds + " feature kinds, expected " + KINDS.length);
        }
        for (int k = 0; k < kinds; k++) {
            if (in.readBoolean()) {
                m.sets[k] = FeatureSet.readFrom(in);
            }
        }
        if (in.readBoolean()) {
            m.operationsReceived = PeerOperations.readFrom(in);
        }
        if (in.readBoolean()) {
            m.operationsIssued = PeerOperations.readFrom(in);
        }
        if (in.readBoolean()) {
            m.writesReceived = ValueRanges.readFrom(in);
        }
        if (in.readBoolean()) {
            m.pending = FeatureSet.readFrom(in);
        }
        if (in.readBoolean()) {
            m.scanWindow = ScanWindow.readFrom(in);
        }
        if (in.readBoolean()) {
            m.dnsActivity = DnsActivity.readFrom(in);
        }
        if (in.readBoolean()) {
            m.beacons = Beacons.readFrom(in);
        }
        return m;
    }

    private static boolean present(DataOutput out, Object component) throws IOException {
        out.writeBoolean(component != null);
        return component != null;
    }

    /** Upper bound of the heap one device model can reach. */
    public static long maxBytes() {
        long b = 16 + 16 + KINDS.length * 4L;
        for (FeatureKind k : KINDS) {
            b += FeatureSet.bytesFor(k.maxKeys());
        }
        return b + 2 * PeerOperations.bytes() + ValueRanges.bytes() + FeatureSet.bytesFor(PENDING_MAX)
            + 16 + ScanWindow.MAX_DISTINCT * (8 + 4) + 2 * 16 + 32 + 40 + Beacons.bytes();
    }
}
