package dev.headroom.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one writer for every file the program writes (plans, reports, chart exports, recordings, catalogs, settings,
 * alert rules, screenshots). Whole files are written atomically: the bytes go to a temporary file in the target's
 * folder (same file system, so the move is atomic), are forced to disk, and the temporary file then replaces the
 * target; on failure the temporary file is removed and the old file stays. Recordings, which grow tick by tick,
 * are opened with {@link #openAppending} under the same rules.
 *
 * <p>The rules for the target path, the same for every file:
 * <ul>
 * <li>A symbolic link is followed to the file it names (a chain of links too); that file is replaced and the link
 *     stays a link. A loop of links is refused.</li>
 * <li>Anything that exists and is not a regular file (a directory, a FIFO, a device such as /dev/full or
 *     /dev/stdout, a socket) is refused with {@link RefusedTargetException} naming what it is, and nothing is
 *     written: replacing it would destroy it, and writing into it would lose atomicity.</li>
 * <li>A missing folder: the files a user names ({@link Folder#MUST_EXIST}) are refused ("folder X does not
 *     exist"), since a mistyped path should not grow folders; the app's own files under ~/.headroom
 *     ({@link Folder#CREATE}) create it.</li>
 * <li>A folder that cannot be written is refused with a message that says so; the old file stays.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final int MAX_LINKS = 40; // as Linux's own limit on a path's symbolic links

    private AtomicFiles() {
    }

    /** Whether the target's folder must already be there, or may be created. */
    public enum Folder {
        /** A file the user named: a missing folder is an error. */
        MUST_EXIST,
        /** One of the app's own files (settings, user catalogs, alert rules): its folder is created. */
        CREATE
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a file the user named; its folder must exist. */
    public static void writeString(Path target, String text) throws IOException {
        writeString(target, text, Folder.MUST_EXIST);
    }

    public static void writeString(Path target, String text, Folder folder) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)), folder);
    }

    /** Writes a file the user named; its folder must exist. */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, Folder.MUST_EXIST);
    }

    public static void write(Path target, Content content, Folder folder) throws IOException {
        Path file = checkedTarget(target, folder);
        Path parent = file.getParent();
        Path temporary;
        try {
            temporary = Files.createTempFile(parent, "." + file.getFileName() + ".", ".tmp");
        } catch (AccessDeniedException e) {
            throw notWritable(target, parent);
        }
        try {
            readableLikeANewFile(temporary, file);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Opens an existing regular file (after the same checks as {@link #write}) to add to its end, for a file that
     * grows while it is written. The caller checks that what is there may be added to.
     */
    public static FileChannel openAppending(Path target) throws IOException {
        Path file = checkedTarget(target, Folder.MUST_EXIST);
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (AccessDeniedException e) {
            throw new RefusedTargetException(target + ": cannot be written (permission denied); nothing written");
        }
    }

    /**
     * The regular file (existing or not) that writing to {@code target} should replace: symbolic links followed,
     * anything else refused, the folder checked (or created).
     */
    public static Path checkedTarget(Path target, Folder folder) throws IOException {
        Path file = followLinks(target);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new RefusedTargetException(target + ": is " + kind(file, attributes)
                        + ", not a regular file; nothing written");
            }
            return file;
        }
        Path parent = file.getParent();
        if (!Files.isDirectory(parent)) {
            if (folder == Folder.CREATE && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(parent);
            } else if (Files.exists(parent)) {
                throw new RefusedTargetException(target + ": " + parent + " is not a folder; nothing written");
            } else {
                throw new RefusedTargetException(target + ": folder " + parent + " does not exist; nothing written");
            }
        }
        return file;
    }

    /** The path with every symbolic link at its end replaced by what it names; the folders above are kept. */
    private static Path followLinks(Path target) throws IOException {
        Path file = target.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(file); links++) {
            if (links == MAX_LINKS) {
                throw new RefusedTargetException(target + ": too many levels of symbolic links (a loop?); nothing written");
            }
            file = file.getParent().resolve(Files.readSymbolicLink(file));
        }
        return file;
    }

    /** "a directory", "a FIFO", "a character device"... from the Unix file mode where the platform gives it. */
    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & 0170000) {
                case 0010000: return "a FIFO";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // no Unix view here: the generic word will do
        }
        return "a special file";
    }

    private static RefusedTargetException notWritable(Path target, Path folder) {
        return new RefusedTargetException(target + ": folder " + folder
                + " cannot be written (permission denied); nothing written" + (Files.exists(target)
                ? ", the old file is kept" : ""));
    }

    /**
     * Temporary files are created owner-only; the result should have the permissions the file had, or those of an
     * ordinary new file (rw-r--r--), so an exported report can be shared.
     */
    private static void readableLikeANewFile(Path temporary, Path target) throws IOException {
        if (!temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temporary, permissions);
    }
}
