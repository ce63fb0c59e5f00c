package dev.headroom.calibration;

import dev.headroom.sizing.Calibration;
import dev.headroom.sizing.Efficiencies;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Fits a plan's efficiencies and overheads to measured points by least squares on the relative errors
 * (Levenberg-Marquardt, Apache Commons Math; the Jacobian by central differences of the sizing engine itself, so
 * the fit sees the same model every estimate uses). A parameter is fitted only when the points depend on it: no
 * TTFT point, no prefill efficiency; no TPOT point, no bandwidth efficiency; no memory point, neither overhead nor
 * fragmentation; fragmentation needs two memory points of different sizes to be told from the fixed overhead; and
 * never more parameters than points. The others stay at their defaults, marked so.
 */
public final class Calibrator {
    /** A fitted parameter: the value used, whether the points determined it, and why not when they did not. */
    public record Fitted(String name, double value, boolean fitted, String note) {
    }

    /** A point before and after: the estimate with the defaults and with the fitted values. */
    public record PointResult(String origin, String quantity, String unit, double measured, double estimatedBefore,
                              double estimatedAfter, double errorBefore, double errorAfter) {
    }

    public record Result(Calibration calibration, List<Fitted> fitted, List<PointResult> points) {
    }

    /** The four parameters, in the order they are kept when there are fewer points than parameters. */
    enum Parameter {
        PREFILL("prefillEfficiency", 0.02, 1.0),
        BANDWIDTH("bandwidthEfficiency", 0.02, 1.0),
        OVERHEAD("overheadBytes", 0, 64), // GiB while fitting
        FRAGMENTATION("fragmentation", 0, 0.9);

        final String field;
        final double min;
        final double max;

        Parameter(String field, double min, double max) {
            this.field = field;
            this.min = min;
            this.max = max;
        }
    }

    private static final double GIB = 1L << 30;
    private final SizingEngine engine;

    public Calibrator(SizingEngine engine) {
        this.engine = engine;
    }

    public Result fit(String name, Scenario plan, List<MeasuredPoint> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("measured: no points to fit");
        }
        Efficiencies defaults = plan.efficiencies().over(Efficiencies.DEFAULTS);
        double[] start = {defaults.prefillEfficiency(), defaults.bandwidthEfficiency(), Double.NaN, 0.02};
        List<MeasuredPoint> memory = points.stream().filter(p -> p.quantity() == Quantity.PEAK_MEMORY_BYTES).toList();
        long ttft = points.stream().filter(p -> p.quantity() == Quantity.TTFT_SECONDS).count();
        long tpot = points.stream().filter(p -> p.quantity() == Quantity.TPOT_SECONDS).count();
        double[] before = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            before[i] = estimate(points.get(i), null);
        }
        // The engine's own overhead (fixed terms and fragmentation) where a memory point is, else at the plan.
        start[2] = engine.estimate(memory.isEmpty() ? plan : memory.get(0).scenario()).memory().overheadBytes() / GIB;
        String[] why = new String[4];
        why[0] = ttft == 0 ? "no TTFT point" : null;
        why[1] = tpot == 0 ? "no TPOT point" : null;
        why[2] = memory.isEmpty() ? "no memory point" : null;
        long sizes = memory.stream().mapToDouble(p -> p.scenario().shape().batch()
                * (double) (p.scenario().shape().inputTokens() + p.scenario().shape().outputTokens())).distinct().count();
        why[3] = memory.isEmpty() ? "no memory point" : sizes < 2
                ? "needs memory points at two sizes to be told from the fixed overhead" : null;
        List<Parameter> free = new ArrayList<>();
        for (Parameter p : Parameter.values()) {
            if (why[p.ordinal()] == null) {
                if (free.size() < points.size()) {
                    free.add(p);
                } else {
                    why[p.ordinal()] = "more parameters than points";
                }
            }
        }
        double[] value = start.clone();
        if (!free.isEmpty()) {
            double[] x0 = free.stream().mapToDouble(p -> clamp(p, start[p.ordinal()])).toArray();
            MultivariateJacobianFunction model = x -> residualsAndJacobian(points, free, start, x.toArray());
            LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                    .start(x0).model(model).target(new double[points.size()])
                    .parameterValidator(x -> {
                        double[] v = x.toArray();
                        for (int j = 0; j < v.length; j++) {
                            v[j] = clamp(free.get(j), v[j]);
                        }
                        return new ArrayRealVector(v, false);
                    })
                    .maxEvaluations(2000).maxIterations(200).build());
            double[] x = optimum.getPoint().toArray();
            for (int j = 0; j < free.size(); j++) {
                value[free.get(j).ordinal()] = clamp(free.get(j), x[j]);
            }
        }
        Calibration calibration = calibration(name, plan, free, value);
        List<Fitted> fitted = new ArrayList<>();
        for (Parameter p : Parameter.values()) {
            boolean isFree = free.contains(p);
            double shown = isFree ? value[p.ordinal()] : defaultValue(p, plan, start);
            fitted.add(new Fitted(p.field, p == Parameter.OVERHEAD ? Math.rint(shown * GIB) : shown, isFree,
                    isFree ? null : "default: " + why[p.ordinal()]));
        }
        List<PointResult> results = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            MeasuredPoint p = points.get(i);
            double after = estimate(p, calibration);
            results.add(new PointResult(p.origin(), p.quantity().label(), p.quantity().unit(), p.measured(),
                    before[i], after, (before[i] - p.measured()) / p.measured(),
                    (after - p.measured()) / p.measured()));
        }
        return new Result(calibration, fitted, results);
    }

    /** What a parameter the points did not determine stays at: the plan's own value. */
    private static double defaultValue(Parameter p, Scenario plan, double[] start) {
        return switch (p) {
            case PREFILL, BANDWIDTH, OVERHEAD -> start[p.ordinal()];
            case FRAGMENTATION -> {
                Double f = plan.overheads().over(plan.runtime().defaults(null)).fragmentation();
                yield f == null ? 0 : f;
            }
        };
    }

    private Pair<RealVector, org.apache.commons.math3.linear.RealMatrix> residualsAndJacobian(
            List<MeasuredPoint> points, List<Parameter> free, double[] start, double[] x) {
        double[] r = residuals(points, free, start, x);
        double[][] jacobian = new double[points.size()][free.size()];
        for (int j = 0; j < free.size(); j++) {
            Parameter p = free.get(j);
            double h = 1e-4 * Math.max(Math.abs(x[j]), p == Parameter.OVERHEAD ? 1 : 0.1);
            double[] up = x.clone();
            double[] down = x.clone();
            up[j] = Math.min(p.max, x[j] + h);
            down[j] = Math.max(p.min, x[j] - h);
            double[] ru = residuals(points, free, start, up);
            double[] rd = residuals(points, free, start, down);
            for (int i = 0; i < points.size(); i++) {
                jacobian[i][j] = (ru[i] - rd[i]) / (up[j] - down[j]);
            }
        }
        return new Pair<>(new ArrayRealVector(r, false), new Array2DRowRealMatrix(jacobian, false));
    }

    private double[] residuals(List<MeasuredPoint> points, List<Parameter> free, double[] start, double[] x) {
        double[] value = start.clone();
        for (int j = 0; j < free.size(); j++) {
            value[free.get(j).ordinal()] = clamp(free.get(j), x[j]);
        }
        Calibration c = calibration("fit", points.get(0).scenario(), free, value);
        double[] r = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            MeasuredPoint p = points.get(i);
            double e = estimate(p, c);
            r[i] = Double.isFinite(e) ? (e - p.measured()) / p.measured() : 1e3;
        }
        return r;
    }

    private double estimate(MeasuredPoint p, Calibration c) {
        try {
            return p.quantity().of(engine.estimate(c == null ? p.scenario() : c.applyTo(p.scenario())));
        } catch (ScenarioException e) {
            return Double.NaN;
        }
    }

    private static Calibration calibration(String name, Scenario plan, List<Parameter> free, double[] v) {
        return new Calibration(name, plan.hardware().gpuId(), plan.runtime(),
                free.contains(Parameter.PREFILL) ? v[0] : null, free.contains(Parameter.BANDWIDTH) ? v[1] : null,
                free.contains(Parameter.OVERHEAD) ? Long.valueOf(Math.round(v[2] * GIB)) : null,
                free.contains(Parameter.FRAGMENTATION) ? v[3] : null);
    }

    private static double clamp(Parameter p, double v) {
        return Double.isNaN(v) ? p.min : Math.max(p.min, Math.min(p.max, v));
    }
}
