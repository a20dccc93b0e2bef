package dev.wsvd.onnx.wire;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The external data files of a model ({@code location} entries, relative to the model's folder), each mapped
 * once, read-only, into the model's arena. Locations must stay inside the folder: an absolute path or one
 * climbing out with {@code ..} is refused, as ONNX's checker does, and so is one that leaves it through a
 * symbolic link (checked on the real path, every link resolved), since a hostile model folder could otherwise
 * copy any readable file into a compressed model. Only regular files are opened: a FIFO or device would block
 * the read forever.
 */
final class ExternalFiles {
    private final Path folder;
    private final String modelLabel;
    private final Arena arena;
    private final Map<Path, MemorySegment> mapped = new HashMap<>();
    private Path realFolder;

    /**
     * @param folder the model's folder, or null for a model read from memory (which then may not use external data)
     */
    ExternalFiles(Path folder, String modelLabel, Arena arena) {
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
        this.modelLabel = modelLabel;
        this.arena = arena;
    }

    String modelLabel() {
        return modelLabel;
    }

    /** The real paths of the files mapped so far. */
    Set<Path> files() {
        return mapped.keySet();
    }

    /**
     * {@code length} bytes at {@code offset} of the file at {@code location}; a negative length means up to the
     * end of the file.
     */
    MemorySegment slice(String tensor, String location, long offset, long length) throws OnnxFormatException {
        String where = modelLabel + ": tensor '" + tensor + "' keeps its data in external file '" + printable(location) + "'";
        if (folder == null) {
            throw new OnnxFormatException(where + ", but the model was read from memory; read it from its file so the"
                    + " external data can be found next to it");
        }
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new OnnxFormatException(where + ", which is not a valid file name (" + e.getReason() + ")");
        }
        Path resolved = folder.resolve(relative).normalize();
        if (relative.isAbsolute() || !resolved.startsWith(folder)) {
            throw new OnnxFormatException(where + ", which is outside the model's folder " + folder
                    + "; external data must be stored next to the model");
        }
        MemorySegment file = map(realFile(resolved, where), where);
        if (offset < 0 || offset > file.byteSize() || (length >= 0 && length > file.byteSize() - offset)) {
            throw new OnnxFormatException(where + " at offset " + offset + ", length " + (length < 0 ? "to end" : length)
                    + ", but the file has only " + file.byteSize() + " bytes (truncated or the wrong file?)");
        }
        return file.asSlice(offset, length < 0 ? file.byteSize() - offset : length);
    }

    /**
     * The real path of {@code resolved} once it is known to stay inside the model's real folder and to be a
     * regular file; checked before the file is opened, since opening a FIFO blocks.
     */
    private Path realFile(Path resolved, String where) throws OnnxFormatException {
        Path real;
        try {
            if (realFolder == null) {
                realFolder = folder.toRealPath();
            }
            real = resolved.toRealPath();
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(where + " (" + resolved + "), which does not exist; copy it next to the model");
        } catch (IOException e) {
            throw new OnnxFormatException(where + " (" + resolved + "), which cannot be read: " + e.getMessage(), e);
        }
        if (!real.startsWith(realFolder)) {
            throw new OnnxFormatException(where + ", which is a symbolic link to " + real + ", outside the model's folder "
                    + realFolder + "; external data must be stored next to the model, not linked");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new OnnxFormatException(where + " (" + real + "), which is not a regular file (a folder, FIFO or"
                    + " device); external data must be an ordinary file next to the model");
        }
        return real;
    }

    /** The location as it can be printed on one line: control characters (a NUL, a newline) escaped. */
    private static String printable(String location) {
        StringBuilder text = new StringBuilder(location.length());
        location.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                text.append(String.format("\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.toString();
    }

    private MemorySegment map(Path path, String where) throws OnnxFormatException {
        MemorySegment existing = mapped.get(path);
        if (existing != null) {
            return existing;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            mapped.put(path, segment);
            return segment;
        } catch (NoSuchFileException e) {
            throw new OnnxFormatException(where + " (" + path + "), which does not exist; copy it next to the model");
        } catch (IOException e) {
            throw new OnnxFormatException(where + " (" + path + "), which cannot be read: " + e.getMessage(), e);
        }
    }
}
