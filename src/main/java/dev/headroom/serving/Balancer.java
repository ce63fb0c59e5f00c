package dev.headroom.serving;

import dev.headroom.common.Format;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a request is sent to a replica: in turn (Vidur's round-robin), to the one with the fewest requests waiting or
 * running (Vidur's least-outstanding-requests, the queue scorer of llm-d), or to the one with the most KV blocks free
 * (the KV-utilization scorer of the Gateway API inference extension).
 */
public enum Balancer {
    ROUND_ROBIN("rr"), LEAST_OUTSTANDING("least-outstanding"), LEAST_KV("least-kv");

    private final String label;

    Balancer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Balancer parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Balancer b : values()) {
            if (b.label.equals(t)) {
                return b;
            }
        }
        throw new IllegalArgumentException("balancer = " + Format.echo(text) + ": must be one of "
                + Arrays.stream(values()).map(Balancer::label).collect(Collectors.joining(", ")));
    }
}
