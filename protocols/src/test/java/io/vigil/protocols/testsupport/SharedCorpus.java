package io.vigil.protocols.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shared capture corpus ({@code /work/shared/pcaps}) as the differential tests see it: from a module directory
 * it is {@code ../../shared/pcaps}, from the repository root {@code ../shared/pcaps}. The corpus is never copied into
 * the repository, so every caller must skip (assumeTrue) when it is absent.
 */
public final class SharedCorpus {
    private SharedCorpus() {
    }

    /** The corpus root, or null when it is not there. */
    public static Path root() {
        for (String p : new String[] {"../../shared/pcaps", "../shared/pcaps"}) {
            Path d = Path.of(p);
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        return null;
    }

    /** A folder of the corpus ("opcua", "it", ...), or null when the corpus or the folder is not there. */
    public static Path dir(String folder) {
        Path root = root();
        if (root == null) {
            return null;
        }
        Path d = root.resolve(folder);
        return Files.isDirectory(d) ? d : null;
    }

    /** The files directly in {@code dir} whose name passes {@code name}, sorted by path. */
    public static List<Path> files(Path dir, Predicate<String> name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> name.test(p.getFileName().toString())).sorted().collect(Collectors.toList());
        }
    }
}
