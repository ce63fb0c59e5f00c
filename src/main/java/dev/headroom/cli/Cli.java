package dev.headroom.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs the command line. Exit codes: 0 success, 1 the command failed, 2 bad arguments or bad input
 * (the message names the argument, the value and what is allowed).
 */
public final class Cli {
    public static final int EXIT_USAGE = 2;
    /** -Dheadroom.debug=true prints the stack trace of an internal error. */
    static final String DEBUG_PROPERTY = "headroom.debug";

    private Cli() {
    }

    /**
     * Says why a file could not be written and gives the exit code: 2 when the path was refused (the user's to fix;
     * the refusal already names the path), 1 when writing failed (a full disk, an I/O error).
     */
    static int writeFailure(PrintWriter err, String action, java.io.IOException e) {
        if (e instanceof dev.headroom.common.RefusedTargetException) {
            err.println("headroom: " + e.getMessage());
            return EXIT_USAGE;
        }
        err.println("headroom: " + action + ": " + dev.headroom.common.IoErrors.describe(e));
        return CommandLine.ExitCode.SOFTWARE;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter unguardedErr) {
        PrintWriter err = dev.headroom.common.TerminalText.guarded(unguardedErr);
        CommandLine commandLine = HeadroomCommand.forArguments(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failing = ex.getCommandLine();
            failing.getErr().println("headroom: " + ex.getMessage());
            failing.getErr().println("Try '" + failing.getCommandSpec().qualifiedName() + " --help' for more.");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, failing, parseResult) -> {
            failing.getErr().println("headroom: " + failure(ex, failing.getCommandSpec().qualifiedName()));
            if (Boolean.getBoolean(DEBUG_PROPERTY)) {
                ex.printStackTrace(failing.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * What escaped a command, as one line. Commands report every user error themselves (exit 2), so what is left
     * is an I/O failure, said in words, or a bug: that keeps exit 1 and says so, without the exception's text,
     * which would show Java class names ("No enum constant ...", "Cannot invoke ... because ... is null").
     */
    static String failure(Exception ex, String command) {
        if (ex instanceof java.io.IOException io) {
            return dev.headroom.common.IoErrors.describe(io);
        }
        if (ex instanceof java.io.UncheckedIOException io) {
            return dev.headroom.common.IoErrors.describe(io.getCause());
        }
        if (ex instanceof InterruptedException) {
            return "interrupted";
        }
        return "internal error in '" + command + "' (a bug; please report it with the command line, and run with -D"
                + DEBUG_PROPERTY + "=true for the details)";
    }
}
