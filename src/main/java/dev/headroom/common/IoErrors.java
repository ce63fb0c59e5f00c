package dev.headroom.common;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why reading a file failed, in words: Java's own messages are a bare path (NoSuchFileException) or a decoder's
 * internals ("Input length = 3"), neither of which tells the user what is wrong.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /** The file and the reason, e.g. "plan.json: no such file". */
    public static String describe(IOException e) {
        return e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() + ": " + reason(e) : reason(e);
    }

    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a folder";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            String reason = fs.getReason(); // e.g. "Is a directory"
            return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        }
        return e.getMessage() == null ? "cannot be read" : e.getMessage();
    }
}
