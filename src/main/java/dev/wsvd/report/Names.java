package dev.wsvd.report;

import java.util.List;

/** Fitting user-provided names (layer names, paths) into fixed-width text. */
final class Names {
    private static final char SEGMENT_SEPARATOR = '/';
    /** Below this many characters for the differing part, a plain middle cut of the whole name reads better. */
    private static final int MIN_DISTINCT_WIDTH = 8;

    private Names() {
    }

    /**
     * {@code name} shortened to at most {@code maxWidth} characters (code points) by replacing its middle with
     * {@code ellipsis}, keeping a little more of the end. Names that fit are returned as they are.
     */
    static String elideMiddle(String name, int maxWidth, String ellipsis) {
        int length = width(name);
        if (length <= maxWidth) {
            return name;
        }
        int keep = maxWidth - width(ellipsis);
        if (keep <= 0) {
            return ellipsis.substring(0, ellipsis.offsetByCodePoints(0, Math.max(0, maxWidth)));
        }
        int head = keep / 2;
        return cut(name, head, length - keep + head, ellipsis);
    }

    /**
     * A shortener for a column of names that share structure, such as {@code /encoder/layer.N/.../MatMul}. A plain
     * middle cut of such names removes exactly the parts that tell them apart; this one cuts where they differ:
     * <ol>
     *   <li>if dropping (some of) the path segments every name starts with is enough, it drops them from the front,
     *       whole segments where it can ({@code …/layer.0/attention/self/query/MatMul});</li>
     *   <li>otherwise it drops them, keeps the shared trailing segments and cuts the middle of the part in
     *       between ({@code …layer.0…self/key/MatMul}).</li>
     * </ol>
     * With a single name, or names without shared segments, this is {@link #elideMiddle}.
     */
    static Elider forColumn(List<String> names, String ellipsis) {
        return new Elider(sharedPrefixSegments(names), sharedSuffixSegments(names), ellipsis);
    }

    /** Shortens the names of one column; see {@link #forColumn}. */
    record Elider(int sharedPrefix, int sharedSuffix, String ellipsis) {
        String elide(String name, int maxWidth) {
            int length = width(name);
            if (length <= maxWidth) {
                return name;
            }
            int keep = maxWidth - width(ellipsis);
            if (keep <= 0 || sharedPrefix + sharedSuffix >= length) {
                return elideMiddle(name, maxWidth, ellipsis);
            }
            int excess = length - keep;
            if (excess <= sharedPrefix) {
                // cut whole leading segments where possible: "…/layer.0/…" rather than "…coder/layer.0/…"
                int separator = name.indexOf(SEGMENT_SEPARATOR, name.offsetByCodePoints(0, excess));
                int cutTo = separator >= 0 && name.codePointCount(0, separator) < sharedPrefix ? name.codePointCount(0, separator) : excess;
                return cut(name, 0, cutTo, ellipsis);
            }
            // drop the shared prefix, keep the shared suffix, cut the middle of the part that differs
            String lead = sharedPrefix > 0 ? ellipsis : "";
            int budget = maxWidth - width(lead) - sharedSuffix;
            if (budget < MIN_DISTINCT_WIDTH) {
                return elideMiddle(name, maxWidth, ellipsis);
            }
            String distinct = substring(name, sharedPrefix, length - sharedSuffix);
            return lead + elideMiddle(distinct, budget, ellipsis) + substring(name, length - sharedSuffix, length);
        }
    }

    /** Code points [0, from) + ellipsis + [to, end). */
    private static String cut(String name, int from, int to, String ellipsis) {
        int length = width(name);
        return substring(name, 0, from) + ellipsis + substring(name, to, length);
    }

    private static String substring(String name, int fromCodePoint, int toCodePoint) {
        int begin = name.offsetByCodePoints(0, fromCodePoint);
        int end = name.offsetByCodePoints(0, toCodePoint);
        return name.substring(begin, end);
    }

    /** Length (in code points) of the longest prefix ending at a separator that every name shares; 0 for one name. */
    static int sharedPrefixSegments(List<String> names) {
        if (names.size() < 2) {
            return 0;
        }
        String first = names.getFirst();
        int common = first.length();
        for (String name : names) {
            int i = 0;
            int limit = Math.min(common, name.length());
            while (i < limit && name.charAt(i) == first.charAt(i)) {
                i++;
            }
            common = i;
        }
        int boundary = first.lastIndexOf(SEGMENT_SEPARATOR, common - 1);
        if (boundary < 0) {
            return 0;
        }
        // every name goes on after the shared separator, so the prefix never swallows a whole name
        return first.codePointCount(0, boundary + 1);
    }

    /** Length (in code points) of the longest suffix starting at a separator that every name shares; 0 for one name. */
    static int sharedSuffixSegments(List<String> names) {
        if (names.size() < 2) {
            return 0;
        }
        String first = names.getFirst();
        int common = first.length();
        for (String name : names) {
            int i = 0;
            int limit = Math.min(common, name.length());
            while (i < limit && name.charAt(name.length() - 1 - i) == first.charAt(first.length() - 1 - i)) {
                i++;
            }
            common = i;
        }
        if (common == 0) {
            return 0;
        }
        int boundary = first.indexOf(SEGMENT_SEPARATOR, first.length() - common);
        return boundary < 0 ? 0 : first.codePointCount(boundary, first.length());
    }

    /** {@code text} with control characters (newlines, tabs, escape sequences) replaced, so it stays on one line. */
    static String singleLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Display width in code points (enough for the names we show: no wide CJK handling). */
    static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
