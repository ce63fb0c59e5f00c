package dev.headroom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * 'headroom monitor' and 'headroom exporter' run for hours beside the work they watch, so they run in a small
 * JVM: C1 only and early (every method compiled within the first ticks instead of over minutes), one compiler
 * thread, the serial collector and a heap that gives memory back, no perf-data sampling. A jar cannot carry JVM
 * options, so on Linux and macOS these commands replace their own process image with the same command line
 * plus these options (execv through JNA: the PID stays, so service managers and scripts see one process).
 * Options the user gave come after them and win; {@code -Dheadroom.lean=false} turns it off.
 */
final class LeanJvm {
    static final List<String> OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:Tier3InvocationThreshold=20", "-XX:Tier3MinInvocationThreshold=10",
            "-XX:Tier3CompileThreshold=200", "-XX:Tier3BackEdgeThreshold=2000",
            // A 1 MB young generation: a tick allocates a few hundred KB and keeps almost none of it, so collections
            // stay sub-millisecond and the heap stays near what is live (49 instead of 52 MB resident, 8 GPUs).
            "-XX:+UseSerialGC", "-Xms2m", "-Xmn1m", "-Xmx256m", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20",
            "-Xss256k", "-XX:ReservedCodeCacheSize=16m", "-XX:-UsePerfData",
            // The monitor-deflation thread wakes every 250 ms to tidy idle locks; these commands hold a handful.
            "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=10000");
    /**
     * glibc keeps freed native memory (JNA's buffers, the compiler's arenas) in its arenas; the JVM can hand it back
     * every few seconds in 17.0.9 and later 17 updates and from 21 on (an experimental flag). Older JVMs would refuse
     * to start with it, so it is added only where it exists.
     */
    static final List<String> NATIVE_TRIM = List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000");
    private static final String MARK = "-Dheadroom.lean.jvm=true";
    private static final Set<String> LONG_RUNNING = Set.of("monitor", "exporter");

    private LeanJvm() {
    }

    /** Re-executes in the small JVM when this command is worth it; returns only when it is not (or cannot be). */
    static void relaunchIfWorthIt(String[] args) {
        if (!worthIt(args) || "false".equals(System.getProperty("headroom.lean"))
                || System.getProperty("headroom.lean.jvm") != null) {
            return;
        }
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux") && !os.startsWith("Mac")) {
            return;
        }
        Optional<String> java = ProcessHandle.current().info().command();
        List<String> arguments = arguments();
        if (java.isEmpty() || arguments == null || !java.get().endsWith("/java")) {
            return; // a native launcher (the installed app) passes its own options
        }
        List<String> argv = new ArrayList<>();
        argv.add(java.get());
        argv.addAll(OPTIONS);
        if (hasNativeTrim(Runtime.version())) {
            argv.addAll(NATIVE_TRIM);
        }
        argv.add(MARK);
        argv.addAll(arguments);
        System.out.flush();
        System.err.flush();
        dev.headroom.telemetry.nvml.ProcessImage.replaceWith(java.get(), argv); // returns only if it failed: carry on here
    }

    /**
     * This JVM's command line after the executable. On Linux from /proc/self/cmdline whole (ProcessHandle's copy
     * came back without arguments for a JVM with a long class path, as under Maven); elsewhere from ProcessHandle.
     * Null when unknown.
     */
    private static List<String> arguments() {
        java.nio.file.Path cmdline = java.nio.file.Path.of("/proc/self/cmdline");
        if (java.nio.file.Files.isReadable(cmdline)) {
            try {
                String[] parts = new String(java.nio.file.Files.readAllBytes(cmdline),
                        java.nio.charset.StandardCharsets.UTF_8).split("\0");
                return parts.length < 2 ? null : List.of(parts).subList(1, parts.length);
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return ProcessHandle.current().info().arguments().map(List::of).orElse(null);
    }

    /** TrimNativeHeapInterval: in 17 from update 9 (backported), in 21 and later; not in 18 to 20. */
    static boolean hasNativeTrim(Runtime.Version version) {
        return version.feature() >= 21 || version.feature() == 17 && version.update() >= 9;
    }

    /** monitor and exporter, but not a one-shot read or their help. */
    static boolean worthIt(String[] args) {
        if (args.length == 0 || !LONG_RUNNING.contains(args[0])) {
            return false;
        }
        for (String arg : args) {
            if (arg.equals("--once") || arg.equals("--help") || arg.equals("-h") || arg.equals("--version")
                    || arg.equals("-V")) {
                return false;
            }
        }
        return true;
    }
}
