package dev.headroom.serving;

import dev.headroom.common.Format;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.DiscreteDistribution;
import org.apache.commons.statistics.distribution.LogNormalDistribution;
import org.apache.commons.statistics.distribution.UniformDiscreteDistribution;

/**
 * Token lengths of requests (prompt or output): fixed, uniform on [a, b], log-normal with a given mean and standard
 * deviation (Commons Statistics' distribution, sampled from a seeded Commons RNG stream), or each trace row's own.
 * Written on the command line as {@code N}, {@code uniform:A:B}, {@code lognormal:MEAN:SD}.
 */
public sealed interface Lengths {
    /** The most tokens a request may have: the context a run is checked against. */
    int MAX_TOKENS = 1 << 24;

    double mean();

    /** The largest length drawn; for the log-normal, samples are capped here (its 99.99th percentile). */
    int max();

    /** A stream of lengths drawn with {@code rng}; trace lengths come with the trace's rows instead. */
    IntSupplier sampler(UniformRandomProvider rng);

    String label();

    record Fixed(int tokens) implements Lengths {
        public double mean() {
            return tokens;
        }

        public int max() {
            return tokens;
        }

        public IntSupplier sampler(UniformRandomProvider rng) {
            return () -> tokens;
        }

        public String label() {
            return Integer.toString(tokens);
        }
    }

    record Uniform(int low, int high) implements Lengths {
        public double mean() {
            return (low + (double) high) / 2;
        }

        public int max() {
            return high;
        }

        public IntSupplier sampler(UniformRandomProvider rng) {
            DiscreteDistribution.Sampler s = UniformDiscreteDistribution.of(low, high).createSampler(rng);
            return s::sample;
        }

        public String label() {
            return "uniform:" + low + ":" + high;
        }
    }

    /** Log-normal with this mean and standard deviation of the length itself (not of its logarithm). */
    record LogNormal(double mean, double sd) implements Lengths {
        LogNormalDistribution distribution() {
            double sigma2 = Math.log(1 + sd * sd / (mean * mean));
            return LogNormalDistribution.of(Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
        }

        public int max() {
            return (int) Math.min(MAX_TOKENS, Math.ceil(distribution().inverseCumulativeProbability(0.9999)));
        }

        public IntSupplier sampler(UniformRandomProvider rng) {
            ContinuousDistribution.Sampler s = distribution().createSampler(rng);
            int cap = max();
            return () -> (int) Math.max(1, Math.min(cap, Math.round(s.sample())));
        }

        public String label() {
            return "lognormal:" + Format.plain(mean) + ":" + Format.plain(sd);
        }
    }

    /** Each request's length is its trace row's. */
    record FromTrace(double mean, int max) implements Lengths {
        public IntSupplier sampler(UniformRandomProvider rng) {
            throw new IllegalStateException("trace lengths come with the trace rows");
        }

        public String label() {
            return "trace";
        }
    }

    /** Parses N, uniform:A:B or lognormal:MEAN:SD; the message names the field, the value and the allowed range. */
    static Lengths parse(String field, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[] parts = t.split(":", -1);
        try {
            switch (parts[0]) {
                case "uniform" -> {
                    expect(field, text, parts, 3, "uniform:A:B");
                    int a = tokens(field, text, parts[1]);
                    int b = tokens(field, text, parts[2]);
                    if (b < a) {
                        throw new IllegalArgumentException(field + " = " + Format.echo(text)
                                + ": uniform:A:B needs A <= B");
                    }
                    return new Uniform(a, b);
                }
                case "lognormal" -> {
                    expect(field, text, parts, 3, "lognormal:MEAN:SD");
                    double mean = Double.parseDouble(parts[1]);
                    double sd = Double.parseDouble(parts[2]);
                    if (!(mean >= 1 && mean <= MAX_TOKENS)) {
                        throw new IllegalArgumentException(field + " = " + Format.echo(text)
                                + ": the mean must be between 1 and " + MAX_TOKENS);
                    }
                    if (!(sd > 0 && sd <= 100 * mean)) {
                        throw new IllegalArgumentException(field + " = " + Format.echo(text)
                                + ": the standard deviation must be above 0 and at most 100 x the mean");
                    }
                    return new LogNormal(mean, sd);
                }
                default -> {
                    expect(field, text, parts, 1, "N");
                    return new Fixed(tokens(field, text, parts[0]));
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " = " + Format.echo(text)
                    + ": must be N, uniform:A:B or lognormal:MEAN:SD (tokens)");
        }
    }

    private static void expect(String field, String text, String[] parts, int count, String form) {
        if (parts.length != count) {
            throw new IllegalArgumentException(field + " = " + Format.echo(text) + ": must be " + form);
        }
    }

    private static int tokens(String field, String text, String part) {
        double value = Double.parseDouble(part);
        if (!(value >= 1 && value <= MAX_TOKENS) || value != Math.rint(value)) {
            throw new IllegalArgumentException(field + " = " + Format.echo(text) + ": token counts must be whole"
                    + " numbers between 1 and " + MAX_TOKENS);
        }
        return (int) value;
    }
}
