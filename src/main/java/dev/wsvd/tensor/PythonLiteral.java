package dev.wsvd.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the subset of Python literals an .npy header uses: a dict with string keys whose values are strings,
 * {@code True}/{@code False}/{@code None}, integers (with Python 2's {@code L} suffix) and tuples or lists of
 * those. Evaluates nothing. Strings become {@link String}, booleans {@link Boolean}, integers {@link Long},
 * tuples {@link Tuple} and lists {@link List}; {@code None} becomes {@link #NONE}.
 */
final class PythonLiteral {
    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A Python tuple, kept apart from lists because the .npy shape must be a tuple. */
    record Tuple(List<Object> items) {
    }

    /** A syntax error at a character position of the text. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * The deepest nesting of dicts, tuples and lists accepted. A real header nests two deep (the dict, its shape
     * tuple); a bound keeps a hostile header from overflowing the stack of this recursive parser.
     */
    static final int MAX_DEPTH = 64;

    private final String text;
    private int position;
    private int depth;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** Parses {@code text} as a dict literal followed only by whitespace. */
    static Map<String, Object> parseDict(String text) throws SyntaxException {
        PythonLiteral parser = new PythonLiteral(text);
        parser.skipWhitespace();
        if (parser.peek() != '{') {
            throw parser.error("expected a dict literal starting with '{'");
        }
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.position < text.length()) {
            throw parser.error("unexpected text after the dict");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) value;
        return dict;
    }

    private Object value() throws SyntaxException {
        skipWhitespace();
        char c = peek();
        if (c == '{' || c == '(' || c == '[') {
            if (depth == MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
            depth++;
            Object nested = c == '{' ? dict() : sequence();
            depth--;
            return nested;
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || c == '+' || Character.isDigit(c)) {
            return integer();
        }
        if (Character.isLetter(c)) {
            int start = position;
            while (position < text.length() && Character.isLetterOrDigit(text.charAt(position))) {
                position++;
            }
            String word = text.substring(start, position);
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> NONE;
                default -> {
                    position = start;
                    throw error("'" + word + "' is not a literal");
                }
            };
        }
        throw error(position >= text.length() ? "the text ends where a value should be" : "unexpected '" + c + "'");
    }

    private Map<String, Object> dict() throws SyntaxException {
        expect('{');
        Map<String, Object> entries = new LinkedHashMap<>();
        while (true) {
            skipWhitespace();
            if (peek() == '}') {
                position++;
                return entries;
            }
            int keyPosition = position;
            Object key = value();
            if (!(key instanceof String name)) {
                position = keyPosition;
                throw error("dict keys must be strings");
            }
            skipWhitespace();
            expect(':');
            Object value = value();
            if (entries.put(name, value) != null) {
                position = keyPosition;
                throw error("key '" + name + "' appears twice");
            }
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else if (peek() != '}') {
                throw error("expected ',' or '}' in the dict");
            }
        }
    }

    /** A tuple or list; {@code (x)} without a comma is just {@code x}, as in Python. */
    private Object sequence() throws SyntaxException {
        char open = peek();
        char close = open == '(' ? ')' : ']';
        position++;
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipWhitespace();
            if (peek() == close) {
                position++;
                break;
            }
            items.add(value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
                sawComma = true;
            } else if (peek() != close) {
                throw error("expected ',' or '" + close + "'");
            }
        }
        if (open == '[') {
            return items;
        }
        return items.size() == 1 && !sawComma ? items.get(0) : new Tuple(items);
    }

    private String string() throws SyntaxException {
        char quote = peek();
        position++;
        StringBuilder value = new StringBuilder();
        while (position < text.length() && text.charAt(position) != quote) {
            char c = text.charAt(position++);
            if (c == '\\' && position < text.length()) {
                c = text.charAt(position++); // the header's strings need no escapes; keep the escaped character
            }
            value.append(c);
        }
        if (position >= text.length()) {
            throw error("unterminated string");
        }
        position++;
        return value.toString();
    }

    private Long integer() throws SyntaxException {
        int start = position;
        if (peek() == '-' || peek() == '+') {
            position++;
        }
        int digits = position;
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        if (position == digits) {
            throw error("expected digits");
        }
        String number = text.substring(start, position);
        if (position < text.length() && (text.charAt(position) == 'L' || text.charAt(position) == 'l')) {
            position++; // Python 2 long suffix, written by old NumPy versions
        }
        try {
            return Long.parseLong(number.startsWith("+") ? number.substring(1) : number);
        } catch (NumberFormatException e) {
            position = start;
            throw error("integer " + number + " is too large");
        }
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private SyntaxException error(String problem) {
        return new SyntaxException(problem + " at character " + position);
    }
}
