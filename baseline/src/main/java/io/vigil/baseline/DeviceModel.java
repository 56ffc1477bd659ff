package io.vigil.baseline;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The pattern of life of one device: a {@link FeatureSet} per {@link FeatureKind} (created when
 * the device first shows that kind of behaviour), what each peer has asked of it
 * ({@link PeerOperations}) and the ranges of values written to it ({@link ValueRanges}); its
 * polls ({@link PollSchedule}), request rates ({@link RequestRates}), volumes by hour of day
 * ({@link VolumeProfile}), external destinations ({@link ExternalTransfers}), login attempts
 * ({@link AuthAttempts}) and learned internal clients.
 *
 * <p>Memory is bounded per device by {@link #maxBytes()}; most devices use a small fraction of it,
 * since sets start at 8 slots and grow only with distinct values, and every part is created when
 * the device first shows that behaviour. The rate, volume, poll and login parts add at most
 * 12 KiB a device: polls 2.3 KB ({@link PollSchedule#MAX_POLLS} polls), request rates 0.5 KB,
 * volumes by hour of day 1.1 KB, external destinations 4.7 KB ({@link ExternalTransfers#MAX_DESTINATIONS}
 * addresses), login attempts 1.5 KB, learned internal clients 2.1 KB ({@link #MAX_LEARNED_CLIENTS}).
 *
 * <p>Owned by one device shard thread; no synchronisation.
 */
public final class DeviceModel {
    private static final FeatureKind[] KINDS = FeatureKind.values();
    private static final int PENDING_MAX = 256;
    /** Clients remembered per device for first-connection checks across zones. */
    public static final int MAX_LEARNED_CLIENTS = 128;

    private final FeatureSet[] sets = new FeatureSet[KINDS.length];
    private PeerOperations operationsReceived;
    private PeerOperations operationsIssued;
    private ValueRanges writesReceived;
    private FeatureSet pending;
    private ScanWindow scanWindow;
    private DnsActivity dnsActivity;
    private Beacons beacons;
    private PollSchedule polls;
    private RequestRates requestRates;
    private VolumeProfile volume;
    private ExternalTransfers externalTransfers;
    private AuthAttempts authAttempts;
    private BoundedLongSet learnedClients;
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

    /** The polls this device receives, with their learned period and jitter. */
    public PollSchedule polls() {
        if (polls == null) {
            polls = new PollSchedule();
        }
        return polls;
    }

    public PollSchedule pollsIfAny() {
        return polls;
    }

    /** Requests this device receives per second and per ten seconds, and their learned maxima. */
    public RequestRates requestRates() {
        if (requestRates == null) {
            requestRates = new RequestRates();
        }
        return requestRates;
    }

    public RequestRates requestRatesIfAny() {
        return requestRates;
    }

    /** What this device sends per window, with the learned maxima overall and by hour of day. */
    public VolumeProfile volume() {
        if (volume == null) {
            volume = new VolumeProfile();
        }
        return volume;
    }

    public VolumeProfile volumeIfAny() {
        return volume;
    }

    /** The external addresses this device used while learning and what it sends to new ones. */
    public ExternalTransfers externalTransfers() {
        if (externalTransfers == null) {
            externalTransfers = new ExternalTransfers();
        }
        return externalTransfers;
    }

    public ExternalTransfers externalTransfersIfAny() {
        return externalTransfers;
    }

    /** Connections to this device's login services, per client. */
    public AuthAttempts authAttempts() {
        if (authAttempts == null) {
            authAttempts = new AuthAttempts();
        }
        return authAttempts;
    }

    public AuthAttempts authAttemptsIfAny() {
        return authAttempts;
    }

    /** Internal clients (peer keys) that connected to this device while learning. */
    public BoundedLongSet learnedClients() {
        if (learnedClients == null) {
            learnedClients = new BoundedLongSet(MAX_LEARNED_CLIENTS);
        }
        return learnedClients;
    }

    public BoundedLongSet learnedClientsIfAny() {
        return learnedClients;
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
        if (present(out, polls)) {
            polls.writeTo(out);
        }
        if (present(out, requestRates)) {
            requestRates.writeTo(out);
        }
        if (present(out, volume)) {
            volume.writeTo(out);
        }
        if (present(out, externalTransfers)) {
            externalTransfers.writeTo(out);
        }
        if (present(out, authAttempts)) {
            authAttempts.writeTo(out);
        }
        if (present(out, learnedClients)) {
            learnedClients.writeTo(out);
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
        if (in.readBoolean()) {
            m.polls = PollSchedule.readFrom(in);
        }
        if (in.readBoolean()) {
            m.requestRates = RequestRates.readFrom(in);
        }
        if (in.readBoolean()) {
            m.volume = VolumeProfile.readFrom(in);
        }
        if (in.readBoolean()) {
            m.externalTransfers = ExternalTransfers.readFrom(in);
        }
        if (in.readBoolean()) {
            m.authAttempts = AuthAttempts.readFrom(in);
        }
        if (in.readBoolean()) {
            m.learnedClients = BoundedLongSet.readFrom(in);
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
            + 16 + ScanWindow.MAX_DISTINCT * (8 + 4) + 2 * 16 + 32 + 40 + Beacons.bytes()
            + 6 * 4 + PollSchedule.bytes() + RequestRates.bytes() + VolumeProfile.bytes() + ExternalTransfers.bytes()
            + AuthAttempts.bytes() + BoundedLongSet.bytesFor(MAX_LEARNED_CLIENTS);
    }
}
