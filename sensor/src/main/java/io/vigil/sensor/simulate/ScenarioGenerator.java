package io.vigil.sensor.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a labelled scenario: a converged data centre (IT, OT, building management, OPC UA, cameras, power)
 * living its normal life through a learning period, then a test period with one realistic instance of every attack
 * kind and a few benign novelties. Writes the capture as pcap and the ground truth as JSON; the same seed gives the
 * same bytes.
 */
public final class ScenarioGenerator {
    /** Monday 2 March 2026, 08:00 UTC: the working day's rhythm is under way. */
    private static final long FIRST_DAY = Instant.parse("2026-03-02T08:00:00Z").getEpochSecond();

    private final ScenarioConfig config;
    private long packets;
    private long bytes;

    public ScenarioGenerator(ScenarioConfig config) {
        this.config = config;
    }

    /** Writes the pcap and labels JSON, returns the ground truth. Deterministic for a seed. */
    public GroundTruth write(Path pcap, Path labelsJson) throws IOException {
        SplittableRandom random = new SplittableRandom(config.seed());
        long day = Math.floorMod(config.seed(), 5);
        long start = (FIRST_DAY + day * 86_400) * DataCentre.SECOND + random.nextLong(DataCentre.SECOND);
        long learnEnd = start + config.learnSeconds() * DataCentre.SECOND;
        long end = learnEnd + config.testSeconds() * DataCentre.SECOND;
        Network net = new Network(random.split());
        GroundTruth truth;
        try (Wire wire = new Wire(net, pcap)) {
            truth = run(wire, net, random, start, learnEnd, end);
        } catch (IllegalArgumentException e) {
            Files.deleteIfExists(pcap);
            throw e;
        }
        truth.write(labelsJson);
        return truth;
    }

    private GroundTruth run(Wire wire, Network net, SplittableRandom random, long start, long learnEnd, long end)
        throws IOException {
        DataCentre dc = new DataCentre(random.split(), net, wire, start, learnEnd, end);
        Incidents incidents = new Incidents(dc, random.split(), end - learnEnd);
        dc.startBackground();
        incidents.schedule();
        dc.clock.run(end, wire);
        wire.stopAt(end);
        List<EventRecord> records = new ArrayList<>(incidents.records());
        records.sort(Comparator.comparingLong((EventRecord r) -> r.firstMicros));
        List<LabelledEvent> events = new ArrayList<>();
        for (EventRecord r : records) {
            if (r.lastsUntilTheEnd) {
                r.saw(wire.lastMicros());
            }
            if (r.firstMicros < learnEnd || r.lastMicros > wire.lastMicros() || r.firstMicros > r.lastMicros) {
                throw new IllegalStateException(r.type + " fell outside the test period or sent nothing");
            }
            events.add(r.label(String.format("e%02d", events.size() + 1)));
        }
        packets = wire.packets();
        bytes = wire.bytes();
        return new GroundTruth(config.seed(), wire.firstMicros() / 1000, learnEnd / 1000,
            wire.lastMicros() / 1000, wire.devices(), events);
    }

    /** Frames written by the last {@link #write}. */
    public long packets() {
        return packets;
    }

    /** Captured bytes (frames, without pcap headers) written by the last {@link #write}. */
    public long bytes() {
        return bytes;
    }
}
