package dev.wsvd.selection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Layer names to leave out of selection (AIMET's {@code modules_to_ignore}): exact names, or globs where
 * {@code *} matches any run of characters (dots included) and {@code ?} one character, e.g.
 * {@code encoder.layer.*.attention.*}. Everything else is literal. Matching is on the whole name.
 */
public final class LayerPatterns {

    private final List<String> patterns;

    private LayerPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * @throws IllegalArgumentException if a pattern is blank
     */
    public static LayerPatterns of(Collection<String> patterns) {
        for (String p : patterns) {
            Objects.requireNonNull(p, "layer pattern");
            if (p.isBlank()) {
                throw new IllegalArgumentException("layer pattern must not be blank");
            }
        }
        return new LayerPatterns(new ArrayList<>(patterns));
    }

    /** Whether any pattern matches {@code name}. */
    public boolean matches(String name) {
        return patterns.stream().anyMatch(p -> globMatches(p, name));
    }

    /** The patterns that match none of {@code names}: likely typos worth a warning. */
    public List<String> unmatched(Collection<String> names) {
        List<String> unmatched = new ArrayList<>();
        for (String p : patterns) {
            if (names.stream().noneMatch(n -> globMatches(p, n))) {
                unmatched.add(p);
            }
        }
        return List.copyOf(unmatched);
    }

    /** The patterns as given. */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * Whether {@code glob} matches the whole of {@code name}. Greedy two-pointer matching: on a mismatch only the
     * last {@code *} is retried one character further, so the time is at most name length x glob length however
     * many stars there are (a regex built from the glob backtracks exponentially on a near miss).
     */
    static boolean globMatches(String glob, String name) {
        int g = 0;
        int n = 0;
        int starG = -1;
        int starN = 0;
        while (n < name.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starN = n;
            } else if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (starG >= 0) {
                g = starG + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return "LayerPatterns" + patterns;
    }
}
