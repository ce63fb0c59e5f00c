package dev.headroom.serving;

/** One request in flight: its sizes and where the scheduler has got to with it. Mutable, owned by one replica. */
final class Request {
    final double arrival;
    final int input;
    final int output;
    /** Prompt tokens found in the prefix cache, whole blocks only (vLLM caches full blocks). */
    final int cached;
    /** 0 high, 1 low. */
    final int priority;
    final int user;

    /** Tokens whose KV is computed; the next token comes once it reaches input + generated. */
    int computed;
    int generated;
    int blocks;
    /** Tokens scheduled in the step now running. */
    int scheduled;
    double firstScheduled = Double.NaN;
    double firstToken = Double.NaN;
    int preemptions;

    Request(double arrival, int input, int output, int cached, int priority, int user) {
        this.arrival = arrival;
        this.input = input;
        this.output = output;
        this.cached = cached;
        this.priority = priority;
        this.user = user;
        this.computed = cached;
    }

    /** Tokens to compute before the next output token. */
    int pending() {
        return input + generated - computed;
    }
}
