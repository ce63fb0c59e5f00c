package dev.headroom.settings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.common.AtomicFiles;
import dev.headroom.common.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads and saves {@link Settings} as JSON. Saves are debounced (a window drag fires hundreds of changes; only
 * the last one is written) and atomic; they run on a daemon thread of their own, never on the caller's.
 */
public final class SettingsStore implements AutoCloseable {
    /** System property naming the settings file; defaults to {@code ~/.headroom/settings.json}. */
    public static final String PATH_PROPERTY = "headroom.settings";
    static final long DEBOUNCE_MILLIS = 500;

    private static final Logger LOG = Logger.getLogger(SettingsStore.class.getName());
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // written by a newer version: keep going
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path file;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "headroom-settings-writer");
        thread.setDaemon(true);
        return thread;
    });
    private Settings pending;
    private ScheduledFuture<?> scheduled;
    private String lastProblem;

    public SettingsStore(Path file) {
        this.file = file;
    }

    public static Path defaultPath() {
        String property = System.getProperty(PATH_PROPERTY);
        return property != null && !property.isBlank()
                ? Path.of(property)
                : Path.of(System.getProperty("user.home"), ".headroom", "settings.json");
    }

    public Path file() {
        return file;
    }

    /** The saved settings, or the defaults when there are none or the file cannot be read (never throws). */
    public Settings load() {
        if (!Files.exists(file)) {
            return Settings.DEFAULT;
        }
        if (!Files.isRegularFile(file)) {
            synchronized (this) {
                lastProblem = file + " is " + (Files.isDirectory(file) ? "a folder" : "not a regular file")
                        + ", not a settings file; defaults are used and changes are not saved";
            }
            LOG.log(Level.WARNING, lastProblem);
            return Settings.DEFAULT;
        }
        try {
            Settings settings = MAPPER.readValue(file.toFile(), Settings.class);
            return settings == null ? Settings.DEFAULT : settings;
        } catch (IOException e) {
            synchronized (this) {
                lastProblem = file + " could not be read (" + e.getMessage() + "); defaults are used";
            }
            LOG.log(Level.WARNING, lastProblem);
            return Settings.DEFAULT;
        }
    }

    /** Why the last load or save failed, or null. */
    public synchronized String lastProblem() {
        return lastProblem;
    }

    /**
     * Schedules a save; a newer call within the debounce window replaces this one. After {@link #close()} it is
     * ignored: window events still arrive while the app shuts down.
     */
    public synchronized void save(Settings settings) {
        if (writer.isShutdown()) {
            return;
        }
        pending = settings;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduled = writer.schedule(this::writePending, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes any pending save now and waits for it: used at exit so the last change is not lost. */
    public void flush() {
        synchronized (this) {
            if (writer.isShutdown()) {
                return;
            }
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
        try {
            writer.submit(this::writePending).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "settings could not be flushed", e);
        }
    }

    private void writePending() {
        Settings toWrite;
        synchronized (this) {
            toWrite = pending;
            pending = null;
        }
        if (toWrite == null) {
            return;
        }
        try {
            String json = MAPPER.writeValueAsString(toWrite.withWrittenBy(Version.current()));
            AtomicFiles.writeString(file, json, AtomicFiles.Folder.CREATE);
        } catch (IOException e) {
            synchronized (this) {
                lastProblem = "settings could not be saved to " + file + ": " + e.getMessage();
            }
            LOG.log(Level.WARNING, lastProblem);
        }
    }

    @Override
    public void close() {
        flush();
        synchronized (this) {
            writer.shutdown();
        }
    }
}
