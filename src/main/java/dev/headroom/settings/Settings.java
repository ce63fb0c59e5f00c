package dev.headroom.settings;

/**
 * What the app remembers between runs. Window geometry is null until the first window closes (then the OS
 * places the window). Stamped with the version that wrote it, so a later version can migrate.
 */
public record Settings(String writtenBy, Theme theme, Workspace workspace, WindowBounds window,
                       java.util.List<String> recentPlans) {

    /** Recent plan files kept, newest first. */
    public static final int RECENT_PLANS = 8;

    public static final Settings DEFAULT = new Settings(null, Theme.LIGHT, Workspace.PLAN, null, null);

    public Settings {
        theme = theme == null ? Theme.LIGHT : theme;
        workspace = workspace == null ? Workspace.PLAN : workspace;
        recentPlans = recentPlans == null ? java.util.List.of() : java.util.List.copyOf(recentPlans);
    }

    public Settings withTheme(Theme value) {
        return new Settings(writtenBy, value, workspace, window, recentPlans);
    }

    public Settings withWorkspace(Workspace value) {
        return new Settings(writtenBy, theme, value, window, recentPlans);
    }

    public Settings withWindow(WindowBounds value) {
        return new Settings(writtenBy, theme, workspace, value, recentPlans);
    }

    public Settings withWrittenBy(String version) {
        return new Settings(version, theme, workspace, window, recentPlans);
    }

    /** This plan first, then the others, at most {@link #RECENT_PLANS}. */
    public Settings withRecentPlan(String path) {
        java.util.List<String> recent = new java.util.ArrayList<>();
        recent.add(path);
        recentPlans.stream().filter(p -> !p.equals(path)).limit(RECENT_PLANS - 1L).forEach(recent::add);
        return new Settings(writtenBy, theme, workspace, window, recent);
    }

    public enum Theme { LIGHT, DARK }

    public enum Workspace { PLAN, COSTS, MONITOR }

    /** Window position and size in screen pixels. */
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    }
}
