package dev.headroom.serving;

import dev.headroom.common.Format;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.ExponentialDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;

/**
 * How requests arrive in an open loop: Poisson, Gamma gaps with a coefficient of variation (vLLM's
 * {@code --burstiness} is 1 / CV², Vidur takes the CV), a Poisson process whose rate follows a daily curve with a
 * peak-to-average ratio, or a trace's own times. Written {@code poisson}, {@code gamma:CV}, {@code diurnal:P},
 * {@code trace:FILE}.
 */
public sealed interface Arrivals {
    /** Arrival times in seconds, increasing, for a mean rate in requests per second. */
    interface Stream {
        double next();
    }

    Stream stream(UniformRandomProvider rng, double rate);

    String label();

    record Poisson() implements Arrivals {
        public Stream stream(UniformRandomProvider rng, double rate) {
            ContinuousDistribution.Sampler gap = ExponentialDistribution.of(1 / rate).createSampler(rng);
            double[] now = {0};
            return () -> now[0] += gap.sample();
        }

        public String label() {
            return "poisson";
        }
    }

    /** Gamma gaps of mean 1 / rate: shape 1 / CV², scale CV² / rate; CV 1 is Poisson, above 1 bursty. */
    record Gamma(double cv) implements Arrivals {
        public Stream stream(UniformRandomProvider rng, double rate) {
            double shape = 1 / (cv * cv);
            ContinuousDistribution.Sampler gap = GammaDistribution.of(shape, 1 / (rate * shape)).createSampler(rng);
            double[] now = {0};
            return () -> now[0] += gap.sample();
        }

        public String label() {
            return "gamma:" + Format.plain(cv);
        }
    }

    /**
     * A Poisson process whose rate over the day is avg x exp(k cos(2 pi (t - peak) / day)) / I0(k), a von Mises
     * curve: its mean over a day is the average rate and its peak e^k / I0(k) times it, for any ratio above 1 (a
     * sine allows at most 2). The peak is at 15:00, the hour of BurstGPT's busiest conversation traffic
     * (HPMLL/BurstGPT README, Fig. 2); a run starts at midnight. Drawn by thinning (Lewis and Shedler, 1979):
     * candidates at the peak rate, each kept with probability rate(t) / peak.
     */
    record Diurnal(double peakToAverage) implements Arrivals {
        static final double DAY = 86_400;
        static final double PEAK_HOUR = 15;

        public Stream stream(UniformRandomProvider rng, double rate) {
            double k = concentration(peakToAverage);
            double norm = besselI0(k);
            double peakRate = rate * Math.exp(k) / norm;
            ContinuousDistribution.Sampler gap = ExponentialDistribution.of(1 / peakRate).createSampler(rng);
            double[] now = {0};
            return () -> {
                while (true) {
                    now[0] += gap.sample();
                    if (rng.nextDouble() * peakRate <= rate * relative(now[0], k, norm)) {
                        return now[0];
                    }
                }
            };
        }

        /** The rate at time t over the average. */
        public double relativeRate(double t) {
            double k = concentration(peakToAverage);
            return relative(t, k, besselI0(k));
        }

        private static double relative(double t, double k, double norm) {
            return Math.exp(k * Math.cos(2 * Math.PI * (t - PEAK_HOUR * 3600) / DAY)) / norm;
        }

        /** The k whose curve has this peak over its mean: e^k / I0(k) rises from 1 at k = 0, found by bisection. */
        static double concentration(double ratio) {
            double low = 0;
            double high = 1;
            while (Math.exp(high) / besselI0(high) < ratio) {
                high *= 2;
            }
            for (int i = 0; i < 100; i++) {
                double mid = (low + high) / 2;
                if (Math.exp(mid) / besselI0(mid) < ratio) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            return (low + high) / 2;
        }

        /** Modified Bessel function of the first kind, order 0: the power series, which converges for every k. */
        static double besselI0(double k) {
            double term = 1;
            double sum = 1;
            double q = k * k / 4;
            for (int j = 1; j < 500 && term > 1e-17 * sum; j++) {
                term *= q / ((double) j * j);
                sum += term;
            }
            return sum;
        }

        public String label() {
            return "diurnal:" + Format.plain(peakToAverage);
        }
    }

    /** A trace's arrival times; with a rate given, stretched or squeezed so its mean rate is that rate. */
    record Trace(Path file, TraceFile trace) implements Arrivals {
        public Stream stream(UniformRandomProvider rng, double rate) {
            throw new IllegalStateException("trace arrivals are read row by row");
        }

        public String label() {
            return "trace:" + file;
        }
    }

    double MAX_CV = 20;
    double MAX_PEAK_TO_AVERAGE = 50;

    static Arrivals parse(String text) throws IOException {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("poisson")) {
            return new Poisson();
        }
        if (lower.startsWith("trace:")) {
            Path file = Path.of(t.substring("trace:".length()));
            return new Trace(file, TraceFile.read(file));
        }
        String[] parts = lower.split(":", -1);
        if (parts.length == 2 && (parts[0].equals("gamma") || parts[0].equals("diurnal"))) {
            double value;
            try {
                value = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (parts[0].equals("gamma")) {
                if (!(value >= 0.05 && value <= MAX_CV)) {
                    throw new IllegalArgumentException("arrival = " + Format.echo(text)
                            + ": the coefficient of variation must be between 0.05 and " + Format.plain(MAX_CV)
                            + " (1 = Poisson)");
                }
                return new Gamma(value);
            }
            if (!(value > 1 && value <= MAX_PEAK_TO_AVERAGE)) {
                throw new IllegalArgumentException("arrival = " + Format.echo(text)
                        + ": the peak-to-average ratio must be above 1 and at most " + Format.plain(MAX_PEAK_TO_AVERAGE));
            }
            return new Diurnal(value);
        }
        throw new IllegalArgumentException("arrival = " + Format.echo(text)
                + ": must be poisson, gamma:CV, diurnal:PEAK_TO_AVG or trace:FILE");
    }
}
