package dev.headroom.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Process names and users from /proc (Linux). A PID NVML reports may live in another PID namespace (a
 * container); then there is no entry, and the process shows without a name rather than with a wrong one.
 */
public class ProcessTable {
    /**
     * A process's command name, the user owning it and, where its cgroup path shows them, its container (the
     * 12-character short id Docker and crictl print) and Kubernetes pod UID.
     */
    public record Entry(String name, String user, String container, String pod) {
        public Entry(String name, String user) {
            this(name, user, null, null);
        }
    }

    /** A 64-hex container id in a cgroup path: docker-ID.scope, cri-containerd-ID.scope, crio-ID, /docker/ID. */
    private static final java.util.regex.Pattern CONTAINER = java.util.regex.Pattern.compile("(?<![0-9a-f])([0-9a-f]{64})(?![0-9a-f])");
    /** kubepods: pod<uid> with dashes (cgroupfs) or underscores (the systemd driver). */
    private static final java.util.regex.Pattern POD = java.util.regex.Pattern.compile(
            "pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})");

    private final Path proc;
    private Map<Integer, String> users;

    public ProcessTable() {
        this(Path.of("/proc"));
    }

    ProcessTable(Path proc) {
        this.proc = proc;
    }

    public Entry lookup(int pid) {
        Path dir = proc.resolve(Integer.toString(pid));
        try {
            String name = Files.readString(dir.resolve("comm")).strip();
            String user = null;
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    String uid = line.substring(4).strip().split("\\s+")[0];
                    user = userName(Integer.parseInt(uid));
                    break;
                }
            }
            String container = null;
            String pod = null;
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup"))) {
                    java.util.regex.Matcher id = CONTAINER.matcher(line);
                    while (id.find()) {
                        container = id.group(1).substring(0, 12);
                    }
                    java.util.regex.Matcher uid = POD.matcher(line);
                    if (uid.find()) {
                        pod = uid.group(1).replace('_', '-');
                    }
                }
            } catch (IOException e) {
                // no cgroup file (not Linux, or hidepid): no container labels
            }
            return new Entry(name, user, container, pod);
        } catch (IOException | RuntimeException e) {
            return null; // gone, or not visible from here
        }
    }

    private synchronized String userName(int uid) {
        if (users == null) {
            users = new HashMap<>();
            try {
                List<String> passwd = Files.readAllLines(Path.of("/etc/passwd"));
                for (String line : passwd) {
                    String[] fields = line.split(":");
                    if (fields.length > 2) {
                        users.put(Integer.parseInt(fields[2]), fields[0]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // no names: show the uid
            }
        }
        return users.getOrDefault(uid, Integer.toString(uid));
    }
}
