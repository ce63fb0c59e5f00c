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
        /** Whether y takes more than one value: a flat series says one number, and a chart of it says no more. */
        public boolean varies() {
            for (double value : y) {
                if (value != y[0]) {
                    return true;
                }
            }
            return false;
        }
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

    /** Shortest context the KV chart starts at: below it every window of the catalog's models is still open. */
    static final int KV_SWEEP_START_TOKENS = 512;

    /**
     * KV cache bytes per token of one sequence (the estimate's {@code kvCacheBytesPerToken}) against the context,
     * from 512 tokens (or half of {@code maxTokens} when that is less) to {@code maxTokens}, on a geometric grid of
     * {@code pointsPerDoubling} points per doubling, for a log-scale axis. Windows, chunks and recurrent states make
     * it fall as the context grows; without them it is flat. Empty for training and for a model known only by its
     * parameter count, where the engine reports no KV figure.
     */
    public Series kvPerTokenByContext(Scenario base, int maxTokens, int pointsPerDoubling) {
        int start = Math.max(2, Math.min(KV_SWEEP_START_TOKENS, maxTokens / 2));
        int steps = (int) Math.ceil(Math.log((double) maxTokens / start) / Math.log(2) * pointsPerDoubling);
        List<double[]> points = new ArrayList<>();
        int previous = 0;
        for (int i = 0; i <= steps; i++) {
            int context = i == steps ? maxTokens
                    : (int) Math.round(start * Math.pow(2, (double) i / pointsPerDoubling));
            if (context <= previous || context > maxTokens) {
                continue;
            }
            previous = context;
            Estimate e = base.workload().isTraining() ? null : tryEstimate(atContext(base, context));
            if (e != null && e.kvCacheBytesPerToken() != null) {
                points.add(new double[] {context, e.kvCacheBytesPerToken()});
            }
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Series("KV cache per token", x, y);
    }

    /**
     * The scenario with {@code context} tokens per sequence, as much of it output as the plan has (at most half), and
     * the shared prefix cut to the prompt where it was longer: the prefix is shared, not a per-token figure.
     */
    static Scenario atContext(Scenario s, int context) {
        int output = Math.max(1, Math.min(s.shape().outputTokens(), context / 2));
        int input = context - output;
        Scenario shaped = s.withShape(new Scenario.Shape(s.shape().batch(), input, output));
        Scenario.KvCachePolicy kv = s.kvCache();
        if (kv.sharedPrefixTokens() <= input) {
            return shaped;
        }
        return new Scenario(shaped.model(), shaped.workload(), shaped.training(), shaped.precision(), shaped.shape(),
                shaped.parallelism(), new Scenario.KvCachePolicy(kv.slidingWindow(), kv.pagedBlockTokens(), input),
                shaped.hardware(), shaped.runtime(), shaped.overheads(), shaped.efficiencies());
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
