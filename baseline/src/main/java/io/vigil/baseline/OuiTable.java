package io.vigil.baseline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The vendor of a MAC address from its 24-bit OUI, from the IEEE MA-L registry shipped with the
 * sensor ({@code oui.tsv.gz}, made by {@code baseline/tools/make-oui-table.sh} from Debian's
 * ieee-data, 2022-08-27: 32 530 prefixes). Loaded once, on first use, into two sorted arrays
 * (about 2 MB of heap); lookups are a binary search. For reports and alerts, not the packet path.
 *
 * <p>Locally administered addresses (bit 1 of the first octet: virtual machines, containers,
 * randomised phone MACs) have no vendor.
 */
public final class OuiTable {
    private static final String RESOURCE = "oui.tsv.gz";
    private static volatile OuiTable instance;

    private final int[] prefixes;
    private final String[] names;

    private OuiTable(int[] prefixes, String[] names) {
        this.prefixes = prefixes;
        this.names = names;
    }

    public static OuiTable get() {
        OuiTable t = instance;
        if (t == null) {
            synchronized (OuiTable.class) {
                t = instance;
                if (t == null) {
                    t = load();
                    instance = t;
                }
            }
        }
        return t;
    }

    private static OuiTable load() {
        List<String> lines = new ArrayList<>(33_000);
        try (InputStream in = OuiTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OUI table " + RESOURCE + " missing from the classpath");
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.length() > 7 && line.charAt(6) == '\t') {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OUI table", e);
        }
        lines.sort(null);
        int[] prefixes = new int[lines.size()];
        String[] names = new String[lines.size()];
        for (int i = 0; i < prefixes.length; i++) {
            String line = lines.get(i);
            prefixes[i] = Integer.parseInt(line.substring(0, 6), 16);
            names[i] = line.substring(7);
        }
        return new OuiTable(prefixes, names);
    }

    /** The organisation the MAC's OUI is registered to; null when unknown, locally administered or 0. */
    public String vendor(long mac) {
        if (mac == 0 || ((mac >>> 40) & 0x02) != 0) {
            return null;
        }
        int i = Arrays.binarySearch(prefixes, (int) (mac >>> 24) & 0xFFFFFF);
        return i >= 0 ? names[i] : null;
    }

    public int size() {
        return prefixes.length;
    }
}
