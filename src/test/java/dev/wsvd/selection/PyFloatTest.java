package dev.wsvd.selection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected values are Python's (3.x) for the same expressions. */
class PyFloatTest {

    @Test
    void isCloseHasPythonsDefaultRelativeTolerance() {
        assertTrue(PyFloat.isClose(1e6, 1e6 + 0.0005, 0));      // math.isclose(1e6, 1e6+0.0005, abs_tol=0)
        assertTrue(PyFloat.isClose(0.5, 0.5005, 0.001));
        assertFalse(PyFloat.isClose(1, 1.0011, 0.001));
        assertTrue(PyFloat.isClose(0.3, 0.3, 0));
        assertFalse(PyFloat.isClose(Double.POSITIVE_INFINITY, 1e308, 1e308));
    }

    @Test
    void meanIsTheCorrectlyRoundedMidpoint() {
        assertEquals(0.55, PyFloat.mean(0.9, 0.2));              // statistics.mean([0.9, 0.2]) == 0.55
        assertEquals(0.375, PyFloat.mean(0.55, 0.2));
        assertEquals(Double.MAX_VALUE, PyFloat.mean(Double.MAX_VALUE, Double.MAX_VALUE));
    }

    @Test
    void trueDivideMatchesPythonIntDivision() {
        assertEquals(0.625, PyFloat.trueDivide(250, 400));
        assertEquals(1.0 / 3, PyFloat.trueDivide(1, 3));
        // (2**60 + 1) / (3 * 2**58) == 1.3333333333333333 (0x1.5555555555555p+0)
        assertEquals(Double.parseDouble("0x1.5555555555555p+0"), PyFloat.trueDivide((1L << 60) + 1, 3L << 58));
    }
}
