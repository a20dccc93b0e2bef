package dev.wsvd.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong();

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logPrintsAboutTenLinesPerPhaseWithElapsedAndEta() {
        ProgressLog log = new ProgressLog(out, now::get, 10);
        log.begin("evaluating candidates", 90);
        for (int i = 0; i < 90; i++) {
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            log.step("layer " + i);
        }
        log.end();
        List<String> lines = text().lines().toList();
        // begin + a line every 9 steps before the last (9, 18, ..., 81) + end
        assertEquals(1 + 9 + 1, lines.size(), text());
        assertEquals("wsvd: evaluating candidates (90)", lines.get(0));
        // after 9 steps of 1 s each: 81 steps left at 1 s per step
        assertEquals("wsvd:   9/90 (10%) elapsed 9.0s, ETA 1m21s; last: layer 8", lines.get(1));
        assertEquals("wsvd: evaluating candidates: 90/90 done in 1m30s", lines.getLast());
    }

    @Test
    void logOfAShortPhasePrintsEveryStep() {
        ProgressLog log = new ProgressLog(out, now::get, 10);
        log.begin("decomposing layers", 3);
        log.step("a");
        log.step("b");
        log.step("c");
        log.end();
        assertEquals(1 + 2 + 1, text().lines().count(), text());
    }

    @Test
    void barRedrawsInPlaceAndEndsWithASummaryLine() {
        ProgressBar bar = new ProgressBar(out, now::get, 80);
        bar.begin("evaluating", 4);
        for (int i = 0; i < 4; i++) {
            now.addAndGet(Duration.ofMillis(500).toNanos());
            bar.step("x" + i);
        }
        bar.note("a warning");
        bar.end();
        String text = text();
        assertTrue(text.contains("\revaluating [======>"), text);
        assertTrue(text.contains("4/4"), text);
        assertTrue(text.contains("wsvd: a warning\n"), text);
        assertTrue(text.endsWith("wsvd: evaluating: 4/4 done in 2.0s\n"), text);
        for (String line : text.split("[\r\n]")) {
            assertTrue(line.length() < 80, "cut to the width: " + line);
        }
    }

    @Test
    void barThrottlesRedraws() {
        ProgressBar bar = new ProgressBar(out, now::get, 80);
        bar.begin("evaluating", 1000);
        for (int i = 0; i < 999; i++) {
            bar.step("x"); // no time passes: only the first draw happens
        }
        long draws = text().chars().filter(c -> c == '\r').count();
        assertEquals(1, draws, text());
        bar.step("last");
        assertFalse(text().isEmpty());
        assertEquals(2, text().chars().filter(c -> c == '\r').count(), "the final step always draws");
    }

    @Test
    void durationsFormatCompactly() {
        assertEquals("0.4s", PhaseClock.format(Duration.ofMillis(400)));
        assertEquals("12s", PhaseClock.format(Duration.ofSeconds(12)));
        assertEquals("3m07s", PhaseClock.format(Duration.ofSeconds(187)));
        assertEquals("1h02m", PhaseClock.format(Duration.ofMinutes(62)));
        assertEquals("?", PhaseClock.format(null));
    }
}
