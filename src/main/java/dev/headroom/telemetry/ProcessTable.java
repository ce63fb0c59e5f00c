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
    /** A process's command name and the user owning it. */
    public record Entry(String name, String user) {
    }

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
            return new Entry(name, user);
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
