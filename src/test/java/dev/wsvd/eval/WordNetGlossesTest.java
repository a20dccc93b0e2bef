package dev.wsvd.eval;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordNetGlossesTest {
    // Verbatim lines of WordNet 3.1 (pointer lists shortened where marked; the parser does not read them).
    private static final String LICENSE = "  14 WordNet 3.1 Copyright 2011 by Princeton University.  All rights reserved.  ";
    private static final String OBJECT = "00002684 03 n 02 object 0 physical_object 0 002 @ 00001930 n 0000"
            + " + 00533687 v 0105 | a tangible and visible entity; an entity that can cast a shadow;"
            + " \"it was full of rackets, balls and other objects\"  ";
    private static final String CONGENER = "00003993 03 n 01 congener 0 001 @ 00003553 n 0000 | a whole (a thing or"
            + " person) of the same kind or category as another; \"lard was also used, though its congener, butter,"
            + " was more frequently employed\"; \"the American shopkeeper differs from his European congener\"  ";
    private static final String FLOOD_TIDE = "07417630 11 n 03 flood_tide 0 flood 0 rising_tide 0 002 @ 07416903 n 0000"
            + " ~ 07417793 n 0000 | the occurrence of incoming water (between a low tide and the following high tide);"
            + " \"a tide in the affairs of men which, taken at the flood, leads on to fortune\" -Shakespeare  ";
    private static final String DEAD_ON = "00022474 00 s 01 dead-on(a) 0 002 & 00021803 a 0000 ;u 07089193 n 0000 |"
            + " accurate and to the point; \"a dead-on feel for characterization\"; \"She avoids big scenes...preferring"
            + " to rely on small gestures and dead-on dialogue\"- Peter S.Prescott  ";
    private static final String BREATHE = "00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 002"
            + " * 00005041 v 0000 ~ 00017024 v 0000 02 + 02 00 + 08 00 | draw air into, and expel out of, the lungs;"
            + " \"I can breathe better when the air is clean\"; \"The patient is respiring\"  ";
    private static final String OUTBACK = "00020141 00 s 02 outback(a) 0 remote 0 003 & 00019912 a 0000"
            + " + 05092372 n 0202 + 08522131 n 0101 | inaccessible and sparsely populated  ";

    @Test
    void licenseLinesAreSkipped() {
        assertTrue(WordNetGlosses.parseLine("data.noun", LICENSE).isEmpty());
        assertTrue(WordNetGlosses.parseLine("data.noun", "").isEmpty());
    }

    @Test
    void definitionKeepsItsInnerSemicolonsAndExamplesLoseTheirQuotes() {
        WordNetGlosses.Synset object = WordNetGlosses.parseLine("data.noun", OBJECT).orElseThrow();
        assertEquals(2684, object.offset());
        assertEquals("object", object.lemma());
        assertEquals("a tangible and visible entity; an entity that can cast a shadow", object.definition());
        assertEquals(List.of("it was full of rackets, balls and other objects"), object.examples());
    }

    @Test
    void severalExamplesWithCommasAndParenthesesInTheDefinition() {
        WordNetGlosses.Synset congener = WordNetGlosses.parseLine("data.noun", CONGENER).orElseThrow();
        assertEquals("a whole (a thing or person) of the same kind or category as another", congener.definition());
        assertEquals(List.of("lard was also used, though its congener, butter, was more frequently employed",
                "the American shopkeeper differs from his European congener"), congener.examples());
    }

    @Test
    void attributionsAfterAnExampleAreDropped() {
        WordNetGlosses.Synset flood = WordNetGlosses.parseLine("data.noun", FLOOD_TIDE).orElseThrow();
        assertEquals("flood tide", flood.lemma());
        assertEquals("the occurrence of incoming water (between a low tide and the following high tide)", flood.definition());
        assertEquals(List.of("a tide in the affairs of men which, taken at the flood, leads on to fortune"), flood.examples());

        WordNetGlosses.Synset deadOn = WordNetGlosses.parseLine("data.adj", DEAD_ON).orElseThrow();
        assertEquals("dead-on", deadOn.lemma(), "the adjective marker (a) is not part of the word");
        assertEquals(List.of("a dead-on feel for characterization",
                "She avoids big scenes...preferring to rely on small gestures and dead-on dialogue"), deadOn.examples());
    }

    @Test
    void verbFramesBeforeTheGlossAndGlossesWithoutExamples() {
        WordNetGlosses.Synset breathe = WordNetGlosses.parseLine("data.verb", BREATHE).orElseThrow();
        assertEquals("draw air into, and expel out of, the lungs", breathe.definition());
        assertEquals(2, breathe.examples().size());
        WordNetGlosses.Synset outback = WordNetGlosses.parseLine("data.adj", OUTBACK).orElseThrow();
        assertEquals("outback", outback.lemma());
        assertEquals("inaccessible and sparsely populated", outback.definition());
        assertTrue(outback.examples().isEmpty());
    }

    @Test
    void pairsKeepLongEnoughSentencesOnceEach() {
        List<WordNetGlosses.Synset> synsets = List.of(
                WordNetGlosses.parseLine("data.noun", OBJECT).orElseThrow(),
                WordNetGlosses.parseLine("data.noun", CONGENER).orElseThrow(),
                WordNetGlosses.parseLine("data.noun", CONGENER).orElseThrow(), // duplicate: dropped
                WordNetGlosses.parseLine("data.adj", OUTBACK).orElseThrow(),   // no example: dropped
                WordNetGlosses.parseLine("data.verb", BREATHE).orElseThrow());
        assertEquals(List.of(
                new SentencePair("a tangible and visible entity; an entity that can cast a shadow",
                        "it was full of rackets, balls and other objects"),
                new SentencePair("a whole (a thing or person) of the same kind or category as another",
                        "lard was also used, though its congener, butter, was more frequently employed"),
                new SentencePair("draw air into, and expel out of, the lungs", "I can breathe better when the air is clean")),
                WordNetGlosses.candidatePairs(synsets));
        WordNetGlosses.Synset shortExample = new WordNetGlosses.Synset("data.noun", 1, "x", "a long enough definition",
                List.of("too short"));
        assertTrue(WordNetGlosses.candidatePairs(List.of(shortExample)).isEmpty());
    }

    @Test
    void samplingFromTheRealFilesIsDeterministicForASeed() throws Exception {
        List<WordNetGlosses.Synset> all = WordNetGlosses.readAll();
        // WordNet 3.1 has 117,791 synsets across the four files (82,192 noun, 13,789 verb, 18,185 adj, 3,625 adv).
        // Counts from grep over the data files: synset lines start with a digit (the license lines are indented).
        assertEquals(117_791, all.size());
        List<SentencePair> first = WordNetGlosses.samplePairs(all, 64, 42);
        List<SentencePair> again = WordNetGlosses.samplePairs(all, 64, 42);
        List<SentencePair> otherSeed = WordNetGlosses.samplePairs(all, 64, 43);
        assertEquals(first, again);
        assertNotEquals(first, otherSeed);
        assertEquals(64, first.size());
        Set<String> sentences = new HashSet<>();
        for (SentencePair pair : first) {
            assertTrue(sentences.add(pair.first()) && sentences.add(pair.second()), "each sentence occurs once: " + pair);
        }
        assertTrue(WordNetGlosses.candidatePairs(all).containsAll(first));
        assertThrows(IllegalArgumentException.class, () -> WordNetGlosses.samplePairs(all, 0, 1));
    }
}
