package dev.headroom.serving;

import dev.headroom.common.Format;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A request trace: one request per line, {@code arrival_seconds,input_tokens,output_tokens}, arrivals in seconds
 * from the start and not decreasing. A first line that is not numeric is a header; blank lines and lines that start
 * with {@code #} are skipped. Vidur's processed traces ({@code arrived_at,num_prefill_tokens,num_decode_tokens})
 * read as they are.
 */
public final class TraceFile {
    private final double[] arrivals;
    private final int[] inputs;
    private final int[] outputs;
    private final String name;

    private TraceFile(String name, double[] arrivals, int[] inputs, int[] outputs) {
        this.name = name;
        this.arrivals = arrivals;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Reads a trace; a line that does not parse is an error naming the file, its line number and the line. */
    public static TraceFile read(Path file) throws IOException {
        double[] arrivals = new double[1024];
        int[] inputs = new int[1024];
        int[] outputs = new int[1024];
        int n = 0;
        int lineNumber = 0;
        double last = 0;
        boolean headerSeen = false;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] cells = t.split(",", -1);
                if (n == 0 && !headerSeen && !cells[0].strip().matches("[+-]?[0-9.].*")) {
                    headerSeen = true; // the header: only the first line that holds anything
                    continue;
                }
                if (cells.length != 3) {
                    throw bad(file, lineNumber, line, "needs 3 comma-separated fields: arrival_seconds,input_tokens,output_tokens");
                }
                double arrival;
                int input;
                int output;
                try {
                    arrival = Double.parseDouble(cells[0].strip());
                    input = Integer.parseInt(cells[1].strip());
                    output = Integer.parseInt(cells[2].strip());
                } catch (NumberFormatException e) {
                    throw bad(file, lineNumber, line, "arrival_seconds must be a number and the token counts whole numbers");
                }
                if (!(arrival >= 0 && arrival < 1e9)) {
                    throw bad(file, lineNumber, line, "arrival_seconds must be between 0 and 1e9");
                }
                if (arrival < last) {
                    throw bad(file, lineNumber, line, "arrivals must not go back in time (" + Format.plain(arrival)
                            + " s after " + Format.plain(last) + " s)");
                }
                if (input < 1 || input > Lengths.MAX_TOKENS || output < 1 || output > Lengths.MAX_TOKENS) {
                    throw bad(file, lineNumber, line, "input_tokens and output_tokens must be between 1 and "
                            + Lengths.MAX_TOKENS);
                }
                if (n == arrivals.length) {
                    arrivals = Arrays.copyOf(arrivals, n * 2);
                    inputs = Arrays.copyOf(inputs, n * 2);
                    outputs = Arrays.copyOf(outputs, n * 2);
                }
                arrivals[n] = arrival;
                inputs[n] = input;
                outputs[n] = output;
                last = arrival;
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("trace = " + file + ": holds no requests (arrival_seconds,input_tokens,output_tokens)");
        }
        return new TraceFile(file.getFileName().toString(), Arrays.copyOf(arrivals, n), Arrays.copyOf(inputs, n),
                Arrays.copyOf(outputs, n));
    }

    private static IllegalArgumentException bad(Path file, int lineNumber, String line, String why) {
        return new IllegalArgumentException("trace = " + file + ": line " + lineNumber + " ("
                + Format.echo(line.length() > 80 ? line.substring(0, 80) + "..." : line) + "): " + why);
    }

    public String name() {
        return name;
    }

    public int size() {
        return arrivals.length;
    }

    public double arrival(int i) {
        return arrivals[i];
    }

    public int input(int i) {
        return inputs[i];
    }

    public int output(int i) {
        return outputs[i];
    }

    /** Seconds from the first arrival to the last. */
    public double span() {
        return arrivals[arrivals.length - 1] - arrivals[0];
    }

    public Lengths inputLengths() {
        return new Lengths.FromTrace(Arrays.stream(inputs).average().orElse(0), Arrays.stream(inputs).max().orElse(0));
    }

    public Lengths outputLengths() {
        return new Lengths.FromTrace(Arrays.stream(outputs).average().orElse(0), Arrays.stream(outputs).max().orElse(0));
    }
}
