package dev.wsvd.eval;

import java.util.Objects;

/**
 * Two sentences that belong together (a dictionary definition and an example of the word in use), the unit
 * of the retrieval check in {@link EmbeddingFidelity}: each sentence should find its partner among all pairs.
 *
 * @param first  the first sentence (for WordNet pairs, the definition)
 * @param second the second sentence (for WordNet pairs, the example)
 */
public record SentencePair(String first, String second) {

    /** Checks that both sentences have text. */
    public SentencePair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.isBlank() || second.isBlank()) {
            throw new IllegalArgumentException("a sentence pair needs two non-blank sentences, got \"" + first
                    + "\" and \"" + second + "\"");
        }
    }
}
