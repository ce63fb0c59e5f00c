package dev.headroom.telemetry.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The fake libnvidia-ml.so.1 (src/test/native/fake_nvml.c), compiled with gcc the first time a test needs it.
 * Without a compiler the tests that need it are skipped with a message saying so.
 */
final class FakeNvml {
    /** The fake's own control functions, for choosing a scenario and moving time. */
    interface Control extends Library {
        int fakeNvmlLoadScenario(String path);

        void fakeNvmlSetTick(int tick);

        long fakeNvmlCallCount(String function);
    }

    private FakeNvml() {
    }

    /** Builds (once) and returns the library of this variant: "normal" or "legacy" (v1 symbols only). */
    static synchronized Path build(String variant) {
        Path dir = Path.of("target", "fake-nvml", variant).toAbsolutePath();
        Path library = dir.resolve("libnvidia-ml.so.1");
        Path source = Path.of("src", "test", "native", "fake_nvml.c").toAbsolutePath();
        try {
            if (Files.exists(library) && Files.getLastModifiedTime(library).compareTo(Files.getLastModifiedTime(source)) > 0) {
                return library;
            }
            Files.createDirectories(dir);
            List<String> command = new java.util.ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-o",
                    library.toString(), source.toString(), "-Wl,-soname,libnvidia-ml.so.1", "-lpthread"));
            if (variant.equals("legacy")) {
                command.add(4, "-DFAKE_LEGACY_ONLY");
            }
            Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(gcc.getInputStream().readAllBytes());
            if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IllegalStateException("gcc failed to build the fake NVML:\n" + output);
            }
            return library;
        } catch (IOException e) {
            Assumptions.abort("gcc not found (" + e.getMessage() + "): the fake NVML tests need a C compiler");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Points the binding at this library, with this scenario (a resource under /nvml or a file). */
    static Control use(Path library, Path scenario) {
        Nvml.unloadForTests();
        System.setProperty(NvmlLibrary.LIBRARY_PROPERTY, library.toString());
        Control control = Native.load(library.toString(), Control.class);
        if (control.fakeNvmlLoadScenario(scenario.toString()) != 0) {
            throw new IllegalStateException("the fake rejected the scenario " + scenario);
        }
        return control;
    }

    static Path scenario(String name) {
        try {
            return Path.of(FakeNvml.class.getResource("/nvml/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void reset() {
        Nvml.unloadForTests();
        System.clearProperty(NvmlLibrary.LIBRARY_PROPERTY);
    }
}
