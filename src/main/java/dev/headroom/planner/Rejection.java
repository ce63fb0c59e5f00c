package dev.headroom.planner;

/** A GPU that yields no candidate, and why, in the words of the constraint it misses. */
public record Rejection(String gpu, String reason) {
}
