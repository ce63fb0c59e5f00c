package dev.headroom;

import dev.headroom.cli.Cli;
import dev.headroom.ui.HeadroomApp;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The jar's entry point. With no arguments it opens the desktop app; with arguments it runs the command line
 * without starting JavaFX. It must not extend {@code Application}: with JavaFX on the class path the launcher
 * would refuse to start ("JavaFX runtime components are missing").
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            HeadroomApp.launchApp();
            return;
        }
        if (args.length == 1 && args[0].endsWith(dev.headroom.sizing.PlanFile.EXTENSION)
                && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(args[0]))) {
            HeadroomApp.launchApp(java.nio.file.Path.of(args[0])); // a double-clicked plan file
            return;
        }
        LeanJvm.relaunchIfWorthIt(args);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(Cli.run(args, out, err));
    }
}
