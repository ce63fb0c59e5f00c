package dev.headroom.calibration;

import dev.headroom.sizing.Scenario;

/**
 * One measurement: the plan at the shape it was taken (batch, prompt and output tokens), what was measured, its
 * value, and where it came from ({@code file line N} or {@code file, result M}) for messages and the output.
 */
public record MeasuredPoint(Scenario scenario, Quantity quantity, double measured, String origin) {
}
