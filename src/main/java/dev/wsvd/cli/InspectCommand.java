package dev.wsvd.cli;

import dev.wsvd.json.JsonDocuments;
import dev.wsvd.onnx.InputShapes;
import dev.wsvd.onnx.OnnxModel;
import dev.wsvd.onnx.wire.OnnxFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wsvd inspect}: the weight layers of an ONNX model, their cost and whether they can be split. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
                "List every weight layer of an ONNX model with its cost, and why a layer cannot be split.",
                "Columns: op, weight shape, parameters, MACs per sample, maximum rank and break-even rank (a split saves only"
                        + " below it); MatMul, Gemm and Conv layers, including those in If/Loop bodies."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the layers were listed", "1:the model cannot be read", "2:wrong arguments"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file (external data is read from its folder).")
    Path model;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = {"Shape of a model input, e.g. pixel_values=1x3x224x224; repeat for several inputs.",
                    "Fixes symbolic dimensions (batch, sequence) so output sizes and MACs per sample can be computed.",
                    "A symbolic first (batch) dimension alone counts as 1 without it."})
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        InputShapes shapes;
        try {
            shapes = InputShapes.parse(inputShapes);
        } catch (IllegalArgumentException e) {
            err.println("wsvd inspect: " + e.getMessage());
            return 2;
        }
        List<LayerSummary> layers = new ArrayList<>();
        try (OnnxModel onnx = OnnxModel.read(model)) {
            onnx.layers(shapes).forEach(layer -> layers.add(LayerSummary.of(layer)));
        } catch (NoSuchFileException e) {
            err.println("wsvd inspect: " + model + ": no such file");
            return 1;
        } catch (OnnxFormatException e) {
            err.println("wsvd inspect: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("wsvd inspect: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("wsvd inspect: " + model + ": cannot be read: " + e.getMessage());
            return 1;
        } catch (InternalError e) {
            if (!MappedInputFault.is(e)) {
                throw e;
            }
            err.println("wsvd inspect: " + MappedInputFault.message(model));
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, layers);
        } else {
            new InspectTable(layers).print(out, model.toString());
        }
        out.flush();
        return 0;
    }

    private void printJson(PrintWriter out, List<LayerSummary> layers) {
        out.print(JsonDocuments.toText(new Listing(Listing.FORMAT, Listing.FORMAT_VERSION, model.toString(), inputShapes, layers)));
    }

    /** The {@code --json} document. */
    record Listing(String format, int formatVersion, String model, List<String> inputShapes, List<LayerSummary> layers) {
        static final String FORMAT = "wsvd-layer-listing";
        static final int FORMAT_VERSION = 1;
    }
}
