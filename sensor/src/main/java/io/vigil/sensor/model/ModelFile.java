package io.vigil.sensor.model;

import io.vigil.baseline.Device;
import io.vigil.baseline.DeviceRisk;
import io.vigil.baseline.FeatureKeys;
import io.vigil.baseline.FeatureKind;
import io.vigil.protocols.app.AppProtocol;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The model file of {@code --save-model} / {@code --load-model}: a fixed prefix (magic, format
 * version, file length) that tells a foreign, newer or truncated file apart before anything else is
 * read, a body (header fields, shard states, devices) and a CRC-32 of the body.
 *
 * <p>Written to a temporary file beside the target and renamed over it, so a crash during a save
 * leaves the previous model in place. Read in two passes: the whole body's checksum is verified
 * before anything is parsed, and nothing reaches the caller unless all of it parsed, so a bad file
 * never half-loads.
 */
public final class ModelFile {
    /** Bumped whenever the layout changes, including a component added to a device model. */
    /** 2: devices carry their Modbus device identification and OPC UA endpoint URL. */
    public static final int FORMAT_VERSION = 2;
    private static final byte[] MAGIC = "VIGILMDL".getBytes(StandardCharsets.US_ASCII);
    /** Magic, format version and file length. */
    private static final int PREFIX_BYTES = 8 + 4 + 8;
    private static final int CRC_BYTES = 4;
    private static final int MAX_SHARDS = 1_024;
    private static final int MAX_SHARD_STATE_BYTES = 1 << 30;

    private ModelFile() {
    }

    /** Writes {@code model} atomically; returns the bytes written. */
    public static long write(Path file, SavedModel model) throws ModelFileException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            CRC32 crc = new CRC32();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                DataOutputStream prefix = new DataOutputStream(raw);
                prefix.write(MAGIC);
                prefix.writeInt(FORMAT_VERSION);
                prefix.writeLong(0); // the length, patched in below once known
                DataOutputStream body = new DataOutputStream(new CheckedOutputStream(raw, crc));
                writeBody(body, model);
                body.flush();
                prefix.writeInt((int) crc.getValue());
            }
            long length = Files.size(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(8).putLong(0, length), MAGIC.length + 4);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return length;
        } catch (IOException e) {
            throw new ModelFileException("cannot save model " + file + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the save already failed; the stray temporary file is named after the model
                }
            }
        }
    }

    private static void writeBody(DataOutputStream out, SavedModel model) throws IOException {
        out.writeUTF(model.sensorVersion());
        out.writeLong(model.createdAtMillis());
        out.writeLong(schemaFingerprint());
        LearningWindow w = model.learning();
        out.writeLong(w.startNanos());
        out.writeLong(w.lastLearnedNanos());
        out.writeLong(w.plannedEndNanos());
        out.writeBoolean(w.ended());
        out.writeInt(model.shards());
        for (byte[] state : model.shardStates()) {
            out.writeInt(state.length);
            out.write(state);
        }
        out.writeInt(model.devices().size());
        for (Device d : model.devices()) {
            d.writeTo(out);
        }
    }

    /** Reads and fully validates a model file; every problem is one line naming the file. */
    public static SavedModel read(Path file) throws ModelFileException {
        String what = "cannot load model " + file + ": ";
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(what + "no such file");
        } catch (IOException e) {
            throw new ModelFileException(what + e.getMessage());
        }
        try {
            checkPrefix(file, size, what);
            checkCrc(file, size, what);
            return parse(file, size, what);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFileException(what + e.getMessage());
        }
    }

    private static void checkPrefix(Path file, long size, String what) throws IOException, ModelFileException {
        byte[] prefix = new byte[(int) Math.min(size, PREFIX_BYTES)];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(prefix, 0, prefix.length);
        }
        int magic = Math.min(prefix.length, MAGIC.length);
        if (!Arrays.equals(prefix, 0, magic, MAGIC, 0, magic) || size == 0) {
            throw new ModelFileException(what + "not a vigil model file");
        }
        if (prefix.length < PREFIX_BYTES) {
            throw new ModelFileException(what + "truncated (" + size + " bytes, shorter than the header)");
        }
        ByteBuffer b = ByteBuffer.wrap(prefix);
        int version = b.getInt(MAGIC.length);
        long length = b.getLong(MAGIC.length + 4);
        if (version > FORMAT_VERSION) {
            throw new ModelFileException(what + "written by a newer vigil (model format " + version + "; this vigil "
                + "reads format " + FORMAT_VERSION + ")");
        }
        if (version < FORMAT_VERSION) {
            throw new ModelFileException(what + "model format " + version + " is no longer read (this vigil reads "
                + "format " + FORMAT_VERSION + "); learn again");
        }
        if (size < length) {
            throw new ModelFileException(what + "truncated (" + size + " of " + length + " bytes)");
        }
        if (size != length || length < PREFIX_BYTES + CRC_BYTES) {
            throw new ModelFileException(what + "corrupt (" + size + " bytes where the header says " + length + ")");
        }
    }

    private static void checkCrc(Path file, long size, String what) throws IOException, ModelFileException {
        CRC32 crc = new CRC32();
        int stored;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            in.skipNBytes(PREFIX_BYTES);
            CheckedInputStream body = new CheckedInputStream(in, crc);
            byte[] buf = new byte[1 << 16];
            long left = size - PREFIX_BYTES - CRC_BYTES;
            while (left > 0) {
                int n = body.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                left -= n;
            }
            stored = in.readInt();
        }
        if (stored != (int) crc.getValue()) {
            throw new ModelFileException(what + "corrupt (checksum mismatch)");
        }
    }

    private static SavedModel parse(Path file, long size, String what) throws IOException, ModelFileException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            in.skipNBytes(PREFIX_BYTES);
            String version = in.readUTF();
            long created = in.readLong();
            if (in.readLong() != schemaFingerprint()) {
                throw new ModelFileException(what + "written by vigil " + version + " with other protocol, risk or "
                    + "feature tables than this vigil's; learn again");
            }
            LearningWindow w = new LearningWindow(in.readLong(), in.readLong(), in.readLong(), in.readBoolean());
            int shards = in.readInt();
            if (shards < 1 || shards > MAX_SHARDS) {
                throw new ModelFileException(what + "corrupt (" + shards + " shards)");
            }
            List<byte[]> states = new ArrayList<>(shards);
            for (int i = 0; i < shards; i++) {
                int n = in.readInt();
                if (n < 0 || n > Math.min(MAX_SHARD_STATE_BYTES, size)) {
                    throw new ModelFileException(what + "corrupt (shard state of " + n + " bytes)");
                }
                states.add(in.readNBytes(n));
            }
            int count = in.readInt();
            // A device takes well over 64 bytes in the file: a count beyond that is corrupt, not a reason to allocate.
            if (count < 0 || count > size / 64) {
                throw new ModelFileException(what + "corrupt (" + count + " devices in " + size + " bytes)");
            }
            List<Device> devices = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                devices.add(Device.readFrom(in));
            }
            in.readInt(); // the checksum, verified already; it must be the last thing in the file
            if (in.read() >= 0) {
                throw new ModelFileException(what + "corrupt (data after the last device)");
            }
            return new SavedModel(version, created, w, states, devices, size);
        } catch (EOFException e) {
            throw new ModelFileException(what + "corrupt (ends inside its data)");
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFileException) {
                throw e;
            }
            throw new ModelFileException(what + "corrupt (" + e.getMessage() + ")");
        }
    }

    /**
     * The tables that stored ordinals refer to (protocols, risks, feature kinds and their bounds): a
     * file written under other tables would be read with shifted meanings, so it is refused instead.
     */
    static long schemaFingerprint() {
        long h = 0x5645_4749_4C00_0001L;
        for (AppProtocol p : AppProtocol.values()) {
            h = FeatureKeys.mix(h ^ p.name().hashCode());
        }
        for (DeviceRisk r : DeviceRisk.values()) {
            h = FeatureKeys.mix(h ^ r.name().hashCode() * 31L);
        }
        for (FeatureKind k : FeatureKind.values()) {
            h = FeatureKeys.mix(h ^ k.name().hashCode() * 961L ^ (long) k.maxKeys() << 32);
        }
        return h;
    }
}
