package org.attnbench.variants.fnet;

import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Ops;
import org.attnbench.api.ParameterSpec;
import org.attnbench.api.Parameters;
import org.attnbench.api.Problem;
import org.attnbench.api.Tensor;
import org.attnbench.api.UnsupportedProblemException;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;

/**
 * FNet's token mixing by multiplying with DFT matrices (Lee-Thorp et al. 2022, the form they use for short sequences
 * on TPUs): with F_m = C_m - i S_m, C = cos(2 pi j k / m) and S = sin(2 pi j k / m),
 * Re(F_n X F_d) = C_n X C_d - S_n X S_d. The four matrices are constants made with the layer, not per call. Same
 * function as the FFT form ({@code fnet}); cost O(n d (n + d)) time and 2 n^2 + 2 d^2 constants, so it is limited
 * to n <= 4096 here (the n x n matrices alone take 2 n^2 values).
 */
@VariantInfo(name = "fnet", impl = "dft", family = "fourier",
        paper = "Lee-Thorp et al. 2022, FNet: Mixing Tokens with Fourier Transforms, NAACL",
        summary = "real part of the 2-D DFT over sequence and hidden axes, by DFT-matrix products",
        modes = {Mode.BIDIRECTIONAL},
        time = @Complexity(exponent = 2, formula = "4 n^2 d + 4 n d^2"),
        memory = @Complexity(exponent = 1, formula = "4 n d (the 2 n^2 DFT constants are made with the layer and reported as parameter bytes)"))
public final class FNetDftMatrices implements Variant {
    static final int MAX_LENGTH = 4096;

    @Override
    public void check(Problem p) {
        if (p.length() > MAX_LENGTH) {
            throw new UnsupportedProblemException("fnet:dft: length " + p.length() + " is above " + MAX_LENGTH
                    + ", the longest its n x n DFT matrices are built for (use fnet, the FFT form)");
        }
    }

    @Override
    public void declare(Problem p, ParameterSpec spec) {
        int n = p.length(), d = p.width();
        spec.addConstant("cos-seq", (shape, rng) -> dft(n, false), n, n);
        spec.addConstant("sin-seq", (shape, rng) -> dft(n, true), n, n);
        spec.addConstant("cos-hidden", (shape, rng) -> dft(d, false), d, d);
        spec.addConstant("sin-hidden", (shape, rng) -> dft(d, true), d, d);
    }

    /** cos or sin of 2 pi j k / m, with j k reduced mod m first so large products stay exact. */
    static double[] dft(int m, boolean sin) {
        double[] table = new double[m];
        for (int r = 0; r < m; r++) table[r] = sin ? Math.sin(2 * Math.PI * r / m) : Math.cos(2 * Math.PI * r / m);
        double[] out = new double[m * m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < m; k++) out[j * m + k] = table[(int) ((long) j * k % m)];
        }
        return out;
    }

    @Override
    public Tensor forward(Ops ops, Problem p, Parameters params, Tensor x) {
        Tensor xc = ops.matmul(x, params.get("cos-hidden"));
        Tensor xs = ops.matmul(x, params.get("sin-hidden"));
        return ops.sub(ops.matmul(params.get("cos-seq"), xc), ops.matmul(params.get("sin-seq"), xs));
    }
}
