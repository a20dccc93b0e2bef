package dev.wsvd.report;

import dev.wsvd.CostMetric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsvd.CompressionMode;
import dev.wsvd.CompressionStats;
import dev.wsvd.CompressionStats.EvalDictionary;
import dev.wsvd.CompressionStats.LayerStats;
import dev.wsvd.CompressionStats.ModelFile;
import dev.wsvd.CompressionStats.SkipReason;
import dev.wsvd.CompressionStats.TargetOutcome;
import dev.wsvd.tensor.Shape;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportTest {
    /** A layer name that would run script and break attributes if it were not escaped. */
    private static final String HOSTILE = "<script>alert(\"pwned\")</script>&'q'/x\u0007";

    /** Parses the page as XML: it fails on unbalanced tags, bad entities and stray markup characters. */
    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new InputSource(new StringReader(html)));
    }

    private static List<Element> select(Document document, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static String hasClass(String cssClass) {
        return "contains(concat(' ', normalize-space(@class), ' '), ' " + cssClass + " ')";
    }

    /** The score-curve chart of a layer (error profiles carry the same data-layer). */
    private static String curve(String layer) {
        return "//svg[@data-layer='" + layer + "' and " + hasClass("score-curve") + "]";
    }

    private static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }

    @Test
    void everySampleIsWellFormed() throws Exception {
        for (CompressionStats stats : List.of(SampleStats.cnnAuto(), SampleStats.cnnManual(), SampleStats.miniLmAuto(), hostile())) {
            String html = HtmlReport.render(stats);
            assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html.substring(0, 40));
            Document document = parse(html);
            assertEquals("html", document.getDocumentElement().getTagName());
            assertEquals(1, select(document, "/html/head/style").size());
            assertEquals(1, select(document, "/html/body/main").size());
        }
    }

    @Test
    void nothingIsLoadedFromAnywhere() throws Exception {
        for (CompressionStats stats : List.of(SampleStats.cnnAuto(), SampleStats.miniLmAuto(), hostile())) {
            String html = HtmlReport.render(stats);
            Document document = parse(html);
            assertFalse(html.toLowerCase().contains("http"), "no URL anywhere, not even an SVG namespace");
            for (Element element : select(document, "//*")) {
                NamedNodeMap attributes = element.getAttributes();
                for (int i = 0; i < attributes.getLength(); i++) {
                    String name = attributes.item(i).getNodeName().toLowerCase();
                    assertFalse(name.equals("src") || name.endsWith("href") || name.equals("srcset") || name.equals("action")
                            || name.equals("poster") || name.startsWith("on"), "<" + element.getTagName() + " " + name + ">");
                }
            }
            for (String tag : List.of("script", "link", "img", "iframe", "object", "embed", "base", "form")) {
                assertTrue(select(document, "//" + tag).isEmpty(), "no <" + tag + ">");
            }
            String style = select(document, "/html/head/style").getFirst().getTextContent();
            assertFalse(style.contains("url(") || style.contains("@import"), "the stylesheet fetches nothing");
        }
    }

    /** The CNN's auto run with the first layer renamed to a hostile string, and a hostile output path. */
    private static CompressionStats hostile() {
        CompressionStats cnn = SampleStats.cnnAuto();
        List<LayerStats> layers = new ArrayList<>();
        for (LayerStats layer : cnn.layers()) {
            layers.add(layer.name().equals("conv2")
                    ? new LayerStats(HOSTILE, layer.op(), layer.weightShape(), layer.maxRank(), layer.paramsBefore(), layer.macsBefore(), layer.outcome())
                    : layer);
        }
        Map<String, Map<Double, Double>> measured = new LinkedHashMap<>();
        cnn.evalDictionary().measured().forEach((name, curve) -> measured.put(name.equals("conv2") ? HOSTILE : name, curve));
        return CompressionStats.builder(cnn.mode(), cnn.costMetric()).scores(cnn.scores()).target(cnn.target()).layers(layers)
                .evalDictionary(EvalDictionary.of(cnn.evalDictionary().baselineScore(), measured)).environment(cnn.environment())
                .inputModel(cnn.inputModel()).outputModel(new ModelFile("out/\"><img src=x onerror=alert(1)>.onnx", 10)).build();
    }

    @Test
    void userProvidedNamesAreEscaped() throws Exception {
        String html = HtmlReport.render(hostile());
        assertFalse(html.contains("<script"), "the name's tag must not survive as markup");
        assertTrue(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&amp;&#39;q&#39;"), "escaped in text and attributes");
        Document document = parse(html);
        // the bell character is not allowed in XML 1.0: it becomes U+FFFD, everything else comes back exactly
        String shown = HOSTILE.replace('\u0007', '\uFFFD');
        assertEquals(shown, select(document, "//table[@id='layers']/tbody/tr[2]/td[1]").getFirst().getTextContent());
        assertEquals(shown, select(document, "//table[@id='layers']/tbody/tr[2]").getFirst().getAttribute("data-layer"));
        assertEquals(shown, select(document, "//svg[" + hasClass("score-curve") + "]").getFirst().getAttribute("data-layer"));
        assertTrue(select(document, "//dd").stream().anyMatch(dd -> dd.getTextContent().startsWith("out/\"><img src=x")));
    }

    @Test
    void oneScoreCurvePerEvaluatedLayerWithTheChosenRatioMarkedOnTheCurve() throws Exception {
        for (CompressionStats stats : List.of(SampleStats.cnnAuto(), SampleStats.miniLmAuto())) {
            Document document = parse(HtmlReport.render(stats));
            List<Element> curves = select(document, "//svg[" + hasClass("score-curve") + "]");
            assertEquals(new ArrayList<>(stats.evalDictionary().measured().keySet()), curves.stream().map(c -> c.getAttribute("data-layer")).toList());
            for (Element curve : curves) {
                String layerName = curve.getAttribute("data-layer");
                LayerStats layer = stats.layer(layerName);
                List<Element> points = select(document, curve(layerName) + "//circle[" + hasClass("point") + "]");
                assertEquals(stats.evalDictionary().measured().get(layerName).size(), points.size(), layerName);
                List<Element> chosen = select(document, curve(layerName) + "/g[" + hasClass("chosen") + "]");
                if (!layer.isCompressed()) {
                    assertTrue(chosen.isEmpty(), "no marker on a layer that was not compressed: " + layerName);
                    continue;
                }
                assertEquals(1, chosen.size(), layerName);
                double ratio = number(chosen.getFirst(), "data-ratio");
                assertEquals(layer.compressed().ratio(), ratio, 0, layerName);

                // the x scale, recovered from the first and last measured points, puts the marker at the chosen ratio
                Element first = points.getFirst();
                Element last = points.getLast();
                double pxPerRatio = (number(last, "cx") - number(first, "cx")) / (number(last, "data-ratio") - number(first, "data-ratio"));
                double expectedX = number(first, "cx") + (ratio - number(first, "data-ratio")) * pxPerRatio;
                Element line = select(document, curve(layerName) + "//line[" + hasClass("chosen-line") + "]").getFirst();
                assertEquals(expectedX, number(line, "x1"), 0.15, "marker x of " + layerName + " (coordinates have one decimal)");

                // the chosen ratio is a candidate here, so the marker's circle sits on that candidate's point
                Element marker = select(document, curve(layerName) + "//circle[" + hasClass("chosen-point") + "]").getFirst();
                Element candidate = points.stream().filter(p -> number(p, "data-ratio") == ratio).findFirst().orElseThrow();
                assertEquals(number(candidate, "cy"), number(marker, "cy"), 0.051, layerName);

                // the baseline line sits where the y scale (recovered from two points of different score) puts the baseline
                Element low = points.stream().min((a, b) -> Double.compare(number(a, "data-score"), number(b, "data-score"))).orElseThrow();
                Element high = points.stream().max((a, b) -> Double.compare(number(a, "data-score"), number(b, "data-score"))).orElseThrow();
                double pxPerScore = (number(high, "cy") - number(low, "cy")) / (number(high, "data-score") - number(low, "data-score"));
                double expectedY = number(low, "cy") + (stats.evalDictionary().baselineScore() - number(low, "data-score")) * pxPerScore;
                Element baseline = select(document, curve(layerName) + "//line[" + hasClass("baseline") + "]").getFirst();
                assertEquals(expectedY, number(baseline, "y1"), 0.3, "baseline y of " + layerName);
                assertTrue(pxPerScore < 0, "higher scores are drawn higher up");
            }
        }
    }

    @Test
    void notSelectedLayerHasACurveButNoMarker() throws Exception {
        Document document = parse(HtmlReport.render(SampleStats.miniLmAuto()));
        String last = "/encoder/layer.5/output/dense/MatMul";
        assertEquals(1, select(document, "//svg[@data-layer='" + last + "']").stream()
                .filter(svg -> svg.getAttribute("class").contains("score-curve")).count());
        assertTrue(select(document, "//svg[@data-layer='" + last + "']/g[" + hasClass("chosen") + "]").isEmpty());
        Element figure = (Element) select(document, "//svg[@data-layer='" + last + "' and " + hasClass("score-curve") + "]").getFirst().getParentNode();
        assertTrue(figure.getTextContent().contains("not compressed: not selected"), figure.getTextContent());
    }

    @Test
    void ratioChartHasOneRowPerLayerWithBarsProportionalToTheRatio() throws Exception {
        CompressionStats stats = SampleStats.miniLmAuto();
        Document document = parse(HtmlReport.render(stats));
        List<Element> rows = select(document, "//svg[" + hasClass("ratio-bars") + "]/g[" + hasClass("bar-row") + "]");
        assertEquals(stats.layers().stream().map(LayerStats::name).toList(), rows.stream().map(r -> r.getAttribute("data-layer")).toList());
        double pxPerRatio = Double.NaN;
        for (int i = 0; i < rows.size(); i++) {
            LayerStats layer = stats.layers().get(i);
            List<Element> bars = new ArrayList<>();
            NodeList children = rows.get(i).getElementsByTagName("rect");
            for (int k = 0; k < children.getLength(); k++) {
                bars.add((Element) children.item(k));
            }
            if (!layer.isCompressed()) {
                assertTrue(bars.isEmpty());
                assertTrue(rows.get(i).getTextContent().contains("not compressed: not selected"), rows.get(i).getTextContent());
                continue;
            }
            assertEquals(1, bars.size());
            double width = number(bars.getFirst(), "width");
            if (Double.isNaN(pxPerRatio)) {
                pxPerRatio = width / layer.compressed().ratio();
            }
            assertEquals(layer.compressed().ratio() * pxPerRatio, width, 0.15, layer.name());
            assertEquals(layer.compressed().ratio(), number(bars.getFirst(), "data-ratio"), 0);
        }
    }

    @Test
    void errorProfilesGetOneCurveEachWithTheRankMarked() throws Exception {
        CompressionStats stats = SampleStats.miniLmAuto();
        Document document = parse(HtmlReport.render(stats));
        List<Element> charts = select(document, "//svg[" + hasClass("error-profile") + "]");
        assertEquals(stats.errorProfiles().size(), charts.size());
        for (Element chart : charts) {
            LayerStats layer = stats.layer(chart.getAttribute("data-layer"));
            List<Element> chosen = select(document, "//svg[@data-layer='" + layer.name() + "' and " + hasClass("error-profile") + "]/g[" + hasClass("chosen") + "]");
            assertEquals(layer.isCompressed() ? 1 : 0, chosen.size(), layer.name());
            if (layer.isCompressed()) {
                assertEquals(layer.compressed().rank(), Integer.parseInt(chosen.getFirst().getAttribute("data-rank")));
            }
            Element line = select(document, "//svg[@data-layer='" + layer.name() + "' and " + hasClass("error-profile") + "]/polyline").getFirst();
            int points = line.getAttribute("points").split(" ").length;
            assertTrue(points >= 100 && points <= ErrorProfileChart.MAX_POINTS + 2, "384 ranks thinned to at most 162 points: " + points);
        }
        assertTrue(select(parse(HtmlReport.render(SampleStats.cnnManual())), "//svg[" + hasClass("error-profile") + "]").isEmpty());
    }

    @Test
    void tableAndSummaryCarryTheFigures() throws Exception {
        Document cnn = parse(HtmlReport.render(SampleStats.cnnAuto()));
        List<Element> rows = select(cnn, "//table[@id='layers']/tbody/tr");
        assertEquals(4, rows.size());
        assertEquals("kept", rows.getFirst().getAttribute("class"));
        assertEquals("not compressed: ignored: modules to ignore", rows.getFirst().getLastChild().getTextContent());
        assertEquals("21 / 32", select(cnn, "//table[@id='layers']/tbody/tr[2]/td[4]").getFirst().getTextContent());
        assertEquals("6,717,312", select(cnn, "//table[@id='layers']/tbody/tr[2]/td[10]").getFirst().getTextContent());
        assertEquals("0.2086", select(cnn, "//div[@id='card-memory']/div[" + hasClass("value") + "]").getFirst().getTextContent());
        assertEquals("0.5757", select(cnn, "//div[@id='card-mac']/div[" + hasClass("value") + "]").getFirst().getTextContent());
        assertTrue(select(cnn, "//div[@id='card-target']").getFirst().getTextContent().contains("closest reachable"));
        assertTrue(select(cnn, "//div[@id='card-score']").getFirst().getTextContent().contains("(-0.006300)"));
        Element chosenCell = select(cnn, "//table[@id='eval-dictionary']//td[" + hasClass("chosen") + "]").getFirst();
        assertEquals("0.9120", chosenCell.getTextContent(), "conv2's chosen 0.7 is outlined in the eval dictionary");

        Document miniLm = parse(HtmlReport.render(SampleStats.miniLmAuto()));
        assertTrue(select(miniLm, "//div[@id='card-target']").getFirst().getTextContent().contains("reached"));
        assertEquals(36, select(miniLm, "//table[@id='eval-dictionary']/tbody/tr").size());

        Document manual = parse(HtmlReport.render(SampleStats.cnnManual()));
        assertTrue(select(manual, "//div[@id='card-score']").getFirst().getTextContent().contains("not evaluated"));
        assertTrue(select(manual, "//div[@id='card-target']").isEmpty());
        assertTrue(select(manual, "//*[@id='score-curves']").isEmpty());
        assertTrue(select(manual, "//*[@id='eval-dictionary']").isEmpty());
        assertEquals(4, select(manual, "//svg[" + hasClass("ratio-bars") + "]/g[" + hasClass("bar-row") + "]").size());
    }

    @Test
    void fittedScoresAreDrawnAndUsedForTheMarker() throws Exception {
        CompressionStats cnn = SampleStats.cnnAuto();
        Map<String, Map<Double, Double>> measured = new LinkedHashMap<>(cnn.evalDictionary().measured());
        // a fit that differs from the measured score at the chosen 0.7, so the two cannot be confused
        Map<String, Map<Double, Double>> fitted = Map.of("conv2", new TreeMap<>(Map.of(0.1, 0.62, 0.7, 0.85, 0.9, 0.9135)));
        CompressionStats stats = CompressionStats.builder(cnn.mode(), cnn.costMetric()).scores(cnn.scores())
                .target(TargetOutcome.of(0.58, cnn.target().achieved(), 0.84)).layers(cnn.layers())
                .evalDictionary(EvalDictionary.of(0.9134, measured, fitted)).environment(cnn.environment()).inputModel(cnn.inputModel()).build();
        Document document = parse(HtmlReport.render(stats));
        assertEquals(1, select(document, "//svg[@data-layer='conv2']/polyline[" + hasClass("fitted") + "]").size());
        assertTrue(select(document, "//svg[@data-layer='fc1']/polyline[" + hasClass("fitted") + "]").isEmpty());
        Element figure = (Element) select(document, "//svg[@data-layer='conv2' and " + hasClass("score-curve") + "]").getFirst().getParentNode();
        assertTrue(figure.getTextContent().contains("score 0.8500"), figure.getTextContent());
    }

    @Test
    void htmlStaysSmallForATransformer() {
        int bytes = HtmlReport.render(SampleStats.miniLmAuto()).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 600_000, "36 layers with 384-rank profiles in " + bytes + " bytes");
    }

    @Test
    void markupWriterEscapesAndBalances() {
        assertEquals("a&amp;b&lt;c&gt;d&quot;e&#39;f\uFFFDg\tok", Markup.escape("a&b<c>d\"e'f\u0001g\tok"));
        assertEquals("\uD83D\uDE00 \uFFFD", Markup.escape("\uD83D\uDE00 \uD800"), "pairs kept, lone surrogates replaced");
        assertThrows(IllegalStateException.class, () -> new Markup().start("div").finish());
        assertThrows(IllegalStateException.class, () -> new Markup().start("div").end("span"));
        assertEquals("<div></div><br/><svg><g/></svg>", new Markup().empty("div").empty("br").start("svg").empty("g").end("svg").finish());
        assertEquals("<p title=\"&lt;x&gt;\">a/<wbr/>b/</p>", new Markup().start("p", "title", "<x>", "class", null).breakableText("a/b/").end("p").finish());
    }

    @Test
    void kindsOfKeptLayersAllRender() throws Exception {
        CompressionStats.Builder builder = CompressionStats.builder(CompressionMode.MANUAL, CostMetric.MEMORY)
                .environment(SampleStats.ENVIRONMENT).inputModel(ModelFile.inMemory(100));
        for (SkipReason reason : SkipReason.values()) {
            builder.layer(LayerStats.builder("layer/" + reason.id()).op("Conv").weightShape(8, 1, 3, 3).maxRank(1)
                    .costBefore(72, 7200).kept(reason, reason == SkipReason.GROUPED_CONV ? "groups = 8" : null).build());
        }
        Document document = parse(HtmlReport.render(builder.build()));
        List<Element> notes = select(document, "//table[@id='layers']/tbody/tr/td[" + hasClass("note") + "]");
        assertEquals(SkipReason.values().length, notes.size());
        for (int i = 0; i < notes.size(); i++) {
            assertTrue(notes.get(i).getTextContent().startsWith("not compressed: " + SkipReason.values()[i].label()), notes.get(i).getTextContent());
        }
        assertTrue(notes.stream().anyMatch(n -> n.getTextContent().endsWith("grouped/depthwise conv: groups = 8")));
        assertNull(document.getElementById("score-curves"));
        assertNotNull(select(document, "//*[@id='layers']").getFirst());
    }
}
