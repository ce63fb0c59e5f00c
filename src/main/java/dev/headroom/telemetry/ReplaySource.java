package dev.headroom.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A recording played back tick by tick (the sampler sets the speed: the recorded interval, or faster). After the
 * last tick it keeps returning the last one and says it has finished.
 */
public final class ReplaySource implements GpuSource {
    private final Path file;
    private Recording.Contents contents;
    private int position;

    public ReplaySource(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "replay: " + file.getFileName();
    }

    @Override
    public boolean simulated() {
        return contents != null && contents.simulated();
    }

    @Override
    public String versions() {
        return contents == null ? "" : contents.versions();
    }

    @Override
    public List<GpuInfo> open() {
        try {
            contents = Recording.read(file);
        } catch (IOException e) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.FAILED, e.getMessage());
        }
        if (contents.ticks().isEmpty()) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.FAILED, file + ": has no ticks");
        }
        return contents.gpus();
    }

    public Recording.Contents contents() {
        return contents;
    }

    public long recordedIntervalMillis() {
        return contents.intervalMillis();
    }

    public boolean finished() {
        return position >= contents.ticks().size();
    }

    /** Moves to a tick (the replay timeline's scrubber). */
    public void seek(int tick) {
        position = Math.max(0, Math.min(contents.ticks().size() - 1, tick));
    }

    @Override
    public Snapshot sample(boolean withProcesses) {
        if (contents == null) {
            throw new UncheckedIOException(new IOException("replay not opened"));
        }
        List<Snapshot> ticks = contents.ticks();
        Snapshot tick = ticks.get(Math.min(position, ticks.size() - 1));
        position++;
        return tick;
    }

    @Override
    public void close() {
        // the file is read whole at open
    }
}
