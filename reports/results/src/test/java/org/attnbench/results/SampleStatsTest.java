package org.attnbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SampleStatsTest {

    private static List<Double> oneTo(int n) {
        List<Double> s = new ArrayList<>();
        for (int i = 1; i <= n; i++) s.add((double) i);
        return s;
    }

    @Test
    void nineSamples() {
        SampleStats s = SampleStats.of(List.of(9.0, 1.0, 8.0, 2.0, 7.0, 3.0, 6.0, 4.0, 5.0));
        assertEquals(9, s.count());
        assertEquals(5.0, s.median());
        // Binomial(9, 1/2): P(B <= 1) = 10/512 = 0.0195 <= 0.025 < P(B <= 2) = 46/512, so [x(2), x(8)].
        assertEquals(2.0, s.low());
        assertEquals(8.0, s.high());
        assertEquals(1 - 2 * 10.0 / 512, s.confidence(), 1e-12);
    }

    @Test
    void twentySamples() {
        List<Double> samples = oneTo(20);
        Collections.shuffle(samples, new Random(1));
        SampleStats s = SampleStats.of(samples);
        assertEquals(10.5, s.median(), "the mean of the two middle samples");
        // Binomial(20, 1/2): P(B <= 5) = 21700/2^20 = 0.0207 <= 0.025 < P(B <= 6) = 0.0577, so [x(6), x(15)].
        assertEquals(6.0, s.low());
        assertEquals(15.0, s.high());
        assertEquals(1 - 2 * 21700.0 / (1 << 20), s.confidence(), 1e-12);
        // At 99%: P(B <= 3) = 1351/2^20 <= 0.005 < P(B <= 4) = 6196/2^20, so [x(4), x(17)].
        SampleStats wide = SampleStats.of(samples, 0.99);
        assertEquals(4.0, wide.low());
        assertEquals(17.0, wide.high());
        // At 50%: P(B <= 7) = 0.1316 <= 0.25 < P(B <= 8) = 0.2517, so [x(8), x(13)].
        SampleStats narrow = SampleStats.of(samples, 0.5);
        assertEquals(8.0, narrow.low());
        assertEquals(13.0, narrow.high());
    }

    @Test
    void fewSamplesGiveMinAndMaxWithTheirTrueConfidence() {
        SampleStats five = SampleStats.of(List.of(3.0, 1.0, 2.0, 5.0, 4.0));
        assertEquals(1.0, five.low());
        assertEquals(5.0, five.high());
        assertEquals(1 - 2.0 / 32, five.confidence(), 1e-12, "below the 95% asked for, and says so");
        SampleStats six = SampleStats.of(oneTo(6));
        assertEquals(1.0, six.low());
        assertEquals(6.0, six.high());
        assertEquals(1 - 2.0 / 64, six.confidence(), 1e-12, "six samples reach 95%");
        SampleStats one = SampleStats.of(List.of(4.0));
        assertEquals(4.0, one.median());
        assertEquals(4.0, one.low());
        assertEquals(4.0, one.high());
        assertEquals(0.0, one.confidence(), 1e-12);
    }

    /** Every n up to 400 against exact binomial tails: the narrowest order-statistic interval reaching 95%. */
    @Test
    void agreesWithExactBinomialTails() {
        BigDecimal tail = new BigDecimal("0.025");
        for (int n = 1; n <= 400; n++) {
            BigDecimal total = new BigDecimal(BigInteger.TWO.pow(n));
            BigInteger below = BigInteger.ZERO, coefficient = BigInteger.ONE;
            int k = 0;
            while (k < n / 2) {
                BigInteger next = below.add(coefficient);
                if (new BigDecimal(next).divide(total, MathContext.DECIMAL128).compareTo(tail) > 0) break;
                below = next;
                k++;
                coefficient = coefficient.multiply(BigInteger.valueOf(n - k + 1)).divide(BigInteger.valueOf(k));
            }
            SampleStats s = SampleStats.of(oneTo(n));
            double low = k == 0 ? 1 : k, high = k == 0 ? n : n + 1 - k;
            assertEquals(low, s.low(), "n=" + n);
            assertEquals(high, s.high(), "n=" + n);
            if (n >= 6) {
                double exact = 1 - 2 * new BigDecimal(below).divide(total, MathContext.DECIMAL128).doubleValue();
                assertEquals(exact, s.confidence(), 1e-9, "n=" + n);
                assertTrue(s.confidence() >= 0.95, "n=" + n);
            }
        }
    }

    @Test
    void refusesWhatHasNoMedian() {
        assertThrows(IllegalArgumentException.class, () -> SampleStats.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SampleStats.of(List.of(1.0, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> SampleStats.of(List.of(1.0), 1.0));
        assertThrows(IllegalArgumentException.class, () -> SampleStats.of(List.of(1.0), 0.0));
    }
}
