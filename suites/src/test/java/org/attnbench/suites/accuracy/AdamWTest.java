package org.attnbench.suites.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void theFirstStepMovesEachParameterByTheRateWithDecoupledDecay() {
        AdamW adam = new AdamW(0.1, 0.5, 100, 1, 10);
        Map<String, double[]> p = new LinkedHashMap<>(Map.of("w", new double[] {2.0, -1.0}, "b", new double[] {3.0}));
        Map<String, double[]> g = Map.of("w", new double[] {0.5, -4.0}, "b", new double[] {0.25});
        adam.step(p, g, Set.of("w"));
        // Bias-corrected first step: m/sqrt(v) = sign(g); decay lr * wd * p on w only.
        assertEquals(2.0 - 0.1 * (1 + 0.5 * 2.0), p.get("w")[0], 1e-6);
        assertEquals(-1.0 - 0.1 * (-1 + 0.5 * -1.0), p.get("w")[1], 1e-6);
        assertEquals(3.0 - 0.1, p.get("b")[0], 1e-6);
    }

    @Test
    void theSecondStepFollowsTheMomentEstimates() {
        AdamW adam = new AdamW(0.01, 0, 100, 0, 1_000_000);
        Map<String, double[]> p = new LinkedHashMap<>(Map.of("x", new double[] {0.0}));
        adam.step(p, Map.of("x", new double[] {1.0}), Set.of());
        adam.step(p, Map.of("x", new double[] {3.0}), Set.of());
        double m = (0.9 * 0.1 + 0.1 * 3) / (1 - 0.81), v = (0.999 * 0.001 + 0.001 * 9) / (1 - 0.999 * 0.999);
        double lr2 = adam.rate(1);
        assertEquals(-0.01 - lr2 * m / (Math.sqrt(v) + AdamW.EPS), p.get("x")[0], 1e-9);
    }

    @Test
    void gradientsAreClippedToTheGlobalNorm() {
        assertEquals(5.0, AdamW.norm(Map.of("a", new double[] {3.0}, "b", new double[] {4.0})), 1e-12);
        AdamW adam = new AdamW(0.1, 0, 1.0, 0, 10);
        Map<String, double[]> p = new LinkedHashMap<>(Map.of("x", new double[] {0.0}));
        assertEquals(5.0, adam.step(p, Map.of("x", new double[] {5.0}), Set.of()), 1e-12); // clipped to 1
        adam.step(p, Map.of("x", new double[] {-0.5}), Set.of()); // below the clip norm: as it is
        double m = (0.9 * 0.1 * 1.0 + 0.1 * -0.5) / (1 - 0.81);
        double v = (0.999 * 0.001 * 1.0 + 0.001 * 0.25) / (1 - 0.999 * 0.999);
        assertEquals(-adam.rate(0) - adam.rate(1) * m / (Math.sqrt(v) + AdamW.EPS), p.get("x")[0], 1e-9);
    }

    @Test
    void theRateWarmsUpLinearlyThenDecaysByCosineToATenth() {
        AdamW adam = new AdamW(1.0, 0, 1, 10, 110);
        assertEquals(0.1, adam.rate(0), 1e-12);
        assertEquals(1.0, adam.rate(9), 1e-12);
        assertEquals(1.0, adam.rate(10), 1e-12);
        assertEquals(0.55, adam.rate(10 + 99 / 2) , 0.01);
        assertEquals(0.1, adam.rate(109), 1e-12);
    }
}
