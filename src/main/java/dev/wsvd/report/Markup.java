package dev.wsvd.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Writes markup that is both HTML5 and well-formed XML (polyglot markup), escaping every text and attribute
 * value, so that no user-provided name can inject markup. Elements are closed in order or the writer fails; an
 * empty element is self-closed inside SVG and for HTML void elements, and written as a start and end tag
 * otherwise (HTML parsers ignore {@code />} on other elements).
 */
final class Markup {
    private static final Set<String> VOID_ELEMENTS = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr");

    private final StringBuilder out = new StringBuilder(64 * 1024);
    private final Deque<String> open = new ArrayDeque<>();
    private int svgDepth;

    /** Opens {@code tag} with attributes given as name, value pairs; a null value leaves the attribute out. */
    Markup start(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        open.push(tag);
        if (tag.equals("svg")) {
            svgDepth++;
        }
        return this;
    }

    /** Closes the innermost open element, which must be {@code tag}. */
    Markup end(String tag) {
        String top = open.poll();
        if (!tag.equals(top)) {
            throw new IllegalStateException("closing <" + tag + "> but the innermost open element is <" + top + ">");
        }
        if (tag.equals("svg")) {
            svgDepth--;
        }
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element without content. */
    Markup empty(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        if (svgDepth > 0 || tag.equals("svg") || VOID_ELEMENTS.contains(tag)) {
            out.append("/>");
        } else {
            out.append("></").append(tag).append('>');
        }
        return this;
    }

    /** An element holding only (escaped) text. */
    Markup element(String tag, String text, String... attributes) {
        return start(tag, attributes).text(text).end(tag);
    }

    /** Escaped text. */
    Markup text(String text) {
        escape(text, out);
        return this;
    }

    /**
     * Escaped text with a line-break opportunity ({@code <wbr/>}) after every {@code /}, so that long path-like
     * names wrap between segments instead of mid-word.
     */
    Markup breakableText(String text) {
        int from = 0;
        for (int slash = text.indexOf('/'); slash >= 0; slash = text.indexOf('/', from)) {
            escape(text.substring(from, slash + 1), out);
            if (slash + 1 < text.length()) {
                out.append("<wbr/>");
            }
            from = slash + 1;
        }
        escape(text.substring(from), out);
        return this;
    }

    /** Trusted markup or CSS written by this package, never user input. */
    Markup raw(String trusted) {
        out.append(trusted);
        return this;
    }

    Markup newline() {
        out.append('\n');
        return this;
    }

    /** The document; every element must be closed. */
    String finish() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return out.toString();
    }

    private void attributes(String[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] == null) {
                continue;
            }
            out.append(' ').append(attributes[i]).append("=\"");
            escape(attributes[i + 1], out);
            out.append('"');
        }
    }

    /**
     * Escapes the five markup characters and replaces characters that XML 1.0 does not allow at all (most control
     * characters, lone surrogates) with U+FFFD, so the document stays well-formed whatever a layer is called.
     */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        escape(text, out);
        return out.toString();
    }
}
