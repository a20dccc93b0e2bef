package dev.wsvd.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The text table {@code wsvd inspect} prints: one aligned row per layer, then totals. */
final class InspectTable {
    private static final String[] HEADER = {"layer", "op", "weight", "type", "params", "MACs", "max rank", "break-even", "note"};

    private final List<LayerSummary> layers;

    InspectTable(List<LayerSummary> layers) {
        this.layers = layers;
    }

    void print(PrintWriter out, String model) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (LayerSummary layer : layers) {
            rows.add(new String[] {
                    layer.name() + (layer.graph().equals("main graph") ? "" : " (in " + layer.graph() + ")"),
                    layer.op(),
                    shape(layer.weightShape()),
                    layer.weightType(),
                    number(layer.params()),
                    layer.macs() == null ? "?" : number(layer.macs()) + ("row".equals(layer.macsPer()) ? "/row" : ""),
                    number(layer.maxRank()),
                    breakEven(layer),
                    layer.compressible() ? "" : "not compressible: " + layer.reason()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        long compressible = layers.stream().filter(LayerSummary::compressible).count();
        out.println(model + ": " + layers.size() + " weight layers, " + compressible + " can be split");
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 4 && i <= 7;
                String cell = row[i];
                String padding = " ".repeat(widths[i] - cell.length());
                line.append(numeric ? padding + cell : i == row.length - 1 ? cell : cell + padding);
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
        long params = layers.stream().map(LayerSummary::params).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        out.println("weight parameters: " + number(params));
        // every "?" says why, on its row ("MACs unknown: ...") or in one line under the table
        for (LayerSummary layer : layers) {
            if (layer.macs() == null && layer.macsUnknown() != null && !(layer.reason() != null && layer.reason().startsWith("MACs unknown"))) {
                out.println("MACs ? for " + layer.name() + ": " + layer.macsUnknown());
            }
        }
        if (layers.stream().anyMatch(l -> "row".equals(l.macsPer()))) {
            out.println("MACs marked /row are per row (token): give --input-shape for the inputs' sequence length to count per sample");
        }
    }

    private static String breakEven(LayerSummary layer) {
        if (layer.breakEvenRank() == null) {
            return "";
        }
        return Objects.equals(layer.breakEvenRank(), layer.breakEvenRankParams()) ? number(layer.breakEvenRank())
                : number(layer.breakEvenRank()) + " (params " + number(layer.breakEvenRankParams()) + ")";
    }

    private static String shape(long[] dims) {
        StringBuilder text = new StringBuilder();
        for (long dim : dims) {
            text.append(text.isEmpty() ? "" : "x").append(dim);
        }
        return text.isEmpty() ? "[]" : text.toString();
    }

    private static String number(Number value) {
        return value == null ? "" : String.format("%,d", value.longValue());
    }
}
