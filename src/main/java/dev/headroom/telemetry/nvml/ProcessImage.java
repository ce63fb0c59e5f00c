package dev.headroom.telemetry.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.List;

/**
 * Replaces this process's image with another command line (libc's execv), for the lean relaunch of the
 * long-running commands. It sits beside the NVML binding because this package is where JNA lives.
 */
public final class ProcessImage {
    private interface C extends Library {
        int execv(String path, String[] argv);
    }

    private ProcessImage() {
    }

    /** Does not return when it works; returns false when execv failed or libc cannot be called. */
    public static boolean replaceWith(String path, List<String> argv) {
        try {
            Native.load("c", C.class).execv(path, argv.toArray(new String[0]));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
        return false; // execv returned: it failed
    }
}
