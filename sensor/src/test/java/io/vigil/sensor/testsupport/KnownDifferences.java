package io.vigil.sensor.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reviewed list of disagreements with a reference decoder, from a test resource: one per line, tab-separated file,
 * frame, field, ours, theirs and the reason; {@code #} starts a comment. Every line needs a reason. Each
 * disagreement met is recorded as listed (seen) or unlisted; listed entries never met are stale, and a test fails on
 * both unlisted and stale entries.
 */
public final class KnownDifferences {
    private final Map<String, String> known = new LinkedHashMap<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private final List<String> unlisted = new ArrayList<>();

    private KnownDifferences() {
    }

    /** Reads the classpath resource (e.g. {@code /app/known-differences.txt}); a missing one lists nothing. */
    public static KnownDifferences load(String resource) throws IOException {
        KnownDifferences k = new KnownDifferences();
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = KnownDifferences.class.getResourceAsStream(resource)) {
            if (in == null) {
                return k;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length < 6 || c[5].isBlank()) {
                    throw new IllegalStateException(name + " needs 6 tab-separated columns, the last a reason: "
                        + line);
                }
                String key = String.join("\t", c[0], c[1], c[2], c[3], c[4]);
                if (k.known.put(key, c[5]) != null) {
                    throw new IllegalStateException(name + " lists twice: " + key);
                }
            }
        }
        return k;
    }

    /** The key of one disagreement: file, frame, field, ours, theirs; tab-separated. */
    public static String key(String file, long frame, String field, String ours, String theirs) {
        return String.join("\t", file, Long.toString(frame), field, ours, theirs);
    }

    /** Records one disagreement; returns whether it is listed. */
    public boolean record(String key) {
        if (known.containsKey(key)) {
            seen.add(key);
            return true;
        }
        unlisted.add(key);
        return false;
    }

    public boolean contains(String key) {
        return known.containsKey(key);
    }

    public Set<String> seen() {
        return seen;
    }

    public List<String> unlisted() {
        return unlisted;
    }

    /** Listed entries not met (so far). */
    public List<String> stale() {
        List<String> stale = new ArrayList<>(known.keySet());
        stale.removeAll(seen);
        return stale;
    }

    /** "N differences (L listed, U unlisted, S listed but gone)". */
    public String counts() {
        return String.format("%d differences (%d listed, %d unlisted, %d listed but gone)", seen.size()
            + unlisted.size(), seen.size(), unlisted.size(), stale().size());
    }

    /** Writes the unlisted differences, one a line. */
    public void writeUnlisted(Path file) throws IOException {
        Files.write(file, unlisted, StandardCharsets.UTF_8);
    }

    /** The failure message ("" when none): the first 60 unlisted, then (when {@code withStale}) up to
     * {@code staleLimit} stale entries. */
    public String failures(boolean withStale, long staleLimit) {
        StringBuilder sb = new StringBuilder();
        if (!unlisted.isEmpty()) {
            sb.append(unlisted.size()).append(" unlisted differences (file, frame, field, ours, tshark):\n");
            unlisted.stream().limit(60).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        List<String> stale = stale();
        if (withStale && !stale.isEmpty()) {
            sb.append(stale.size()).append(" listed differences that no longer occur:\n");
            stale.stream().limit(staleLimit).forEach(u -> sb.append("  ").append(u).append('\n'));
        }
        return sb.toString();
    }

    /** {@link #failures(boolean, long)} with every check and at most 40 stale entries. */
    public String failures() {
        return failures(true, 40);
    }
}
