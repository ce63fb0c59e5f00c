package dev.headroom.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.ExponentialDistribution;
import org.junit.jupiter.api.Test;

/**
 * The event loop against closed forms. One request at a time (max-seqs 1) of one output token and a prompt that
 * fits one step makes a replica a single server whose service time is the step time: fixed gives M/D/1, exponential
 * M/M/1; c such replicas behind the balancer's queue give M/M/c. The mean wait is arrival to the first scheduled
 * step (queueSeconds). 400,000 requests: the standard error of the mean wait at these loads is well under 1 %.
 */
class QueueingTheoryTest {
    private static final int REQUESTS = 400_000;
    private static final SchedulerSettings ONE_AT_A_TIME = new SchedulerSettings(2048, 1, SchedulerSettings.Priority.NONE);

    private static SimulationResult run(StepTimer timer, double rate, ClusterSpec cluster, long seed) {
        Load load = Load.open(new Arrivals.Poisson(), rate, new Lengths.Fixed(16), new Lengths.Fixed(1));
        return Simulation.simulate(timer, 1_000_000, 16, ONE_AT_A_TIME, cluster, load,
                RunLength.ofRequests(REQUESTS), Slo.NONE, seed);
    }

    private static StepTimer exponential(double meanSeconds, long seed) {
        ContinuousDistribution.Sampler s = ExponentialDistribution.of(meanSeconds)
                .createSampler(RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
        return (tokens, position, prefills, decoders, context) -> s.sample();
    }

    /** Pollaczek-Khinchine for deterministic service: Wq = lambda D^2 / (2 (1 - rho)). */
    @Test
    void fixedServiceGivesTheMD1MeanWait() {
        for (double rho : new double[] {0.5, 0.7}) {
            double d = 0.2;
            double lambda = rho / d;
            SimulationResult r = run((t, p, n, k, c) -> d, lambda, ClusterSpec.single(), 11);
            double expected = lambda * d * d / (2 * (1 - rho));
            assertThat(r.queueSeconds().mean()).as("M/D/1 at rho %s", rho).isCloseTo(expected, within(0.02 * expected));
            assertThat(r.e2eSeconds().mean()).isCloseTo(expected + d, within(0.02 * (expected + d)));
            assertLittle(r);
        }
    }

    /** M/M/1: Wq = rho / (mu - lambda). */
    @Test
    void exponentialServiceGivesTheMM1MeanWait() {
        double mu = 4;
        double lambda = 2.8;
        SimulationResult r = run(exponential(1 / mu, 5), lambda, ClusterSpec.single(), 12);
        double expected = (lambda / mu) / (mu - lambda);
        assertThat(r.queueSeconds().mean()).isCloseTo(expected, within(0.02 * expected));
        assertLittle(r);
    }

    /** M/M/c with a common FCFS queue (the balancer's): Wq = C(c, a) / (c mu - lambda), C the Erlang C formula. */
    @Test
    void exponentialServiceOnThreeReplicasGivesTheErlangCMeanWait() {
        int c = 3;
        double mu = 2;
        double lambda = 4.8; // rho = 0.8
        ClusterSpec cluster = new ClusterSpec(c, Balancer.LEAST_OUTSTANDING, null, true);
        SimulationResult r = run(exponential(1 / mu, 6), lambda, cluster, 13);
        double expected = erlangC(c, lambda / mu) / (c * mu - lambda);
        assertThat(r.queueSeconds().mean()).isCloseTo(expected, within(0.02 * expected));
        assertLittle(r);
    }

    @Test
    void aRateAboveWhatTheServersDoIsUnstableNotANumber() {
        SimulationResult r = run((t, p, n, k, c) -> 0.1, 12, new ClusterSpec(1, Balancer.ROUND_ROBIN, null, false), 1);
        assertThat(r.stable()).isFalse();
        assertThat(r.verdict()).startsWith("unstable: arrivals exceed what 1 replica serves");
        assertThat(r.ttftSeconds()).isNull();

        ClusterSpec two = new ClusterSpec(2, Balancer.ROUND_ROBIN, null, false);
        SimulationResult onTwo = run((t, p, n, k, c) -> 0.1, 25, two, 1);
        assertThat(onTwo.verdict()).startsWith("unstable: arrivals exceed what 2 replicas serve");
    }

    @Test
    void theSameSeedGivesIdenticalResultsAndAnotherSeedDifferent() {
        SimulationResult a = run(exponential(0.25, 1), 3, ClusterSpec.single(), 42);
        SimulationResult b = run(exponential(0.25, 1), 3, ClusterSpec.single(), 42);
        SimulationResult c = run(exponential(0.25, 1), 3, ClusterSpec.single(), 43);
        assertThat(b).usingRecursiveComparison().isEqualTo(a);
        assertThat(c.queueSeconds().mean()).isNotEqualTo(a.queueSeconds().mean());
    }

    static void assertLittle(SimulationResult r) {
        SimulationResult.LittlesLaw l = r.littlesLaw();
        assertThat(l.meanInSystem()).isCloseTo(l.arrivalRate() * l.meanSecondsInSystem(),
                within(0.01 * l.meanInSystem()));
        assertThat(l.relativeError()).isLessThan(0.01);
    }

    static double erlangC(int c, double a) {
        double sum = 0;
        double term = 1;
        for (int k = 0; k < c; k++) {
            sum += term;
            term *= a / (k + 1);
        }
        double rho = a / c;
        double last = term / (1 - rho); // a^c / c! / (1 - rho)
        return last / (sum + last);
    }
}
