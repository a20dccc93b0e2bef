package dev.wsvd.eval;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceTokenizerTest {
    private static final List<String> SENTENCES = List.of(
            "short one",
            "a considerably longer sentence with quite a few more words in it than the others",
            "medium length sentence here",
            "tiny",
            "another sentence of some middling length, with a comma");

    private static SentenceTokenizer.Tokenized tokenize(int maxTokens, int batchSize) throws Exception {
        try (InputStream json = SentenceTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            return SentenceTokenizer.tokenize(json, "MiniLM tokenizer", SENTENCES, maxTokens, batchSize);
        }
    }

    @Test
    void batchesCoverEverySentenceOnceLongestFirstAndPadOnlyToTheirLongest() throws Exception {
        SentenceTokenizer.Tokenized tokenized = tokenize(128, 2);
        assertEquals(3, tokenized.batches().size());
        int[] seen = new int[SENTENCES.size()];
        int previousLongest = Integer.MAX_VALUE;
        long real = 0;
        for (SentenceTokenizer.Batch batch : tokenized.batches()) {
            assertTrue(batch.rows() <= 2);
            int longest = 0;
            for (int row = 0; row < batch.rows(); row++) {
                seen[batch.sentences()[row]]++;
                long[] mask = Arrays.copyOfRange(batch.attentionMask(), row * batch.length(), (row + 1) * batch.length());
                int tokens = (int) Arrays.stream(mask).sum();
                // [CLS] first and [SEP] last among the real tokens (BERT's special ids 101 and 102)
                assertEquals(101, batch.ids()[row * batch.length()]);
                assertEquals(102, batch.ids()[row * batch.length() + tokens - 1]);
                for (int position = tokens; position < batch.length(); position++) {
                    assertEquals(0, mask[position], "padding comes after the real tokens");
                }
                longest = Math.max(longest, tokens);
                real += tokens;
            }
            assertEquals(longest, batch.length(), "a batch is padded to its longest sentence, no further");
            assertTrue(longest <= previousLongest, "batches go from long to short sentences");
            previousLongest = longest;
        }
        assertTrue(Arrays.stream(seen).allMatch(count -> count == 1), Arrays.toString(seen));
        assertEquals(real, tokenized.realTokens());
        assertEquals(0, tokenized.truncated());
    }

    @Test
    void truncationKeepsTheSpecialTokensWithinTheLimit() throws Exception {
        SentenceTokenizer.Tokenized tokenized = tokenize(5, 8);
        SentenceTokenizer.Batch only = tokenized.batches().getFirst();
        assertEquals(5, only.length());
        // With [CLS] and [SEP]: "tiny" is 3 tokens, "short one" 4, "medium length sentence here" 6 and the
        // other two longer still: three sentences exceed 5.
        assertEquals(3, tokenized.truncated());
        int longSentenceRow = Arrays.stream(only.sentences()).boxed().toList().indexOf(1);
        assertEquals(102, only.ids()[longSentenceRow * 5 + 4], "a truncated sentence still ends with [SEP]");
    }
}
