package dev.headroom.common;

/**
 * Text that a server or a file supplied, made safe to print on a terminal: control characters (C0 with ESC, BEL,
 * CR and LF; DEL; C1 with CSI 0x9b and OSC 0x9d) and the invisible direction marks and overrides that reorder what
 * follows (U+202E and the like) are written as visible escapes such as {@code \x1b} and {@code \u202e}. A label
 * then cannot retitle the terminal, clear the screen, forge a table row or make text read backwards, and the user
 * still sees that something odd was there. Only for terminal text: JSON output has its own escaping.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** One line: every control character escaped, newlines too. */
    public static String clean(String text) {
        return escape(text, false);
    }

    /** Several lines: as {@link #clean}, but '\n' is kept as the line break it is. */
    public static String cleanLines(String text) {
        return escape(text, true);
    }

    /**
     * A writer for messages (stderr) where every line is {@link #cleanLines cleaned}: an error echoes what the
     * user typed or a file held (an id, a path, a catalog entry), and none of it may drive the terminal.
     */
    public static java.io.PrintWriter guarded(java.io.PrintWriter out) {
        return new java.io.PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                out.write(cleanLines(new String(buffer, offset, length)));
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.close();
            }
        }, true);
    }

    private static String escape(String text, boolean keepNewlines) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
            boolean unsafe = unsafe(c) && !(keepNewlines && (lineBreak || c == '\t')); // a tab moves, never rewrites
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out == null) {
                continue;
            }
            if (!unsafe) {
                out.append(c);
            } else if (c < 0x80) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1
                || c == '\u061c' || c == '\u200e' || c == '\u200f' // Arabic letter mark, LRM, RLM
                || (c >= '\u202a' && c <= '\u202e') // embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069') // isolates
                || c == '\u2028' || c == '\u2029'; // line and paragraph separators
    }
}
