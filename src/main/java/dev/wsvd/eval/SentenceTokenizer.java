package dev.wsvd.eval;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Turns sentences into padded token batches with a model's own HuggingFace tokenizer ({@code tokenizer.json}),
 * through DJL's bindings of the Rust {@code tokenizers} library.
 *
 * <p>Truncation is explicit ({@code maxTokens}, special tokens included) and padding is to the longest
 * sentence of each batch. Sentences are batched by length so that little compute goes to padding; padded
 * positions have attention mask 0, so they change neither the other positions' hidden states nor the
 * mask-weighted mean pooling.
 *
 * <p>Offline by construction: the tokenizer is read from the given JSON, never fetched by name, and DJL's
 * usage telemetry (a call to the EC2 metadata endpoint when the library is first used) is switched off through
 * {@code OPT_OUT_TRACKING} unless the user already decided either way. DJL extracts its bundled native library
 * once into its cache folder ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).
 */
final class SentenceTokenizer {
    private SentenceTokenizer() {
    }

    /** One padded batch: rows x length token ids, attention mask and token type ids, and whose sentences they are. */
    record Batch(int[] sentences, int length, long[] ids, long[] attentionMask, long[] typeIds) {
        int rows() {
            return sentences.length;
        }
    }

    /** The tokenized sentences in batches of at most {@code batchSize}, and how many were truncated. */
    record Tokenized(List<Batch> batches, int truncated, long realTokens, long paddedTokens) {
    }

    /**
     * Tokenizes {@code sentences} once.
     *
     * @param tokenizerJson the tokenizer definition; read fully, not closed
     * @param name          what messages call the tokenizer
     */
    static Tokenized tokenize(InputStream tokenizerJson, String name, List<String> sentences, int maxTokens, int batchSize)
            throws IOException {
        disableTelemetryUnlessChosen();
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "LONGEST_FIRST",
                "maxLength", Integer.toString(maxTokens),
                "padding", "LONGEST");
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options)) {
            int[] lengths = new int[sentences.size()];
            int truncated = 0;
            for (int i = 0; i < lengths.length; i++) {
                Encoding encoding = tokenizer.encode(sentences.get(i));
                lengths[i] = encoding.getIds().length;
                if (encoding.exceedMaxLength()) {
                    truncated++;
                }
            }
            // Longest first, ties in sentence order: deterministic batches with similar lengths.
            int[] order = IntStream.range(0, lengths.length).boxed()
                    .sorted(Comparator.<Integer>comparingInt(i -> -lengths[i]).thenComparingInt(i -> i))
                    .mapToInt(Integer::intValue).toArray();
            List<Batch> batches = new ArrayList<>();
            long paddedTokens = 0;
            for (int start = 0; start < order.length; start += batchSize) {
                int[] members = java.util.Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
                Batch batch = encodeBatch(tokenizer, sentences, members);
                batches.add(batch);
                paddedTokens += (long) batch.rows() * batch.length();
            }
            long realTokens = IntStream.of(lengths).asLongStream().sum();
            return new Tokenized(List.copyOf(batches), truncated, realTokens, paddedTokens);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot tokenize with " + name + ": " + e.getMessage()
                    + (e.getClass().getName().startsWith("ai.djl.engine")
                    ? " (DJL extracts its native tokenizer library into ~/.djl.ai; set DJL_CACHE_DIR to a writable folder)" : ""), e);
        }
    }

    private static Batch encodeBatch(HuggingFaceTokenizer tokenizer, List<String> sentences, int[] members) {
        String[] texts = new String[members.length];
        for (int i = 0; i < members.length; i++) {
            texts[i] = sentences.get(members[i]);
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int length = encodings[0].getIds().length;
        long[] ids = new long[members.length * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int row = 0; row < encodings.length; row++) {
            Encoding encoding = encodings[row];
            if (encoding.getIds().length != length) {
                throw new IllegalStateException("the tokenizer padded a batch unevenly: " + encoding.getIds().length
                        + " tokens next to " + length);
            }
            System.arraycopy(encoding.getIds(), 0, ids, row * length, length);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, row * length, length);
            System.arraycopy(encoding.getTypeIds(), 0, types, row * length, length);
        }
        return new Batch(members, length, ids, mask, types);
    }

    /** DJL calls home on first use unless opted out; wsvd runs offline, so it opts out unless told otherwise. */
    private static void disableTelemetryUnlessChosen() {
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
