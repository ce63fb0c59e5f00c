package dev.headroom.sizing;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario swept along one input: the data behind the Plan charts. Points that the engine rejects are left
 * out rather than invented.
 */
public final class Sweeps {
    /** One curve: a label and its (x, y) points. */
    public record Series(String label, double[] x, double[] y) {
    }

    private final SizingEngine engine;

    public Sweeps(SizingEngine engine) {
        this.engine = engine;
    }

    /** Per-GPU memory (bytes) against tokens per sequence, one curve per batch size. */
    public List<Series> memoryByContext(Scenario base, int[] batches, int maxTokens, int points) {
        List<Series> series = new ArrayList<>();
        int output = base.workload().isTraining() ? 0 : Math.min(base.shape().outputTokens(), Math.max(1, maxTokens / 8));
        for (int batch : batches) {
            double[] x = new double[points];
            double[] y = new double[points];
            int n = 0;
            for (int i = 1; i <= points; i++) {
                int tokens = Math.max(output + 1, (int) ((long) maxTokens * i / points));
                Estimate e = tryEstimate(withShape(base, batch, tokens - output, output));
                if (e != null) {
                    x[n] = tokens;
                    y[n] = e.memory().totalBytes();
                    n++;
                }
            }
            series.add(new Series("batch " + batch, trim(x, n), trim(y, n)));
        }
        return series;
    }

    /** Per-GPU memory (bytes) against the batch (training: micro-batch). */
    public Series memoryByBatch(Scenario base, int maxBatch) {
        double[] x = new double[maxBatch];
        double[] y = new double[maxBatch];
        int n = 0;
        for (int batch = 1; batch <= maxBatch; batch++) {
            Estimate e = tryEstimate(withBatch(base, batch));
            if (e != null) {
                x[n] = batch;
                y[n] = e.memory().totalBytes();
                n++;
            }
        }
        return new Series("memory per GPU", trim(x, n), trim(y, n));
    }

    /**
     * Output tokens per second of the batch against the batch, on a doubling grid: flat-per-sequence while decode is
     * bandwidth-bound, then bending where it becomes compute-bound. Inference only.
     */
    public Series throughputByBatch(Scenario base, int maxBatch) {
        List<double[]> points = new ArrayList<>();
        for (int batch = 1; batch <= maxBatch; batch = batch < 8 ? batch + 1 : batch * 2) {
            Estimate e = tryEstimate(withBatch(base, batch));
            if (e != null && e.performance().outputTokensPerSecond() != null) {
                points.add(new double[] {batch, e.performance().outputTokensPerSecond()});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Series("output tokens/s", x, y);
    }

    private Estimate tryEstimate(Scenario scenario) {
        try {
            return engine.estimate(scenario);
        } catch (ScenarioException e) {
            return null;
        }
    }

    static Scenario withBatch(Scenario s, int batch) {
        if (s.workload().isTraining()) {
            Scenario.Training t = s.training();
            return s.withTraining(new Scenario.Training(t.method(), t.loraRank(), t.loraTargets(), t.optimizer(),
                    t.gradientPrecision(), t.masterWeights(), batch, t.gradientAccumulation(), t.trainTokens(),
                    t.recompute()));
        }
        return s.withShape(new Scenario.Shape(batch, s.shape().inputTokens(), s.shape().outputTokens()));
    }

    static Scenario withShape(Scenario s, int batch, int input, int output) {
        Scenario shaped = s.withShape(new Scenario.Shape(s.workload().isTraining() ? s.shape().batch() : batch, input,
                output));
        return s.workload().isTraining() ? withBatch(shaped, batch) : shaped;
    }

    private static double[] trim(double[] values, int n) {
        return n == values.length ? values : java.util.Arrays.copyOf(values, n);
    }
}
