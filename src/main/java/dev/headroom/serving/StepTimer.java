package dev.headroom.serving;

/**
 * Seconds one scheduler step takes. The simulator's is the sizing engine's roofline for the mixed step
 * ({@link dev.headroom.sizing.ServingProfile#stepSeconds}); queueing-theory tests substitute fixed or exponential
 * times to compare the event loop with closed forms.
 */
@FunctionalInterface
public interface StepTimer {
    double seconds(int prefillTokens, double prefillPosition, int prefillRequests, int decoders, double decodeContext);
}
