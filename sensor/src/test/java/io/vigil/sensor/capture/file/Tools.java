package io.vigil.sensor.capture.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test helpers around external Wireshark tools and the shared capture corpus. */
final class Tools {
    private Tools() {
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, returns its stdout lines; fails on a non-zero exit. stderr is discarded. */
    static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd));
        }
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    static Path firstExisting(String... candidates) {
        for (String c : candidates) {
            Path p = Paths.get(c);
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** Files under dir whose first four bytes are a pcap or pcapng magic, whatever their extension. */
    static List<Path> captureFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(Tools::hasCaptureMagic).sorted().collect(Collectors.toList());
        }
    }

    private static boolean hasCaptureMagic(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                return false;
            }
            int m = ByteBuffer.wrap(b).getInt();
            int r = Integer.reverseBytes(m);
            return m == 0x0A0D0D0A || m == 0xA1B2C3D4 || r == 0xA1B2C3D4 || m == 0xA1B23C4D || r == 0xA1B23C4D;
        } catch (IOException e) {
            return false;
        }
    }

    /** Packet counts from {@code capinfos -T -r -c -M}, many files per call (one process per file is slow). */
    static Map<Path, Long> capinfosCounts(List<Path> files) throws IOException, InterruptedException {
        Map<Path, Long> counts = new HashMap<>();
        for (int i = 0; i < files.size(); i += 100) {
            List<String> cmd = new ArrayList<>(List.of("capinfos", "-T", "-r", "-c", "-M"));
            List<Path> batch = files.subList(i, Math.min(files.size(), i + 100));
            batch.forEach(f -> cmd.add(f.toString()));
            for (String line : run(cmd.toArray(new String[0]))) {
                int tab = line.lastIndexOf('\t');
                if (tab > 0) {
                    counts.put(Paths.get(line.substring(0, tab)), Long.parseLong(line.substring(tab + 1).trim()));
                }
            }
        }
        return counts;
    }
}
