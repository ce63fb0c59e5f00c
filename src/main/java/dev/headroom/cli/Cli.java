package dev.headroom.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs the command line. Exit codes: 0 success, 1 the command failed, 2 bad arguments or bad input
 * (the message names the argument, the value and what is allowed).
 */
public final class Cli {
    public static final int EXIT_USAGE = 2;

    private Cli() {
    }

    /** The exit code for a file that could not be written: 2 when the path was refused (the user's to fix). */
    static int writeFailure(java.io.IOException e) {
        return e instanceof dev.headroom.common.RefusedTargetException ? EXIT_USAGE : CommandLine.ExitCode.SOFTWARE;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new HeadroomCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failing = ex.getCommandLine();
            failing.getErr().println("headroom: " + ex.getMessage());
            failing.getErr().println("Try '" + failing.getCommandSpec().qualifiedName() + " --help' for more.");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, failing, parseResult) -> {
            failing.getErr().println("headroom: " + ex.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
