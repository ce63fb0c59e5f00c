package dev.headroom.common;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Special files for tests of what the writer refuses; a test is skipped, with a reason, where one cannot be made. */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** A FIFO at {@code path}, made with mkfifo(1). */
    public static Path fifo(Path path) throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e.getMessage());
            throw e;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0 && Files.exists(path),
                "mkfifo could not make a FIFO here");
        return path;
    }
}
