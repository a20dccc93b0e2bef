package dev.wsvd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a model as given (its graph file or buffer), which a scores file records to tell models apart. */
final class ModelDigest {
    private ModelDigest() {
    }

    /** Hex SHA-256 of the model's bytes. */
    static String sha256(ModelSource model) throws CompressionException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        switch (model) {
            case ModelSource.InMemory memory -> {
                ByteBuffer bytes = memory.bytes();
                digest.update(bytes);
            }
            case ModelSource.OnDisk disk -> {
                try (InputStream in = Files.newInputStream(disk.path())) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new ModelFormatException("cannot read " + disk.path() + " to record it in the scores file: "
                            + e.getMessage(), e);
                }
            }
            default -> digest.update(model.description().getBytes(java.nio.charset.StandardCharsets.UTF_8)); // a candidate: never a run's input
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
