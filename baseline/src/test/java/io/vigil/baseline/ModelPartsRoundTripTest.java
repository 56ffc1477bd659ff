package io.vigil.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Every model part the rate, volume, poll and login detectors learn survives writeTo/readFrom
 * with what it learned (the transient windows are documented as not saved), and a saved form is
 * what the model needs and no more than it promises in bytes.
 */
class ModelPartsRoundTripTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static DataInputStream roundTrip(Writer w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        }
        return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void pollScheduleKeepsPeriodsJitterAndGaps() throws IOException {
        PollSchedule s = new PollSchedule();
        for (int k = 0; k < 50; k++) {
            s.learn(42, 7, 0, 0xFFFF_0A1E_0005L, 1, 3, 100, T0 + k * S + (k % 3) * 10_000_000L);
        }
        s.learn(42, 7, 0, 0xFFFF_0A1E_0005L, 1, 3, 100, T0 + 80 * S); // a 30 s gap: longest gap, not the mean
        s.learn(43, 0, 0, 1, 2, 16, -1, T0);
        PollSchedule r = PollSchedule.readFrom(roundTrip(s::writeTo));
        assertEquals(2, r.size());
        assertEquals(0, r.indexOf(42));
        assertEquals(s.meanSeconds(0), r.meanSeconds(0));
        assertEquals(s.jitterSeconds(0), r.jitterSeconds(0));
        assertTrue(Math.abs(r.meanSeconds(0) - 1.0) < 0.01, "mean " + r.meanSeconds(0));
        assertEquals(s.longestGapSeconds(0), r.longestGapSeconds(0));
        assertTrue(r.longestGapSeconds(0) > 30);
        assertEquals(49, r.intervals(0));
        assertEquals(7, r.masterVlan(0));
        assertEquals(0xFFFF_0A1E_0005L, r.masterLo(0));
        assertEquals(3, r.function(0));
        assertEquals(100, r.address(0));
        assertEquals(T0 + 80 * S, r.lastNanos(0));
        assertEquals(T0, r.firstNanos(0));
        assertEquals(1, r.indexOf(43));
        assertEquals(16, r.function(1));
    }

    @Test
    void requestRatesKeepTheLearnedMaxima() throws IOException {
        RequestRates rates = new RequestRates();
        long end = T0 + 100 * S;
        for (int k = 0; k < 30; k++) {
            rates.add(k % 3, T0 + k * (S / 30), end);
        }
        rates.add(1, T0 + 20 * S, end); // closes the first windows
        RequestRates r = RequestRates.readFrom(roundTrip(rates::writeTo));
        assertEquals(30, r.learnedShortMax());
        assertEquals(10, r.learnedShortPeerMax());
        assertEquals(30, r.learnedLongMax());
        assertEquals(10, r.learnedLongPeerMax());
        assertEquals(1, r.learnedBusySeconds());
        assertEquals(0, r.shortTotal(), "the current window is transient");
    }

    @Test
    void volumeProfileKeepsOverallAndHourlyMaxima() throws IOException {
        VolumeProfile v = new VolumeProfile();
        long end = T0 + 48 * 3600 * S;
        for (int h = 0; h < 30; h++) {
            v.add(T0 + h * 3600 * S, 1000L * (h % 24), 10, 1, h + 1, end);
        }
        VolumeProfile r = VolumeProfile.readFrom(roundTrip(v::writeTo));
        assertEquals(v.learnedWindows(), r.learnedWindows());
        for (int m = 0; m < VolumeProfile.MEASURES; m++) {
            assertEquals(v.learnedMax(m), r.learnedMax(m));
            for (int h = 0; h < 24; h++) {
                assertEquals(v.hourMax(h, m), r.hourMax(h, m));
            }
        }
        for (int h = 0; h < 24; h++) {
            assertEquals(v.hourWindows(h), r.hourWindows(h));
        }
        assertEquals(23_000, r.learnedMax(VolumeProfile.BYTES));
        assertEquals(1, r.learnedMax(VolumeProfile.PEERS));
    }

    @Test
    void externalTransfersKeepDestinationsAndTheLargestHour() throws IOException {
        ExternalTransfers x = new ExternalTransfers();
        for (long d = 1; d <= 300; d++) {
            x.learnDestination(d * 7919);
        }
        x.learnBytes(T0, 3_000_000);
        x.learnBytes(T0 + 60 * S, 2_000_000);
        x.learnBytes(T0 + 7200 * S, 1_000_000);
        ExternalTransfers r = ExternalTransfers.readFrom(roundTrip(x::writeTo));
        assertEquals(5_000_000, r.learnedMaxHourBytes());
        assertEquals(ExternalTransfers.MAX_DESTINATIONS, r.learnedDestinations());
        assertTrue(r.learnedOverflowed());
        assertTrue(r.used(7919));
        assertFalse(r.used(7));
    }

    @Test
    void authAttemptsKeepThePairMaxima() throws IOException {
        AuthAttempts a = new AuthAttempts();
        long pair = AuthAttempts.pairKey(99, 22);
        for (int k = 0; k < 7; k++) {
            a.attempt(pair, T0 + k * S, true);
        }
        AuthAttempts r = AuthAttempts.readFrom(roundTrip(a::writeTo));
        assertEquals(7, r.learnedMax(pair));
        assertEquals(0, r.learnedMax(AuthAttempts.pairKey(99, 23)));
        assertEquals(1, r.attempt(pair, T0 + 10 * S, false), "recent attempts are transient");
    }

    @Test
    void boundedSetsKeepTheirKeysIncludingZeroAndRejectCorruptCounts() throws IOException {
        BoundedLongSet s = new BoundedLongSet(3);
        s.add(0);
        s.add(-5);
        s.add(12);
        s.add(13);
        BoundedLongSet r = BoundedLongSet.readFrom(roundTrip(s::writeTo));
        assertTrue(r.contains(0) && r.contains(-5) && r.contains(12));
        assertFalse(r.contains(13));
        assertEquals(1, r.overflow());
        assertEquals(3, r.maxKeys());
        assertThrows(IOException.class, () -> BoundedLongSet.readFrom(roundTrip(out -> {
            out.writeInt(3);
            out.writeInt(4);
        })));
    }

    @Test
    void theModelBoundCoversTheNewParts() {
        long parts = PollSchedule.bytes() + RequestRates.bytes() + VolumeProfile.bytes() + ExternalTransfers.bytes()
            + AuthAttempts.bytes() + BoundedLongSet.bytesFor(DeviceModel.MAX_LEARNED_CLIENTS);
        System.out.printf("model parts per device: polls %d, rates %d, volume %d, external %d, logins %d, clients %d;"
                + " total %d of a model bound of %d bytes%n", PollSchedule.bytes(), RequestRates.bytes(),
            VolumeProfile.bytes(), ExternalTransfers.bytes(), AuthAttempts.bytes(),
            BoundedLongSet.bytesFor(DeviceModel.MAX_LEARNED_CLIENTS), parts, DeviceModel.maxBytes());
        assertTrue(DeviceModel.maxBytes() > parts);
        assertTrue(parts < 16 * 1024, "the new parts stay under 16 KiB a device: " + parts);
    }
}
