package dev.headroom.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrivals and lengths have the moments they are asked for; the command-line forms parse or say what is allowed. */
class WorkloadTest {
    private static final int N = 200_000;

    @TempDir
    Path folder;

    private static UniformRandomProvider rng() {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(99L);
    }

    @Test
    void gammaGapsHaveTheRateAndTheCoefficientOfVariationAsked() {
        for (double cv : new double[] {0.5, 1, 3}) {
            Arrivals.Stream s = new Arrivals.Gamma(cv).stream(rng(), 20);
            double last = 0;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < N; i++) {
                double t = s.next();
                double gap = t - last;
                last = t;
                sum += gap;
                sumSq += gap * gap;
            }
            double mean = sum / N;
            double sd = Math.sqrt(sumSq / N - mean * mean);
            assertThat(mean).as("cv %s", cv).isCloseTo(1 / 20.0, within(0.02 / 20));
            assertThat(sd / mean).as("cv %s", cv).isCloseTo(cv, within(0.03 * cv));
        }
    }

    @Test
    void theDailyCurveAveragesTheRateAndPeaksAtTheRatioAtThreeInTheAfternoon() {
        double rate = 5;
        Arrivals.Diurnal curve = new Arrivals.Diurnal(3);
        Arrivals.Stream s = curve.stream(rng(), rate);
        int days = 10;
        long[] hours = new long[24];
        long count = 0;
        double t;
        while ((t = s.next()) < days * Arrivals.Diurnal.DAY) {
            hours[(int) (t % Arrivals.Diurnal.DAY / 3600)]++;
            count++;
        }
        assertThat(count / (days * Arrivals.Diurnal.DAY)).isCloseTo(rate, within(0.02 * rate));
        double hourly = count / 24.0;
        assertThat(hours[14] / hourly).isCloseTo(curve.relativeRate(14.5 * 3600), within(0.05));
        assertThat(curve.relativeRate(15 * 3600)).isCloseTo(3, within(1e-9));
        assertThat(hours[3] / hourly).isLessThan(0.5);
    }

    @Test
    void lengthsHaveTheirMeansAndStandardDeviations() {
        IntSupplier logNormal = new Lengths.LogNormal(1000, 600).sampler(rng());
        IntSupplier uniform = new Lengths.Uniform(1000, 8000).sampler(rng());
        double sum = 0;
        double sumSq = 0;
        double uniformSum = 0;
        int low = Integer.MAX_VALUE;
        int high = 0;
        for (int i = 0; i < N; i++) {
            int x = logNormal.getAsInt();
            sum += x;
            sumSq += (double) x * x;
            int u = uniform.getAsInt();
            uniformSum += u;
            low = Math.min(low, u);
            high = Math.max(high, u);
        }
        double mean = sum / N;
        assertThat(mean).isCloseTo(1000, within(10.0));
        assertThat(Math.sqrt(sumSq / N - mean * mean)).isCloseTo(600, within(18.0));
        assertThat(uniformSum / N).isCloseTo(4500, within(25.0));
        assertThat(low).isEqualTo(1000);
        assertThat(high).isEqualTo(8000);
    }

    @Test
    void commandLineFormsParseOrNameTheFieldAndTheForm() {
        assertThat(Lengths.parse("input-tokens", "512")).isEqualTo(new Lengths.Fixed(512));
        assertThat(Lengths.parse("input-tokens", "uniform:1000:8000")).isEqualTo(new Lengths.Uniform(1000, 8000));
        assertThat(Lengths.parse("output-tokens", "lognormal:300:200")).isEqualTo(new Lengths.LogNormal(300, 200));
        assertThatThrownBy(() -> Lengths.parse("input-tokens", "uniform:9:3"))
                .hasMessage("input-tokens = uniform:9:3: uniform:A:B needs A <= B");
        assertThatThrownBy(() -> Lengths.parse("input-tokens", "0"))
                .hasMessageContaining("input-tokens = 0: token counts must be whole numbers between 1 and");
        assertThatThrownBy(() -> Arrivals.parse("diurnal:1")).hasMessageContaining(
                "arrival = diurnal:1: the peak-to-average ratio must be above 1 and at most 50");
        assertThatThrownBy(() -> Arrivals.parse("burst")).hasMessage(
                "arrival = burst: must be poisson, gamma:CV, diurnal:PEAK_TO_AVG or trace:FILE");
    }

    @Test
    void aTraceReadsWithOrWithoutAHeaderAndRefusesTimeGoingBackwards() throws Exception {
        Path vidur = folder.resolve("vidur.csv");
        Files.writeString(vidur, "arrived_at,num_prefill_tokens,num_decode_tokens\n0.0,100,10\n2.0,300,30\n");
        TraceFile t = TraceFile.read(vidur);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.span()).isEqualTo(2.0);
        assertThat(t.inputLengths().mean()).isEqualTo(200);
        assertThat(t.outputLengths().max()).isEqualTo(30);

        Path backwards = folder.resolve("backwards.csv");
        Files.writeString(backwards, "0,100,10\n\n5,100,10\n4,100,10\n");
        assertThatThrownBy(() -> TraceFile.read(backwards)).hasMessageContaining("line 4");
    }
}
