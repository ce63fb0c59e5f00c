package dev.headroom.telemetry.nvml;

/** The fake NVML for tests outside this package (the Monitor view's). */
public final class FakeNvmlAccess {
    /** The fake's control surface, as other packages see it. */
    public interface Control {
        void fakeNvmlSetTick(int tick);
    }

    private FakeNvmlAccess() {
    }

    /** Points the binding at the fake with a scenario from /nvml, at a manual tick. */
    public static Control use(String scenario, int tick) {
        FakeNvml.Control control = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario(scenario));
        control.fakeNvmlSetTick(tick);
        return control::fakeNvmlSetTick;
    }

    /** The fake library built from C (for a child process: -Dheadroom.nvml.library=this). */
    public static java.nio.file.Path library() {
        return FakeNvml.build("normal");
    }

    /** A scenario under /nvml as a file (for a child process: FAKE_NVML_SCENARIO=this). */
    public static java.nio.file.Path scenario(String name) {
        return FakeNvml.scenario(name);
    }

    public static void reset() {
        FakeNvml.reset();
    }
}
