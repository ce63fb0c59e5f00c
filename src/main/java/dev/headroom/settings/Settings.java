package dev.headroom.settings;

/**
 * What the app remembers between runs. Window geometry is null until the first window closes (then the OS
 * places the window). Stamped with the version that wrote it, so a later version can migrate.
 */
public record Settings(String writtenBy, Theme theme, Workspace workspace, WindowBounds window) {

    public static final Settings DEFAULT = new Settings(null, Theme.LIGHT, Workspace.PLAN, null);

    public Settings {
        theme = theme == null ? Theme.LIGHT : theme;
        workspace = workspace == null ? Workspace.PLAN : workspace;
    }

    public Settings withTheme(Theme value) {
        return new Settings(writtenBy, value, workspace, window);
    }

    public Settings withWorkspace(Workspace value) {
        return new Settings(writtenBy, theme, value, window);
    }

    public Settings withWindow(WindowBounds value) {
        return new Settings(writtenBy, theme, workspace, value);
    }

    public Settings withWrittenBy(String version) {
        return new Settings(version, theme, workspace, window);
    }

    public enum Theme { LIGHT, DARK }

    public enum Workspace { PLAN, COSTS, MONITOR }

    /** Window position and size in screen pixels. */
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    }
}
