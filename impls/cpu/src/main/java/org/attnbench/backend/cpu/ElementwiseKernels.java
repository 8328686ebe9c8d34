package org.attnbench.backend.cpu;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.attnbench.api.Backend.Binary;
import org.attnbench.api.Backend.Scalar;
import org.attnbench.api.Backend.Unary;

/**
 * Elementwise kernels over contiguous row-major memory, written with the Vector API for float32 (the timed dtype)
 * and as plain loops for float64 (the dtype of accuracy checks, where speed matters less). libnd4j's own
 * transforms measured 3x slower for exp on [8, 4096, 4096] float32 and cost 10 to 30 us a call on tiny arrays.
 *
 * <p>Offsets and lengths are in elements. The operation is switched on once per vector, not hoisted out of the
 * loop: the branch predicts perfectly, and each arm keeps a constant operator, which the Vector API needs to
 * compile to machine instructions.
 */
final class ElementwiseKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /**
     * Room per thread for values repeated along a run of a select (a scalar fill value, a mask shared by rows),
     * spelled out over the run so that its loop reads all three operands the same way: unconditionally and at
     * consecutive indices. Loads under a condition (a load, or a repeated value, chosen per operand) let C2 hoist
     * a range check out of the loop on the profile's word; a short repeated operand then failed the hoisted check
     * and the loop was deoptimised and recompiled over and over (94 times in a few seconds of mixed broadcasts).
     * Indexing with a step of 0 or 1 instead defeated range-check elimination (20% slower). Runs never exceed one
     * parallel chunk, so a chunk per operand is room enough.
     */
    private static final ThreadLocal<MemorySegment> REPEATS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(3 * Parallel.GRAIN * 4, 64));

    private ElementwiseKernels() {}

    static float getF(MemorySegment s, long i) {
        return s.get(JAVA_FLOAT_UNALIGNED, i * 4);
    }

    static void setF(MemorySegment s, long i, float v) {
        s.set(JAVA_FLOAT_UNALIGNED, i * 4, v);
    }

    static double getD(MemorySegment s, long i) {
        return s.get(JAVA_DOUBLE_UNALIGNED, i * 8);
    }

    static void setD(MemorySegment s, long i, double v) {
        s.set(JAVA_DOUBLE_UNALIGNED, i * 8, v);
    }

    static FloatVector load(MemorySegment s, long i) {
        return FloatVector.fromMemorySegment(F, s, i * 4, ORDER);
    }

    static void store(FloatVector v, MemorySegment s, long i) {
        v.intoMemorySegment(s, i * 4, ORDER);
    }

    /** Writes one value into n elements. */
    static void fill(MemorySegment out, long n, double value, boolean float64) {
        if (Double.doubleToRawLongBits(value) == 0) {
            out.asSlice(0, n * (float64 ? 8 : 4)).fill((byte) 0);
            return;
        }
        if (float64) {
            for (long i = 0; i < n; i++) setD(out, i, value);
            return;
        }
        FloatVector v = FloatVector.broadcast(F, (float) value);
        long i = 0;
        for (long upper = F.loopBound(n); i < upper; i += LANES) store(v, out, i);
        for (; i < n; i++) setF(out, i, (float) value);
    }

    // ------------------------------------------------------------------ one operand

    /** The scalar definition of each unary operation; GELU needs erf and is composed from libnd4j's instead. */
    static double apply(Unary op, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case RELU -> Math.max(0.0, x);
            case STEP -> x > 0 ? 1.0 : 0.0;
            case SQRT -> Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case GELU, GELU_DERIVATIVE -> throw new IllegalArgumentException(op + " is not a kernel here");
        };
    }

    static void unary(Unary op, MemorySegment in, MemorySegment out, long n, boolean float64) {
        Parallel.forRange(n, Parallel.GRAIN, (from, to) -> {
            if (float64) {
                for (long i = from; i < to; i++) setD(out, i, apply(op, getD(in, i)));
            } else {
                unaryFloat(op, in, out, from, to);
            }
        });
    }

    private static void unaryFloat(Unary op, MemorySegment in, MemorySegment out, long from, long to) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f), minusOne = FloatVector.broadcast(F, -1f);
        long i = from;
        for (long upper = from + F.loopBound(to - from); i < upper; i += LANES) {
            FloatVector x = load(in, i);
            FloatVector y = switch (op) {
                case NEG -> x.neg();
                case EXP -> x.lanewise(VectorOperators.EXP);
                case LOG -> x.lanewise(VectorOperators.LOG);
                case SIGMOID -> one.div(x.neg().lanewise(VectorOperators.EXP).add(one));
                case TANH -> x.lanewise(VectorOperators.TANH);
                case RELU -> x.max(zero);
                case STEP -> zero.blend(one, x.compare(VectorOperators.GT, 0f));
                case SQRT -> x.sqrt();
                case RECIPROCAL -> one.div(x);
                case SQUARE -> x.mul(x);
                case ABS -> x.abs();
                // Zeros and NaN keep their value, as Math.signum does.
                case SIGN -> x.blend(one, x.compare(VectorOperators.GT, 0f)).blend(minusOne, x.compare(VectorOperators.LT, 0f));
                case GELU, GELU_DERIVATIVE -> throw new IllegalArgumentException(op + " is not a kernel here");
            };
            store(y, out, i);
        }
        for (; i < to; i++) setF(out, i, (float) apply(op, getF(in, i)));
    }

    static void scalar(Scalar op, MemorySegment in, double s, MemorySegment out, long n, boolean float64) {
        Parallel.forRange(n, Parallel.GRAIN, (from, to) -> {
            if (float64) {
                for (long i = from; i < to; i++) setD(out, i, op.apply(getD(in, i), s));
            } else {
                scalarFloat(op, in, s, out, from, to);
            }
        });
    }

    private static void scalarFloat(Scalar op, MemorySegment in, double s, MemorySegment out, long from, long to) {
        float f = (float) s;
        FloatVector sv = FloatVector.broadcast(F, f);
        long i = from;
        for (long upper = from + F.loopBound(to - from); i < upper; i += LANES) {
            FloatVector x = load(in, i);
            FloatVector y = switch (op) {
                case ADD -> x.add(sv);
                case MUL -> x.mul(sv);
                case POW -> s == 2.0 ? x.mul(x) : x.lanewise(VectorOperators.POW, sv);
                case MAXIMUM -> x.max(sv);
                case MINIMUM -> x.min(sv);
            };
            store(y, out, i);
        }
        for (; i < to; i++) setF(out, i, (float) op.apply(getF(in, i), f));
    }

    // ------------------------------------------------------------------ two and three operands, broadcast

    static void binary(Binary op, BroadcastLoop loop, MemorySegment a, MemorySegment b, MemorySegment out, boolean float64) {
        boolean aSteps = loop.steps(0), bSteps = loop.steps(1);
        loop.forEach((o, ia, ib, unused, length) -> {
            if (float64) {
                for (long j = 0; j < length; j++) {
                    setD(out, o + j, op.apply(getD(a, aSteps ? ia + j : ia), getD(b, bSteps ? ib + j : ib)));
                }
            } else if (aSteps && bSteps) {
                binaryRun(op, a, ia, b, ib, out, o, length);
            } else if (bSteps) {
                binaryRunRepeated(op, b, ib, getF(a, ia), true, out, o, length);
            } else {
                // b repeats (or both do, on a run of one element).
                binaryRunRepeated(op, a, ia, getF(b, ib), false, out, o, length);
            }
        });
    }

    /** `length` copies of a value in slot k of this thread's room for repeats. */
    private static MemorySegment repeat(int k, float value, long length) {
        MemorySegment slot = REPEATS.get().asSlice(k * Parallel.GRAIN * 4, length * 4);
        fill(slot, length, value, false);
        return slot;
    }

    /** out[o + j] = a[ia + j] op b[ib + j] for j below length. Out may alias a. */
    static void binaryRun(Binary op, MemorySegment a, long ia, MemorySegment b, long ib, MemorySegment out, long o, long length) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        long j = 0;
        for (long upper = F.loopBound(length); j < upper; j += LANES) {
            FloatVector x = load(a, ia + j), y = load(b, ib + j);
            FloatVector z = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAXIMUM -> x.max(y);
                case MINIMUM -> x.min(y);
                case GREATER -> zero.blend(one, x.compare(VectorOperators.GT, y));
                case EQUAL -> zero.blend(one, x.compare(VectorOperators.EQ, y));
            };
            store(z, out, o + j);
        }
        for (; j < length; j++) setF(out, o + j, (float) op.apply(getF(a, ia + j), getF(b, ib + j)));
    }

    /**
     * out[o + j] = v[iv + j] op s, or s op v[iv + j] when the repeated value s comes first: a run against a bias or
     * a row statistic. Its own loop, because spelling s out over the run (as select does) cost 20% here. The
     * switch over op is written out in each loop on purpose: one shared helper for both measured 12% slower on the
     * dense forward+backward at n = 1024.
     */
    private static void binaryRunRepeated(Binary op, MemorySegment v, long iv, float s, boolean repeatedFirst,
                                          MemorySegment out, long o, long length) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f), repeated = FloatVector.broadcast(F, s);
        long j = 0;
        for (long upper = F.loopBound(length); j < upper; j += LANES) {
            FloatVector loaded = load(v, iv + j);
            FloatVector x = repeatedFirst ? repeated : loaded, y = repeatedFirst ? loaded : repeated;
            FloatVector z = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAXIMUM -> x.max(y);
                case MINIMUM -> x.min(y);
                case GREATER -> zero.blend(one, x.compare(VectorOperators.GT, y));
                case EQUAL -> zero.blend(one, x.compare(VectorOperators.EQ, y));
            };
            store(z, out, o + j);
        }
        for (; j < length; j++) {
            float loaded = getF(v, iv + j);
            setF(out, o + j, (float) (repeatedFirst ? op.apply(s, loaded) : op.apply(loaded, s)));
        }
    }

    /** out = mask != 0 ? a : b, the three broadcast by the loop. NaN counts as nonzero. */
    static void select(BroadcastLoop loop, MemorySegment mask, MemorySegment a, MemorySegment b, MemorySegment out,
                       boolean float64) {
        boolean mSteps = loop.steps(0), aSteps = loop.steps(1), bSteps = loop.steps(2);
        loop.forEach((o, im, ia, ib, length) -> {
            if (float64) {
                for (long j = 0; j < length; j++) {
                    boolean pick = getD(mask, mSteps ? im + j : im) != 0;
                    setD(out, o + j, pick ? getD(a, aSteps ? ia + j : ia) : getD(b, bSteps ? ib + j : ib));
                }
                return;
            }
            selectRun(mSteps ? mask : repeat(0, getF(mask, im), length), mSteps ? im : 0,
                    aSteps ? a : repeat(1, getF(a, ia), length), aSteps ? ia : 0,
                    bSteps ? b : repeat(2, getF(b, ib), length), bSteps ? ib : 0, out, o, length);
        });
    }

    private static void selectRun(MemorySegment m, long im, MemorySegment a, long ia, MemorySegment b, long ib,
                                  MemorySegment out, long o, long length) {
        long j = 0;
        for (long upper = F.loopBound(length); j < upper; j += LANES) {
            VectorMask<Float> pick = load(m, im + j).compare(VectorOperators.NE, 0f);
            store(load(b, ib + j).blend(load(a, ia + j), pick), out, o + j);
        }
        for (; j < length; j++) setF(out, o + j, getF(m, im + j) != 0 ? getF(a, ia + j) : getF(b, ib + j));
    }

    /** Writes the broadcast of one operand into the output (broadcastTo). */
    static void broadcast(BroadcastLoop loop, MemorySegment in, MemorySegment out, boolean float64) {
        int width = float64 ? 8 : 4;
        boolean steps = loop.steps(0);
        loop.forEach((o, i, unused1, unused2, length) -> {
            if (steps) {
                MemorySegment.copy(in, i * width, out, o * width, length * width);
            } else {
                fill(out.asSlice(o * width, length * width), length, float64 ? getD(in, i) : getF(in, i), float64);
            }
        });
    }
}
