package dev.wsvd.report;

import dev.wsvd.CostMetric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.CompressionMode;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.tensor.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextReportTest {
    private static final String DASH = "\u2014";
    private static final String ELLIPSIS = "\u2026";

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static String line(String text, String start) {
        return lines(text).stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starts with \"" + start + "\" in\n" + text));
    }

    /** The header line of the layer table and the rows after it, up to the blank line. */
    private static List<String> layerTable(String text) {
        List<String> all = lines(text);
        int header = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("Layer ") && all.get(i).contains("Params before")) {
                header = i;
            }
        }
        assertTrue(header >= 0, "no layer table in\n" + text);
        int end = header + 1;
        while (end < all.size() && !all.get(end).isBlank()) {
            end++;
        }
        return all.subList(header, end);
    }

    /** The right-aligned cell of {@code row} that ends where header column {@code column} ends. */
    private static String rightAlignedCell(String header, String row, String column) {
        int end = header.indexOf(column) + column.length();
        assertTrue(end <= row.length(), "row too short for column " + column + ": " + row);
        assertTrue(end == row.length() || row.charAt(end) == ' ', "column " + column + " does not end at " + end + " in: " + row);
        int start = row.lastIndexOf(' ', end - 1) + 1;
        return row.substring(start, end);
    }

    @Test
    void summaryHasTheReferenceFiguresFirst() {
        String text = TextReport.defaults().render(SampleStats.cnnAuto());
        assertTrue(lines(text).getFirst().contains("auto mode") && lines(text).getFirst().contains("MAC"), text);
        assertTrue(line(text, "Baseline score").endsWith("0.913400"), text);
        String compressed = line(text, "Compressed score");
        assertTrue(compressed.contains("0.907100") && compressed.contains("-0.006300"), compressed);
        // weights 800 + 51,200 + 3,211,264 + 10,240 = 3,273,504 -> 800 + 34,272 + 640,640 + 7,238 = 682,950: 0.20863
        String memory = line(text, "Memory ratio");
        assertTrue(memory.contains("0.2086") && memory.contains("3,273,504 -> 682,950"), memory);
        // MACs 627,200 + 10,035,200 + 3,211,264 + 10,240 = 13,883,904 -> 627,200 + 6,717,312 + 640,640 + 7,238 = 7,992,390: 0.57566
        String mac = line(text, "MAC ratio");
        assertTrue(mac.contains("0.5757") && mac.contains("13,883,904 -> 7,992,390"), mac);
        String target = line(text, "Target ratio");
        assertTrue(target.contains("0.5800") && target.contains("achieved 0.5757") && target.contains("closest reachable"), target);
        assertTrue(line(text, "Layers compressed").endsWith("3 of 4"), text);
        assertTrue(line(text, "Time").contains("25.4 s total") && line(text, "Time").contains("evaluation 23.9 s"), text);
        int summaryEnd = lines(text).indexOf("");
        assertTrue(summaryEnd > 0 && summaryEnd < lines(text).indexOf(layerTable(text).getFirst()), "summary comes before the table");
    }

    @Test
    void reachedTargetSaysSo() {
        String target = line(TextReport.defaults().render(SampleStats.miniLmAuto()), "Target ratio");
        assertTrue(target.contains("(reached, within 0.001)"), target);
    }

    @Test
    void manualRunWithoutEvaluatorHasNoScoresTargetOrEvalGrid() {
        String text = TextReport.defaults().render(SampleStats.cnnManual());
        assertTrue(line(text, "Scores").contains("not evaluated"), text);
        assertFalse(text.contains("Target ratio"), text);
        assertFalse(text.contains("Eval dictionary"), text);
        assertFalse(text.contains("Output model"), text);
        assertTrue(line(text, "Time").startsWith("Time") && line(text, "Time").contains("72 ms total"), text);
    }

    @Test
    void numberColumnsAreRightAlignedWithThousandsSeparators() {
        List<String> table = layerTable(TextReport.defaults().render(SampleStats.cnnAuto()));
        String header = table.getFirst();
        String conv2 = table.stream().filter(l -> l.startsWith("conv2 ")).findFirst().orElseThrow();
        assertEquals("21/32", rightAlignedCell(header, conv2, "Rank"));
        assertEquals("0.700", rightAlignedCell(header, conv2, "Ratio"));
        assertEquals(String.format(Locale.ROOT, "%.4f", SampleStats.relativeError(32, 0.9, 21)), rightAlignedCell(header, conv2, "Rel. error"));
        assertEquals("51,200", rightAlignedCell(header, conv2, "Params before"));
        assertEquals("34,272", rightAlignedCell(header, conv2, "Params after"));
        assertEquals("10,035,200", rightAlignedCell(header, conv2, "MACs before"));
        assertEquals("6,717,312", rightAlignedCell(header, conv2, "MACs after"));
        String fc1 = table.stream().filter(l -> l.startsWith("fc1 ")).findFirst().orElseThrow();
        assertEquals("154/1024", rightAlignedCell(header, fc1, "Rank"));
        assertEquals("3,211,264", rightAlignedCell(header, fc1, "MACs before"));
        assertEquals("640,640", rightAlignedCell(header, fc1, "MACs after"));
        for (String row : table.subList(1, table.size())) {
            for (String column : List.of("Rank", "Ratio", "Rel. error", "Params before", "Params after", "MACs before", "MACs after")) {
                assertFalse(rightAlignedCell(header, row, column).isEmpty(), column + " empty in " + row);
            }
            // left-aligned text columns start where their header starts
            assertTrue(row.startsWith("Conv", header.indexOf("Op")) || row.startsWith("Gemm", header.indexOf("Op")), row);
            assertEquals(row, row.stripTrailing(), "no trailing spaces");
        }
    }

    @Test
    void keptLayersShowDashesAndTheirReason() {
        List<String> table = layerTable(TextReport.defaults().render(SampleStats.cnnAuto()));
        String header = table.getFirst();
        String conv1 = table.stream().filter(l -> l.startsWith("conv1 ")).findFirst().orElseThrow();
        assertEquals(DASH, rightAlignedCell(header, conv1, "Rank"));
        assertEquals(DASH, rightAlignedCell(header, conv1, "Ratio"));
        assertEquals(DASH, rightAlignedCell(header, conv1, "Rel. error"));
        assertEquals("800", rightAlignedCell(header, conv1, "Params after"));
        assertEquals("627,200", rightAlignedCell(header, conv1, "MACs after"));
        assertEquals("not compressed: ignored: modules to ignore", conv1.substring(header.indexOf("Note")));

        List<String> manual = layerTable(TextReport.defaults().render(SampleStats.cnnManual()));
        assertTrue(manual.stream().anyMatch(l -> l.startsWith("conv1 ") && l.endsWith("not compressed: would not save: "
                + "rank 1 needs 801 weights, the layer has 800")), String.join("\n", manual));
        assertEquals(2, manual.stream().filter(l -> l.endsWith("not compressed: no ratio given")).count());

        List<String> miniLm = layerTable(TextReport.defaults().render(SampleStats.miniLmAuto()));
        assertTrue(miniLm.getLast().startsWith("/encoder/layer.5/output/dense/MatMul") && miniLm.getLast().endsWith("not selected"),
                miniLm.getLast());
    }

    @Test
    void asciiModeUsesOnlyAscii() {
        String text = TextReport.builder().ascii(true).maxNameWidth(30).build().render(SampleStats.miniLmAuto());
        assertTrue(text.chars().allMatch(c -> c < 128), "non-ASCII character in ASCII mode");
        assertTrue(text.contains("..."), "names are elided with three dots");
        String last = layerTable(text).getLast();
        assertEquals("-", rightAlignedCell(layerTable(text).getFirst(), last, "Rank"));
    }

    @Test
    void transformerNamesFitUntouchedByDefault() {
        List<String> table = layerTable(TextReport.defaults().render(SampleStats.miniLmAuto()));
        List<String> names = SampleStats.miniLmLayerNames();
        assertEquals(names.size() + 1, table.size());
        for (int i = 0; i < names.size(); i++) {
            assertTrue(table.get(i + 1).startsWith(names.get(i) + " "), table.get(i + 1));
        }
    }

    @Test
    void longNamesAreElidedButStayDistinctAndKeepTheLayerIndex() {
        for (int maxWidth : new int[] {24, 30, 36}) {
            List<String> table = layerTable(TextReport.builder().maxNameWidth(maxWidth).build().render(SampleStats.miniLmAuto()));
            String header = table.getFirst();
            int opColumn = header.indexOf("Op");
            assertTrue(opColumn <= maxWidth + 2, "name column wider than " + maxWidth + ": " + header);
            List<String> names = SampleStats.miniLmLayerNames();
            Set<String> shown = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                String row = table.get(i + 1);
                assertEquals("MatMul", row.substring(opColumn, opColumn + 6), "columns stay aligned: " + row);
                String name = row.substring(0, opColumn).stripTrailing();
                assertTrue(Names.width(name) <= maxWidth, name);
                assertEquals(Names.width(names.get(i)) > maxWidth, name.contains(ELLIPSIS), "elided only when too long: " + name);
                assertTrue(name.contains("layer." + i / 6), "layer index kept at width " + maxWidth + ": " + name);
                assertTrue(name.endsWith("/MatMul"), name);
                assertPiecesInOrder(names.get(i), name);
                shown.add(name + row.substring(opColumn));
            }
            assertEquals(names.size(), shown.size());
        }
    }

    @Test
    void widthLimitShrinksTheNameColumn() {
        CompressionStats stats = SampleStats.miniLmAuto();
        List<String> table = layerTable(TextReport.builder().width(140).build().render(stats));
        for (String row : table) {
            if (!row.contains("not compressed")) {
                assertTrue(row.length() <= 140, row.length() + " > 140: " + row);
            }
        }
        assertTrue(table.get(1).contains(ELLIPSIS), table.get(1));
        // too narrow to fit: names stop shrinking at 24 characters
        List<String> narrow = layerTable(TextReport.builder().width(60).build().render(stats));
        assertEquals(24 + 2, narrow.getFirst().indexOf("Op"));
    }

    @Test
    void elidedTextKeepsBothEnds() {
        assertEquals("ab\u2026ij", Names.elideMiddle("abcdefghij", 5, ELLIPSIS));
        assertEquals("abc...ijk", Names.elideMiddle("abcdefghijk", 9, "..."));
        assertEquals("short", Names.elideMiddle("short", 5, ELLIPSIS));
        String faces = "\uD83D\uDE00".repeat(6);
        String elided = Names.elideMiddle(faces, 4, ELLIPSIS);
        assertEquals("\uD83D\uDE00\u2026\uD83D\uDE00\uD83D\uDE00", elided, "surrogate pairs are never split");
    }

    @Test
    void columnEliderDropsTheSharedPrefixFirst() {
        Names.Elider elider = Names.forColumn(SampleStats.miniLmLayerNames(), ELLIPSIS);
        assertEquals("/encoder/".length(), elider.sharedPrefix());
        assertEquals("/MatMul".length(), elider.sharedSuffix());
        // 44 characters into 36: dropping the 9 shared leading characters is exactly enough
        assertEquals(ELLIPSIS + "layer.0/attention/self/query/MatMul", elider.elide("/encoder/layer.0/attention/self/query/MatMul", 36));
        // into 40: 5 characters would do, but the cut goes on to the next separator so no segment is split
        assertEquals(ELLIPSIS + "/layer.0/attention/self/query/MatMul", elider.elide("/encoder/layer.0/attention/self/query/MatMul", 40));
        // into 24: the part between /encoder/ and /MatMul (28 characters) gets a middle cut to 16
        assertEquals(ELLIPSIS + "layer.0" + ELLIPSIS + "lf/query/MatMul", elider.elide("/encoder/layer.0/attention/self/query/MatMul", 24));
        assertEquals(0, Names.forColumn(List.of("conv1", "conv2"), ELLIPSIS).sharedPrefix());
    }

    @Test
    void controlCharactersInNamesCannotBreakLines() {
        LayerStats evil = LayerStats.builder("evil\nname\u001b[2J").op("Gemm").weightShape(4, 4).maxRank(4)
                .costBefore(16, 16).kept(SkipReason.UNSUPPORTED, "shared\tweight").build();
        CompressionStats stats = CompressionStats.builder(CompressionMode.MANUAL, CostMetric.MEMORY).layer(evil)
                .environment(SampleStats.ENVIRONMENT).inputModel(new ModelFile("in\r\nput.onnx", 10)).build();
        String text = TextReport.defaults().render(stats);
        assertFalse(text.contains("\u001b") || text.contains("\r") || text.contains("\t"), text);
        List<String> table = layerTable(text);
        assertEquals(2, table.size(), text);
        assertTrue(table.get(1).startsWith("evil?name?[2J"), table.get(1));
        assertNotNull(line(text, "Input model"));
    }

    @Test
    void evalGridHasOneColumnPerCandidateAndTheChosenRatio() {
        String text = TextReport.defaults().render(SampleStats.cnnAuto());
        List<String> all = lines(text);
        int title = all.indexOf(line(text, "Eval dictionary"));
        String header = all.get(title + 1);
        assertEquals(List.of("Layer", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "Chosen"),
                List.of(header.trim().split(" +")));
        assertEquals(List.of("conv2", "0.6120", "0.8011", "0.8702", "0.8955", "0.9051", "0.9098", "0.9120", "0.9131", "0.9135", "0.700"),
                List.of(all.get(title + 2).split(" +")));
        assertTrue(all.get(title + 4).startsWith("fc2") && all.get(title + 4).endsWith("0.800"), all.get(title + 4));
        assertFalse(TextReport.builder().evalGrid(false).build().render(SampleStats.cnnAuto()).contains("Eval dictionary"));
        String miniLmLast = TextReport.defaults().render(SampleStats.miniLmAuto()).lines().toList().getLast();
        assertTrue(miniLmLast.startsWith("/encoder/layer.5/output/dense/MatMul") && miniLmLast.endsWith(DASH), miniLmLast);
    }

    /** Every piece of {@code elided} between ellipses occurs in {@code original}, in order. */
    private static void assertPiecesInOrder(String original, String elided) {
        int from = 0;
        for (String piece : elided.split(ELLIPSIS)) {
            int at = original.indexOf(piece, from);
            assertTrue(at >= 0, "\"" + piece + "\" of " + elided + " is not in " + original + " after " + from);
            from = at + piece.length();
        }
    }
}
