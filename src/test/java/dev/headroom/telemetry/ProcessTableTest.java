package dev.headroom.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container and pod labels from /proc/PID/cgroup, in the layouts Docker, containerd and kubelet write. */
class ProcessTableTest {
    private static final String ID = "4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    @TempDir
    Path proc;

    private ProcessTable.Entry entry(String cgroup) throws Exception {
        Path dir = Files.createDirectories(proc.resolve("77"));
        Files.writeString(dir.resolve("comm"), "vllm\n");
        Files.writeString(dir.resolve("status"), "Name:\tvllm\nUid:\t0\t0\t0\t0\n");
        if (cgroup != null) {
            Files.writeString(dir.resolve("cgroup"), cgroup);
        } else {
            Files.deleteIfExists(dir.resolve("cgroup"));
        }
        return new ProcessTable(proc).lookup(77);
    }

    @Test
    void aKubernetesPodUnderTheSystemdDriver() throws Exception {
        ProcessTable.Entry e = entry("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + "5f1c2d3e_0000_4000_8000_00000000abcd.slice/cri-containerd-" + ID + ".scope\n");
        assertThat(e.container()).isEqualTo(ID.substring(0, 12));
        assertThat(e.pod()).isEqualTo("5f1c2d3e-0000-4000-8000-00000000abcd");
    }

    @Test
    void aCgroupV1PodAndAPlainDockerContainer() throws Exception {
        ProcessTable.Entry v1 = entry("12:memory:/kubepods/besteffort/pod5f1c2d3e-0000-4000-8000-00000000abcd/" + ID
                + "\n11:cpu:/kubepods/besteffort/pod5f1c2d3e-0000-4000-8000-00000000abcd/" + ID + "\n");
        assertThat(v1.pod()).isEqualTo("5f1c2d3e-0000-4000-8000-00000000abcd");
        assertThat(v1.container()).isEqualTo(ID.substring(0, 12));
        ProcessTable.Entry docker = entry("0::/system.slice/docker-" + ID + ".scope\n");
        assertThat(docker.container()).isEqualTo(ID.substring(0, 12));
        assertThat(docker.pod()).isNull();
    }

    @Test
    void aHostProcessHasNeither() throws Exception {
        ProcessTable.Entry host = entry("0::/user.slice/user-1000.slice/session-3.scope\n");
        assertThat(host.name()).isEqualTo("vllm");
        assertThat(host.container()).isNull();
        assertThat(host.pod()).isNull();
        assertThat(entry(null).container()).isNull(); // no cgroup file at all
    }
}
