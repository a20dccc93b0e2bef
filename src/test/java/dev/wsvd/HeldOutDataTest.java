package dev.wsvd;

import dev.wsvd.eval.FashionMnist;
import dev.wsvd.eval.LabelledImages;
import dev.wsvd.eval.SentencePair;
import dev.wsvd.eval.WordNetGlosses;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The held-out sets of the built-in evaluators are disjoint from their search sets, checked on the data itself
 * (sentences, image pixels), not on how they were drawn.
 */
class HeldOutDataTest {

    private static List<Map.Entry<String, String>> entries(List<SentencePair> pairs) {
        return pairs.stream().map(p -> Map.entry(p.first(), p.second())).toList();
    }

    private static Set<String> sentences(List<Map.Entry<String, String>> pairs) {
        Set<String> all = new HashSet<>();
        pairs.forEach(p -> {
            all.add(p.getKey());
            all.add(p.getValue());
        });
        return all;
    }

    @Test
    void defaultHeldOutPairsShareNoSentenceWithTheSearchPairs() throws Exception {
        List<Map.Entry<String, String>> search = entries(WordNetGlosses.samplePairs(EmbeddingFidelity.DEFAULT_PAIRS,
                EmbeddingFidelity.DEFAULT_SEED));
        List<Map.Entry<String, String>> heldOut = EmbeddingFidelity.Builder.heldOutPairs(search,
                EmbeddingFidelity.DEFAULT_HELD_OUT_PAIRS, EmbeddingFidelity.DEFAULT_HELD_OUT_SEED);
        assertEquals(1000, heldOut.size());
        Set<String> searchSentences = sentences(search);
        Set<String> heldOutSentences = sentences(heldOut);
        assertEquals(2000, heldOutSentences.size(), "2000 distinct sentences");
        heldOutSentences.forEach(s -> assertTrue(!searchSentences.contains(s), "shared sentence: " + s));
        // the same pairs every time
        assertEquals(heldOut, EmbeddingFidelity.Builder.heldOutPairs(search, 1000, EmbeddingFidelity.DEFAULT_HELD_OUT_SEED));
    }

    /** A search set made of pairs the held-out draw would pick first: they are left out and replaced. */
    @Test
    void pairsOfTheSearchSetAreLeftOutOfTheHeldOutDraw() throws Exception {
        List<Map.Entry<String, String>> firstDraw = entries(WordNetGlosses.samplePairs(200, 99));
        List<Map.Entry<String, String>> search = new ArrayList<>(firstDraw.subList(0, 50));
        List<Map.Entry<String, String>> heldOut = EmbeddingFidelity.Builder.heldOutPairs(search, 200, 99);
        assertEquals(200, heldOut.size());
        assertEquals(firstDraw.subList(50, 200), heldOut.subList(0, 150), "the next pairs of the draw, in order");
        Set<String> searchSentences = sentences(search);
        sentences(heldOut).forEach(s -> assertTrue(!searchSentences.contains(s), s));
    }

    @Test
    void overlappingSetsAreRefused() {
        List<Map.Entry<String, String>> a = List.of(Map.entry("one two three", "four five six seven"),
                Map.entry("eight nine ten", "eleven twelve thirteen fourteen"));
        List<Map.Entry<String, String>> b = List.of(Map.entry("other words here", "four five six seven"));
        assertThrows(IllegalStateException.class, () -> EmbeddingFidelity.requireDisjoint(a, b));
        EmbeddingFidelity.requireDisjoint(a, List.of(Map.entry("x y z", "p q r s")));
    }

    /**
     * The held-out images are test images 1000..9999 of Fashion-MNIST (their first labels are those of the original
     * t10k label file at those positions) and the calibration images are training images: no image of either equals,
     * pixel for pixel, an image of the search slice or of the other set.
     */
    @Test
    void fashionMnistHeldOutAndCalibrationImagesAreOtherImages() throws Exception {
        LabelledImages slice = FashionMnist.testSlice();
        LabelledImages heldOut = FashionMnist.heldOutImages();
        LabelledImages calibration = FashionMnist.trainSlice();
        assertEquals(1000, slice.count());
        assertEquals(9000, heldOut.count());
        assertEquals(1024, calibration.count());
        // t10k-labels-idx1-ubyte, labels 1000..1009 and 9000..9004 (the held-out set's 8000th to 8004th)
        assertArrayEquals(new int[] {0, 3, 5, 5, 6, 0, 5, 9, 6, 3}, Arrays.copyOf(heldOut.labels(), 10));
        assertArrayEquals(new int[] {6, 9, 0, 1, 6}, Arrays.copyOfRange(heldOut.labels(), 8000, 8005));
        Set<ByteBuffer> searchImages = images(slice);
        Set<ByteBuffer> heldOutImages = images(heldOut);
        for (ByteBuffer image : heldOutImages) {
            assertTrue(!searchImages.contains(image), "a held-out image is also in the search slice");
        }
        for (ByteBuffer image : images(calibration)) {
            assertTrue(!searchImages.contains(image) && !heldOutImages.contains(image), "a calibration image is also searched or held out");
        }
    }

    private static Set<ByteBuffer> images(LabelledImages data) {
        int size = Math.toIntExact(data.sampleSize());
        float[] values = data.values(); // a copy: take it once
        Set<ByteBuffer> images = new HashSet<>();
        for (int i = 0; i < data.count(); i++) {
            ByteBuffer bytes = ByteBuffer.allocate(size * 4);
            FloatBuffer floats = bytes.asFloatBuffer();
            floats.put(values, i * size, size);
            images.add(bytes);
        }
        return images;
    }

    @Test
    void theAccuracyEvaluatorsHeldOutSetIsSizedAndOptional() throws Exception {
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.fashionMnistTestSlice().build()) {
            assertEquals(1000, accuracy.sampleCount());
            assertEquals(9000, accuracy.heldOutCount());
            assertTrue(accuracy.heldOutData().contains("1000-9999"), accuracy.heldOutData());
        }
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.fashionMnistTestSlice().heldOutImages(0).build()) {
            assertTrue(!accuracy.hasHeldOut());
        }
        try (ClassificationAccuracy accuracy = ClassificationAccuracy.fashionMnistTestSlice().heldOutImages(500).build()) {
            assertEquals(500, accuracy.heldOutCount());
            assertTrue(accuracy.heldOutData().contains("1000-1499"), accuracy.heldOutData());
        }
        assertThrows(IllegalArgumentException.class, () -> ClassificationAccuracy.builder(new float[4], new int[] {0, 1}, 2)
                .heldOutImages(10));
    }
}
