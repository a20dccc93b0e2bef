package dev.wsvd.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded mutation fuzz loop for the file readers (src/docs/hardening.md): valid seed files are mutated (bit flips,
 * byte runs set to 0x00/0xFF/0x80, chunks deleted, duplicated or copied over others, truncation, random tails) and
 * each result is read. The only outcomes allowed are success or the reader's own format error with a one-line
 * message; anything else (another exception, an Error) fails with the iteration and seed that replay it.
 *
 * <p>CI runs {@value #DEFAULT_ITERATIONS} inputs per reader (a few seconds); {@code -Dwsvd.fuzz.iterations=N} and
 * {@code -Dwsvd.fuzz.seed=S} run longer or elsewhere; the figures of a long run are in src/docs/hardening.md.
 */
public final class FuzzLoop {
    public static final int DEFAULT_ITERATIONS = 2000;
    public static final int ITERATIONS = Integer.getInteger("wsvd.fuzz.iterations", DEFAULT_ITERATIONS);
    public static final long SEED = Long.getLong("wsvd.fuzz.seed", 20261203L);

    private FuzzLoop() {
    }

    /** One mutation of {@code input}: the kinds a damaged download, a bad copy or a hostile file produce. */
    public static byte[] mutate(byte[] input, Random random) {
        byte[] bytes = input.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(8)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> Arrays.fill(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(8)),
                        new byte[] {0, (byte) 0xFF, (byte) 0x80}[random.nextInt(3)]);
                case 3 -> bytes = Arrays.copyOf(bytes, at); // truncation
                case 4 -> { // delete a chunk
                    int end = Math.min(bytes.length, at + 1 + random.nextInt(32));
                    byte[] shorter = new byte[bytes.length - (end - at)];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, end, shorter, at, bytes.length - end);
                    bytes = shorter;
                }
                case 5 -> { // duplicate a chunk in place
                    int length = Math.min(bytes.length - at, 1 + random.nextInt(32));
                    byte[] longer = new byte[bytes.length + length];
                    System.arraycopy(bytes, 0, longer, 0, at + length);
                    System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                    bytes = longer;
                }
                case 6 -> { // a random tail
                    byte[] tail = new byte[1 + random.nextInt(64)];
                    random.nextBytes(tail);
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + tail.length);
                    System.arraycopy(tail, 0, longer, bytes.length, tail.length);
                    bytes = longer;
                }
                default -> { // copy one chunk over another
                    int from = random.nextInt(bytes.length);
                    int length = Math.min(Math.min(bytes.length - from, bytes.length - at), 1 + random.nextInt(16));
                    System.arraycopy(bytes, from, bytes, at, length);
                }
            }
        }
        return bytes;
    }

    public record Outcome(int accepted, int refused, Map<String, Integer> distinct) {
    }

    /** Fuzzes one reader; returns the counts. An unexpected exception fails with what is needed to replay it. */
    public interface Reader {
        void read(byte[] bytes) throws Exception;
    }

    public static Outcome fuzz(String name, List<byte[]> seeds, Reader reader, Class<? extends Exception> expected) {
        Random random = new Random(SEED ^ name.hashCode());
        int accepted = 0;
        int refused = 0;
        Map<String, Integer> distinct = new TreeMap<>();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(i % seeds.size()), random);
            try {
                reader.read(input);
                accepted++;
            } catch (Exception e) {
                if (!expected.isInstance(e)) {
                    fail(name + " iteration " + i + " (seed " + SEED + "): unexpected " + e, e);
                }
                refused++;
                String message = e.getMessage() == null ? "" : e.getMessage();
                assertFalse(message.isBlank() || message.contains("\n"), name + " iteration " + i + ": not one line: " + message);
                distinct.merge(kind(message), 1, Integer::sum);
            } catch (Error e) {
                fail(name + " iteration " + i + " (seed " + SEED + "): unexpected " + e, e);
            }
        }
        System.out.printf("fuzz %s: %d inputs, %d read, %d refused, %d distinct refusals%n", name, ITERATIONS, accepted, refused,
                distinct.size());
        return new Outcome(accepted, refused, distinct);
    }

    /** The message with numbers, quoted text and paths removed: one entry per kind of refusal. */
    private static String kind(String message) {
        return message.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("/[^ :,;]+", "/…")
                .replaceAll("-?[0-9]+", "N");
    }

}
