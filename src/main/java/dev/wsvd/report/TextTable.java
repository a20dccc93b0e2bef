package dev.wsvd.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-width text table: a header row, then rows; each column left- or right-aligned and as wide as its
 * widest cell. The last column is not padded, so no line carries trailing spaces.
 */
final class TextTable {
    enum Align { LEFT, RIGHT }

    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<Align> aligns;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> headers, List<Align> aligns) {
        if (headers.size() != aligns.size()) {
            throw new IllegalArgumentException(headers.size() + " headers but " + aligns.size() + " alignments");
        }
        this.headers = List.copyOf(headers);
        this.aligns = List.copyOf(aligns);
    }

    void add(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row needs " + headers.size() + " cells, got " + cells.size());
        }
        rows.add(List.copyOf(cells));
    }

    /** Appends the table to {@code out}, each line prefixed by {@code indent}. */
    void render(StringBuilder out, String indent) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Names.width(headers.get(c));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], Names.width(row.get(c)));
            }
        }
        line(out, indent, headers, widths);
        for (List<String> row : rows) {
            line(out, indent, row, widths);
        }
    }

    private void line(StringBuilder out, String indent, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            int pad = widths[c] - Names.width(cell);
            boolean last = c == cells.size() - 1;
            if (c > 0) {
                line.append(GAP);
            }
            if (aligns.get(c) == Align.RIGHT) {
                line.repeat(' ', pad).append(cell);
            } else {
                line.append(cell);
                if (!last) {
                    line.repeat(' ', pad);
                }
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
