package dev.wsvd.selection;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Glob matching of layer names: the same answers as the regex it replaces, without its exponential near misses. */
class LayerPatternsTest {

    /** The glob as the regex the matcher used to compile: the independent truth for short inputs. */
    private static boolean regexMatches(String glob, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(name).matches();
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void agreesWithTheRegexOnRandomGlobsAndNames() {
        Random random = new Random(10);
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            String glob = randomText(random, "ab.*?", 7);
            String name = randomText(random, "ab.", 9);
            boolean expected = regexMatches(glob, name);
            assertEquals(expected, LayerPatterns.globMatches(glob, name), () -> "glob '" + glob + "' name '" + name + "'");
            matched += expected ? 1 : 0;
        }
        assertTrue(matched > 1000, "the cases should include many matches, got " + matched);
    }

    @Test
    void edgeCases() {
        assertTrue(LayerPatterns.globMatches("*", ""));
        assertTrue(LayerPatterns.globMatches("", ""));
        assertFalse(LayerPatterns.globMatches("?", ""));
        assertTrue(LayerPatterns.globMatches("/encoder/*/MatMul", "/encoder/layer.0/attention/MatMul"));
        assertFalse(LayerPatterns.globMatches("/encoder/*/MatMul", "/encoder/layer.0/attention/MatMul_1"));
        assertTrue(LayerPatterns.globMatches("a[0]+(x)", "a[0]+(x)"), "regex characters are literal");
    }

    /**
     * A near miss with many stars: a backtracking regex takes exponential time here (20 stars: seconds, 30: over a
     * minute); the greedy matcher does at most name x glob steps. The timeout only guards against a hang.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGlobWithManyStarsThatDoesNotMatchAnswersPromptly() {
        String glob = "*a".repeat(40) + "b";
        String name = "a".repeat(200);
        LayerPatterns patterns = LayerPatterns.of(List.of(glob));
        assertFalse(patterns.matches(name));
        assertEquals(List.of(glob), patterns.unmatched(List.of(name, name + "c")));
    }
}
