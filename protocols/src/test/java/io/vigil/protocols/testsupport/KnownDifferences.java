package io.vigil.protocols.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reviewed list of disagreements with a reference decoder, from a test resource: one per line, tab-separated file,
 * frame, field, ours, theirs and the reason; {@code #} starts a comment. Every line needs a reason, so a difference
 * cannot be waved through unexplained. The list remembers which entries were met, so that a test can fail on entries
 * that no longer occur (a stale list hides regressions just as well as a missing one).
 */
public final class KnownDifferences {
    private final String resource;
    private final Map<String, String> reasons;
    private final Set<String> seen = new HashSet<>();

    private KnownDifferences(String resource, Map<String, String> reasons) {
        this.resource = resource;
        this.reasons = reasons;
    }

    /** Loads a class-path resource such as {@code /opcua/known-differences.txt}; a missing one is an empty list. */
    public static KnownDifferences load(String resource) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = KnownDifferences.class.getResourceAsStream(resource)) {
            if (in != null) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null;) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] c = line.split("\t", -1);
                    if (c.length < 6 || c[5].isBlank()) {
                        throw new IllegalStateException(resource
                            + " needs 6 tab-separated columns with a reason: " + line);
                    }
                    m.put(key(c[0], c[1], c[2], c[3], c[4]), c[5]);
                }
            }
        }
        return new KnownDifferences(resource, m);
    }

    /** The key of one disagreement, as the list spells it. */
    public static String key(String file, String frame, String field, String ours, String theirs) {
        return String.join("\t", file, frame, field, ours, theirs);
    }

    /** True when the disagreement is listed; it then counts as met. */
    public boolean accept(String key) {
        if (reasons.containsKey(key)) {
            seen.add(key);
            return true;
        }
        return false;
    }

    public int size() {
        return reasons.size();
    }

    /** Listed entries not met (yet). */
    public List<String> stale() {
        List<String> s = new ArrayList<>(reasons.keySet());
        s.removeAll(seen);
        return s;
    }

    public String resource() {
        return resource;
    }
}
