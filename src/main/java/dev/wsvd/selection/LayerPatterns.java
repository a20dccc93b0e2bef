package dev.wsvd.selection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Layer names to leave out of selection (AIMET's {@code modules_to_ignore}): exact names, or globs where
 * {@code *} matches any run of characters (dots included) and {@code ?} one character, e.g.
 * {@code encoder.layer.*.attention.*}. Everything else is literal. Matching is on the whole name.
 */
public final class LayerPatterns {

    private final List<String> patterns;
    private final List<Pattern> compiled;

    private LayerPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.compiled = this.patterns.stream().map(LayerPatterns::compile).toList();
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
        return compiled.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /** The patterns that match none of {@code names}: likely typos worth a warning. */
    public List<String> unmatched(Collection<String> names) {
        List<String> unmatched = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = compiled.get(i);
            if (names.stream().noneMatch(n -> p.matcher(n).matches())) {
                unmatched.add(patterns.get(i));
            }
        }
        return List.copyOf(unmatched);
    }

    /** The patterns as given. */
    public List<String> patterns() {
        return patterns;
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return "LayerPatterns" + patterns;
    }
}
