package dev.headroom;

import dev.headroom.cli.Cli;
import dev.headroom.ui.HeadroomApp;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Runs the commands people start most, output discarded, and with {@code --app} opens the desktop app to its first
 * frame, so that {@code -XX:DumpLoadedClassList} records the classes they load. The installer ships that list and
 * the Linux package turns it into a class-data sharing archive when it is installed (installer/linux/postinst): an
 * archive made at build time would not map, as JDK 17 archives name their jar paths and /opt/headroom is not where
 * the build ran.
 */
final class CdsTraining {
    private static final String[][] COMMANDS = {
        {"--version"},
        {"--help"},
        {"size", "--model", "llama-2-70b", "--gpu", "h100-sxm", "--json"},
        {"size", "--model", "llama-3.1-8b", "--gpu", "rtx-4090"},
        {"size", "--model", "gpt-oss-120b", "--workload", "pretrain", "--gpu", "h100-sxm", "--gpus", "64"},
        {"cost", "--gpu", "h100-sxm", "--gpus", "8", "--gpu-price", "30000", "--json"},
        {"catalog", "list", "gpus"},
        {"size", "--help"},
    };

    private CdsTraining() {
    }

    public static void main(String[] args) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        for (String[] command : COMMANDS) {
            if (Cli.run(command, nowhere, nowhere) != 0) {
                throw new IllegalStateException("training command failed: " + String.join(" ", command));
            }
        }
        if (args.length > 0 && "--app".equals(args[0])) {
            // the first frame, then the toolkit exits (HeadroomApp's cold-start measurement)
            System.setProperty(HeadroomApp.COLD_START_PROPERTY, "true");
            HeadroomApp.launchApp();
        }
    }
}
